import * as childProcess from 'child_process';
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { commitAll, replaceInFile, unmergedStages } from '../project/git-fixtures';
import { runCli, tempDir, writeTree } from '../util';

describe('blueprint new', () => {
  test('refuses a folder that is not empty, and a bad package name', () => {
    const dir = tempDir();
    writeTree(dir, { 'notes.txt': 'mine' });
    const full = runCli(['new', dir]);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('not empty');
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    const badName = runCli(['new', path.join(tempDir(), 'x'), '--name', 'Not A Name']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain("--name 'Not A Name' is not a valid npm package name");
  });

  test('packs the framework where npm cannot keep its cache in HOME (a CI job\'s HOME that is a file), BLUESYNTH_CACHE_DIR set as README says', async () => {
    const work = tempDir();
    const home = path.join(work, 'home');
    fs.writeFileSync(home, '');
    const cache = path.join(work, 'cache');
    const project = path.join(work, 'project');
    const created = await withFakeRegistry('absent', env => runCli(['new', project], { env: { ...env, HOME: home, BLUESYNTH_CACHE_DIR: cache, npm_config_cache: undefined, NPM_CONFIG_CACHE: undefined } }));
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(fs.existsSync(path.join(project, vendored(project)))).toBe(true);
    expect(fs.readdirSync(path.join(cache, 'npm')).length).toBeGreaterThan(0);
  });

  /**
   * SLOW (3-4 minutes on an idle machine, far more on a busy one): what a new user does while bluesynth is not on the npm registry. The CLI
   * (this checkout's) creates a project, packing itself into the project's vendor/ folder; the project is
   * committed and cloned, as a fresh machine would get it, and the clone installs with yarn, and another
   * with npm (the registry serves only the project's other dependencies), and runs its scripts.
   */
  describe('a project made while bluesynth is not on the registry', () => {
    const work = tempDir('bluesynth-new-');
    const origin = path.join(work, 'my-blueprint');
    let created: ReturnType<typeof runCli>;

    beforeAll(async () => {
      // A registry that has no bluesynth, whatever the real one holds by the time this runs.
      created = await withFakeRegistry('absent', env => runCli(['new', origin], { env }));
      if (created.code === 0) {
        run('git', ['init', '-q'], origin);
        run('git', ['add', '-A'], origin);
        run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'blueprint new'], origin);
      }
    }, 300_000);

    test('packs the running framework into vendor/, depends on it by a file: path, says so, and links no package page', () => {
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      // Named with its content's hash: yarn installs the first tarball it saw under a file: path again.
      const tarball = vendored(origin);
      expect(tarball).toBe(`vendor/bluesynth-0.0.0-${sha256(path.join(origin, tarball)).slice(0, 12)}.tgz`);
      expect(created.stdout).toContain(`bluesynth 0.0.0 is not on the npm registry: packed it into ${tarball}`);
      const manifest = JSON.parse(fs.readFileSync(path.join(origin, 'package.json'), 'utf8'));
      expect(manifest.devDependencies.bluesynth).toBe(`file:${tarball}`);
      const listing = run('tar', ['-tzf', path.join(origin, tarball)], origin).split('\n');
      expect(listing).toEqual(expect.arrayContaining(['package/package.json', 'package/lib/index.js', 'package/lib/cli/main.js', 'package/templates/new-blueprint/.projenrc.ts']));
      const readme = fs.readFileSync(path.join(origin, 'README.md'), 'utf8');
      expect(readme).not.toContain('npmjs.com');
      expect(readme).toContain(`\`${tarball}\``);
      // Committed with the project, though node projects ignore *.tgz.
      expect(run('git', ['ls-files', 'vendor'], origin).trim()).toBe(tarball);
      for (const file of ['.projenrc.ts', 'src/index.ts', 'src/blueprint.ts', 'src/defaults.json', 'static-assets/README.md', 'test/blueprint.test.ts', 'README.md', 'package.json']) {
        expect(fs.existsSync(path.join(origin, file))).toBe(true);
      }
      // The defaults are one configuration of their own: an edit of defaults.json shows in synth/ and the snapshots.
      expect(fs.readdirSync(path.join(origin, 'src', 'wizard-configurations')).sort()).toEqual(['defaults.json', 'python.json']);
    });

    test('a clone installs with yarn, synthesizes, resynthesizes and passes its tests; its installed CLI packs itself too', async () => {
      expect(created.code).toBe(0);
      const project = path.join(work, 'clone-yarn');
      run('git', ['clone', '-q', origin, project], work);
      run('yarn', ['install', '--non-interactive', '--no-progress'], project);
      const scripts = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).scripts;
      expect(Object.keys(scripts)).toEqual(
        expect.arrayContaining(['blueprint:synth', 'blueprint:resynth', 'blueprint:build-schema', 'blueprint:build-ast', 'blueprint:validate-options', 'build', 'test', 'blueprint:package']),
      );

      // Running projen in the new project regenerates nothing.
      const before = hashTree(project);
      run('npx', ['projen', '--no-post'], project);
      expect(hashTree(project)).toEqual(before);

      for (const env of [{}, { CI: 'true' }] as Array<Record<string, string>>) {
        expect(run('yarn', ['blueprint:synth'], project, env)).toContain('2 of 2 synthesis jobs succeeded');
        expect(fs.existsSync(path.join(project, 'synth', 'synth.defaults', 'proposed-bundle', 'options.json'))).toBe(true);
        expect(fs.existsSync(path.join(project, 'synth', 'synth.python', 'proposed-bundle', 'src', 'my-python-project', 'main.py'))).toBe(true);
        run('yarn', ['blueprint:resynth'], project, env);
        expect(fs.existsSync(path.join(project, 'synth', 'resynth.python', 'resolved-bundle'))).toBe(true);
        expect(run('yarn', ['test'], project, env)).toMatch(/Snapshots:\s+\d+ passed/);
      }

      // The snapshot tests catch a change in a generated file, naming it.
      fs.appendFileSync(path.join(project, 'static-assets', 'README.md'), '\nA new line.\n');
      const changed = spawn('yarn', ['test'], project, { CI: 'true' });
      expect(changed.status).not.toBe(0);
      expect(changed.output).toContain('python: src/my-python-project/README.md');

      // And a type error in the blueprint, which its transpiled run alone would not see.
      fs.appendFileSync(path.join(project, 'src', 'blueprint.ts'), '\nexport const wrong: number = \'text\';\n');
      const mistyped = spawn('yarn', ['test'], project, { CI: 'true' });
      expect(mistyped.status).not.toBe(0);
      expect(mistyped.output).toMatch(/src\/blueprint\.ts\(\d+,\d+\): error TS2322/);

      // The framework installed from the tarball, asked for another project, packs its installed copy.
      const second = path.join(work, 'second');
      const again = await withFakeRegistry('absent', env => runCli(['new', second], { cli: path.join(project, 'node_modules', 'bluesynth', 'lib', 'cli', 'main.js'), env }));
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(run('tar', ['-tzf', path.join(second, vendored(second))], work).split('\n')).toEqual(
        expect.arrayContaining(['package/package.json', 'package/lib/index.js', 'package/templates/new-blueprint/.projenrc.ts']),
      );
    }, 1_200_000);

    test('its package, packed by blueprint:package, creates a project as a .tgz and from a registry', async () => {
      expect(created.code).toBe(0);
      const project = path.join(work, 'clone-package');
      run('git', ['clone', '-q', origin, project], work);
      run('yarn', ['install', '--prefer-offline', '--non-interactive', '--no-progress'], project);
      run('yarn', ['blueprint:package'], project);
      const packed = path.join(project, 'dist', 'js', 'my-blueprint-0.0.0.tgz');
      // The package declares the framework, but npm installs nothing of it: a file: path would be resolved
      // against the folder npm installs into, where the tarball is not.
      const manifest = JSON.parse(run('tar', ['-xzOf', packed, 'package/package.json'], work));
      expect(manifest.dependencies?.bluesynth).toBeUndefined();
      expect(manifest.peerDependencies.bluesynth).toBe('>=0.0.0');
      expect(manifest.peerDependenciesMeta.bluesynth.optional).toBe(true);

      const cache = { BLUESYNTH_CACHE_DIR: path.join(work, 'package-cache') };
      const fromTarball = runCli(['create', '--blueprint', packed, path.join(work, 'from-tarball')], { env: cache });
      // Its only message is the sandbox note of a package source.
      expect(fromTarball.code === 0 ? '' : fromTarball.output).toBe('');
      expect(fromTarball.stderr).toMatch(/^note: my-blueprint is an installed npm package, so it runs under the sandbox runner/);
      const fromRegistry = await withFakeRegistry({ serve: packed }, env =>
        runCli(['create', '--blueprint', 'npm:my-blueprint@0.0.0', path.join(work, 'from-registry')], { env: { ...env, ...cache } }));
      expect(fromRegistry.code === 0 ? '' : fromRegistry.output).toBe('');
      for (const created of ['from-tarball', 'from-registry']) {
        const readme = path.join(work, created, 'my-project', 'README.md');
        expect(fs.readFileSync(readme, 'utf8')).toContain('my-project');
      }
    }, 900_000);

    test('a clone installs with npm and passes its tests', () => {
      expect(created.code).toBe(0);
      const project = path.join(work, 'clone-npm');
      run('git', ['clone', '-q', origin, project], work);
      run('npm', ['install', '--no-audit', '--no-fund'], project);
      expect(run('npm', ['test'], project, { CI: 'true' })).toMatch(/Snapshots:\s+\d+ passed/);
    }, 600_000);
  });

  // The starter blueprint chooses `structuredMerge` for files no strategy names (a text file merged as `git merge`
  // does): an update must not drop the project's own lines where the blueprint changed the same ones (the SDK's
  // preferProposed would, without a conflict).
  test('an update of a project made from the new blueprint leaves lines both sides changed as git conflicts', () => {
    const work = tempDir();
    const blueprint = path.join(work, 'blueprint');
    expect(runCli(['new', blueprint, '--bluesynth-version', '*'])).toMatchObject({ code: 0 });
    expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')])).toMatchObject({ code: 0 });
    const repository = path.join(work, 'project', 'my-project');
    replaceInFile(path.join(repository, 'README.md'), 'A project made from a custom blueprint.', 'The team\'s own words.');
    commitAll(repository, 'team: describe the project');
    // The blueprint's next version words that line otherwise.
    replaceInFile(path.join(blueprint, 'static-assets', 'README.md'), '{{{description}}}', 'About: {{{description}}}');
    const manifest = JSON.parse(fs.readFileSync(path.join(blueprint, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ ...manifest, version: '2.0.0' }, null, 2));

    const updated = runCli(['update'], { cwd: repository });
    expect(updated.code).toBe(1);
    expect(updated.stdout).toMatch(/conflict\s+README\.md \(structuredMerge; 1 conflict hunk\)/);
    expect(Object.keys(unmergedStages(repository))).toEqual(['README.md']);
    expect(fs.readFileSync(path.join(repository, 'README.md'), 'utf8')).toMatch(/<<<<<<< HEAD\nThe team's own words\.\n=======\nAbout: A project made from a custom blueprint\.\n>>>>>>> /);
  }, 60_000);

  test('depends on the registry range, and links the package page, once the running version is published', async () => {
    const project = path.join(tempDir(), 'published');
    const created = await withFakeRegistry('published', env => runCli(['new', project], { env }));
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).not.toContain('not on the npm registry');
    expect(JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).devDependencies.bluesynth).toBe('^0.0.0');
    expect(fs.existsSync(path.join(project, 'vendor'))).toBe(false);
    expect(fs.readFileSync(path.join(project, 'README.md'), 'utf8')).toContain('[bluesynth](https://www.npmjs.com/package/bluesynth/v/0.0.0)');
  }, 120_000);

  test('a failed pack leaves the folder as it was: absent, or empty', () => {
    // An npm that fails at everything: the registry check says "not published", then packing fails.
    const bin = tempDir();
    writeTree(bin, { npm: '#!/bin/sh\necho "npm: out of order" >&2\nexit 1\n' });
    fs.chmodSync(path.join(bin, 'npm'), 0o755);
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const absent = path.join(tempDir(), 'absent');
    const failed = runCli(['new', absent], { env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('npm: out of order');
    expect(fs.existsSync(absent)).toBe(false);
    const empty = tempDir();
    expect(runCli(['new', empty], { env }).code).toBe(1);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  test('a registry that cannot be reached counts as not published', async () => {
    const project = path.join(tempDir(), 'off line');
    // Nothing listens on the port of a server that was started and stopped.
    const port = await withFakeRegistry('absent', (_env, freePort) => freePort);
    const created = runCli(['new', project], { env: { npm_config_registry: `http://127.0.0.1:${port}/` } });
    expect(created.code).toBe(0);
    // The next steps can be pasted into a shell: a folder name with a space is quoted.
    expect(created.stdout).toContain(`cd '${project}'\n`);
    expect(JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).devDependencies.bluesynth).toBe(`file:${vendored(project)}`);
  }, 120_000);
});

/**
 * Runs `body` while a registry on 127.0.0.1 (`fake-npm-registry.js`, a process of its own, since `body`
 * runs the CLI synchronously) serves bluesynth 0.0.0 (`published`), answers 404 for it (`absent`), or serves one
 * package tarball (`{ serve: file }`); `body` gets the environment that points npm at it, and its port. The
 * registry has stopped when it resolves.
 */
async function withFakeRegistry<T>(mode: 'published' | 'absent' | { serve: string }, body: (env: Record<string, string>, port: number) => T): Promise<T> {
  const args = typeof mode === 'string' ? [mode] : ['serve', mode.serve];
  const child = childProcess.spawn(process.execPath, [path.join(__dirname, 'fake-npm-registry.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise(resolve => child.once('exit', resolve));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
      child.once('error', reject);
      child.once('exit', code => reject(new Error(`fake registry exited ${code}`)));
    });
    return body({ npm_config_registry: `http://127.0.0.1:${port}/` }, port);
  } finally {
    child.kill();
    await exited;
  }
}

function spawn(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  // The test's own CI setting (jest sets none) must not leak into the project: each run says what it wants.
  const { CI: _ci, ...inherited } = process.env;
  const result = spawnSync(command, args, { cwd, env: { ...inherited, ...env }, encoding: 'utf8', timeout: 480_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawn(command, args, cwd, env);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.output}`);
  return result.output;
}

/** Content hash of every file of a project except what installing and running it adds. */
function hashTree(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const absolute = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    const relative = path.relative(dir, absolute);
    if (entry.isDirectory() || /^(node_modules|lib|synth)(\/|$)/.test(relative)) continue;
    hashes[relative] = crypto.createHash('sha256').update(fs.readFileSync(absolute)).digest('hex');
  }
  return hashes;
}

/** The one tarball in a project's vendor/ folder, by its project path. */
function vendored(project: string): string {
  const [tarball, ...others] = fs.readdirSync(path.join(project, 'vendor'));
  expect(others).toEqual([]);
  expect(tarball).toMatch(/^bluesynth-0\.0\.0-[0-9a-f]{12}\.tgz$/);
  return `vendor/${tarball}`;
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
