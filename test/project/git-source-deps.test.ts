import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * A blueprint kept in a git repository that imports packages its package.json declares: they are installed once
 * per commit into the cache beside the checkout (no install scripts, no devDependencies), offline here: the
 * dependencies are tarballs packed in the test, and the registry points nowhere.
 */
jest.setTimeout(180_000);

const OFFLINE = { npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true', npm_config_audit: 'false' };

/** Packs a tiny package `name` whose main exports `shout(text)` (with `suffix`) and returns its tarball. */
function packed(dir: string, name: string, suffix: string): string {
  const folder = path.join(dir, `${name}-src`);
  writeTree(folder, {
    'package.json': JSON.stringify({ name, version: '1.0.0', main: 'index.js', scripts: { install: 'touch INSTALL_SCRIPT_RAN' } }),
    'index.js': `exports.shout = text => text.toUpperCase() + ${JSON.stringify(suffix)};\n`,
  });
  const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: folder, encoding: 'utf8', env: { ...process.env, ...OFFLINE } }).trim();
  return path.join(dir, file);
}

/** A git repository holding a blueprint that writes `shout('hello')` of the dependency `shouter`, tagged v1. */
function blueprintRepository(dir: string, dependencies: Record<string, string>, devDependencies: Record<string, string> = {}): string {
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
const { shout } = require('shouter');
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', shout('hello') + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'shouting-blueprint', version: '1.0.0', dependencies: { bluesynth: '*', ...dependencies }, devDependencies }) });
  git(blueprint, 'init', '--quiet');
  commitAll(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  return blueprint;
}

function cli(args: string[], cwd: string, cache: string) {
  return runCli(args, { cwd, env: { BLUESYNTH_CACHE_DIR: cache, ...OFFLINE } });
}

/** The cache entries of the git sources' installs (the staging folders of runs included). */
function installs(cache: string): string[] {
  const git = path.join(cache, 'sources', 'git');
  if (!fs.existsSync(git)) return [];
  return fs.readdirSync(git).flatMap(home => {
    const dir = path.join(git, home, 'installs');
    return fs.existsSync(dir) ? fs.readdirSync(dir).map(entry => path.join(dir, entry)) : [];
  });
}

test('create and update install the dependencies a git source declares once per commit, without dev dependencies or install scripts', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const shouter = packed(dir, 'shouter', '!');
  const devOnly = packed(dir, 'dev-only', '?');
  const blueprint = blueprintRepository(dir, { shouter: `file:${shouter}` }, { 'dev-only': `file:${devOnly}` });

  const created = cli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], dir, cache);
  expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');
  const [entry] = installs(cache);
  expect(installs(cache)).toHaveLength(1);
  expect(fs.existsSync(path.join(entry, 'node_modules', 'shouter', 'index.js'))).toBe(true);
  expect(fs.existsSync(path.join(entry, 'node_modules', 'dev-only'))).toBe(false);
  expect(fs.existsSync(path.join(entry, 'node_modules', 'shouter', 'INSTALL_SCRIPT_RAN'))).toBe(false);
  // The checkout's files stay as committed: npm's lockfile is not added to them.
  expect(fs.existsSync(path.join(entry, 'package-lock.json'))).toBe(false);

  // Reused: the tarball is gone, and a second project still gets the dependency from the cache.
  fs.rmSync(shouter);
  const again = cli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'second')], dir, cache);
  expect({ code: again.code, output: again.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'second', 'app', 'hello.txt')).toBe('HELLO!\n');

  // A new version with a new dependency: update installs it for the new commit.
  const louder = packed(dir, 'shouter', '!!');
  writeTree(blueprint, { 'package.json': JSON.stringify({ name: 'shouting-blueprint', version: '2.0.0', dependencies: { shouter: `file:${louder}` } }) });
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  const updated = cli(['update', '--to', 'v2'], path.join(dir, 'project', 'app'), cache);
  expect({ code: updated.code, output: updated.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!!\n');
  const checked = cli(['check'], path.join(dir, 'project', 'app'), cache);
  expect({ code: checked.code, output: checked.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(installs(cache)).toHaveLength(2);
});

test('a HOME npm cannot keep its cache in (a CI job\'s read-only or unset HOME), with BLUESYNTH_CACHE_DIR set as README says: the dependencies install, npm\'s cache kept in bluesynth\'s', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const shouter = packed(dir, 'shouter', '!');
  const blueprint = blueprintRepository(dir, { shouter: `file:${shouter}` });
  // Even root cannot make ~/.npm below a file; the install failed with npm's advice to 'sudo chown' that folder.
  const home = path.join(dir, 'home-is-a-file');
  fs.writeFileSync(home, '');
  const created = runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], {
    cwd: dir,
    // No npm_config_cache: npx, which runs the tests, sets one.
    env: { HOME: home, BLUESYNTH_CACHE_DIR: cache, npm_config_cache: undefined, NPM_CONFIG_CACHE: undefined, ...OFFLINE },
  });
  expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');
  expect(fs.existsSync(path.join(cache, 'npm'))).toBe(true);
});

test('an empty HOME (a CI variable given from one that is not set): npm\'s cache is kept in bluesynth\'s, not in a .npm of the folder npm runs in', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = blueprintRepository(dir, { shouter: `file:${packed(dir, 'shouter', '!')}` });
  const created = runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], {
    cwd: dir,
    env: { HOME: '', BLUESYNTH_CACHE_DIR: cache, npm_config_cache: undefined, NPM_CONFIG_CACHE: undefined, ...OFFLINE },
  });
  expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');
  expect(fs.existsSync(path.join(cache, 'npm'))).toBe(true);
  const strays = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(entry => entry.name === '.npm' && entry.isDirectory());
  expect(strays.map(entry => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))).toEqual([]);
});

test('the peers and dev dependencies a git source\'s package.json names are not looked up: an SDK blueprint\'s, the SDK\'s CLI, never published under its old name', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = blueprintRepository(dir, { shouter: `file:${packed(dir, 'shouter', '!')}` });
  // As the SDK's blueprints of 2023 declared it: a peer the registry (here: none) does not have.
  const manifest = JSON.parse(fs.readFileSync(path.join(blueprint, 'package.json'), 'utf8'));
  const sdkCli = { '@caws-blueprint-util/blueprint-cli': '0.2.x' };
  writeTree(blueprint, { 'package.json': JSON.stringify({ ...manifest, peerDependencies: sdkCli, devDependencies: sdkCli }) });
  commitAll(blueprint, 'v1 with the SDK CLI as its peer');
  git(blueprint, 'tag', '-f', 'v1');
  const created = cli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], dir, cache);
  expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');
  const [entry] = installs(cache);
  expect(fs.existsSync(path.join(entry, 'node_modules', '@caws-blueprint-util'))).toBe(false);
  // The checkout's package.json stays as committed.
  expect(JSON.parse(fs.readFileSync(path.join(entry, 'package.json'), 'utf8'))).toMatchObject({ peerDependencies: sdkCli, devDependencies: sdkCli });
});

test('the sandbox runner reads the installed dependencies, in create and check; the cache runner bundles them', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = blueprintRepository(dir, { shouter: `file:${packed(dir, 'shouter', '!')}` });
  const created = cli(['create', '--runner', 'sandbox', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], dir, cache);
  expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');
  const checked = cli(['check', '--runner', 'sandbox'], path.join(dir, 'project', 'app'), cache);
  expect({ code: checked.code, output: checked.output }).toEqual({ code: 0, output: expect.any(String) });
  // And the cache runner bundles them.
  const cached = cli(['create', '--runner', 'cache', '--blueprint', `${blueprint}#v1`, path.join(dir, 'cached')], dir, cache);
  expect({ code: cached.code, output: cached.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'cached', 'app', 'hello.txt')).toBe('HELLO!\n');
});

test('a file: dependency on a folder is installed as a copy, not a link out of the cache, so the sandbox runs it', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  writeTree(path.join(dir, 'shouter'), {
    'package.json': JSON.stringify({ name: 'shouter', version: '1.0.0', main: 'index.js' }),
    'index.js': 'exports.shout = text => text.toUpperCase();\n',
  });
  const blueprint = blueprintRepository(dir, { shouter: `file:${path.join(dir, 'shouter')}` });
  const created = cli(['create', '--runner', 'sandbox', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], dir, cache);
  expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO\n');
  const [entry] = installs(cache);
  expect(fs.lstatSync(path.join(entry, 'node_modules', 'shouter')).isDirectory()).toBe(true);
});

test('a dependency npm cannot install is an input error naming the source, its commit and npm, and nothing is made', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = blueprintRepository(dir, { shouter: `file:${path.join(dir, 'missing.tgz')}` });
  const commit = git(blueprint, 'rev-parse', 'HEAD');
  const created = cli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], dir, cache);
  expect(created.code).toBe(2);
  expect(created.stderr).toContain(`blueprint source '${blueprint}#v1 (commit ${commit})': npm install of its dependencies failed`);
  expect(created.stderr).toMatch(/missing\.tgz|ENOENT/);
  expect(fs.existsSync(path.join(dir, 'project'))).toBe(false);
  expect(installs(cache)).toEqual([]);

  // An update to such a version changes nothing in the repository either.
  const good = blueprintRepository(path.join(dir, 'good'), { shouter: `file:${packed(dir, 'shouter', '!')}` });
  expect(cli(['create', '--blueprint', `${good}#v1`, path.join(dir, 'project')], dir, cache).code).toBe(0);
  writeTree(good, { 'package.json': JSON.stringify({ name: 'shouting-blueprint', version: '2.0.0', dependencies: { shouter: `file:${path.join(dir, 'missing.tgz')}` } }) });
  const v2 = commitAll(good, 'v2');
  git(good, 'tag', 'v2');
  const app = path.join(dir, 'project', 'app');
  const head = git(app, 'rev-parse', 'HEAD');
  const updated = cli(['update', '--to', 'v2'], app, cache);
  expect(updated.code).toBe(2);
  expect(updated.stderr).toContain(`blueprint source '${good}#v2 (commit ${v2})': npm install of its dependencies failed`);
  expect({ head: git(app, 'rev-parse', 'HEAD'), status: git(app, 'status', '--porcelain') }).toEqual({ head, status: '' });
});

test('a lockfile is installed with npm ci: the locked tree installs, and a lockfile out of step with package.json fails', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = blueprintRepository(dir, { shouter: `file:${packed(dir, 'shouter', '!')}` });
  // bluesynth left out: npm could not lock it offline (a lockfile made online locks it, and npm ci installs it unused).
  const manifest = JSON.parse(read(blueprint, 'package.json'));
  delete manifest.dependencies.bluesynth;
  writeTree(blueprint, { 'package.json': JSON.stringify(manifest) });
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts'], { cwd: blueprint, env: { ...process.env, ...OFFLINE }, stdio: 'ignore' });
  commitAll(blueprint, 'lock');
  const locked = cli(['create', '--blueprint', `${blueprint}#HEAD`, path.join(dir, 'project')], dir, cache);
  expect({ code: locked.code, output: locked.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');

  writeTree(blueprint, { 'package-lock.json': JSON.stringify({ name: 'shouting-blueprint', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'shouting-blueprint', version: '1.0.0' } } }) });
  commitAll(blueprint, 'stale lock');
  const stale = cli(['create', '--blueprint', `${blueprint}#HEAD`, path.join(dir, 'stale')], dir, cache);
  expect(stale.code).toBe(2);
  expect(stale.stderr).toContain('npm ci of its dependencies failed');
  expect(fs.existsSync(path.join(dir, 'stale'))).toBe(false);
});

test('what a killed install left is removed by the next run', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = blueprintRepository(dir, { shouter: `file:${packed(dir, 'shouter', '!')}` });
  const commit = git(blueprint, 'rev-parse', 'v1');
  const home = path.join(cache, 'sources', 'git', crypto.createHash('sha256').update(blueprint).digest('hex').slice(0, 20));
  // A staging folder named after a process that is gone (no process has id 2^22 + 1 on Linux).
  const left = path.join(home, 'installs', `.${commit}.staging-4194305-1-abc123`);
  writeTree(left, { 'node_modules/shouter/index.js': 'half' });
  const created = cli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, 'project')], dir, cache);
  expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'project', 'app', 'hello.txt')).toBe('HELLO!\n');
  expect(installs(cache)).toEqual([path.join(home, 'installs', commit)]);
});

test('a blueprint that declares no dependencies but bluesynth runs from its checkout, with no install', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', 'hello\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'plain', version: '1.0.0', dependencies: { bluesynth: '*' } }) });
  git(blueprint, 'init', '--quiet');
  commitAll(blueprint, 'v1');
  const created = cli(['create', '--blueprint', `${blueprint}#HEAD`, path.join(dir, 'project')], dir, cache);
  expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
  expect(installs(cache)).toEqual([]);
});

test('a fleet update installs a new version\'s dependencies once, for every repository at once, into a cache none had', () => {
  const dir = tempDir();
  const blueprint = blueprintRepository(dir, { shouter: `file:${packed(dir, 'shouter', '!')}` });
  const remotes = ['one', 'two', 'three'].map(name => {
    const created = cli(['create', '--blueprint', `${blueprint}#v1`, path.join(dir, name)], dir, path.join(dir, 'cache-create'));
    expect({ code: created.code, output: created.output }).toEqual({ code: 0, output: expect.any(String) });
    git(dir, 'clone', '--quiet', '--bare', path.join(dir, name, 'app'), path.join(dir, 'remotes', `${name}.git`));
    return `remotes/${name}.git`;
  });
  fs.writeFileSync(path.join(dir, 'repos.txt'), remotes.join('\n') + '\n');
  writeTree(blueprint, { 'package.json': JSON.stringify({ name: 'shouting-blueprint', version: '2.0.0', dependencies: { shouter: `file:${packed(dir, 'shouter', '!!')}` } }) });
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');

  const cache = path.join(dir, 'cache-fleet');
  const fleet = cli(['fleet', 'update', '--repos', 'repos.txt', '--to', 'v2', '--jobs', '3', '--push', '--json'], dir, cache);
  expect({ code: fleet.code, stderr: fleet.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  for (const row of JSON.parse(fleet.stdout).repositories) {
    expect(row.state).toBe('updated');
    expect(git(path.join(dir, 'remotes', `${row.name}.git`), 'show', `${row.branch}:hello.txt`)).toBe('HELLO!!');
  }
  // One install of v2, and nothing a run staged is left beside it.
  expect(installs(cache).map(entry => path.basename(entry))).toEqual([git(blueprint, 'rev-parse', 'v2')]);
});
