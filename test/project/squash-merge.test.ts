import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, read } from './git-fixtures';

/**
 * An update squash-merged (or rebased) into the branch leaves its generated commit out of the history: the
 * newest baseline found is an older one. Merging from it would take the project's later edits of what that
 * update brought for conflicts, so update refuses and check cannot tell, both saying why and how to go on.
 */
jest.setTimeout(300_000);

test('after a squash-merged update, update refuses (exit 2, nothing changed) and check cannot tell; git merge -s ours of the generated commit puts it right', () => {
  const work = tempDir('bluesynth-squash-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app', ['notes.txt']);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'upd'], { cwd: repo }).code).toBe(0);
  const generated = git(repo, 'rev-parse', 'upd^2');
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--squash', 'upd');
  git(repo, 'commit', '--quiet', '--no-edit');
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hi there\n');
  const head = commitAll(repo, 'the team rewords the greeting the update brought');

  const refused = runCli(['update', '--set', 'greeting=hey'], { cwd: repo });
  expect(refused.stderr).toContain('.bluesynth/instantiations.json records test-blueprint@1.2.3 for instantiation');
  expect(refused.stderr).toContain('records other options');
  expect(refused.stderr).toContain('was the update squash-merged or rebased?');
  expect(refused.stderr).toContain(`git merge -s ours ${generated.slice(0, 12)}`);
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  const check = runCli(['check'], { cwd: repo });
  expect(check.stdout + check.stderr).toContain('was the update squash-merged or rebased?');
  expect(check.code).toBe(2);

  // Recorded as merged, the generated commit is the ancestor again: check finds the project as that update left it
  // (reproducible, not behind), and the next update merges from it, keeping the team's rewording of its greeting.
  git(repo, 'merge', '--quiet', '-s', 'ours', '--no-edit', generated.slice(0, 12));
  const checked = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes', behind: false });
  expect(checked.code).toBe(0);
  const same = runCli(['update', '--json', '--dry-run'], { cwd: repo });
  expect(same.code).toBe(0);
  expect(JSON.parse(same.stdout).files.filter((f: any) => f.outcome !== 'unchanged')).toEqual([]);
  expect(read(repo, 'hello.txt')).toBe('hi there\n');
});

test('with the generated commit gone, the refusal names update --adopt, which keeps the team\'s rewording of what the update brought', () => {
  const work = tempDir('bluesynth-squash-gone-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'upd'], { cwd: repo }).code).toBe(0);
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--squash', 'upd');
  git(repo, 'commit', '--quiet', '--no-edit');
  git(repo, 'branch', '-D', 'upd');
  git(repo, 'reflog', 'expire', '--expire=now', '--all');
  git(repo, 'gc', '--quiet', '--prune=now');
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hi there\n');
  const head = commitAll(repo, 'the team rewords the greeting the update brought');
  const refused = runCli(['update', '--set', 'greeting=hey'], { cwd: repo });
  expect(refused.stderr).toContain('to go on, if the project holds what test-blueprint@1.2.3 generates with the recorded options');
  expect(refused.stderr).toContain('run \'blueprint update --adopt\'');
  expect(refused.stderr).not.toContain('put the record\'s entry back');
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

  expect(runCli(['update', '--adopt'], { cwd: repo }).code).toBe(0);
  expect(git(repo, 'diff', '--name-only', head, 'HEAD')).toBe('');
  // Merged from what greeting=hi generates, the team's rewording of that line is the project's: nothing to override.
  const again = runCli(['update', '--json'], { cwd: repo });
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).files.filter((f: any) => f.outcome !== 'unchanged')).toEqual([]);
  expect(read(repo, 'hello.txt')).toBe('hi there\n');
});

test('a squashed option update whose file changes the team undid reads as a hand edit of the record; update --adopt says it was an update, and keeps the team\'s file', () => {
  const work = tempDir('bluesynth-squash-options-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hello there\n');
  commitAll(repo, 'the team\'s greeting');
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'upd'], { cwd: repo }).stdout).toContain('overridden hello.txt');
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hello there\n');
  commitAll(repo, 'keep our greeting');
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--squash', 'upd');
  git(repo, 'commit', '--quiet', '-m', 'Update blueprint options (#2)');
  git(repo, 'branch', '-D', 'upd');
  git(repo, 'reflog', 'expire', '--expire=now', '--all');
  git(repo, 'gc', '--quiet', '--prune=now');
  expect(git(repo, 'show', '--format=', '--name-only', 'HEAD')).toBe('.bluesynth/instantiations.json');
  const head = git(repo, 'rev-parse', 'HEAD');
  expect(runCli(['check'], { cwd: repo }).stdout).toContain('(options: greeting) with no update: \'blueprint update\' applies it');

  const adopted = runCli(['update', '--adopt'], { cwd: repo });
  expect(adopted.stderr).toBe('');
  expect(adopted.code).toBe(0);
  expect(git(repo, 'diff', '--name-only', head, 'HEAD')).toBe('');
  expect(git(repo, 'show', 'HEAD^2:hello.txt')).toBe('hi');
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
  expect(read(repo, 'hello.txt')).toBe('hello there\n');
});
