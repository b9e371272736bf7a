import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir, writeTree } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * Issue 15: a blueprint from a package registry (here a packed .tgz, installed by npm like one from the
 * registry, with a dependency npm installs beside it) runs under the sandbox runner in create, update and
 * check unless a runner is named. It does one thing a sandbox refuses when `ATTEMPT` asks it to.
 */
jest.setTimeout(300_000);

const BLUEPRINT = `
const fs = require('fs');
const path = require('path');
const { greeting } = require('bp-greeting');
const { Blueprint: ParentBlueprint, SourceFile, SourceRepository } = require('bluesynth');
class Blueprint extends ParentBlueprint {
  constructor(options) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', greeting + '\\n' + fs.readFileSync(path.join(__dirname, '..', 'static-assets', 'note.txt'), 'utf8'));
    // update and check give the SDK's record of the project's instantiations, as the hosted service does
    if (process.env.INSTANTIATIONS_ABS) {
      const recorded = JSON.parse(fs.readFileSync(process.env.INSTANTIATIONS_ABS, 'utf8'));
      new SourceFile(repo, 'instantiations.txt', recorded.map(i => i.packageName).join('\\n') + '\\n');
    }
    // What to attempt, from a file beside the package (a sandboxed job inherits none of the caller's environment).
    const trigger = path.join(__dirname, '..', 'attempt.json');
    const { attempt, secret, outside } = fs.existsSync(trigger) ? JSON.parse(fs.readFileSync(trigger, 'utf8')) : {};
    if (attempt === 'read') new SourceFile(repo, 'stolen.txt', fs.readFileSync(secret, 'utf8'));
    if (attempt === 'write') fs.writeFileSync(outside, 'written from the blueprint');
  }
}
exports.Blueprint = Blueprint;
`;

/** Packs the blueprint package (and its dependency, which npm installs beside it) into tarballs in `dir`. */
function packRegistryBlueprint(dir: string): string {
  const pack = (folder: string) => path.join(dir, execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: folder, encoding: 'utf8' }).trim().split('\n').pop()!);
  writeTree(path.join(dir, 'greeting'), {
    'package.json': JSON.stringify({ name: 'bp-greeting', version: '1.0.0', main: 'index.js' }),
    'index.js': "exports.greeting = 'Hello from a dependency';\n",
  });
  const greeting = pack(path.join(dir, 'greeting'));
  writeTree(path.join(dir, 'blueprint'), {
    'package.json': JSON.stringify({ name: 'bp-registry', version: '1.0.0', main: 'lib/index.js', dependencies: { 'bp-greeting': `file:${greeting}` } }),
    'lib/index.js': BLUEPRINT,
    'lib/defaults.json': '{}',
    'static-assets/note.txt': 'read from its own folder\n',
  });
  return pack(path.join(dir, 'blueprint'));
}

describe('a registry package runs sandboxed unless a runner is named', () => {
  const work = tempDir('bluesynth-registry-sandbox-');
  const tarball = packRegistryBlueprint(work);
  // A private key where a blueprint should never look, and a place it should never write.
  const secret = path.join(work, 'home', '.ssh', 'id_ed25519');
  writeTree(work, { 'home/.ssh/id_ed25519': '-----BEGIN OPENSSH PRIVATE KEY-----\n' });
  const outside = path.join(work, 'outside.txt');
  /** Asks the installed package (once the first create installed it) to attempt something, or nothing. */
  const env = (attempt?: string) => {
    const packages = path.join(process.env.BLUESYNTH_CACHE_DIR!, 'packages');
    for (const entry of fs.existsSync(packages) ? fs.readdirSync(packages) : []) {
      const installed = path.join(packages, entry, 'node_modules', 'bp-registry');
      if (!fs.existsSync(installed)) continue;
      const trigger = path.join(installed, 'attempt.json');
      if (attempt) fs.writeFileSync(trigger, JSON.stringify({ attempt, secret, outside }));
      else fs.rmSync(trigger, { force: true });
    }
    return {};
  };
  const create = (project: string, attempt?: string, ...flags: string[]) =>
    runCli(['create', '--blueprint', tarball, ...flags, path.join(work, project)], { cwd: work, env: env(attempt) });

  test('create: it runs, reading its own folder and the dependency installed beside it, and says how it runs', () => {
    const result = create('plain');
    expect(result.stderr).toContain('note: bp-registry is an installed npm package, so it runs under the sandbox runner');
    expect(result.stderr).toContain('pass --runner fast to run it unconfined if you trust it');
    expect(result.stderr.match(/note: /g)).toHaveLength(1);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'plain', 'app', 'README.md'), 'utf8')).toBe('Hello from a dependency\nread from its own folder\n');
  });

  test('create: reading a key outside its folder is stopped, naming the file; with --runner fast it is not', () => {
    const refused = create('read-refused', 'read');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`SandboxError: the sandbox refused reading '${fs.realpathSync(secret)}'`);
    expect(fs.existsSync(path.join(work, 'read-refused'))).toBe(false);

    const trusted = create('read-trusted', 'read', '--runner', 'fast');
    expect(trusted.stderr).not.toContain('note: ');
    expect(trusted.code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'read-trusted', 'app', 'stolen.txt'), 'utf8')).toContain('PRIVATE KEY');
  });

  test('create: writing outside its output folder is stopped; with --runner fast it is not', () => {
    const refused = create('write-refused', 'write');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`SandboxError: the sandbox refused writing '${fs.realpathSync(work)}${path.sep}outside.txt'`);
    expect(fs.existsSync(outside)).toBe(false);

    expect(create('write-trusted', 'write', '--runner', 'fast').code).toBe(0);
    expect(fs.readFileSync(outside, 'utf8')).toBe('written from the blueprint');
    fs.rmSync(outside);
  });

  test('update and check run the recorded registry package sandboxed too', () => {
    expect(create('project').code).toBe(0);
    const repo = path.join(work, 'project', 'app');
    fs.appendFileSync(path.join(repo, 'README.md'), 'our line\n');
    const edited = commitAll(repo, 'our edit');

    const update = runCli(['update', '--set', 'flavour=new'], { cwd: repo, env: env('read') });
    expect(update.stderr).toContain('note: bp-registry is an installed npm package, so it runs under the sandbox runner');
    expect(update.code).toBe(1);
    expect(update.output).toContain(`SandboxError: the sandbox refused reading '${fs.realpathSync(secret)}'`);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(edited);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // with nothing to refuse, the update runs sandboxed, reading the record of instantiations it is given
    const sandboxed = runCli(['update', '--set', 'flavour=new'], { cwd: repo, env: env() });
    expect(sandboxed.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'instantiations.txt'), 'utf8')).toBe('bp-registry\n');
    expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toContain('our line\n');

    const check = runCli(['check'], { cwd: repo, env: env('write') });
    expect(check.stderr).toContain('note: bp-registry is an installed npm package, so it runs under the sandbox runner');
    // check reports a recorded version it could not run again as a note (reproducible: unknown), and cannot tell: exit 2
    expect(check.stdout).toMatch(/note +the recorded version cannot be run again: .*SandboxError: the sandbox refused writing/);
    expect(check.code).toBe(2);
    expect(fs.existsSync(outside)).toBe(false);

    expect(runCli(['update', '--set', 'flavour=newer', '--runner', 'fast'], { cwd: repo, env: env('read') }).code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'stolen.txt'), 'utf8')).toContain('PRIVATE KEY');
  });
});
