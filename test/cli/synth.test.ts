import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { CLI, makeBlueprint, readTree, ROOT, runCli, tempDir, writeTree } from '../util';

const REPO_BLUEPRINT = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string; tags?: string[]; nested?: { a?: number; b?: number } }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repo = new SourceRepository(this, { title: options.name });
    new SourceFile(repo, 'options.txt', JSON.stringify({ tags: options.tags, nested: options.nested }) + '\\n');
    new SourceFile(repo, 'context.txt', [this.context.spaceName, this.context.project.name, this.context.environmentId,
      this.context.package.name, this.context.package.version, this.context.resynthesisPhase, process.cwd()].join('\\n') + '\\n');
  }
}
`;

describe('blueprint synth', () => {
  test('the SDK\'s --clean-up [BOOL] (its projen project\'s blueprint:package passes --clean-up false) is accepted and ignored; another value is refused', () => {
    const dir = makeBlueprint(tempDir(), REPO_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ name: 'web' }) });
    const sdkPackage = runCli(['drive-synth', '--blueprint', './', '--outdir', './synth', '--default-options', './src/defaults.json', '--cache', '--clean-up', 'false'], { cwd: dir });
    expect(sdkPackage.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'synth', 'synth.defaults', 'proposed-bundle', 'src', 'web', 'options.txt'))).toBe(true);
    const alone = runCli(['synth', '--clean-up', '--blueprint', '.', '--options', 'src/defaults.json', '--outdir', 'out', '--clean-up=true'], { cwd: dir });
    expect(alone.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle', 'src', 'web', 'options.txt'))).toBe(true);
    const wrong = runCli(['synth', '--blueprint', '.', '--options', 'src/defaults.json', '--outdir', 'out2', '--clean-up=maybe'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--clean-up takes true or false, got 'maybe'");
    expect(runCli(['synth', '--help']).output).toContain('--clean-up [BOOL]');
  });

  test('writes OUT/synth.<config>/proposed-bundle with options merged over the defaults', () => {
    const dir = makeBlueprint(tempDir(), REPO_BLUEPRINT, {
      'src/defaults.json': JSON.stringify({ name: 'web', tags: ['a', 'b'], nested: { a: 1, b: 2 } }),
      'config/small.json': JSON.stringify({ tags: ['c'], nested: { b: 3 } }),
    });
    const result = runCli(['synth', '--blueprint', '.', '--options', 'config/small.json', '--outdir', 'out'], { cwd: dir });
    expect(result.output).toContain('synth.small');
    expect(result.code).toBe(0);
    const bundle = readTree(path.join(dir, 'out', 'synth.small', 'proposed-bundle'));
    expect(Object.keys(bundle).sort()).toEqual(['options.json', 'src/web/context.txt', 'src/web/options.txt']);
    // arrays are replaced, objects merged
    expect(JSON.parse(bundle['src/web/options.txt'])).toEqual({ tags: ['c'], nested: { a: 1, b: 3 } });
    expect(JSON.parse(bundle['options.json'])).toEqual({ name: 'web', tags: ['c'], nested: { a: 1, b: 3 }, outdir: 'out/synth.small/proposed-bundle' });
    // the SDK's local context defaults, the blueprint's package.json, and the blueprint folder as working directory
    expect(bundle['src/web/context.txt'].split('\n')).toEqual([
      '<<FAKE_SPACENAME>>', '<<FAKE_PROJECTNAME>>', 'prod', 'test-blueprint', '1.2.3', 'PROPOSED', fs.realpathSync(dir), '',
    ]);
    // nothing but the bundle and durable storage is left in the output folder
    expect(fs.readdirSync(path.join(dir, 'out', 'synth.small'))).toEqual(['proposed-bundle']);
  });

  test('a published package (no src/defaults.json) takes its compiled lib/defaults.json, in synth and drive-synth', () => {
    const dir = makeBlueprint(tempDir(), REPO_BLUEPRINT, {
      'lib/defaults.json': JSON.stringify({ name: 'published', tags: ['p'] }),
      'config/small.json': JSON.stringify({ nested: { a: 1 } }),
    });
    fs.rmSync(path.join(dir, 'src/defaults.json'));
    expect(runCli(['synth', '--blueprint', '.', '--options', 'config/small.json', '--outdir', 'out'], { cwd: dir }).code).toBe(0);
    expect(JSON.parse(readTree(path.join(dir, 'out', 'synth.small', 'proposed-bundle'))['src/published/options.txt'])).toEqual({ tags: ['p'], nested: { a: 1 } });
    const drive = runCli(['drive-synth', '--blueprint', '.', '--outdir', 'driven'], { cwd: dir });
    expect(drive.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'driven', 'synth.defaults', 'proposed-bundle', 'src', 'published', 'options.txt'))).toBe(true);
  });

  test('context variables set in the environment win over the local defaults', () => {
    const dir = makeBlueprint(tempDir(), REPO_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ name: 'web' }) });
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], {
      cwd: dir,
      env: { CONTEXT_SPACENAME: 'space', CONTEXT_PROJECTNAME: 'proj', PACKAGE_VERSION: '9.9.9' },
    });
    expect(result.code).toBe(0);
    const context = fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/web/context.txt'), 'utf8').split('\n');
    expect(context.slice(0, 5)).toEqual(['space', 'proj', 'prod', 'test-blueprint', '9.9.9']);
  });

  test('is deterministic: same bytes in two output folders, options.json records outdir as given', () => {
    const dir = makeBlueprint(tempDir(), REPO_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ name: 'web' }) });
    const copy = path.join(tempDir(), 'copy');
    fs.cpSync(dir, copy, { recursive: true });
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir }).code).toBe(0);
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: copy }).code).toBe(0);
    const first = readTree(path.join(dir, 'out'));
    const second = readTree(path.join(copy, 'out'));
    // only the working directory the blueprint printed differs
    delete first['synth.defaults/proposed-bundle/src/web/context.txt'];
    delete second['synth.defaults/proposed-bundle/src/web/context.txt'];
    expect(second).toEqual(first);
    // another output folder changes options.json's outdir only, and to the path given, never a staging path
    const elsewhere = path.join(tempDir(), 'elsewhere');
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', elsewhere], { cwd: dir }).code).toBe(0);
    const options = JSON.parse(fs.readFileSync(path.join(elsewhere, 'synth.defaults/proposed-bundle/options.json'), 'utf8'));
    expect(options.outdir).toBe(path.join(elsewhere, 'synth.defaults', 'proposed-bundle'));
  });

  test('blueprint code sees the output folder as given, writes land in it, and two runs give the same bytes', () => {
    // The SDK's test-blueprint writes its options and outdir into a file; SDK blueprints also write with fs
    // on this.outdir after super.synth(), and on repository.path in a synthesis step.
    const OUTDIR_BLUEPRINT = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: ParentOptions) {
    super(options);
    const repo = new SourceRepository(this, { title: 'web' });
    new SourceFile(repo, 'seen.json', JSON.stringify({ option: options.outdir, outdir: this.outdir, repository: repo.path }) + '\\n');
    repo.addSynthesisStep(() => fs.writeFileSync(path.join(repo.path, 'step.txt'), 'step\\n'));
  }
  override synth() {
    super.synth();
    fs.writeFileSync(path.join(this.outdir, 'src', 'web', 'after.txt'), this.outdir + '\\n');
  }
}
`;
    const dir = makeBlueprint(tempDir(), OUTDIR_BLUEPRINT, { 'src/defaults.json': '{}' });
    const run = (outdir: string) => {
      const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', outdir], { cwd: dir });
      expect(result.output).toContain('ok    synth.defaults');
      return readTree(path.resolve(dir, outdir, 'synth.defaults'));
    };
    const first = run('out');
    const bundle = fs.realpathSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle'));
    expect(JSON.parse(first['proposed-bundle/src/web/seen.json'])).toEqual({
      option: 'out/synth.defaults/proposed-bundle', // as given, like the SDK's CLI passes it
      outdir: bundle,
      repository: path.join(bundle, 'src', 'web'),
    });
    expect(first['proposed-bundle/src/web/step.txt']).toBe('step\n');
    expect(first['proposed-bundle/src/web/after.txt']).toBe(`${bundle}\n`);
    // The same bytes again, and nothing beside the bundle: no marker, no previous bundle.
    expect(run('out')).toEqual(first);
    expect(fs.readdirSync(path.join(dir, 'out', 'synth.defaults'))).toEqual(['proposed-bundle']);
    // An absolute output folder is seen as given too.
    const elsewhere = path.join(fs.realpathSync(tempDir()), 'elsewhere');
    const seen = JSON.parse(run(elsewhere)['proposed-bundle/src/web/seen.json']);
    expect(seen.option).toBe(path.join(elsewhere, 'synth.defaults', 'proposed-bundle'));
  });

  test('a missing options file, bad JSON or a missing option is a usage error naming it, exit 2', () => {
    const dir = makeBlueprint(tempDir(), REPO_BLUEPRINT, { 'bad.json': '{\n  "name": "x",\n  oops\n}' });
    const missing = runCli(['synth', '--options', 'nope.json', '--outdir', 'out'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    const bad = runCli(['synth', '--options', 'bad.json', '--outdir', 'out'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json:3:\d+: invalid JSON/);
    const noOutdir = runCli(['synth', '--options', 'bad.json'], { cwd: dir });
    expect(noOutdir.code).toBe(2);
    expect(noOutdir.stderr).toContain('--outdir');
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults'))).toBe(false);
  });
});

describe('failing blueprints', () => {
  const THROWING = `
import { Blueprint as ParentBlueprint, BlueprintSynthesisError, BlueprintSynthesisErrorTypes, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'web' });
    new SourceFile(repo, 'a.txt', 'a');
    if (options.fail) {
      throw new BlueprintSynthesisError({ message: 'the region is not supported', type: BlueprintSynthesisErrorTypes.ValidationError });
    }
  }
}
`;

  test('an error fails the job with its message and the blueprint source line, leaves no bundle', () => {
    const dir = makeBlueprint(tempDir(), THROWING, { 'src/defaults.json': '{"fail": true}' });
    writeTree(dir, { 'out/synth.defaults/proposed-bundle/options.json': '{}' });
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BlueprintSynthesisValidationError: the region is not supported');
    expect(result.stderr).toContain('at src/index.ts:9:');
    expect(result.stderr).not.toContain('node_modules'); // no framework noise without --verbose
    expect(fs.readdirSync(path.join(dir, 'out/synth.defaults'))).toEqual([]);
    const verbose = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--verbose'], { cwd: dir });
    expect(verbose.stderr).toContain('runBlueprintJob (' + path.join(ROOT, 'lib')); // the whole stack, the framework's frames too
  });

  test('a synth() override that never calls super.synth() fails the job, where it succeeded with a bundle of options.json alone', () => {
    const overriding = (body: string) => `
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    if (!options.writeOnly) new SourceFile(new SourceRepository(this, { title: 'web' }), 'a.txt', 'a');
  }
  override async synth() {
    ${body}
  }
}
`;
    const forgot = makeBlueprint(tempDir(), overriding("console.log('synthesizing');"), { 'src/defaults.json': '{}' });
    writeTree(forgot, { 'out/synth.defaults/proposed-bundle/options.json': '{}' });
    const failed = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: forgot });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('BlueprintSynthesisError: Blueprint.synth() returned without calling super.synth(): no component');
    expect(fs.readdirSync(path.join(forgot, 'out/synth.defaults'))).toEqual([]);
    // Called after an await, it counts; a blueprint with no component that writes with this.write() alone is left alone.
    const late = makeBlueprint(tempDir(), overriding('await new Promise(resolve => setTimeout(resolve, 10));\n    super.synth();'), { 'src/defaults.json': '{}' });
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: late }).code).toBe(0);
    expect(fs.readFileSync(path.join(late, 'out/synth.defaults/proposed-bundle/src/web/a.txt'), 'utf8')).toBe('a');
    const writer = makeBlueprint(tempDir(), overriding("this.write({ repositoryName: 'web', path: 'b.txt', buffer: Buffer.from('b') });"), { 'src/defaults.json': '{"writeOnly": true}' });
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: writer }).code).toBe(0);
    expect(fs.readFileSync(path.join(writer, 'out/synth.defaults/proposed-bundle/src/web/b.txt'), 'utf8')).toBe('b');
  });

  test('throwSynthesisError with a plain { name, message }, the SDK\'s idiom, fails the job with that name and message at the blueprint\'s line', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, BlueprintSynthesisErrorTypes } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    this.throwSynthesisError({
      name: BlueprintSynthesisErrorTypes.ValidationError,
      message: 'Invalid input',
    });
  }
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BlueprintSynthesisValidationError: Invalid input');
    expect(result.stderr).toContain('at src/index.ts:6:');
    expect(result.stderr).not.toContain('non-error value');
  });

  // A port of an SDK blueprint that imports what the framework does not have (the SDK's web-app imported
  // makeValidFolder, lambda-python generateWorkflow) failed at the first use with "Cannot read properties of
  // undefined (reading 'call')"; the SDK's ts-node refuses such a file before it runs.
  test('a name the framework does not export fails the job at the import that names it, with the nearest export', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceRepository } from 'bluesynth';
import {
  SourceFile,
  makeValidFoldr,
  type NotThere,
} from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const unused: NotThere | undefined = undefined;
    new SourceFile(new SourceRepository(this, { title: 'app' }), makeValidFoldr('a b.txt'), String(unused));
  }
}`, { 'src/other.ts': "import { Workflow, type Gone } from 'bluesynth';\nexport const w: Gone | typeof Workflow = Workflow;\n" });
    writeTree(dir, { 'out/synth.defaults/proposed-bundle/options.json': '{}' });
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("FrameworkImportError: src/index.ts:5 imports 'makeValidFoldr' (did you mean 'makeValidFolder'?) from bluesynth, which does not export it");
    expect(result.stderr).toContain('at src/index.ts:5:3');
    expect(result.stderr).not.toContain('Cannot read properties');
    expect(fs.readdirSync(path.join(dir, 'out/synth.defaults'))).toEqual([]);
    // Names used only as types are not values at run time (TypeScript drops them too): they are not checked.
    fs.writeFileSync(path.join(dir, 'src/index.ts'), fs.readFileSync(path.join(dir, 'src/index.ts'), 'utf8').replace(/makeValidFoldr/g, 'makeValidFolder') + "export * from './other';\n");
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir }).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app'))).toEqual(['ab.txt']);
  });

  test('with --cache too, a name the framework does not export fails at its import, as the fast runner says it; a syntax error stays esbuild\'s', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceRepository } from 'bluesynth';
import { SourceFile, makeValidFoldr } from 'bluesynth';
// Used as the file loads: the check comes before its first statement.
const name = makeValidFoldr('a b.txt');
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), name, 'text');
  }
}`);
    const env = { BLUESYNTH_CACHE_DIR: tempDir() };
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--cache'], { cwd: dir, env });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("src/index.ts:3 imports 'makeValidFoldr' (did you mean 'makeValidFolder'?) from bluesynth, which does not export it");
    expect(result.stderr).not.toContain('is not a function');
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults/proposed-bundle'))).toBe(false);
    // Fixed, the build goes on (the failed build was not kept); broken otherwise, esbuild names the line.
    const source = fs.readFileSync(path.join(dir, 'src/index.ts'), 'utf8').replace(/makeValidFoldr/g, 'makeValidFolder');
    fs.writeFileSync(path.join(dir, 'src/index.ts'), `${source}\nconst broken = ;\n`);
    const syntax = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--cache'], { cwd: dir, env });
    expect(syntax.stderr).toMatch(/building the blueprint failed: src\/index\.ts:\d+:\d+: Unexpected ";"/);
    fs.writeFileSync(path.join(dir, 'src/index.ts'), source);
    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--cache'], { cwd: dir, env }).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app'))).toEqual(['ab.txt']);
  });

  test.each(['in-process', 'process'])('a blueprint that exits early has failed, whatever its exit code (--isolation %s)', isolation => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); console.log('leaving'); process.exit(0); }
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--isolation', isolation], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the blueprint ${dir} called process.exit(0) ${isolation === 'process' ? 'before it completed' : 'while it ran in the caller\'s own process'}: a blueprint must return, or throw, instead (nothing was written)`);
    expect(result.stderr).toContain('at src/index.ts:4:');
    expect(result.stderr).toContain('leaving');
    // Nothing is left of it, not even the folders made for it.
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults'))).toBe(false);
  });

  test.each([
    ['a promise it rejected with nobody awaiting it, its synthesis synchronous', 'Promise.reject(new Error(\'nobody awaited me\'));', '', 'Error: nobody awaited me'],
    ['a timer that throws while its synthesis awaits', 'setTimeout(() => { throw new Error(\'thrown from a timer\'); }, 0);', 'override async synth() { await new Promise(resolve => setTimeout(resolve, 300)); super.synth(); }', 'Error: thrown from a timer'],
  ])('a blueprint that leaves %s fails the job, the error named and placed, and leaves no bundle', (_, inConstructor, synth, thrown) => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); new SourceFile(new SourceRepository(this, { title: 'web' }), 'a.txt', 'a'); ${inConstructor} }
  ${synth}
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toContain(`BlueprintAsyncError: the blueprint ${dir} threw outside its synthesis (from a timer, or a promise nobody awaited): ${thrown}`);
    expect(result.stderr).toContain('at src/index.ts:4:');
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults'))).toBe(false);
  });

  test('--timeout kills a job that hangs', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); const end = Date.now() + 60000; while (Date.now() < end) {} }
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--timeout', '1'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('timed out after 1000 ms');
  });

  test.each([
    ["{ code: 42, reason: 'quota' }", "{ code: 42, reason: 'quota' }"],
    ["'a plain string'", 'a plain string'],
    ['undefined', 'undefined'],
  ])('a blueprint that throws %s (no Error) fails the job showing what it threw, in-process and in a job process', (thrown, shown) => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); throw ${thrown}; }
}`);
    for (const isolation of ['in-process', 'process']) {
      const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--isolation', isolation], { cwd: dir });
      expect(result.stderr).toContain(`the blueprint threw a non-error value: ${shown}\n`);
      expect(result.code).toBe(1);
      expect(fs.existsSync(path.join(dir, 'out/synth.defaults'))).toBe(false);
    }
  });

  test('a file name holding a NUL character fails the job at the component, naming the path and the blueprint line', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); new SourceFile(new SourceRepository(this, { title: 'web' }), 'notes\\u0000.txt', 'x'); }
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toContain('SourceFile in repository \'web\': path "notes\\u0000.txt" holds a NUL character, which no file name can hold');
    expect(result.stderr).toContain('at src/index.ts:4:');
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults'))).toBe(false);
  });

  test('a file path that leaves its repository fails the job, naming the repository folder it escapes', () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); new SourceFile(new SourceRepository(this, { title: 'web' }), '../../../escaped.txt', 'x'); }
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toContain("PathEscapeError: SourceFile in repository 'web': path '../../../escaped.txt' escapes the bundle's repository folder 'src/web'");
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'escaped.txt'))).toBe(false);
  });

  test.each([
    ['a', 'a/b', "'src/web/a/b' is below 'src/web/a', a file of the bundle"],
    ['a/b', 'a', "'src/web/a' is a folder of the bundle, not a file"],
  ])('a file and a folder at one path (%s, then %s) fail the job naming both paths, as an update says it; no bundle is left', (first, second, said) => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'web' });
    new SourceFile(repo, '${first}', 'first');
    new SourceFile(repo, '${second}', 'second');
  }
}`);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toContain(`SourceFile in repository 'web': ${said}`);
    expect(result.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults'))).toBe(false);
  });

  test('a blueprint without src/index.ts is an input error', () => {
    const dir = tempDir();
    writeTree(dir, { 'package.json': '{}', 'src/defaults.json': '{}' });
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('src/index.ts: not found');
  });

  test('a blueprint without src/index.ts whose src/ holds two links to itself is the same input error, naming its TypeScript', () => {
    // Listed by following its links, such a src/ has no end: the command once ran until it was out of memory.
    const dir = tempDir();
    writeTree(dir, { 'package.json': '{}', 'src/defaults.json': '{}', 'src/blueprint.ts': '' });
    for (const name of ['a', 'b']) fs.symlinkSync('.', path.join(dir, 'src', name));
    const result = spawnSync(process.execPath, [CLI, 'synth', '--options', 'src/defaults.json', '--outdir', 'out'], {
      cwd: dir, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL',
    });
    expect(result.stderr).toContain("src/index.ts: not found (a blueprint exports its class 'Blueprint' from src/index.ts");
    expect(result.stderr).toContain("src/ holds the blueprint's TypeScript (src/blueprint.ts)");
    expect(result.status).toBe(2);
  }, 90_000);
});

describe('blueprint drive-synth', () => {
  /** An installed package with module state, which CONFIGURABLE imports. */
  const TALLY = { 'node_modules/tally/package.json': '{"name":"tally","version":"1.0.0"}', 'node_modules/tally/index.js': 'let n = 0;\nexports.next = () => ++n;\n' };
  const CONFIGURABLE = `
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
import { next } from 'tally';
let made = 0; // module state must not leak between jobs either
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    (globalThis as any).count = ((globalThis as any).count ?? 0) + 1; // global state must not leak between jobs
    made++;
    const repo = new SourceRepository(this, { title: 'repo' });
    new SourceFile(repo, 'out.txt', options.word + ' ' + (globalThis as any).count + '\\n');
    // An installed package's state neither (its code compiled once for the process, and run afresh for each job).
    const tally = next();
    if (tally > 1) new SourceFile(repo, 'tally.txt', tally + '\\n');
    if (made > 1) new SourceFile(repo, 'leaked.txt', made + '\\n');
    if (process.env.RUN_LOG) require('fs').appendFileSync(process.env.RUN_LOG, path.basename(process.argv[1]) + '\\n');
    if (options.word === 'crash') process.abort();
  }
}`;

  // In the command's own process one after another, the global object put back after each job and the blueprint's
  // modules (or the cached build's one file) run afresh; in job processes side by side.
  test.each([
    ['in-process', []],
    ['process', []],
    ['in-process', ['--cache']],
    ['process', ['--cache']],
  ])('runs one isolated job per wizard configuration, and summarizes (--isolation %s %s)', (isolation, flags) => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY,
      'src/defaults.json': '{"word": "default"}',
      'src/wizard-configurations/a.json': '{"word": "alpha"}',
      'src/wizard-configurations/b.json': '{"word": "beta"}',
      'src/wizard-configurations/c.json': '{}',
      'src/wizard-configurations/notes.txt': 'not a configuration',
    });
    const runLog = path.join(dir, 'runs.log');
    const result = runCli(['drive-synth', '--outdir', 'out', '--isolation', isolation, ...flags], { cwd: dir, env: { RUN_LOG: runLog, BLUESYNTH_CACHE_DIR: path.join(dir, 'cache') } });
    expect(result.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out')).filter(f => !f.startsWith('.')).sort()).toEqual(['synth.a', 'synth.b', 'synth.c']);
    const bundle = (c: string) => readTree(path.join(dir, 'out', `synth.${c}`, 'proposed-bundle/src/repo'));
    expect([bundle('a'), bundle('b'), bundle('c')]).toEqual([{ 'out.txt': 'alpha 1\n' }, { 'out.txt': 'beta 1\n' }, { 'out.txt': 'default 1\n' }]);
    const script = isolation === 'in-process' ? 'main.js' : 'job-process.js';
    expect(fs.readFileSync(runLog, 'utf8')).toBe(`${script}\n`.repeat(3));
    expect(result.stdout).toMatch(/ok +synth\.a +[\d.]+ s +2 files/);
    expect(result.stdout).toContain('3 of 3 synthesis jobs succeeded');
  });

  test('runs the defaults alone when there are no wizard configurations', () => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY, 'src/defaults.json': '{"word": "default"}' });
    const result = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/repo/out.txt'))).toBe(true);
  });

  test('a crashing job process fails the run but not the other jobs', () => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY,
      'src/defaults.json': '{"word": "default"}',
      'src/wizard-configurations/good.json': '{}',
      'src/wizard-configurations/bad.json': '{"word": "crash"}',
    });
    // A blueprint that crashes its process (process.abort()) in the command's own would end the command too.
    const result = runCli(['drive-synth', '--outdir', 'out', '--isolation', 'process'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL +synth\.bad/);
    expect(result.stderr).toMatch(/1 of 2 synthesis jobs succeeded in [\d.]+ s; 1 failed/);
    expect(fs.existsSync(path.join(dir, 'out/synth.good/proposed-bundle/src/repo/out.txt'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out/synth.bad/proposed-bundle'))).toBe(false);
  });

  test('a wizard configuration that does not parse fails as its own job, naming its file and line; the others run', () => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY,
      'src/defaults.json': '{"word": "default"}',
      'src/wizard-configurations/good.json': '{"word": "fine"}',
      'src/wizard-configurations/broken.json': '{\n  "word": "x",\n',
      // An earlier run's bundle would pass for this run's result.
      'out/synth.broken/proposed-bundle/src/repo/out.txt': 'stale\n',
      'out/resynth.broken/resolved-bundle/src/repo/out.txt': 'stale\n',
      'out/resynth.broken/resynth-report.json': '{}\n',
    });
    const problem = 'src/wizard-configurations/broken.json:3:1: invalid JSON: property name expected';
    const synth = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(synth.stderr).toMatch(new RegExp(`FAIL +synth\\.broken .*${problem.replace(/\./g, '\\.')}`));
    expect(synth.stderr).toContain('1 of 2 synthesis jobs succeeded');
    expect(synth.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'out/synth.good/proposed-bundle/src/repo/out.txt'), 'utf8')).toBe('fine 1\n');
    expect(fs.existsSync(path.join(dir, 'out/synth.broken/proposed-bundle'))).toBe(false);

    const resynth = runCli(['drive-resynth', '--outdir', 'out'], { cwd: dir });
    expect(resynth.stderr).toContain(problem);
    expect(resynth.stderr).toContain('1 of 2 resynthesis jobs succeeded');
    expect(resynth.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out/resynth.good/resolved-bundle/src/repo/out.txt'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out/resynth.broken/resolved-bundle'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'out/resynth.broken/resynth-report.json'))).toBe(false);

    // Its bundle's place holding the user's files is refused before anything is removed, as for any configuration.
    writeTree(dir, { 'out/synth.broken/proposed-bundle/mine.txt': 'my notes\n' });
    const refused = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(refused.stderr).toContain('out/synth.broken/proposed-bundle holds files and is not a bundle');
    expect(refused.code).toBe(2);
    expect(readTree(path.join(dir, 'out/synth.broken'))).toEqual({ 'proposed-bundle/mine.txt': 'my notes\n' });
  });

  test('defaults that do not parse feed every configuration: bad input, exit 2, nothing runs', () => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY, 'src/defaults.json': '{"word": ', 'src/wizard-configurations/good.json': '{}' });
    const result = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toBe('blueprint drive-synth: src/defaults.json:1:10: invalid JSON: value expected\n');
    expect(result.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test("a blueprint without src/defaults.json is told what the file is and where it goes, in drive-synth and drive-resynth: exit 2, nothing runs", () => {
    // yarn blueprint:synth in a blueprint whose author had not written the defaults yet said 'cannot read options (ENOENT)'.
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY, 'src/wizard-configurations/prod.json': '{}' });
    fs.rmSync(path.join(dir, 'src', 'defaults.json'));
    for (const command of ['drive-synth', 'drive-resynth']) {
      const result = runCli([command, '--blueprint', './', '--outdir', 'out'], { cwd: dir });
      expect(result.stderr).toBe(`blueprint ${command}: src/defaults.json: no such file: a blueprint's default options, which each wizard configuration ` +
        "is merged over, are its src/defaults.json ('{}' when every option is optional); or give --default-options FILE\n");
      expect(result.code).toBe(2);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    }
  });

  test('--additional-options naming no folder is bad input in drive-synth and drive-resynth: exit 2, nothing runs', () => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY, 'src/defaults.json': '{"word": "default"}', 'src/wizard-configurations/prod.json': '{}', 'notes.txt': 'a file' });
    for (const command of ['drive-synth', 'drive-resynth']) {
      // A typo of the blueprint's own folder would otherwise run the defaults alone, and pass.
      const typo = runCli([command, '--outdir', 'out', '--additional-options', './src/wizard-configuration'], { cwd: dir });
      expect(typo.stderr).toBe(`blueprint ${command}: --additional-options: './src/wizard-configuration' does not exist\n`);
      expect(typo.code).toBe(2);
      const file = runCli([command, '--outdir', 'out', '--additional-options', 'notes.txt'], { cwd: dir });
      expect(file.stderr).toBe(`blueprint ${command}: --additional-options: 'notes.txt' is not a folder\n`);
      expect(file.code).toBe(2);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    }
  });

  test("the blueprint's own wizard configurations folder may be absent, named or not (the SDK's scripts name it)", () => {
    const dir = makeBlueprint(tempDir(), CONFIGURABLE, { ...TALLY, 'src/defaults.json': '{"word": "default"}' });
    const named = runCli(['drive-synth', '--blueprint', './', '--outdir', 'out', '--additional-options', './src/wizard-configurations'], { cwd: dir });
    expect(named.stdout).toContain('1 of 1 synthesis job succeeded');
    expect(named.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/repo/out.txt'))).toBe(true);
    // As a file, even the blueprint's own folder is no folder: said, not a raw ENOTDIR.
    writeTree(dir, { 'src/wizard-configurations': 'a file' });
    const file = runCli(['drive-synth', '--outdir', 'out2'], { cwd: dir });
    expect(file.stderr).toBe("blueprint drive-synth: the wizard configurations folder: 'src/wizard-configurations' is not a folder\n");
    expect(file.code).toBe(2);
  });

  test('--examples runs every blueprint under a folder; --blueprint picks one by name', () => {
    const root = tempDir();
    makeBlueprint(path.join(root, 'one'), CONFIGURABLE, { ...TALLY, 'src/defaults.json': '{"word": "one"}' });
    makeBlueprint(path.join(root, 'two'), CONFIGURABLE, { ...TALLY, 'src/defaults.json': '{"word": "two"}' });
    fs.mkdirSync(path.join(root, 'not-a-blueprint'));
    const all = runCli(['drive-synth', '--examples', root, '--outdir', path.join(root, 'out')]);
    expect(all.code).toBe(0);
    expect(fs.readdirSync(path.join(root, 'out')).sort()).toEqual(['one', 'two']);
    const picked = runCli(['drive-synth', '--examples', root, '--outdir', path.join(root, 'out2'), '--blueprint', 'two']);
    expect(picked.code).toBe(0);
    expect(fs.readdirSync(path.join(root, 'out2'))).toEqual(['two']);
    const unknown = runCli(['drive-synth', '--examples', root, '--outdir', path.join(root, 'out3'), '--blueprint', 'three']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no blueprint 'three'");
    const mistyped = runCli(['drive-synth', '--examples', root, '--outdir', path.join(root, 'out4'), '--blueprint', 'twoo']);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain("no blueprint 'twoo' under");
    expect(mistyped.stderr).toContain("(did you mean 'two'? found: one, two)");
    expect(fs.existsSync(path.join(root, 'out4'))).toBe(false);
  });
});

describe('the folder of a bundle, when it holds the user\'s files', () => {
  const ONE_FILE = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'word.txt', (options.word ?? 'hello') + '\\n');
  }
}`;

  test('synth refuses to replace it, naming it (exit 2), and writes nothing; a bundle of an earlier run is replaced', () => {
    const dir = makeBlueprint(tempDir(), ONE_FILE);
    writeTree(dir, { 'out/synth.defaults/proposed-bundle/mine.txt': 'my notes\n', 'out2/synth.defaults/proposed-bundle': 'my file\n' });
    const folder = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(folder.stderr).toContain(`${path.join(fs.realpathSync(dir), 'out/synth.defaults/proposed-bundle')} holds files and is not a bundle (no src/ or options.json): it would be replaced as a whole; move those files, or choose another --outdir`);
    expect(folder.code).toBe(2);
    expect(readTree(path.join(dir, 'out'))).toEqual({ 'synth.defaults/proposed-bundle/mine.txt': 'my notes\n' });
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['synth.defaults']);
    expect(fs.readdirSync(path.join(dir, 'out/synth.defaults'))).toEqual(['proposed-bundle']);

    const file = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out2'], { cwd: dir });
    expect(file.stderr).toContain('out2/synth.defaults/proposed-bundle is a file: it would be replaced by a folder');
    expect(file.code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'out2/synth.defaults/proposed-bundle'), 'utf8')).toBe('my file\n');

    expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'good'], { cwd: dir }).code).toBe(0);
    writeTree(dir, { 'src/defaults.json': '{"word": "again"}' });
    const again = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'good'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readTree(path.join(dir, 'good/synth.defaults/proposed-bundle'))['src/app/word.txt']).toBe('again\n');
  });

  test('drive-synth refuses before any job runs, so no configuration is written', () => {
    const dir = makeBlueprint(tempDir(), ONE_FILE, { 'src/wizard-configurations/a.json': '{}', 'src/wizard-configurations/b.json': '{}' });
    writeTree(dir, { 'out/synth.b/proposed-bundle/notes/mine.txt': 'my notes\n' });
    const result = runCli(['drive-synth', '--outdir', 'out'], { cwd: dir });
    expect(result.stderr).toContain('out/synth.b/proposed-bundle holds files and is not a bundle');
    expect(result.code).toBe(2);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['synth.b']);
    expect(readTree(path.join(dir, 'out'))).toEqual({ 'synth.b/proposed-bundle/notes/mine.txt': 'my notes\n' });
  });
});

describe('a warning a blueprint job prints', () => {
  // copyStaticFiles from a folder static-assets/ does not have: the SDK copies nothing, and says nothing.
  const COPIES = `
import { Blueprint as ParentBlueprint, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    repo.copyStaticFiles({ from: 'web', to: 'site' });
    repo.copyStaticFiles({ from: process.env.FROM ?? 'wbe' });
  }
}
`;

  test('copyStaticFiles from a missing folder copies nothing, as in the SDK, and every command says so without --verbose', () => {
    const dir = makeBlueprint(tempDir(), COPIES, { 'static-assets/web/index.html': '<p>hi</p>\n' });
    const assets = path.join(fs.realpathSync(dir), 'static-assets');
    const warning = `warning: copyStaticFiles in repository 'app': no folder 'wbe' in ${assets}; nothing copied`;
    const lines = (text: string) => text.split('\n').map(line => line.trim()).filter(line => line.includes('copyStaticFiles'));

    const synth = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(synth.code).toBe(0);
    expect(lines(synth.stderr)).toEqual([warning]);
    expect(Object.keys(readTree(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app')))).toEqual(['site/index.html']);

    // The ancestor's and the proposed job's warning, said once.
    const resynth = runCli(['resynth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(resynth.code).toBe(0);
    expect(lines(resynth.stderr)).toEqual([warning]);

    const create = runCli(['create', '--blueprint', '.', path.join(dir, 'project')], { cwd: dir });
    expect(create.code).toBe(0);
    expect(lines(create.stderr)).toEqual([warning]);

    // A folder that exists: nothing to say.
    expect(lines(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { FROM: 'web' } }).stderr)).toEqual([]);
  }, 120_000);

  test('a workflow action that runs in an environment no Environment of the blueprint defines is a warning naming both; the files are written', () => {
    const DEPLOYS = `
import { Blueprint as ParentBlueprint, Environment, SourceRepository, Workflow, WorkflowBuilder } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    const workflow = new WorkflowBuilder(this);
    workflow.setName('deploy');
    for (const name of ['staging', process.env.ENV ?? 'prodution']) {
      workflow.addBuildAction({ actionName: 'to-' + name, input: { Sources: ['WorkflowSource'] }, steps: ['make'], environment: { Name: name, Connections: [] } });
    }
    new Workflow(this, repo, workflow.getDefinition());
    // Constructed after the workflow: the check waits for every component.
    new Environment(this, { name: 'staging', environmentType: 'DEVELOPMENT' });
    new Environment(this, { name: 'production', environmentType: 'PRODUCTION' });
  }
}
`;
    const dir = makeBlueprint(tempDir(), DEPLOYS);
    const lines = (text: string) => text.split('\n').map(line => line.trim()).filter(line => line.includes('runs in environment'));
    const synth = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(synth.code).toBe(0);
    expect(lines(synth.stderr)).toEqual([
      "warning: Workflow 'deploy' in repository 'app': action 'to_prodution' runs in environment 'prodution', which no Environment of the blueprint defines (it defines 'staging', 'production')",
    ]);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/.codecatalyst/workflows/deploy.yaml'))).toBe(true);
    expect(lines(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { ENV: 'production' } }).stderr)).toEqual([]);
  });
});
