import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, initRepository, read, replaceInFile } from './git-fixtures';

/**
 * What an update counts as a work tree with changes, on the clones developers really have: a submodule they work
 * in, and a dry run asked for with edits not yet committed.
 */
jest.setTimeout(120_000);

/** A project made from v1.0.0 of a git blueprint, with v1.1.0 (which writes `hello v2`) tagged since. */
function behindProject(name: string) {
  const work = tempDir(`bluesynth-dirty-${name}-`);
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', `${blueprint}#^1`, path.join(work, 'project')], { env }).code).toBe(0);
  replaceInFile(path.join(blueprint, 'src', 'index.ts'), "options.greeting + '\\n'", "options.greeting + ' v2\\n'");
  commitAll(blueprint, 'v1.1');
  git(blueprint, 'tag', 'v1.1.0');
  return { work, repo: path.join(work, 'project', 'app'), env };
}

test('a submodule\'s own uncommitted edits are not the project\'s changes: the update lands and leaves them, where it refused with "commit or stash them", which neither does', () => {
  const { work, repo, env } = behindProject('submodule');
  const library = path.join(work, 'library');
  fs.mkdirSync(library);
  fs.writeFileSync(path.join(library, 'lib.txt'), 'lib\n');
  initRepository(library, 'library');
  git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', library, 'vendor/lib');
  commitAll(repo, 'vendor the library');
  fs.appendFileSync(path.join(repo, 'vendor', 'lib', 'lib.txt'), 'work in progress\n');
  expect(git(repo, 'status', '--short')).toBe('m vendor/lib');

  const update = runCli(['update'], { cwd: repo, env });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(read(repo, 'hello.txt')).toBe('hello v2\n');
  expect(read(repo, 'vendor', 'lib', 'lib.txt')).toBe('lib\nwork in progress\n');

  // A submodule checked out at another commit than the project records is a change the project commits: still refused.
  git(path.join(repo, 'vendor', 'lib'), 'commit', '--quiet', '-am', 'newer library');
  const head = git(repo, 'rev-parse', 'HEAD');
  const again = runCli(['update', '--set', 'greeting=hi'], { cwd: repo, env });
  expect(again.stderr).toContain('the working tree has changes (vendor/lib)');
  expect(again.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
});

test('a dry run on a tree with uncommitted changes runs, and warns that the update itself would be refused (it said nothing, exit 0, as if the update would land)', () => {
  const { repo, env } = behindProject('dry-run');
  fs.appendFileSync(path.join(repo, 'hello.txt'), 'local edit\n');
  const head = git(repo, 'rev-parse', 'HEAD');

  const dryRun = runCli(['update', '--dry-run'], { cwd: repo, env });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toContain('updated    hello.txt');
  expect(dryRun.stdout).toMatch(/warning: the update would be refused: .*the working tree has changes \(hello\.txt\); commit or stash them first/);
  const json = runCli(['update', '--dry-run', '--json'], { cwd: repo, env });
  expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining('the update would be refused: ')]);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--short')).toBe('M hello.txt');

  expect(runCli(['update'], { cwd: repo, env }).code).toBe(2);
  git(repo, 'checkout', '--', 'hello.txt');
  expect(runCli(['update', '--dry-run'], { cwd: repo, env }).stdout).not.toContain('would be refused');
});

test('a file marked skip-worktree or assume-unchanged with local changes the update would write over: refused naming the mark and how to clear it, not as a change made while the update ran; the changes kept', () => {
  const { repo, env } = behindProject('hidden');
  fs.appendFileSync(path.join(repo, 'hello.txt'), 'my local setting\n');
  const head = git(repo, 'rev-parse', 'HEAD');
  for (const flag of ['skip-worktree', 'assume-unchanged']) {
    git(repo, 'update-index', `--${flag}`, 'hello.txt');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // The dry run said nothing of it: exit 0, as if the update would land.
    const dryRun = runCli(['update', '--dry-run'], { cwd: repo, env });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(`warning: the update would be refused: ${repo}: the update would write over changes git status does not show: hello.txt (${flag}), `);
    const refused = runCli(['update'], { cwd: repo, env });
    // It said "hello.txt changed in the work tree while the update ran", which it had not.
    expect(refused.stderr.trim()).toBe(`blueprint update: ${repo}: the update would write over changes git status does not show: ` +
      `hello.txt (${flag}), marked so in the index (git update-index), which hides its changes; nothing changed. ` +
      `Clear the mark (git update-index --no-${flag} hello.txt), then commit the change or drop it, and update again`);
    expect(refused.code).toBe(2);
    expect(read(repo, 'hello.txt')).toBe('hello\nmy local setting\n');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    git(repo, 'update-index', `--no-${flag}`, 'hello.txt');
  }
  git(repo, 'checkout', '--', 'hello.txt');
  // Marked but unchanged, the file is updated as any other.
  git(repo, 'update-index', '--skip-worktree', 'hello.txt');
  expect(runCli(['update', '--dry-run'], { cwd: repo, env }).stdout).not.toContain('would be refused');
  expect(runCli(['update'], { cwd: repo, env }).code).toBe(0);
  expect(read(repo, 'hello.txt')).toBe('hello v2\n');
});
