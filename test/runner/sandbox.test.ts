import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, readTree, runCli, tempDir, writeTree } from '../util';

/** A blueprint that does one thing a sandboxed blueprint may not do, chosen by its option `attempt`. */
const ATTEMPTS = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', 'hello\\n');
    const attempt = options.attempt;
    if (attempt === 'read') new SourceFile(repo, 'stolen.txt', fs.readFileSync('/etc/passwd', 'utf8'));
    if (attempt === 'write') fs.writeFileSync(options.outside, 'written from the blueprint');
    if (attempt === 'env') new SourceFile(repo, 'env.json', JSON.stringify(process.env));
    if (attempt === 'write-own-folder') fs.writeFileSync(path.join(process.cwd(), 'planted.txt'), 'x');
    if (attempt === 'spawn') require('child_process').execFileSync('/bin/sh', ['-c', 'echo pwned']);
    if (attempt === 'worker') new (require('worker_threads').Worker)('1', { eval: true });
    if (attempt === 'symlink') fs.mkdirSync(this.outdir, { recursive: true }), fs.symlinkSync('options.json', path.join(this.outdir, 'LINK.json'));
    if (attempt === 'existing') new SourceFile(repo, 'existing.txt', fs.readFileSync(path.join(process.env.EXISTING_BUNDLE_ABS!, 'note.txt')));
    if (attempt === 'durable') {
      fs.writeFileSync(path.join(process.env.DURABLE_STORAGE_ABS!, 'state.txt'), 'kept');
      new SourceFile(repo, 'durable.txt', fs.readFileSync(path.join(process.env.DURABLE_STORAGE_ABS!, 'state.txt')));
    }
  }
}
`;

/** Synthesizes with the options `attempt` and `outside` (as `config/defaults.json`, so the job is `synth.defaults`). */
function synth(dir: string, options: { attempt?: string; outside?: string }, runner = 'sandbox', extra: string[] = [], env: Record<string, string> = {}) {
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config', 'defaults.json'), JSON.stringify(options));
  return runCli(['synth', '--options', 'config/defaults.json', '--outdir', 'out', '--runner', runner, ...extra], { cwd: dir, env });
}

describe('the sandbox runner', () => {
  test('synthesizes an ordinary blueprint exactly as the fast runner does', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    expect(synth(dir, {}, 'sandbox').code).toBe(0);
    const sandboxed = readTree(path.join(dir, 'out'));
    fs.rmSync(path.join(dir, 'out'), { recursive: true });
    expect(synth(dir, {}, 'fast').code).toBe(0);
    expect(readTree(path.join(dir, 'out'))).toEqual(sandboxed);
  });

  // Journey 71: a blueprint folder of one's own, one workspace of a monorepo, imports the monorepo's shared library
  // (a workspace linked into the root's node_modules) and a third-party package hoisted there.
  test('lets a blueprint in a workspace monorepo load the packages its package.json depends on, and nothing else there', () => {
    const root = tempDir();
    writeTree(root, {
      'packages/common/package.json': JSON.stringify({ name: '@acme/common', version: '1.0.0', main: 'src/index.ts', dependencies: { 'left-thing': '1.0.0' } }),
      'packages/common/src/index.ts': "import { left } from 'left-thing';\nexport const header: string = left('from the library');\n",
      'node_modules/left-thing/package.json': JSON.stringify({ name: 'left-thing', version: '1.0.0' }),
      'node_modules/left-thing/index.js': "exports.left = text => '> ' + text;\n",
      'node_modules/not-a-dependency/secret.txt': 'not yours\n',
    });
    fs.mkdirSync(path.join(root, 'node_modules/@acme'));
    fs.symlinkSync(path.join(root, 'packages/common'), path.join(root, 'node_modules/@acme/common'));
    const dir = makeBlueprint(path.join(root, 'packages/bp'), `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { header } from '@acme/common';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'header.txt', header + '\\n');
    if (options.attempt === 'read') new SourceFile(repo, 'stolen.txt', fs.readFileSync(${JSON.stringify(path.join(root, 'node_modules/not-a-dependency/secret.txt'))}));
  }
}`);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bp', version: '1.0.0', dependencies: { '@acme/common': '^1.0.0' } }));
    const ok = synth(dir, {});
    expect(ok.stderr + ok.stdout).not.toContain('refused');
    expect(ok.code).toBe(0);
    expect(readTree(path.join(dir, 'out/synth.defaults/proposed-bundle'))['src/app/header.txt']).toBe('> from the library\n');
    const read = synth(dir, { attempt: 'read' });
    expect(read.code).toBe(1);
    expect(read.stdout + read.stderr).toContain(`the sandbox refused reading '${path.join(root, 'node_modules/not-a-dependency/secret.txt')}'`);
  });

  // The package.json naming the dependencies is the blueprint author's: it grants no folder by a name that is a path,
  // nor through a link in the root's node_modules that leads out of the monorepo.
  test('grants no folder by a dependency named as a path, or by a link out of the monorepo', () => {
    const outside = tempDir();
    writeTree(outside, { 'package.json': '{"name":"elsewhere"}', 'secret.txt': 'not yours\n' });
    const root = tempDir();
    writeTree(root, { 'secrets/package.json': '{"name":"secrets"}', 'secrets/secret.txt': 'not yours\n' });
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(outside, path.join(root, 'node_modules/linked-out'));
    const dir = makeBlueprint(path.join(root, 'packages/bp'), `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'stolen.txt', fs.readFileSync(options.file));
  }
}`);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bp', version: '1.0.0', dependencies: { '../../secrets': '*', 'linked-out': '*' } }));
    for (const file of [path.join(root, 'secrets/secret.txt'), path.join(outside, 'secret.txt')]) {
      fs.writeFileSync(path.join(dir, 'file.json'), JSON.stringify({ file }));
      const result = runCli(['synth', '--options', 'file.json', '--outdir', 'out', '--runner', 'sandbox'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`the sandbox refused reading '${file}'`);
    }
  });

  test('refuses to read a file outside the blueprint, naming it', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const result = synth(dir, { attempt: 'read' });
    expect(result.code).toBe(1);
    expect(result.output).toContain("SandboxError: the sandbox refused reading '/etc/passwd'");
    expect(result.output).toContain('at src/index.ts:');
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults'))).toBe(false); // nothing of it, not even its folder
    // the same blueprint unconfined reads it: the refusal is the sandbox's
    expect(synth(dir, { attempt: 'read' }, 'fast').code).toBe(0);
  });

  test.each([
    ['outside every folder of the job', (dir: string) => path.join(path.dirname(dir), `outside-${path.basename(dir)}.txt`)],
    ['into its own blueprint folder', (dir: string) => path.join(fs.realpathSync(dir), 'planted.txt')],
  ])('refuses to write %s, naming the file', (_what, outside) => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const target = outside(dir);
    const result = synth(dir, { attempt: target.endsWith('planted.txt') ? 'write-own-folder' : 'write', outside: target });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`SandboxError: the sandbox refused writing '${fs.realpathSync(path.dirname(target))}${path.sep}${path.basename(target)}'`);
    expect(fs.existsSync(target)).toBe(false);
  });

  test.each([['spawn', 'starting a child process'], ['worker', 'starting a worker thread']])('refuses to %s', (attempt, words) => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const result = synth(dir, { attempt });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`SandboxError: the sandbox refused ${words}`);
  });

  test('refuses a symbolic link, even one inside its bundle, saying which call and why (Node 20 allows fs.symlink only with access to everything)', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const result = synth(dir, { attempt: 'symlink' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('SandboxError: the sandbox refused the call (fs.symlink API requires full fs.read and fs.write permissions): a sandboxed blueprint');
    expect(result.output).toContain('at src/index.ts:');
    // unconfined, the same link inside the bundle is kept
    expect(synth(dir, { attempt: 'symlink' }, 'fast').code).toBe(0);
  });

  test('keeps the host\'s environment (tokens, credentials) from the blueprint: it sees its context variables and the locale', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const host = { AWS_SECRET_ACCESS_KEY: 'sekrit', NPM_CONFIG_TOKEN: 'npm-token', LANG: 'C.UTF-8' };
    expect(synth(dir, { attempt: 'env' }, 'sandbox', [], host).code).toBe(0);
    const seen = JSON.parse(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/env.json'), 'utf8'));
    expect(seen).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(seen).not.toHaveProperty('NPM_CONFIG_TOKEN');
    expect(seen).toMatchObject({ LANG: 'C.UTF-8', CONTEXT_SPACENAME: '<<FAKE_SPACENAME>>', RESYNTH_PHASE: 'PROPOSED' });
    // The fast runner is for blueprints you trust: it hands the environment on, as the SDK's CLI does.
    expect(synth(dir, { attempt: 'env' }, 'fast', [], host).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/env.json'), 'utf8'))).toMatchObject({ AWS_SECRET_ACCESS_KEY: 'sekrit' });
  });

  test('lets the blueprint read the existing bundle and keep state in durable storage', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const existing = path.join(tempDir(), 'existing');
    fs.mkdirSync(existing);
    fs.writeFileSync(path.join(existing, 'note.txt'), 'from the project\n');
    const read = synth(dir, { attempt: 'existing' }, 'sandbox', ['--existing-bundle', existing]);
    expect(read.output).toContain('ok    synth.defaults');
    expect(read.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/existing.txt'), 'utf8')).toBe('from the project\n');
    const durable = synth(dir, { attempt: 'durable' });
    expect(durable.output).toContain('ok    synth.defaults');
    expect(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/durable.txt'), 'utf8')).toBe('kept');
  });

  test('runs a resynthesis: ancestor, proposed and the merge, each sandboxed', () => {
    const dir = makeBlueprint(tempDir(), ATTEMPTS);
    const result = runCli(['resynth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', 'sandbox'], { cwd: dir });
    expect(result.output).toContain('ok    resynth.defaults');
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/resynth.defaults/resolved-bundle/src/app/README.md'), 'utf8')).toBe('hello\n');
    fs.writeFileSync(path.join(dir, 'src', 'defaults.json'), JSON.stringify({ attempt: 'read' }));
    const failed = runCli(['resynth', '--options', 'src/defaults.json', '--outdir', 'out', '--runner', 'sandbox'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("the sandbox refused reading '/etc/passwd'");
  }, 180_000);
});
