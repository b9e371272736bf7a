import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { greetingBlueprint } from './git-fixtures';

/**
 * Journey 71: a blueprint packed with `npm pack` in a workspace monorepo depends on a package of that monorepo
 * (`@acme/common`), which npm does not pack with it; a create from the tarball asks the registry for it. The
 * registry is a stand-in on 127.0.0.1 (`npm-registry.js`) that has only an unrelated package.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-npm-install-failure-');
let registry: ChildProcess;
let registryUrl: string;

function pack(dir: string): string {
  return path.join(work, execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!);
}

beforeAll(async () => {
  const other = greetingBlueprint(path.join(work, 'other'), 'other');
  fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'other-blueprint', version: '1.0.0', files: ['src'] }));
  registry = spawn(process.execPath, [path.join(__dirname, 'npm-registry.js'), pack(other)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>(resolve => registry.stdout!.once('data', chunk => resolve(String(chunk).trim())));
  registryUrl = `http://127.0.0.1:${port}/`;
});
afterAll(() => registry.kill());

test('a tarball whose workspace dependency is on no registry: the message names the dependency, the registry and the ways on', () => {
  const dir = greetingBlueprint(path.join(work, 'alpha'), 'alpha');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: '@acme/blueprint-alpha', version: '1.0.0', files: ['src'], dependencies: { '@acme/common': '^1.0.0' },
  }));
  const tarball = pack(dir);
  const created = runCli(['create', '--blueprint', tarball, path.join(work, 'project')], {
    cwd: work,
    env: { BLUESYNTH_CACHE_DIR: path.join(work, 'cache'), npm_config_registry: registryUrl },
  });
  expect(created.code).toBe(2);
  expect(created.stderr).toContain(`blueprint source '${tarball}': npm install failed:`);
  expect(created.stderr).toContain(`'@acme/common@^1.0.0', a dependency of the blueprint's package, is not on the registry npm asked (${registryUrl})`);
  expect(created.stderr).toContain('publish that package first');
  expect(created.stderr).toContain('URL#TAG:path/to/blueprint');
  // npm's boilerplate is left out: it pointed at a log and at installing from a tarball, which this was
  expect(created.stderr).not.toContain('A complete log of this run');
  expect(created.stderr).not.toContain('Note that you can also install from a');
  expect(fs.existsSync(path.join(work, 'project'))).toBe(false);
});
