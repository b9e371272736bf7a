import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runCli, runScriptsAtOnce, tempDir } from '../util';
import { startCli } from '../runner/process-util';
import { greetingBlueprint } from './git-fixtures';

/**
 * Blueprints from npm package specs: installs into a shared cache folder from several processes at once, a killed
 * install, the registry's three ways of not having a version, an unreachable registry, and the range a project
 * follows. The packages are packed with `npm pack` and served by a registry on 127.0.0.1 (`npm-registry.js`);
 * `http://127.0.0.1:9/` stands for a registry that does not answer.
 */
jest.setTimeout(300_000);

const NAME = '@acme/tiny-blueprint';
const ENTRY = '@acme+tiny-blueprint';
const OFFLINE = 'http://127.0.0.1:9/';
const work = tempDir('bluesynth-npm-source-');

/** Packs the blueprint at `version` (its hello.txt says which) and returns the tarball. */
function pack(version: string): string {
  const dir = greetingBlueprint(path.join(work, `pkg-${version}`), 'tiny', [`v${version.replace(/\./g, '-')}.txt`]);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: NAME, version, files: ['src'] }));
  const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
  return path.join(work, file);
}

const tarballs = ['0.4.9', '0.4.22', '1.0.0'].map(pack);
let registry: ChildProcess;
let registryUrl: string;

beforeAll(async () => {
  registry = spawn(process.execPath, [path.join(__dirname, 'npm-registry.js'), ...tarballs, `--tag=${NAME}@next=0.4.9`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>(resolve => registry.stdout!.once('data', chunk => resolve(String(chunk).trim())));
  registryUrl = `http://127.0.0.1:${port}/`;
});
afterAll(() => registry.kill());

/** The CLI with its own cache folder, asking `registryAt` (the test registry unless said otherwise). */
function cli(args: string[], cwd: string, cache: string, registryAt = registryUrl) {
  return runCli(args, { cwd, env: { BLUESYNTH_CACHE_DIR: cache, npm_config_registry: registryAt } });
}

function record(repo: string): any {
  return JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'))[0];
}

test('processes installing the same package into an empty cache at once all run from one complete install, which none of them removes', async () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const count = 3;
  // Each resolves the source, marks the install it got, and waits until every other one has resolved too before
  // looking again: an install replaced by a later one (the mark gone, or the folder) fails that process.
  const script = `const fs = require('fs'), path = require('path');
const { blueprintSource } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'sources'))});
const [spec, done, count] = process.argv.slice(1);
const resolved = blueprintSource(spec, process.cwd()).resolve(undefined);
const mark = path.join(resolved.blueprintDir, '.used-by-' + process.pid);
fs.writeFileSync(mark, '');
fs.writeFileSync(path.join(done, String(process.pid)), '');
const until = Date.now() + 120000;
while (fs.readdirSync(done).length < Number(count) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
const lost = [mark, path.join(resolved.blueprintDir, 'package.json'), path.join(resolved.blueprintDir, 'src', 'index.ts')].filter(f => !fs.existsSync(f));
process.stdout.write(JSON.stringify({ dir: resolved.blueprintDir, lost }));`;
  const done = path.join(dir, 'done');
  fs.mkdirSync(done);
  const runs = await runScriptsAtOnce(count, script, [`npm:${tarballs[1]}`, done, String(count)], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
  for (const run of runs) expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
  const results = runs.map(run => JSON.parse(run.stdout));
  expect(new Set(results.map(r => r.dir)).size).toBe(1);
  for (const result of results) expect(result.lost).toEqual([]);
  // One entry, no staging folder left beside it.
  expect(fs.readdirSync(path.join(cache, 'packages'))).toEqual([path.basename(path.resolve(results[0].dir, '..', '..', '..'))]);
});

test('a create whose options schema cannot be read says that no @defaultEntropy was applied', () => {
  const dir = tempDir();
  const blueprint = greetingBlueprint(path.join(dir, 'blueprint'), 'plain');
  // The same blueprint, with no Options exported: nothing can say which options want entropy.
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), fs.readFileSync(path.join(blueprint, 'src', 'index.ts'), 'utf8').replace('export interface Options', 'interface Options'));
  const created = cli(['create', '--blueprint', blueprint, path.join(dir, 'project')], dir, path.join(dir, 'cache'));
  expect(created.code).toBe(0);
  expect(created.stderr).toMatch(/warning: no @defaultEntropy applied to the defaults: the blueprint's options schema cannot be read \(.*src\/index\.ts: exports no 'Options' interface or type\)/);
});

test('a killed install leaves a staging folder that is never a version, and the next install of any version removes it', async () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const packages = path.join(cache, 'packages');
  const { child, exited } = startCli(['create', '--blueprint', `npm:${NAME}@0.4.22`, path.join(dir, 'killed')], {
    cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache, npm_config_registry: registryUrl }, group: true,
  });
  // Killed (with npm, its process group) while npm installs into the staging folder.
  const until = Date.now() + 60_000;
  while (!(fs.existsSync(packages) && fs.readdirSync(packages).some(entry => entry.includes('.staging-'))) && Date.now() < until) await new Promise(r => setTimeout(r, 10));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  const left = fs.readdirSync(packages);
  expect(left.filter(entry => entry.includes('.staging-'))).toHaveLength(1);
  expect(left.filter(entry => !entry.includes('.staging-'))).toEqual([]);

  // Offline, the staging folder is not a version: the cache has none.
  const offline = cli(['create', '--blueprint', `npm:${NAME}`, path.join(dir, 'offline')], dir, cache, OFFLINE);
  expect(offline.code).toBe(2);
  expect(offline.stderr).toContain(`blueprint source 'npm:${NAME}': the registry (${OFFLINE}) did not answer for '${NAME}' (ECONNREFUSED), and the package is not in the cache`);

  // The next install, of any version, removes it.
  const created = cli(['create', '--blueprint', `npm:${NAME}@0.4.9`, path.join(dir, 'project')], dir, cache);
  expect(created.code).toBe(0);
  expect(fs.readdirSync(packages)).toEqual([`${ENTRY}@0.4.9`]);
});

describe('versions from the registry and from the cache', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');

  test('a missing package, a missing version and a registry that does not answer each say so, with no version the user did not type', () => {
    const misspelt = cli(['create', '--blueprint', '@acme/tiny-blueprintt', path.join(dir, 'p1')], dir, cache);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain(`blueprint create: blueprint source 'npm:@acme/tiny-blueprintt': no package '@acme/tiny-blueprintt' on the registry (${registryUrl})`);
    const version = cli(['create', '--blueprint', `${NAME}@0.4.99`, path.join(dir, 'p2')], dir, cache);
    expect(version.code).toBe(2);
    expect(version.stderr).toContain(`blueprint source 'npm:${NAME}@0.4.99': the package has no version matching '0.4.99'; it has: 0.4.9, 0.4.22, 1.0.0; its dist-tags: latest (1.0.0), next (0.4.9)`);
    const started = Date.now();
    const offline = cli(['create', '--blueprint', `${NAME}@^0.4`, path.join(dir, 'p3')], dir, cache, OFFLINE);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain(`blueprint source 'npm:${NAME}@^0.4': the registry (${OFFLINE}) did not answer for '${NAME}' (ECONNREFUSED), and the package is not in the cache`);
    // No retries: npm's defaults spend over a minute on them.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(fs.existsSync(path.join(dir, 'p1')) || fs.existsSync(path.join(dir, 'p2')) || fs.existsSync(path.join(dir, 'p3'))).toBe(false);
  });

  test('offline, the cached versions count in semver order and an update never goes below the recorded version', () => {
    const older = cli(['create', '--blueprint', `npm:${NAME}@0.4.9`, path.join(dir, 'older')], dir, cache);
    expect(older.code).toBe(0);
    const created = cli(['create', '--blueprint', `npm:${NAME}@0.4.22`, path.join(dir, 'project')], dir, cache);
    expect(created.code).toBe(0);
    const repo = path.join(dir, 'project', 'tiny');
    expect(record(repo)).toMatchObject({ versionId: '0.4.22', source: `npm:${NAME}@0.4.22` });

    const started = Date.now();
    const check = cli(['check'], repo, cache, OFFLINE);
    expect(check.stdout).toContain('unknown: the source cannot be asked (see the note); its cached copy has nothing newer (newest 0.4.22)');
    expect(check.stdout).toContain(`source: the registry (${OFFLINE}) did not answer for '${NAME}' (ECONNREFUSED): the cached versions answered`);
    expect(check.code).toBe(2);
    const json = cli(['check', '--json'], repo, cache, OFFLINE);
    expect(JSON.parse(json.stdout).instantiations[0]).toMatchObject({ newest: '0.4.22', behind: false, behindUnknown: expect.stringContaining('did not answer') });
    expect(json.code).toBe(2);
    const update = cli(['update', '--dry-run'], repo, cache, OFFLINE);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`dry run: ${NAME}@0.4.22 again; nothing written`);
    expect(update.stdout).not.toContain('downgrade');
    // The same note as check's: the answer came from the cache.
    expect(update.stdout).toContain(`warning: source: the registry (${OFFLINE}) did not answer for '${NAME}' (ECONNREFUSED): the cached versions answered`);
    expect(Date.now() - started).toBeLessThan(40_000);

    // A cache that holds only an older version (another machine's, a CI runner's): no downgrade to it either.
    const otherCache = path.join(dir, 'other-cache');
    expect(cli(['create', '--blueprint', `npm:${NAME}@0.4.9`, path.join(dir, 'other')], dir, otherCache).code).toBe(0);
    const head = fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8');
    const refused = cli(['update'], repo, otherCache, OFFLINE);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`blueprint source 'npm:${NAME}@0.4.22': the registry (${OFFLINE}) did not answer for '${NAME}' (ECONNREFUSED), and no cached version matches (cached: 0.4.9)`);
    expect(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8')).toBe(head);
  });

  test('the range a project was created with is recorded and followed; --to a version outside it leaves it', () => {
    const created = cli(['create', '--blueprint', `npm:${NAME}@^0.4`, path.join(dir, 'ranged')], dir, cache);
    expect(created.code).toBe(0);
    const repo = path.join(dir, 'ranged', 'tiny');
    expect(record(repo)).toMatchObject({ versionId: '0.4.22', source: `npm:${NAME}@^0.4`, sourceRevision: '0.4.22' });
    // 1.0.0 is the registry's latest, but not within ^0.4.
    const check = cli(['check'], repo, cache);
    expect(check.stdout).toContain('up to date (newest 0.4.22)');
    expect(check.code).toBe(0);
    const update = cli(['update', '--dry-run'], repo, cache);
    expect(update.stdout).toContain(`dry run: ${NAME}@0.4.22 again; nothing written`);
    // A version within the range keeps it: the next update goes back to the newest within it.
    const within = cli(['update', '--to', '0.4.9'], repo, cache);
    expect(within.code).toBe(0);
    expect(record(repo)).toMatchObject({ versionId: '0.4.9', source: `npm:${NAME}@^0.4` });
    const behind = cli(['check'], repo, cache);
    expect(behind.stdout).toContain('behind: 0.4.22 is available');
    const moved = cli(['update', '--to', '1.0.0'], repo, cache);
    expect(moved.code).toBe(0);
    expect(record(repo)).toMatchObject({ versionId: '1.0.0', source: `npm:${NAME}@1.0.0` });
    expect(fs.existsSync(path.join(repo, 'v1-0-0.txt'))).toBe(true);
  });

  test('a version unpublished (or latest moved back) is no update to an older one: check says why, update asks for --to', async () => {
    const created = cli(['create', '--blueprint', `npm:${NAME}@1.0.0`, path.join(dir, 'withdrawn')], dir, cache);
    expect(created.code).toBe(0);
    const repo = path.join(dir, 'withdrawn', 'tiny');
    // The same package without 1.0.0: its latest is 0.4.22 now.
    const older = spawn(process.execPath, [path.join(__dirname, 'npm-registry.js'), tarballs[0], tarballs[1]], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<string>(resolve => older.stdout!.once('data', chunk => resolve(String(chunk).trim())));
      const withdrawn = `http://127.0.0.1:${port}/`;
      const check = cli(['check'], repo, cache, withdrawn);
      expect(check.code).toBe(0);
      expect(check.stdout).toContain(`source: the registry's newest version of ${NAME}, 0.4.22, is older than the recorded 1.0.0 (unpublished, or its 'latest' tag moved back?)`);
      const head = fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8');
      const update = cli(['update'], repo, cache, withdrawn);
      expect(update.code).toBe(2);
      expect(update.stderr).toContain(`is older than the recorded 1.0.0 (unpublished, or its 'latest' tag moved back?): 'blueprint update --to 0.4.22' goes back to it`);
      expect(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8')).toBe(head);
      // Asked for, the older version is taken, as a downgrade said by name.
      const back = cli(['update', '--to', '0.4.22'], repo, cache, withdrawn);
      expect(back.code).toBe(0);
      expect(back.stdout).toContain('0.4.22 is older than the recorded 1.0.0: this update is a downgrade');
      expect(record(repo)).toMatchObject({ versionId: '0.4.22' });
    } finally {
      older.kill();
    }
  });

  test('a dist-tag a project was created with is recorded and followed', () => {
    const created = cli(['create', '--blueprint', `${NAME}@next`, path.join(dir, 'tagged')], dir, cache);
    expect(created.code).toBe(0);
    const repo = path.join(dir, 'tagged', 'tiny');
    expect(record(repo)).toMatchObject({ versionId: '0.4.9', source: `npm:${NAME}@next` });
    const check = cli(['check'], repo, cache);
    expect(check.stdout).toContain('up to date (newest 0.4.9)');
    expect(check.code).toBe(0);
  });
});

test('a project made from a tarball: check says how a newer version is taken, --to names the way, and update --blueprint a newer tarball takes it', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  expect(cli(['create', '--blueprint', tarballs[1], path.join(dir, 'project')], dir, cache).code).toBe(0);
  const repo = path.join(dir, 'project', 'tiny');
  const check = cli(['check'], repo, cache);
  expect(check.code).toBe(0);
  expect(check.stdout).toContain("version       the tarball holds 0.4.22 only; a newer version is another tarball, which 'blueprint update --blueprint FILE' takes\n");
  const to = cli(['update', '--to', '1.0.0'], repo, cache);
  expect(to.code).toBe(2);
  expect(to.stderr).toContain("is a tarball, which has one version (0.4.22): version 1.0.0 is another tarball, which 'blueprint update --blueprint FILE' takes");
  // The package is named too, for the version a registry publishes (the SDK's blueprints are on npm's).
  expect(to.stderr).toContain(`(or, from a registry that has it, 'blueprint update --blueprint npm:${NAME}@1.0.0')`);
  // The way the messages name.
  expect(cli(['update', '--blueprint', tarballs[2]], repo, cache).code).toBe(0);
  expect(record(repo)).toMatchObject({ versionId: '1.0.0', source: `npm:${tarballs[2]}` });
  expect(fs.existsSync(path.join(repo, 'v1-0-0.txt'))).toBe(true);
});

test('a package that declares bluesynth as a dependency and a peer (unpublished, or another version) installs and runs with the CLI\'s own, under fast and sandbox', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = greetingBlueprint(path.join(dir, 'declares-bluesynth'), 'declares');
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({
    name: '@acme/declares-bluesynth', version: '1.0.0', files: ['src'], dependencies: { bluesynth: '^99.0.0' }, peerDependencies: { bluesynth: '^99.0.0' },
  }));
  const tarball = path.join(dir, execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: blueprint, encoding: 'utf8' }).trim().split('\n').pop()!);
  for (const runner of ['fast', 'sandbox']) {
    const created = cli(['create', '--runner', runner, '--blueprint', tarball, path.join(dir, runner)], dir, cache, OFFLINE);
    expect({ runner, code: created.code, stderr: created.stderr }).toEqual({ runner, code: 0, stderr: expect.any(String) });
    expect(fs.readFileSync(path.join(dir, runner, 'declares', 'hello.txt'), 'utf8')).toBe('hello\n');
  }
});
