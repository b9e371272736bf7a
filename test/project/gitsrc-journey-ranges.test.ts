import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, read } from './git-fixtures';

/**
 * A platform team publishes its blueprint by git tags, and teams on v1 follow v1 (`repo#^1`) as they would follow an
 * npm range: `create --blueprint 'repo#^1'` was refused ("version '^1' does not exist"), and a project on a v1 tag
 * was called behind v2.0.0, the breaking release, which `update` took without being asked.
 */
jest.setTimeout(180_000);

/** Commits a blueprint whose one file names `version` (on the branch checked out), and tags it `tag`. */
function release(source: string, version: string, tag: string): string {
  const file = path.join(source, 'src', 'index.ts');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/options\.greeting \+ '[^']*'/, `options.greeting + ' ${version}\\n'`));
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify({ name: 'tagged-blueprint', version }));
  const commit = commitAll(source, version);
  git(source, 'tag', tag);
  return commit;
}

const record = (repository: string) => JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0];

test('a semver range after the # is followed within its major version, as an npm range is', () => {
  const work = tempDir('bluesynth-gitsrc-journey-ranges-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  release(source, '1.0.0', 'v1.0.0');
  release(source, '1.1.0', 'v1.1.0');
  const v12 = release(source, '1.2.0', '1.2.0');
  release(source, '2.0.0-rc.1', 'v2.0.0-rc.1');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };

  // A prerelease is not within a range that does not ask for one (semver's rule): nothing is made, and the message
  // names the range and the tags there are.
  const none = runCli(['create', '--blueprint', `${source}#^2`, path.join(work, 'none')], { env });
  expect(none.stderr).toContain(`no tag of the blueprint repository ${source} is within the range '^2' (tags: v1.0.0, v1.1.0, 1.2.0, v2.0.0-rc.1)`);
  expect(none.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'none'))).toBe(false);
  release(source, '2.0.0', 'v2.0.0');

  // The newest tag within the range (written with or without the v), the range recorded to be followed.
  expect(runCli(['create', '--blueprint', `${source}#^1`, path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  expect(read(repository, 'hello.txt')).toBe('hello 1.2.0\n');
  expect(record(repository)).toMatchObject({ source: `${source}#^1`, versionId: '1.2.0', sourceRevision: v12 });
  expect(runCli(['create', '--blueprint', `${source}#~1.1`, path.join(work, 'tilde')], { env }).code).toBe(0);
  expect(read(work, 'tilde', 'web', 'hello.txt')).toBe('hello 1.1.0\n');

  // v2.0.0 is outside the range: up to date.
  let check = runCli(['check', '--json'], { cwd: repository, env });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ newest: '1.2.0', behind: false });
  expect(check.code).toBe(0);

  // A v1 fix, tagged on a maintenance branch: behind it, and update takes it and keeps following the range.
  git(source, 'checkout', '--quiet', '-b', 'v1-maintenance', '1.2.0');
  const v13 = release(source, '1.3.0', 'v1.3.0');
  git(source, 'checkout', '--quiet', 'main');
  check = runCli(['check'], { cwd: repository, env });
  expect(check.stdout).toContain('behind: v1.3.0 is available');
  expect(check.code).toBe(1);
  expect(runCli(['update'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 1.3.0\n');
  expect(record(repository)).toMatchObject({ source: `${source}#^1`, versionId: '1.3.0', sourceRevision: v13 });

  // --to a range no tag is within: exit 2, naming it, nothing changed.
  const head = git(repository, 'rev-parse', 'HEAD');
  const missing = runCli(['update', '--to', '^5'], { cwd: repository, env });
  expect(missing.stderr).toContain("--to ^5: no tag of the blueprint repository");
  expect(missing.stderr).toContain("the range '^5' (tags: v1.0.0, v1.1.0, 1.2.0, v1.3.0, v2.0.0-rc.1, v2.0.0)");
  expect(missing.code).toBe(2);
  expect(git(repository, 'rev-parse', 'HEAD')).toBe(head);

  // --to a tag within the range stays on it; --to a range follows that range from then on; --to a tag outside the
  // range leaves it for that tag, which (as an exact npm version) follows the newest tag overall.
  expect(runCli(['update', '--to', 'v1.1.0'], { cwd: repository, env }).code).toBe(0);
  expect(record(repository).source).toBe(`${source}#^1`);
  expect(runCli(['update', '--to', '2.x'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 2.0.0\n');
  expect(record(repository).source).toBe(`${source}#2.x`);
  expect(runCli(['update', '--to', '^1'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 1.3.0\n');
  expect(record(repository).source).toBe(`${source}#^1`);
  expect(runCli(['update', '--to', 'v2.0.0'], { cwd: repository, env }).code).toBe(0);
  expect(record(repository).source).toBe(`${source}#v2.0.0`);

  // A branch named like a range is that branch, followed as branches are.
  git(source, 'branch', '1.x', 'v1-maintenance');
  expect(runCli(['create', '--blueprint', `${source}#1.x`, path.join(work, 'branch')], { env }).code).toBe(0);
  expect(record(path.join(work, 'branch', 'web'))).toMatchObject({ source: `${source}#1.x`, sourceRevision: v13 });
});

test('a fleet shows a range-following project behind within its range only, and --to RANGE takes the newest tag within', () => {
  const work = tempDir('bluesynth-gitsrc-journey-ranges-fleet-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  release(source, '1.0.0', 'v1.0.0');
  release(source, '1.1.0', 'v1.1.0');
  release(source, '2.0.0', 'v2.0.0');
  release(source, '2.1.0', 'v2.1.0');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', `${source}#^1`, path.join(work, 'project')], { env }).code).toBe(0);
  const remote = path.join(work, 'web.git');
  git(work, 'clone', '--quiet', '--bare', path.join(work, 'project', 'web'), remote);
  fs.writeFileSync(path.join(work, 'repos.txt'), `${remote}\n`);
  const fleet = (...args: string[]) => runCli(['fleet', ...args, '--repos', 'repos.txt', '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work, env });

  let status = fleet('status');
  expect(JSON.parse(status.stdout)[0].instantiations[0]).toMatchObject({ newest: 'v1.1.0', behind: false });
  release(source, '1.2.0', 'v1.2.0');
  status = fleet('status');
  expect(JSON.parse(status.stdout)[0].instantiations[0]).toMatchObject({ newest: 'v1.2.0', behind: true });

  const update = fleet('update', '--to', '^2', '--push');
  expect(update.code).toBe(0);
  const [outcome] = JSON.parse(update.stdout).repositories;
  expect(outcome).toMatchObject({ state: 'updated', to: 'tagged-blueprint@2.1.0', pushed: true });
  const pushed = JSON.parse(git(remote, 'show', `${outcome.branch}:.bluesynth/instantiations.json`))[0];
  expect(pushed.source).toBe(`${source}#^2`);
});

test('a project following a range whose tag was deleted upstream is not behind the older tag left, and update does not go back to it unasked', () => {
  const work = tempDir('bluesynth-gitsrc-journey-ranges-withdrawn-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  release(source, '1.0.0', 'v1.0.0');
  release(source, '1.1.0', 'v1.1.0');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', `${source}#^1`, path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  expect(read(repository, 'hello.txt')).toBe('hello 1.1.0\n');

  // v1.1.0 withdrawn: its commit is no longer tagged, and v1.0.0, the newest tag within ^1, is older.
  git(source, 'tag', '-d', 'v1.1.0');
  const check = runCli(['check', '--json'], { cwd: repository, env });
  const [instantiation] = JSON.parse(check.stdout).instantiations;
  expect(instantiation).toMatchObject({ newest: 'v1.0.0', behind: false });
  expect(instantiation.reason).toContain('is no longer tagged within ^1');
  const head = git(repository, 'rev-parse', 'HEAD');
  const update = runCli(['update'], { cwd: repository, env });
  expect(update.stderr).toContain("the newest tag within it, v1.0.0, is older: 'blueprint update --to v1.0.0' goes back to it");
  expect(update.code).toBe(2);
  expect(git(repository, 'rev-parse', 'HEAD')).toBe(head);

  // A newer tag within the range is an update again.
  release(source, '1.2.0', 'v1.2.0');
  expect(runCli(['update'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 1.2.0\n');
});
