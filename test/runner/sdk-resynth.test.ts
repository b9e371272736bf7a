import * as fs from 'fs';
import * as path from 'path';
import { inheritsSdkResynth, sdkStrategies } from '../../src/blueprint/framework-merge';
import { BUILTIN_STRATEGIES } from '../../src/resynth/strategies/builtins';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';

/**
 * A blueprint published with the CodeCatalyst SDK carries the SDK's own Blueprint class, whose resynth()
 * starts git: the framework merges in its place, so the sandbox (no processes) can run it.
 */

/** The SDK's base class as a published package has it: projen's Project below, resynth and its helpers on it. */
const SDK_LIKE = `
import * as fs from 'fs';
import * as path from 'path';
class Project { synth(): void {} }
class SdkBlueprint extends Project {
  outdir: string;
  context = { package: { name: 'sdk-like', version: '1.0.0' } };
  resynthPullRequest = { title: 'update sdk-like', description: 'new options', originBranch: 'resynthesis-update' };
  protected strategies: any = {};
  constructor(options: any) { super(); this.outdir = path.resolve(options.outdir); }
  resynth(): void {
    // As the SDK's does (for its diffs): a process, which the sandbox refuses.
    require('child_process').execFileSync('git', ['--version']);
    throw new Error('the SDK base resynth ran');
  }
  writeNonSourceFile(): void {}
  throwSynthesisError(error: Error): void { throw error; }
  write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(this.outdir, file), text);
  }
}
export class Blueprint extends SdkBlueprint {
  constructor(private readonly options: any) {
    super(options);
    this.strategies = { 'src/app': [{ identifier: 'keep_notes', globs: ['notes.md'], strategy: function neverUpdate(_a: any, existing: any) { return existing; } }] };
  }
  override synth(): void {
    this.write('src/app/service.txt', 'name: ' + this.options.name + '\\n\\n# where it listens\\nport: 8080\\n');
    this.write('src/app/notes.md', 'generated notes ' + this.options.name + '\\n');
  }
}
`;

test('an SDK-shaped blueprint that does not override resynth() is merged by the framework, sandboxed, with its strategies', () => {
  const dir = makeBlueprint(tempDir('bluesynth-sdk-resynth-'), SDK_LIKE, { 'src/defaults.json': JSON.stringify({ name: 'one' }) });
  writeTree(dir, { 'config/next.json': JSON.stringify({ name: 'two' }), 'config/defaults.json': JSON.stringify({ name: 'one' }) });
  const first = runCli(['synth', '--options', 'config/defaults.json', '--outdir', 'out', '--runner', 'sandbox', '--validation', 'off'], { cwd: dir });
  expect(first.code).toBe(0);
  // The project as its team changed it: a port of its own, notes of its own.
  const existing = path.join(dir, 'existing');
  fs.cpSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle'), existing, { recursive: true });
  fs.writeFileSync(path.join(existing, 'src/app/service.txt'), 'name: one\n\n# where it listens\nport: 9090\n');
  fs.writeFileSync(path.join(existing, 'src/app/notes.md'), 'our notes\n');

  const result = runCli(['resynth', '--options', 'config/next.json', '--prior-options', 'config/defaults.json', '--existing-bundle', existing,
    '--outdir', 'out', '--runner', 'sandbox', '--validation', 'off'], { cwd: dir });
  expect(result.stderr).not.toContain('SandboxError');
  expect(result.code).toBe(0);
  const resolved = path.join(dir, 'out', 'resynth.next', 'resolved-bundle');
  expect(fs.readFileSync(path.join(resolved, 'src/app/service.txt'), 'utf8')).toBe('name: two\n\n# where it listens\nport: 9090\n');
  // The blueprint's own strategy function ran.
  expect(fs.readFileSync(path.join(resolved, 'src/app/notes.md'), 'utf8')).toBe('our notes\n');
  // The SDK's pull request files, from the blueprint's resynthPullRequest.
  expect(fs.readFileSync(path.join(resolved, 'pull-request', 'resynthesis-update.yaml'), 'utf8')).toContain('update sdk-like');
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'resynth.next', 'resynth-report.json'), 'utf8'));
  expect(report.files.find((f: any) => f.path === 'src/app/notes.md')).toMatchObject({ strategy: 'keep_notes', outcome: 'unchanged' });
});

test('the SDK base class is told from a blueprint that overrides resynth() and from the framework\'s own', () => {
  class Project { synth(): void {} }
  class SdkBlueprint extends Project {
    resynth(): void {}
    writeNonSourceFile(): void {}
    throwSynthesisError(): void {}
  }
  class Plain extends SdkBlueprint {}
  class Overrides extends SdkBlueprint { override resynth(): void {} }
  expect(inheritsSdkResynth(new Plain())).toBe(true);
  expect(inheritsSdkResynth(new Overrides())).toBe(false);
  expect(inheritsSdkResynth(new Project())).toBe(false);
  expect(inheritsSdkResynth(undefined)).toBe(false);
});

test("the SDK's built-in strategies (by name) become the framework's; the blueprint's own functions stay", () => {
  const own = (_a: any, existing: any) => existing;
  const sdkThreeWay = function threeWayMerge() { return undefined; };
  const mapped = sdkStrategies({ 'src/app': [{ identifier: 'a', globs: ['*'], strategy: sdkThreeWay }, { identifier: 'b', globs: ['*'], strategy: own }] })!;
  expect(mapped['src/app'][0].strategy).toBe(BUILTIN_STRATEGIES.find(s => s.id === 'threeWayMerge')!.strategy);
  expect(mapped['src/app'][1].strategy).toBe(own);
});

test('a blueprint whose own resynth() reports nothing (the SDK\'s returns void) gets a report made by comparing the folders', () => {
  const source = SDK_LIKE.replace('export class Blueprint extends SdkBlueprint {', `export class Blueprint extends SdkBlueprint {
  override resynth(_ancestor: string, _existing: string, proposed: string): void {
    // Takes the proposed repository as it is, and says nothing.
    fs.cpSync(path.join(proposed, 'src'), path.join(this.outdir, 'src'), { recursive: true });
  }`);
  const dir = makeBlueprint(tempDir('bluesynth-sdk-void-'), source, { 'src/defaults.json': JSON.stringify({ name: 'one' }) });
  writeTree(dir, { 'config/next.json': JSON.stringify({ name: 'two' }), 'config/defaults.json': JSON.stringify({ name: 'one' }) });
  const result = runCli(['resynth', '--options', 'config/next.json', '--prior-options', 'config/defaults.json', '--outdir', 'out', '--validation', 'off'], { cwd: dir });
  expect(result.stderr).not.toContain('returned no report');
  expect(result.code).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'resynth.next', 'resynth-report.json'), 'utf8'));
  expect(report.files.find((f: any) => f.path === 'src/app/service.txt')).toMatchObject({ outcome: 'updated', strategy: 'resynth()' });
  expect(report.warnings).toContain('the blueprint\'s resynth() returned no report; outcomes come from comparing the folders');
});

test('every bundle of a resynthesis records the resolved bundle as its outdir, also where the SDK\'s own class writes options.json', () => {
  // As the SDK's Blueprint does: its constructor writes the options it was given, outdir and all.
  const source = SDK_LIKE.replace(
    'constructor(options: any) { super(); this.outdir = path.resolve(options.outdir); }',
    'constructor(options: any) { super(); this.outdir = path.resolve(options.outdir); this.write(\'options.json\', JSON.stringify(options, null, 2)); }',
  );
  const cwd = tempDir('bluesynth-sdk-outdir-'); // not the blueprint folder: the SDK class is then given the absolute folder
  const dir = makeBlueprint(path.join(cwd, 'blueprint'), source, { 'src/defaults.json': JSON.stringify({ name: 'one' }) });
  const result = runCli(['drive-resynth', '--blueprint', dir, '--outdir', 'out', '--validation', 'off'], { cwd });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const job = path.join(cwd, 'out', 'resynth.defaults');
  for (const kind of ['ancestor-bundle', 'existing-bundle', 'proposed-bundle', 'resolved-bundle']) {
    // Byte for byte what the SDK's class writes, with the one outdir for all.
    expect(fs.readFileSync(path.join(job, kind, 'options.json'), 'utf8')).toBe(JSON.stringify({ name: 'one', outdir: path.join('out', 'resynth.defaults', 'resolved-bundle') }, null, 2));
  }
  // No option changed, so nothing did.
  const report = JSON.parse(fs.readFileSync(path.join(job, 'resynth-report.json'), 'utf8'));
  expect(report.files.filter((f: any) => f.outcome !== 'unchanged')).toEqual([]);
});

test('the SDK class\'s pull request names the bundle as its outdir, never the absolute folder it ran in', () => {
  // As the SDK's defaultResynthPR does: the options it was constructed with, outdir and all, in the description.
  const source = SDK_LIKE.replace(
    "resynthPullRequest = { title: 'update sdk-like', description: 'new options', originBranch: 'resynthesis-update' };",
    "resynthPullRequest: any;",
  ).replace(
    'constructor(options: any) { super(); this.outdir = path.resolve(options.outdir); }',
    "constructor(options: any) { super(); this.outdir = path.resolve(options.outdir); this.resynthPullRequest = { title: 'update sdk-like', description: ['### New Options', JSON.stringify(options, null, 2)].join('\\n'), originBranch: 'resynthesis-update' }; }",
  );
  const cwd = tempDir('bluesynth-sdk-pr-outdir-'); // not the blueprint folder: the SDK class is then given the absolute folder
  const dir = makeBlueprint(path.join(cwd, 'blueprint'), source, { 'src/defaults.json': JSON.stringify({ name: 'one' }) });
  // Prior options unlike the current ones, so that there is something to propose.
  fs.writeFileSync(path.join(cwd, 'prior.json'), JSON.stringify({ name: 'zero' }));
  const result = runCli(['drive-resynth', '--blueprint', dir, '--outdir', 'out', '--prior-options', 'prior.json', '--validation', 'off'], { cwd });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const pullRequest = fs.readFileSync(path.join(cwd, 'out', 'resynth.defaults', 'resolved-bundle', 'pull-request', 'resynthesis-update.yaml'), 'utf8');
  expect(pullRequest).toContain('"outdir": "out/resynth.defaults/resolved-bundle"');
  expect(pullRequest).not.toContain(cwd);
});
