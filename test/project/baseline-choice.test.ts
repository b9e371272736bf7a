import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * Which generated commit an update merges from when the history holds several, on real merge histories: the one
 * `HEAD`'s record describes, not simply the newest (a release branch merged back, an update backed out with
 * `git revert -m 1`).
 */
jest.setTimeout(300_000);

/** Nine numbered lines in `f.txt` of the repository `app`; the options `top` and `bottom` write lines 3 and 9. */
function linesBlueprint(dir: string): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { top: string; bottom: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'f.txt', ['1', '2', options.top, '4', '5', '6', '7', '8', options.bottom].join('\\n') + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ top: '3', bottom: '9' }) });
}

/** `f.txt` with the given lines replaced (1-based line number to text). */
function lines(changes: Record<number, string>): string {
  return ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((line, i) => changes[i + 1] ?? line).join('\n') + '\n';
}

/** A new project made by the lines blueprint: its repository folder, with a helper running the CLI in it. */
function project(prefix: string) {
  const work = tempDir(prefix);
  const blueprint = linesBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  return { work, blueprint, repo, cli: (...args: string[]) => runCli(args, { cwd: repo }) };
}

/** Runs git where it may stop with conflicts, and says whether it succeeded. */
function gitMayFail(cwd: string, ...args: string[]): boolean {
  return spawnSync('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' } }).status === 0;
}

test('a release branch updated and merged back keeping the main branch\'s record: update merges from the baseline that record describes', () => {
  const { repo, cli } = project('bluesynth-release-');
  git(repo, 'checkout', '--quiet', '-b', 'release');
  expect(cli('update', '--set', 'bottom=9 release').code).toBe(0);
  fs.writeFileSync(path.join(repo, 'fix.txt'), 'release fix\n');
  commitAll(repo, 'release fix');
  git(repo, 'checkout', '--quiet', 'main');
  expect(cli('update', '--set', 'top=3 main').code).toBe(0);
  const mainBaseline = git(repo, 'rev-parse', 'HEAD^2');
  // Both sides changed the record: the team keeps the main branch's.
  expect(gitMayFail(repo, 'merge', '--quiet', '--no-edit', 'release')).toBe(false);
  git(repo, 'checkout', '--ours', '.bluesynth/instantiations.json');
  commitAll(repo, 'Merge branch release');
  // The release's baseline is the newest in topological order; main's is in the history too.
  expect(git(repo, 'rev-list', '--topo-order', '-n', '1', '--grep=^Bluesynth-Instantiation:', 'HEAD')).not.toBe(mainBaseline);

  const checked = cli('check', '--json');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ baseline: mainBaseline, reproducible: 'yes' });
  const updated = cli('update', '--set', 'top=3 next', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).baseline).toBe(mainBaseline);
  // The release's line, which the blueprint does not generate with main's options, stays the project's.
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 next', 9: '9 release' }));
  expect(git(repo, 'rev-parse', 'HEAD^2^')).toBe(mainBaseline);
});

test('an update backed out with git revert -m 1: the next update merges from the baseline before it', () => {
  const { repo, cli } = project('bluesynth-revert-');
  const created = git(repo, 'rev-parse', 'HEAD');
  expect(cli('update', '--set', 'bottom=9 reverted').code).toBe(0);
  git(repo, 'revert', '--no-edit', '-m', '1', 'HEAD');
  expect(read(repo, 'f.txt')).toBe(lines({}));

  const checked = cli('check', '--json');
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ baseline: created, reproducible: 'yes', editedByHand: [] });
  const updated = cli('update', '--set', 'top=3 again', '--json');
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  expect(JSON.parse(updated.stdout).baseline).toBe(created);
  expect(read(repo, 'f.txt')).toBe(lines({ 3: '3 again' }));
});
