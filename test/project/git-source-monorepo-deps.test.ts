import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir, writeTree } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * A blueprint in a monorepo that imports a package of the same repository (a workspace, a `workspace:` range, a
 * relative `file:` folder), as a platform team shares code between its blueprints. From the team's checkout the
 * package manager links it; from a git source (`URL#REF:FOLDER`) it was looked up in the registry, or linked to a
 * path that only exists in their checkout, and the blueprint failed with "Cannot find module". Offline here: the
 * registry points nowhere, so whatever npm installs comes from the repository or from a tarball packed by the test.
 */
jest.setTimeout(180_000);

const OFFLINE = { npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true', npm_config_audit: 'false' };

const SERVICE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
import { readme } from '@platform/shared';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    readme(new SourceRepository(this, { title: 'web' }), 'web');
  }
}
`;

/** The shared package: it builds on bluesynth itself (a component of the team's) and has a dependency of its own. */
function sharedPackage(banner: string, shouter: string): Record<string, string> {
  return {
    'packages/shared/package.json': JSON.stringify({
      name: '@platform/shared', version: '1.2.0', main: 'index.js',
      dependencies: { bluesynth: '*', shouter: `file:${shouter}` }, peerDependencies: { bluesynth: '*' },
    }),
    'packages/shared/index.js': `const { SourceFile } = require('bluesynth');\nconst { shout } = require('shouter');\n` +
      `exports.readme = (repository, name) => new SourceFile(repository, 'README.md', shout(${JSON.stringify(banner)} + ' ' + name) + '\\n');\n`,
  };
}

/** Packs a tiny package `shouter` whose `shout(text)` upper-cases its text, and returns its tarball. */
function packedShouter(dir: string): string {
  const folder = path.join(dir, 'shouter-src');
  writeTree(folder, {
    'package.json': JSON.stringify({ name: 'shouter', version: '1.0.0', main: 'index.js' }),
    'index.js': 'exports.shout = text => text.toUpperCase();\n',
  });
  return path.join(dir, execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: folder, encoding: 'utf8', env: { ...process.env, ...OFFLINE } }).trim());
}

/** A monorepo with `blueprints/service` depending on `@platform/shared` at `range`, committed and tagged v1. */
function monorepo(dir: string, range: string, root: Record<string, string>): string {
  const mono = path.join(dir, 'mono');
  writeTree(mono, {
    ...root,
    ...sharedPackage('welcome to', packedShouter(dir)),
    'blueprints/service/package.json': JSON.stringify({ name: 'service-blueprint', version: '1.0.0', dependencies: { 'bluesynth': '*', '@platform/shared': range } }),
    'blueprints/service/src/index.ts': SERVICE,
    'blueprints/service/src/defaults.json': '{}',
  });
  git(mono, 'init', '--quiet', '--initial-branch=main');
  commitAll(mono, 'v1');
  git(mono, 'tag', 'v1');
  return mono;
}

function cli(args: string[], cwd: string, cache: string) {
  const result = runCli(args, { cwd, env: { BLUESYNTH_CACHE_DIR: cache, ...OFFLINE } });
  return { code: result.code, output: result.output };
}

const NPM_WORKSPACES = { 'package.json': JSON.stringify({ name: 'platform', private: true, workspaces: ['blueprints/*', 'packages/*'] }) };

test('a workspace package of the repository is installed from the commit, with its own dependencies, under every runner; update takes its new version', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const mono = monorepo(dir, '^1.0.0', NPM_WORKSPACES);

  for (const runner of ['fast', 'cache', 'sandbox']) {
    const created = cli(['create', '--runner', runner, '--blueprint', `${mono}#v1:blueprints/service`, path.join(dir, runner)], dir, cache);
    expect({ runner, ...created }).toEqual({ runner, code: 0, output: expect.any(String) });
    expect(read(dir, runner, 'web', 'README.md')).toBe('WELCOME TO WEB\n');
  }
  // The install keeps the commit's files as they are: the rewritten package.json files are put back.
  const installs = path.join(cache, 'sources', 'git');
  const [home] = fs.readdirSync(installs);
  const [entry] = fs.readdirSync(path.join(installs, home, 'installs'));
  const installed = path.join(installs, home, 'installs', entry);
  expect(read(installed, 'blueprints', 'service', 'package.json')).toBe(read(mono, 'blueprints', 'service', 'package.json'));
  expect(read(installed, 'packages', 'shared', 'package.json')).toBe(read(mono, 'packages', 'shared', 'package.json'));

  // The team changes the shared package only: the blueprint's next version says something else.
  writeTree(mono, sharedPackage('hello from', path.join(dir, 'shouter-1.0.0.tgz')));
  commitAll(mono, 'v2');
  git(mono, 'tag', 'v2');
  const repository = path.join(dir, 'fast', 'web');
  expect(cli(['update', '--to', 'v2'], repository, cache)).toEqual({ code: 0, output: expect.any(String) });
  expect(read(repository, 'README.md')).toBe('HELLO FROM WEB\n');
  expect(cli(['check'], repository, cache)).toEqual({ code: 0, output: expect.any(String) });
});

test('pnpm\'s workspace: ranges and a relative file: folder name the repository\'s own packages; a file: path out of the repository is refused, naming it', () => {
  const dir = tempDir();
  const cache = path.join(dir, 'cache');
  const pnpm = monorepo(path.join(dir, 'pnpm'), 'workspace:^', { 'pnpm-workspace.yaml': 'packages:\n  - "blueprints/*"\n  - "packages/*"\n' });
  expect(cli(['create', '--blueprint', `${pnpm}#v1:blueprints/service`, path.join(dir, 'from-pnpm')], dir, cache)).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'from-pnpm', 'web', 'README.md')).toBe('WELCOME TO WEB\n');

  const relative = monorepo(path.join(dir, 'relative'), 'file:../../packages/shared', {});
  expect(cli(['create', '--blueprint', `${relative}#v1:blueprints/service`, path.join(dir, 'from-relative')], dir, cache)).toEqual({ code: 0, output: expect.any(String) });
  expect(read(dir, 'from-relative', 'web', 'README.md')).toBe('WELCOME TO WEB\n');

  const outside = monorepo(path.join(dir, 'outside'), 'file:../../../elsewhere', {});
  const refused = cli(['create', '--blueprint', `${outside}#v1:blueprints/service`, path.join(dir, 'from-outside')], dir, cache);
  expect(refused.code).toBe(2);
  expect(refused.output).toContain(`blueprints/service/package.json depends on '@platform/shared' at 'file:../../../elsewhere', outside the repository`);
  expect(fs.existsSync(path.join(dir, 'from-outside'))).toBe(false);
});

// Journey 71: the shared library's main names its compiled lib/, which git ignores and no install script builds.
test('a package of the repository whose main the commit does not hold is refused before the blueprint runs, naming it and why', () => {
  const dir = tempDir();
  const mono = monorepo(dir, '^1.2.0', {
    ...NPM_WORKSPACES,
    '.gitignore': 'lib/\n',
  });
  const shared = JSON.parse(read(path.join(mono, 'packages/shared/package.json')));
  fs.writeFileSync(path.join(mono, 'packages/shared/package.json'), JSON.stringify({ ...shared, main: 'lib/index.js' }));
  // Its code is in lib/ alone: an index.js of its own would be what Node loads instead (see the next test).
  fs.renameSync(path.join(mono, 'packages/shared/index.js'), path.join(mono, 'packages/shared/built.js'));
  writeTree(mono, { 'packages/shared/lib/index.js': 'built, never committed\n' });
  commitAll(mono, 'main is the build');
  git(mono, 'tag', 'v2');
  const created = cli(['create', '--blueprint', `${mono}#v2:blueprints/service`, path.join(dir, 'project')], dir, path.join(dir, 'cache'));
  expect(created.code).toBe(2);
  expect(created.output).toContain("packages/shared/package.json (@platform/shared, a package of the repository the blueprint depends on) has main 'lib/index.js', which the commit does not hold");
  expect(created.output).toContain('Point main at the package\'s TypeScript source');
  expect(fs.existsSync(path.join(dir, 'project'))).toBe(false);
  // v1, whose main the commit holds, still makes its project
  expect(cli(['create', '--blueprint', `${mono}#v1:blueprints/service`, path.join(dir, 'project')], dir, path.join(dir, 'cache')).code).toBe(0);
});

// Node loads a package's own index.js where its main names no file (DEP0128): such a package works, and is not refused.
test('a package of the repository whose main the commit lacks, but with an index.js of its own, is installed and runs', () => {
  const dir = tempDir();
  const mono = monorepo(dir, '^1.2.0', { ...NPM_WORKSPACES, '.gitignore': 'lib/\n' });
  const shared = JSON.parse(read(path.join(mono, 'packages/shared/package.json')));
  fs.writeFileSync(path.join(mono, 'packages/shared/package.json'), JSON.stringify({ ...shared, main: 'lib/index.js' }));
  commitAll(mono, 'main is the build, index.js is kept');
  git(mono, 'tag', 'v2');
  const created = cli(['create', '--blueprint', `${mono}#v2:blueprints/service`, path.join(dir, 'project')], dir, path.join(dir, 'cache'));
  expect(created.output).not.toContain('which the commit does not hold');
  expect(created.code).toBe(0);
  expect(read(path.join(dir, 'project/web/README.md'))).toBe('WELCOME TO WEB\n');
});
