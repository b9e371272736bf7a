import * as fs from 'fs';
import * as path from 'path';
import { compareVersions } from '../../src/project/sources/semver-tags';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, read } from './git-fixtures';

/**
 * A project made from a prerelease tag (`repo#v2.0.0-rc.1`, a team trying the next major) was told by check that it
 * was behind the newest release, v1.10.0, and `update` took it back to v1.10.0 without a word.
 */
jest.setTimeout(120_000);

/** Commits a blueprint whose one file names `version`, and tags it `tag`. */
function release(source: string, version: string, tag: string): void {
  const file = path.join(source, 'src', 'index.ts');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/options\.greeting \+ '[^']*'/, `options.greeting + ' ${version}\\n'`));
  commitAll(source, version);
  git(source, 'tag', tag);
}

test('a project on a prerelease after the newest release is up to date and stays on it until a newer release comes', () => {
  const work = tempDir('bluesynth-gitsrc-journey-prerelease-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  release(source, '1.9.0', 'v1.9.0');
  release(source, '1.10.0', 'v1.10.0');
  release(source, '2.0.0-rc.1', 'v2.0.0-rc.1');
  release(source, '2024', 'release-2024');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };

  // Without a ref: the newest release in semver order, not the prerelease, the other tag or v1.9.0 (string order).
  expect(runCli(['create', '--blueprint', `file://${source}`, path.join(work, 'newest')], { env }).code).toBe(0);
  expect(read(work, 'newest', 'web', 'hello.txt')).toBe('hello 1.10.0\n');

  expect(runCli(['create', '--blueprint', `${source}#v2.0.0-rc.1`, path.join(work, 'rc')], { env }).code).toBe(0);
  const repository = path.join(work, 'rc', 'web');
  let check = runCli(['check', '--json'], { cwd: repository, env });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ newest: 'v1.10.0', behind: false });
  expect(check.code).toBe(0);
  const update = runCli(['update'], { cwd: repository, env });
  expect(update.code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 2.0.0-rc.1\n');
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${source}#v2.0.0-rc.1`);

  // The release comes (a tag without the v): now it is behind, and update takes it.
  release(source, '2.0.0', '2.0.0');
  check = runCli(['check'], { cwd: repository, env });
  expect(check.stdout).toContain('behind: 2.0.0 is available');
  expect(check.code).toBe(1);
  expect(runCli(['update'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 2.0.0\n');

  // --to with a v finds a tag written without one, and the other way round.
  expect(runCli(['update', '--to', 'v2.0.0-rc.1'], { cwd: repository, env }).code).toBe(0);
  expect(runCli(['update', '--to', 'v2.0.0'], { cwd: repository, env }).code).toBe(0);
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${source}#2.0.0`);
  expect(runCli(['update', '--to', '1.10.0'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'hello.txt')).toBe('hello 1.10.0\n');
});

test('versions compare in semver order, prereleases included', () => {
  const sorted = ['v1.9.0', 'v1.10.0', '2.0.0-alpha', '2.0.0-alpha.1', '2.0.0-alpha.beta', 'v2.0.0-rc.2', 'v2.0.0-rc.10', '2.0.0', 'v2.0.1-0'];
  const shuffled = [...sorted].reverse();
  expect(shuffled.sort((a, b) => compareVersions(a, b)!)).toEqual(sorted);
  expect(compareVersions('v2.0.0-rc.1+build.5', '2.0.0-rc.1')).toBe(0);
});
