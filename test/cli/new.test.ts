import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runCli, tempDir, writeTree } from '../util';

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

  /**
   * SLOW (about 1-2 minutes): what a user does. Packs this checkout as the registry would serve it,
   * creates a project with `blueprint new`, installs it against that tarball with yarn (the npm registry
   * is needed for the project's other dependencies), and runs its scripts, plainly and with CI=true.
   */
  test('creates a project that installs against the packed framework, synthesizes, resynthesizes and passes its tests', () => {
    const work = tempDir('bluesynth-new-');
    // A unique tarball name: yarn caches `file:` tarballs by path.
    const tarball = pack(work);
    const project = path.join(work, 'my-blueprint');
    const created = runCli(['new', project, '--bluesynth-version', `file:${tarball}`]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    for (const file of ['.projenrc.ts', 'src/index.ts', 'src/blueprint.ts', 'src/defaults.json', 'static-assets/README.md', 'test/blueprint.test.ts', 'README.md', 'package.json']) {
      expect(fs.existsSync(path.join(project, file))).toBe(true);
    }
    expect(fs.readdirSync(path.join(project, 'src', 'wizard-configurations'))).toHaveLength(1);

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
      expect(run('yarn', ['blueprint:synth'], project, env)).toContain('1 of 1 synthesis job succeeded');
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
  }, 300_000);
});

function pack(work: string): string {
  const output = run('npm', ['pack', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
  const unique = path.join(work, `bluesynth-${process.pid}-${Date.now()}.tgz`);
  fs.renameSync(path.join(work, output), unique);
  return unique;
}

function spawn(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  // The test's own CI setting (jest sets none) must not leak into the project: each run says what it wants.
  const { CI: _ci, ...inherited } = process.env;
  const result = spawnSync(command, args, { cwd, env: { ...inherited, ...env }, encoding: 'utf8', timeout: 240_000 });
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
