import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { greetingBlueprint } from './git-fixtures';

/**
 * A platform team's blueprints on npm, as its projects use them: npm's `file:` specs, prereleases beside releases in
 * the cache when the registry does not answer, and a private registry for the team's scope, set with a token in the
 * project's `.npmrc`. The packages are packed with `npm pack` and served on 127.0.0.1 (`npm-registry.js`), the
 * private one only to requests that carry its token; `http://127.0.0.1:9/` stands for a registry that does not answer.
 */
jest.setTimeout(300_000);

const NAME = '@myorg/tiny-blueprint';
const OFFLINE = 'http://127.0.0.1:9/';
const TOKEN = 'npm-journey-SECRET-7f3a';
const work = tempDir('bluesynth-npm-journey-');

/** Packs the blueprint at `version` (it writes `v<version>.txt`) and returns the package folder and the tarball. */
function pack(version: string): { dir: string; tarball: string } {
  const dir = greetingBlueprint(path.join(work, `pkg-${version}`), 'tiny', [`v${version.replace(/\./g, '-')}.txt`]);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: NAME, version, files: ['src'] }));
  const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
  return { dir, tarball: path.join(work, file) };
}

const packages = ['1.0.0', '1.1.0-beta.1'].map(pack);
let registry: ChildProcess;
let registryUrl: string;

beforeAll(async () => {
  registry = spawn(process.execPath, [path.join(__dirname, 'npm-registry.js'), ...packages.map(p => p.tarball), `--tag=${NAME}@latest=1.0.0`, `--tag=${NAME}@beta=1.1.0-beta.1`, `--token=${TOKEN}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>(resolve => registry.stdout!.once('data', chunk => resolve(String(chunk).trim())));
  registryUrl = `http://127.0.0.1:${port}/`;
});
afterAll(() => registry.kill());

/**
 * The CLI in `cwd` with its own cache folder and no user `.npmrc`: the default registry is one that does not
 * answer, so only a scoped registry in the project's `.npmrc` reaches the test registry.
 */
function cli(args: string[], cwd: string, cache: string) {
  return runCli(args, { cwd, env: { BLUESYNTH_CACHE_DIR: cache, npm_config_registry: OFFLINE, npm_config_userconfig: path.join(work, 'no-user-npmrc') } });
}

/** Writes the project `.npmrc` naming `registry` for the `@myorg` scope, with the token. */
function projectNpmrc(dir: string, registry: string): void {
  const host = registry.replace(/^https?:/, '');
  fs.writeFileSync(path.join(dir, '.npmrc'), `@myorg:registry=${registry}\n${host}:_authToken=${TOKEN}\n`);
}

function record(repo: string): any {
  return JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'))[0];
}

/** Every file below `dir` whose content holds `text`. */
function filesHolding(dir: string, text: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.join(entry.parentPath ?? (entry as any).path, entry.name))
    .filter(file => fs.readFileSync(file, 'latin1').includes(text));
}

test("npm's file: specs name a tarball and a package folder, as their bare paths do", () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  fs.copyFileSync(packages[0].tarball, path.join(dir, 'tiny-1.0.0.tgz'));
  const tarball = cli(['create', '--blueprint', 'file:./tiny-1.0.0.tgz', 'from-tarball'], dir, cache);
  expect({ code: tarball.code, err: tarball.stderr }).toMatchObject({ code: 0 });
  expect(record(path.join(dir, 'from-tarball', 'tiny'))).toMatchObject({ versionId: '1.0.0', source: `npm:${path.join(dir, 'tiny-1.0.0.tgz')}` });
  const folder = cli(['create', '--blueprint', `npm:file:${packages[0].dir}`, 'from-folder'], dir, cache);
  expect({ code: folder.code, err: folder.stderr }).toMatchObject({ code: 0 });
  expect(fs.existsSync(path.join(dir, 'from-folder', 'tiny', 'v1-0-0.txt'))).toBe(true);
  // A file: path that names nothing says so with the path, not a file called 'file:...'.
  const missing = cli(['create', '--blueprint', 'file:./tiny-9.9.9.tgz', 'missing'], dir, cache);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain(`blueprint source '${path.join(dir, 'tiny-9.9.9.tgz')}': no such tarball`);
});

describe("a private registry for the team's scope, in the project's .npmrc with a token", () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  beforeAll(() => projectNpmrc(dir, registryUrl));

  test('create installs from it; the token is in no record, output or cache file', () => {
    const created = cli(['create', '--blueprint', `${NAME}@1.0.0`, 'project'], dir, cache);
    expect({ code: created.code, err: created.stderr }).toMatchObject({ code: 0 });
    expect(record(path.join(dir, 'project', 'tiny'))).toMatchObject({ versionId: '1.0.0', source: `npm:${NAME}@1.0.0` });
    expect(created.output).not.toContain(TOKEN);
    expect(filesHolding(path.join(dir, 'project'), TOKEN)).toEqual([]);
    expect(filesHolding(cache, TOKEN)).toEqual([]);
    // The install's link to the .npmrc is not left in the cache entry either.
    expect(fs.readdirSync(path.join(cache, 'packages', `${NAME.replace('/', '+')}@1.0.0`))).not.toContain('.npmrc');
  });

  test("a package or a registry it lacks is named with the scope's registry, which was asked, not the default one", () => {
    const unknown = cli(['create', '--blueprint', '@myorg/no-such-blueprint', 'p1'], dir, cache);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no package '@myorg/no-such-blueprint' on the registry (${registryUrl})`);
    const dead = tempDir();
    projectNpmrc(dead, 'http://127.0.0.1:9/myorg/');
    const offline = cli(['create', '--blueprint', `${NAME}@^2`, 'p2'], dead, cache);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain(`blueprint source 'npm:${NAME}@^2': the registry (http://127.0.0.1:9/myorg/) did not answer for '${NAME}' (ECONNREFUSED), and `);
    expect(offline.output).not.toContain(TOKEN);
  });

  test('without its token, the registry is said to refuse, with the way to a token, not to be unreachable', () => {
    const tokenless = tempDir();
    fs.writeFileSync(path.join(tokenless, '.npmrc'), `@myorg:registry=${registryUrl}\n`);
    const refused = cli(['create', '--blueprint', `${NAME}@^1`, 'p'], tokenless, path.join(tokenless, 'cache'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`blueprint source 'npm:${NAME}@^1': the registry (${registryUrl}) refused to answer for '${NAME}' (E401: no token it accepts; \`npm login --registry ${registryUrl}\``);
    expect(fs.existsSync(path.join(tokenless, 'p'))).toBe(false);
  });

  test('offline, a prerelease in the cache is not the newest version of a project that follows latest', () => {
    // The beta was installed once on purpose (another project asked for the tag); the project is on 1.0.0.
    expect(cli(['create', '--blueprint', `${NAME}@1.0.0`, 'follower'], dir, cache).code).toBe(0);
    expect(cli(['create', '--blueprint', `${NAME}@beta`, 'beta'], dir, cache).code).toBe(0);
    const repo = path.join(dir, 'follower', 'tiny');
    projectNpmrc(repo, 'http://127.0.0.1:9/');
    const check = cli(['check'], repo, cache);
    expect(check.stdout).toContain('unknown: the source cannot be asked (see the note); its cached copy has nothing newer (newest 1.0.0)');
    expect(check.stdout).toContain("did not answer for '@myorg/tiny-blueprint' (ECONNREFUSED): the cached versions answered");
    // Up to date as far as the cache can say, which is no answer: undetermined (README, check).
    expect(check.code).toBe(2);
    const update = cli(['update', '--dry-run'], repo, cache);
    expect(update.stdout).toContain(`dry run: ${NAME}@1.0.0 again; nothing written`);
    // Asked for by name, the cached prerelease is taken offline.
    const asked = cli(['update', '--dry-run', '--to', '1.1.0-beta.1'], repo, cache);
    expect(asked.stdout).toContain(`dry run: ${NAME}@1.0.0 -> ${NAME}@1.1.0-beta.1; nothing written`);
  });

  test("a tarball's URL is downloaded with the .npmrc's token, installed and recorded, not cloned as a git repository", () => {
    const url = `${registryUrl}${NAME}/-/${NAME.replace('/', '-')}-1.0.0.tgz`;
    const created = cli(['create', '--blueprint', url, 'from-url'], dir, cache);
    expect({ code: created.code, err: created.stderr }).toMatchObject({ code: 0 });
    const repo = path.join(dir, 'from-url', 'tiny');
    expect(record(repo)).toMatchObject({ versionId: '1.0.0', source: `npm:${url}` });
    expect(fs.existsSync(path.join(repo, 'v1-0-0.txt'))).toBe(true);
    expect(created.output).not.toContain(TOKEN);
    const missing = cli(['create', '--blueprint', url.replace('1.0.0', '9.9.9'), 'missing'], dir, cache);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`blueprint source '${url.replace('1.0.0', '9.9.9')}': cannot download the tarball: `);
    expect(missing.stderr).not.toContain('clone');
  });

  test('a project moved to a prerelease ahead of latest stays on it: check says up to date, update goes nowhere, --to latest is a downgrade', () => {
    const created = cli(['create', '--blueprint', `${NAME}@1.1.0-beta.1`, 'early'], dir, cache);
    expect({ code: created.code, err: created.stderr }).toMatchObject({ code: 0 });
    const repo = path.join(dir, 'early', 'tiny');
    // npm's project folder is the repository now (it has no package.json above it): the .npmrc goes there.
    projectNpmrc(repo, registryUrl);
    const check = cli(['check'], repo, cache);
    expect(check.stdout).toContain('up to date (newest 1.0.0)');
    expect(check.code).toBe(0);
    const update = cli(['update', '--dry-run'], repo, cache);
    expect(update.stdout).toContain(`dry run: ${NAME}@1.1.0-beta.1 again; nothing written`);
    const back = cli(['update', '--dry-run', '--to', 'latest'], repo, cache);
    expect(back.stdout).toContain(`dry run: ${NAME}@1.1.0-beta.1 -> ${NAME}@1.0.0; nothing written`);
    expect(back.stdout).toContain('warning: 1.0.0 is older than the recorded 1.1.0-beta.1: this update is a downgrade');
  });

  test('offline, a create from a range or from latest takes the newest cached release and says the cache answered', () => {
    expect(cli(['create', '--blueprint', `${NAME}@1.0.0`, 'online'], dir, cache).code).toBe(0);
    expect(cli(['create', '--blueprint', `${NAME}@beta`, 'online-beta'], dir, cache).code).toBe(0);
    const offline = tempDir();
    projectNpmrc(offline, 'http://127.0.0.1:9/');
    for (const spec of [NAME, `${NAME}@^1`]) {
      const created = cli(['create', '--blueprint', spec, spec === NAME ? 'latest' : 'ranged'], offline, cache);
      expect({ code: created.code, err: created.stderr }).toMatchObject({ code: 0 });
      expect(created.stdout).toContain(`created from ${NAME}@1.0.0`);
      expect(created.stderr).toContain(`warning: source: the registry (http://127.0.0.1:9/) did not answer for '${NAME}' (ECONNREFUSED): the cached versions answered`);
    }
  });
});
