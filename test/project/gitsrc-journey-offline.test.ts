import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git, read, twoReleaseBlueprint } from './git-fixtures';

/**
 * The blueprint's remote moved away after the project's last fetch. A version the cached mirror has still resolves
 * offline; one it lacks was said not to exist "in the blueprint repository", which nobody could ask: the repository
 * may well have it. The message now says only the cache was asked, why the fetch failed, and the way on.
 */
jest.setTimeout(120_000);

test('an unreachable remote: a cached version resolves offline, a missing one names the cache, the URL and the way on', () => {
  const work = tempDir('bluesynth-gitsrc-journey-offline-');
  const source = twoReleaseBlueprint(work);
  const remote = path.join(work, 'remote.git');
  git(work, 'clone', '--quiet', '--bare', source, remote);
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', `${remote}#v1.9.0`, path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  const head = git(repository, 'rev-parse', 'HEAD');

  const moved = path.join(work, 'moved.git');
  fs.renameSync(remote, moved);
  const missing = runCli(['update', '--to', 'v1.11.0'], { cwd: repository, env });
  expect(missing.stderr).toContain(`--to v1.11.0: version 'v1.11.0' does not exist in the cached mirror of the blueprint repository ${remote}, which cannot be fetched now (fatal: `);
  expect(missing.stderr).toContain("if it moved, 'blueprint update --blueprint NEW_URL#VERSION' takes it from there) (tags: v1.9.0, v1.10.0)");
  expect(missing.code).toBe(2);
  expect(git(repository, 'rev-parse', 'HEAD')).toBe(head);

  const offline = runCli(['update', '--to', 'v1.10.0'], { cwd: repository, env });
  expect(offline.output).toContain(`source: cannot fetch '${remote}'`);
  expect(offline.code).toBe(0);
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0]).toMatchObject({ source: `${remote}#v1.10.0`, sourceRevision: git(source, 'rev-parse', 'v1.10.0') });

  git(moved, 'tag', 'v1.11.0', 'v1.10.0');
  const there = runCli(['update', '--blueprint', `${moved}#v1.11.0`], { cwd: repository, env });
  expect(there.code).toBe(0);
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${moved}#v1.11.0`);
});

test('check with the remote gone: not behind as far as the cached mirror says is unknown, in the text and in --json (exit 2); behind in it is behind (exit 1)', () => {
  const work = tempDir('bluesynth-gitsrc-journey-offline-');
  const source = twoReleaseBlueprint(work);
  const remote = path.join(work, 'remote.git');
  git(work, 'clone', '--quiet', '--bare', source, remote);
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  for (const version of ['v1.10.0', 'v1.9.0']) expect(runCli(['create', '--blueprint', `${remote}#${version}`, path.join(work, version)], { env }).code).toBe(0);
  fs.rmSync(remote, { recursive: true });

  const newest = path.join(work, 'v1.10.0', 'web');
  const text = runCli(['check', '--no-reproduce'], { cwd: newest, env });
  expect(text.stdout).toContain('version       unknown: the source cannot be asked (see the note); its cached copy has nothing newer (newest v1.10.0)\n');
  expect(text.stdout).not.toContain('up to date');
  expect(text.code).toBe(2);
  const json = runCli(['check', '--no-reproduce', '--json'], { cwd: newest, env });
  expect(JSON.parse(json.stdout).instantiations[0]).toMatchObject({ newest: 'v1.10.0', behind: false, behindUnknown: expect.stringContaining(`source: cannot fetch '${remote}'`) });
  expect(json.code).toBe(2);

  // What the cache holds is newer: behind, whatever else the remote has.
  const older = runCli(['check', '--no-reproduce', '--json'], { cwd: path.join(work, 'v1.9.0', 'web'), env });
  expect(JSON.parse(older.stdout).instantiations[0]).toMatchObject({ newest: 'v1.10.0', behind: true });
  expect(JSON.parse(older.stdout).instantiations[0]).not.toHaveProperty('behindUnknown');
  expect(older.code).toBe(1);
});
