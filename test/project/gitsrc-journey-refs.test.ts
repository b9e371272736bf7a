import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, read } from './git-fixtures';

/**
 * A git source's versions are names for commits, and names move. A project made from `repo#main` was told it was
 * behind the newest tag and updated onto it (off the branch, to an older commit), and was never told when `main`
 * moved on; one made from a tag that was moved upstream (`git tag -f`, a hotfix) was told it was up to date; one
 * made from a second tag on the newest tag's commit was told it was behind.
 */
jest.setTimeout(120_000);

/** Makes the blueprint write `hello <signature>` (the options stay as recorded: the version must change the output). */
function sign(source: string, signature: string): void {
  const file = path.join(source, 'src', 'index.ts');
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(/options\.greeting \+ '[^']*'/, `options.greeting + ' ${signature}\\n'`));
}

function setUp() {
  const work = tempDir('bluesynth-gitsrc-journey-refs-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  commitAll(source, 'v1');
  git(source, 'tag', 'v1.9.0');
  sign(source, '1.10');
  commitAll(source, 'v1.10');
  git(source, 'tag', '-a', '-m', 'release', 'v1.10.0');
  git(source, 'tag', 'stable');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  const create = (spec: string, name: string) => {
    const result = runCli(['create', '--blueprint', `${source}#${spec}`, path.join(work, name)], { env });
    expect(result.output).toContain('created from');
    return path.join(work, name, 'web');
  };
  return { work, source, env, create };
}

test('a project made from a branch follows the branch: check says when it moved, update takes its new tip and stays on it', () => {
  const { source, env, create } = setUp();
  sign(source, 'main');
  commitAll(source, 'work on main');
  const repository = create('main', 'branch');
  expect(read(repository, 'hello.txt')).toBe('hello main\n');

  let check = runCli(['check', '--json'], { cwd: repository, env });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ newest: 'main', behind: false });
  expect(check.code).toBe(0);
  let update = runCli(['update', '--dry-run'], { cwd: repository, env });
  expect(update.output).toContain('0 updated');

  sign(source, 'main 2');
  const tip = commitAll(source, 'more work on main');
  check = runCli(['check'], { cwd: repository, env });
  expect(check.stdout).toContain(`behind: main has moved to ${tip.slice(0, 12)}`);
  expect(check.code).toBe(1);

  update = runCli(['update'], { cwd: repository, env });
  expect(update.code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello main 2\n');
  const record = JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0];
  expect(record).toMatchObject({ source: `${source}#main`, sourceRevision: tip });
  expect(runCli(['check'], { cwd: repository, env }).code).toBe(0);
});

test('a tag moved upstream after a project used it makes the project behind; a second tag on the newest commit does not', () => {
  const { source, env, create } = setUp();
  const moved = create('v1.10.0', 'moved');
  const second = create('stable', 'second');

  const up = runCli(['check', '--json'], { cwd: second, env });
  expect(JSON.parse(up.stdout).instantiations[0]).toMatchObject({ newest: 'v1.10.0', behind: false });
  expect(up.code).toBe(0);

  sign(source, '1.10 fixed');
  const fixed = commitAll(source, 'hotfix');
  git(source, 'tag', '-f', '-a', '-m', 'moved', 'v1.10.0');
  const check = runCli(['check'], { cwd: moved, env });
  expect(check.stdout).toContain(`behind: v1.10.0 has moved to ${fixed.slice(0, 12)}`);
  expect(check.code).toBe(1);
  expect(runCli(['update'], { cwd: moved, env }).code).toBe(0);
  expect(read(moved, 'hello.txt')).toBe('hello 1.10 fixed\n');
  expect(runCli(['check'], { cwd: moved, env }).code).toBe(0);
});

test('a repository with no tag, made a project from its path alone, is followed at its default branch (#HEAD): check says when it moved, as update takes it', () => {
  const work = tempDir('bluesynth-gitsrc-journey-refs-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=develop');
  commitAll(source, 'first');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', source + '/.git', path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toMatch(/#HEAD$/);
  expect(runCli(['check'], { cwd: repository, env }).code).toBe(0);

  sign(source, 'develop');
  const tip = commitAll(source, 'work on develop');
  // Check said "the source has no versions" and up to date, while update took the new commit.
  const check = runCli(['check'], { cwd: repository, env });
  expect(check.stdout).toContain(`behind: HEAD has moved to ${tip.slice(0, 12)}`);
  expect(check.code).toBe(1);
  expect(runCli(['update'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello develop\n');
  expect(runCli(['check'], { cwd: repository, env }).code).toBe(0);
});

// Journey 71: a monorepo tags each blueprint's releases by its name (`web@1.11.0`), newer than its last version tag.
test('a project on a tag that is no version, newer than the newest version tag, is not behind it, and update does not go back to it', () => {
  const { source, env, create } = setUp();
  sign(source, 'per-blueprint');
  commitAll(source, 'web 1.11');
  git(source, 'tag', 'web@1.11.0');
  const repo = create('web@1.11.0', 'project');
  expect(read(repo, 'hello.txt')).toContain('per-blueprint');
  const check = runCli(['check'], { cwd: repo, env });
  expect(check.code).toBe(0);
  expect(check.output).not.toContain('behind');
  expect(check.output).toContain('the recorded ref web@1.11.0 is no version, and the newest version tag of the blueprint repository');
  expect(check.output).toContain(`v1.10.0, is at an older commit`);
  const update = runCli(['update'], { cwd: repo, env });
  expect(update.code).toBe(2);
  expect(update.output).toContain("'blueprint update --to v1.10.0' goes back to it");
  expect(read(repo, 'hello.txt')).toContain('per-blueprint');
});
