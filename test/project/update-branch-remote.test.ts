import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git, greetingBlueprint } from './git-fixtures';

/**
 * `update --branch` where another developer already pushed the update branch of that name: refused by name, with
 * who committed there and the way on, before anything is written.
 */
jest.setTimeout(300_000);

test('an update branch the remote has already (origin/<branch> after a fetch) is refused, naming it and its authors; nothing changes', () => {
  const work = tempDir('bluesynth-update-branch-remote-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  git(work, 'clone', '--quiet', '--bare', path.join(work, 'project', 'app'), 'origin.git');
  git(work, 'clone', '--quiet', 'origin.git', 'alice');
  git(work, 'clone', '--quiet', 'origin.git', 'bob');
  const alice = path.join(work, 'alice');
  const bob = path.join(work, 'bob');

  // Alice opens the update's pull request and adds a commit to it.
  expect(runCli(['update', '--set', 'greeting=hi', '--branch'], { cwd: alice }).code).toBe(0);
  const branch = git(alice, 'symbolic-ref', '--short', 'HEAD');
  fs.writeFileSync(path.join(alice, 'notes.txt'), 'resolved\n');
  git(alice, 'add', 'notes.txt');
  git(alice, '-c', 'user.name=Alice', '-c', 'user.email=alice@example.invalid', 'commit', '--quiet', '--author=Alice <alice@example.invalid>', '-m', 'alice: follow-up');
  git(alice, 'push', '--quiet', 'origin', branch);

  // Bob fetched: the same command, and the same name, taken on origin.
  git(bob, 'fetch', '--quiet');
  const head = git(bob, 'rev-parse', 'HEAD');
  const update = runCli(['update', '--set', 'greeting=hi', '--branch'], { cwd: bob });
  expect(update.code).toBe(2);
  // Alice's commit, the generated commit and the merge commit of her update.
  expect(update.stderr).toContain(`--branch ${branch}: origin/${branch} exists already; 3 commits on it that HEAD lacks, by Alice, `);
  expect(update.stderr).toContain(`carry on there with 'git switch ${branch}' (it then tracks origin/${branch}), or name another branch with --branch NAME; nothing changed`);
  expect(git(bob, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(bob, 'branch', '--list', branch)).toBe('');
  expect(git(bob, 'status', '--porcelain')).toBe('');
  expect(fs.readFileSync(path.join(bob, 'hello.txt'), 'utf8')).toBe('hello\n');
  // A dry run of it (the blueprint's branch known only once it ran) says it would be refused.
  const dry = runCli(['update', '--set', 'greeting=hi', '--branch', '--dry-run', '--json'], { cwd: bob });
  expect(dry.code).toBe(0);
  expect(JSON.parse(dry.stdout).warnings).toEqual([expect.stringMatching(new RegExp(`^the update would be refused, unless it finds nothing to change: --branch ${branch}: origin/${branch} exists already`))]);

  // Named explicitly, the check comes before the blueprint runs: not even an object is written. Another name lands.
  const objects = git(bob, 'count-objects');
  const named = runCli(['update', '--set', 'greeting=hi', '--branch', branch], { cwd: bob });
  expect(named.code).toBe(2);
  expect(named.stderr).toContain(`origin/${branch} exists already`);
  expect(git(bob, 'count-objects')).toBe(objects);
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'bob-update'], { cwd: bob }).code).toBe(0);
  expect(git(bob, 'symbolic-ref', '--short', 'HEAD')).toBe('bob-update');
});

test('--branch NAME where a branch is a folder of NAME (chore for chore/update) or NAME a folder of one (feature for feature/x): refused before anything is written', () => {
  const work = tempDir('bluesynth-update-branch-folder-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'branch', 'feature/login');
  git(repo, 'branch', 'chore');
  const head = git(repo, 'rev-parse', 'HEAD');
  for (const [branch, existing] of [['feature', 'feature/login'], ['chore/update', 'chore']]) {
    const update = runCli(['update', '--set', 'greeting=hi', '--branch', branch], { cwd: repo });
    // git checkout -b refused once it had written the update into the index and work tree: exit 1, left staged on main.
    expect(update.stderr.trim()).toBe(`blueprint update: --branch ${branch}: git cannot make it, since the branch ${existing} exists, and a branch name ` +
      'cannot also be a folder of branches (refs/heads/a and refs/heads/a/b); name another with --branch NAME; nothing changed');
    expect(update.code).toBe(2);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }
  // A sibling in the same folder is no clash.
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'feature/update'], { cwd: repo }).code).toBe(0);
  expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('feature/update');
});

test('--branch NAME whose ref git cannot lock (refs/heads/NAME.lock left by a git that crashed): refused with nothing written, where the update was left staged on the old branch', () => {
  const work = tempDir('bluesynth-update-branch-lock-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const lock = path.join(repo, '.git', 'refs', 'heads', 'greet.lock');
  fs.writeFileSync(lock, '');
  const head = git(repo, 'rev-parse', 'HEAD');
  const update = runCli(['update', '--set', 'greeting=hi', '--branch', 'greet'], { cwd: repo });
  expect(update.stderr).toContain(`blueprint update: --branch greet: git could not make the branch (fatal: cannot lock ref 'refs/heads/greet': Unable to create '${lock}': File exists.); nothing changed`);
  expect(update.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(git(repo, 'branch', '--list', 'greet')).toBe('');

  fs.rmSync(lock);
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'greet'], { cwd: repo }).code).toBe(0);
  expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('greet');
  expect(git(repo, 'rev-parse', 'greet^1')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});
