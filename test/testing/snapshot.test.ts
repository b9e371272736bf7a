import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jestSnapshotKey, renderJestSnapshotFile } from '../../src/testing/snapshot-file';
import { NodeModule } from '../../src/runner/node-module';
import { synthesizeAll, synthesizeEach } from '../../src/testing/synthesize-all';
import { makeBlueprint, ROOT, tempDir, writeTree } from '../util';

const BLUEPRINT = `
import { Blueprint as ParentBlueprint, File, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    new SourceFile(repo, 'README.md', '# ' + options.title + '\\n');
    new SourceFile(repo, 'docs/guide.md', 'guide\\n');
    new File(repo, 'logo.bin', Buffer.from([0, 1, 2]));
  }
}`;

/** BLUEPRINT plus an executable script, as docs/components.md writes one. */
const BLUEPRINT_WITH_SCRIPT = BLUEPRINT.replace("new File(repo, 'logo.bin', Buffer.from([0, 1, 2]));", "new File(repo, 'logo.bin', Buffer.from([0, 1, 2]));\n    new File(repo, 'bin/start', Buffer.from('#!/bin/sh\\nexec node server.js\\n'), { mode: 0o755 });");

function blueprint(): string {
  return makeBlueprint(tempDir(), BLUEPRINT, {
    'src/defaults.json': JSON.stringify({ title: 'Default' }),
    'src/wizard-configurations/one.json': JSON.stringify({ title: 'One' }),
    'src/wizard-configurations/two.json': JSON.stringify({ title: 'Two' }),
  });
}

describe('synthesizeAll', () => {
  test('returns every configuration\'s files by bundle path, filtered by globs; binary files as a digest', async () => {
    const dir = blueprint();
    const all = await synthesizeAll(dir);
    expect(all.map(c => c.name)).toEqual(['one', 'two']);
    expect(Object.keys(all[0].files).sort()).toEqual(['options.json', 'src/app/README.md', 'src/app/docs/guide.md', 'src/app/logo.bin']);
    expect(all[1].files['src/app/README.md']).toBe('# Two\n');
    expect(all[0].files['src/app/logo.bin']).toMatch(/^<binary file: 3 bytes, sha256 [0-9a-f]{64}>$/);
    // options.json records the same outdir on every run, so snapshots are stable
    expect(JSON.parse(all[0].files['options.json']).outdir).toBe('synth/synth.one/proposed-bundle');
    const some = await synthesizeAll(dir, { snapshotGlobs: ['src/**'], exclude: ['**/docs/**'] });
    expect(Object.keys(some[0].files).sort()).toEqual(['src/app/README.md', 'src/app/logo.bin']);
  });

  test('a blueprint that records this.outdir gives the same bytes on every run', async () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'outdir.txt', this.outdir + '\\n');
  }
}`);
    const first = await synthesizeAll(dir);
    const second = await synthesizeAll(dir);
    expect(first[0].files['src/app/outdir.txt']).toMatch(/synth\/synth\.defaults\/proposed-bundle\n$/);
    expect(second).toEqual(first);
  });

  test('snapshotGlobs are the SDK\'s: in order, a !glob drops what earlier globs kept, and a later glob keeps it again', async () => {
    const dir = blueprint();
    for (const isolation of ['in-process', 'process'] as const) {
      const [withoutDocs] = await synthesizeAll(dir, { isolation, snapshotGlobs: ['**', '!**/docs/**'] });
      expect(Object.keys(withoutDocs.files)).toEqual(['options.json', 'src/app/README.md', 'src/app/logo.bin']);
      const [backAgain] = await synthesizeAll(dir, { isolation, snapshotGlobs: ['src/**', '!src/app/**', 'src/app/logo.bin'] });
      expect(Object.keys(backAgain.files)).toEqual(['src/app/logo.bin']);
    }
  });

  test('records the mode git keeps of each executable, in this process as the CLI does; a read-only file is ordinary', async () => {
    const source = BLUEPRINT_WITH_SCRIPT.replace("new File(repo, 'bin/start'", "new File(repo, 'locked.txt', Buffer.from('x'), { mode: 0o444 });\n    new File(repo, 'bin/start'");
    const dir = makeBlueprint(tempDir(), source, { 'src/defaults.json': JSON.stringify({ title: 'Default' }) });
    const [inProcess] = await synthesizeAll(dir);
    expect(Object.keys(inProcess.files)).toContain('src/app/locked.txt');
    expect(inProcess.modes).toEqual({ 'src/app/bin/start': 0o755 });
    expect(await synthesizeAll(dir, { isolation: 'process' })).toEqual([inProcess]);
  });

  test('in this process (the default) it gives the bytes the CLI gives, for every configuration of the service example', async () => {
    const service = path.join(ROOT, 'blueprints', 'service');
    const inProcess = await synthesizeAll(service);
    const cli = await synthesizeAll(service, { isolation: 'process' });
    expect(inProcess.map(c => c.name)).toEqual(['full', 'minimal']);
    expect(inProcess).toEqual(cli);
  });

  test('in this process, what a blueprint writes into its durable storage path stays out of the bundle, as in the CLI\'s job', async () => {
    // launch-blueprint clones its source repository there: the clone is no file of the bundle.
    const dir = makeBlueprint(tempDir(), `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'app\\n');
  }
  override synth() {
    fs.mkdirSync(path.join(this.context.durableStoragePath, 'clone'), { recursive: true });
    fs.writeFileSync(path.join(this.context.durableStoragePath, 'clone', 'README.md'), 'cloned\\n');
    return super.synth();
  }
}`);
    const [inProcess] = await synthesizeAll(dir);
    expect(Object.keys(inProcess.files).sort()).toEqual(['options.json', 'src/app/README.md']);
    expect(await synthesizeAll(dir, { isolation: 'process' })).toEqual([inProcess]);
  });

  test('in this process, each configuration loads the blueprint afresh: module state does not leak', async () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
const seen: string[] = [];
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    seen.push(options.title);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'seen.txt', seen.join(','));
  }
}`, {
      'src/defaults.json': JSON.stringify({ title: 'Default' }),
      'src/wizard-configurations/one.json': JSON.stringify({ title: 'One' }),
      'src/wizard-configurations/two.json': JSON.stringify({ title: 'Two' }),
    });
    const [one, two] = await synthesizeAll(dir);
    expect(one.files['src/app/seen.txt']).toBe('One');
    expect(two.files['src/app/seen.txt']).toBe('Two');
  });

  test('in this process, each configuration loads the framework afresh too: a shared sample the blueprint changes in place does not leak', async () => {
    // The SDK's blueprints add events to the shared SampleWorkspaces.default in place; a job process
    // starts from a pristine one, so each configuration must too.
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, DevEnvironment, SampleWorkspaces, SourceRepository, addPostStartEvent } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repo = new SourceRepository(this, { title: 'app' });
    addPostStartEvent(SampleWorkspaces.default, { eventName: 'install', command: options.command, component: 'aws-runtime' });
    new DevEnvironment(this, repo, SampleWorkspaces.default);
  }
}`, {
      'src/defaults.json': JSON.stringify({ command: 'npm ci' }),
      'src/wizard-configurations/one.json': JSON.stringify({ command: 'npm ci' }),
      'src/wizard-configurations/three.json': JSON.stringify({ command: 'yarn install' }),
      'src/wizard-configurations/two.json': JSON.stringify({ command: 'pnpm install' }),
    });
    const inProcess = await synthesizeAll(dir);
    expect(inProcess.map(c => c.name)).toEqual(['one', 'three', 'two']);
    for (const configuration of inProcess) {
      const devfile = configuration.files['src/app/devfile.yaml'];
      expect(devfile.match(/- install$/gm)).toHaveLength(1);
      expect(devfile.match(/- id: install$/gm)).toHaveLength(1);
    }
    // The bytes `blueprint drive-synth` writes, one job process per configuration.
    const cli = await synthesizeAll(dir, { isolation: 'process' });
    for (const [index, configuration] of inProcess.entries()) {
      expect(Buffer.from(configuration.files['src/app/devfile.yaml']).equals(Buffer.from(cli[index].files['src/app/devfile.yaml']))).toBe(true);
    }
    expect(inProcess).toEqual(cli);
  });

  test('in this process, the loader hooks are gone afterwards: the test process loads its own TypeScript as before', async () => {
    const nodeModule = NodeModule as any;
    const before = { ts: nodeModule._extensions['.ts'], resolve: nodeModule._resolveFilename };
    const dir = makeBlueprint(tempDir(), `import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B {}\n`);
    await synthesizeAll(dir);
    await expect(synthesizeAll(makeBlueprint(tempDir(), 'throw new Error("at load");\n'))).rejects.toThrow(/at load/);
    expect(nodeModule._extensions['.ts']).toBe(before.ts);
    expect(nodeModule._resolveFilename).toBe(before.resolve);
  });

  test('synthesizeEach: a configuration that breaks the schema or makes the blueprint throw has its error; the others their bundles', async () => {
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export interface Options { title: string; }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    if (options.title === 'Throws') throw new Error('no such title');
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', options.title);
  }
}`, {
      'src/defaults.json': JSON.stringify({ title: 'Default' }),
      'src/wizard-configurations/good.json': JSON.stringify({ title: 'Good' }),
      'src/wizard-configurations/mistyped.json': JSON.stringify({ title: 5 }),
      'src/wizard-configurations/throws.json': JSON.stringify({ title: 'Throws' }),
    });
    for (const isolation of ['in-process', 'process'] as const) {
      const outcomes = await synthesizeEach(dir, { isolation });
      expect(outcomes.map(o => [o.name, 'bundle' in o])).toEqual([['good', true], ['mistyped', false], ['throws', false]]);
      expect(outcomes[0]).toMatchObject({ bundle: { files: { 'src/app/README.md': 'Good' } } });
      expect((outcomes[1] as { error: Error }).error.message).toMatch(/mistyped\.json.*title/s);
      expect((outcomes[2] as { error: Error }).error.message).toContain('no such title');
      await expect(synthesizeAll(dir, { isolation })).rejects.toThrow(/mistyped\.json/);
    }
  });

  test('synthesizeEach: a blueprint that fails on an option validation only warned of says the warning with its error, in and out of process', async () => {
    // A required option the defaults lack is a warning (the SDK accepts such defaults); the blueprint then fails
    // reading it, and a snapshot test showed the bare TypeError alone, as the commands did before journey 102.
    const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { advanced: { branch: string } }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'BRANCH', options.advanced.branch);
  }
}`, { 'src/defaults.json': JSON.stringify({}) });
    for (const isolation of ['in-process', 'process'] as const) {
      const [outcome] = await synthesizeEach(dir, { isolation });
      expect(outcome.error!.message).toContain("Cannot read properties of undefined (reading 'branch')");
      expect(outcome.error!.message).toMatch(/likely cause: validation warned before the blueprint ran:\n.*src\/defaults\.json: \$\.advanced: required/);
      if (isolation === 'in-process') expect(outcome.error!.stack).toContain('likely cause: validation warned before the blueprint ran:');
    }
  });

  test('rejects with the CLI output when a job fails', async () => {
    const dir = makeBlueprint(tempDir(), `import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B { constructor(o: any) { super(o); throw new Error('boom'); } }\n`);
    await expect(synthesizeAll(dir)).rejects.toThrow(/boom/);
    await expect(synthesizeAll(dir, { isolation: 'process' })).rejects.toThrow(/boom/);
  });

  test('additionalOptions naming no folder rejects, naming it; the blueprint\'s own folder may be absent, however spelt', async () => {
    const dir = blueprint();
    const typo = path.join(dir, 'src/wizard-configuration');
    await expect(synthesizeAll(dir, { additionalOptions: typo })).rejects.toThrow(`additionalOptions: '${typo}' does not exist`);
    await expect(synthesizeAll(dir, { additionalOptions: typo, isolation: 'process' })).rejects.toThrow(`additionalOptions: '${typo}' does not exist`);
    fs.rmSync(path.join(dir, 'src/wizard-configurations'), { recursive: true });
    const own = await synthesizeAll(dir, { additionalOptions: path.join(dir, 'src/wizard-configurations') });
    expect(own.map(c => c.name)).toEqual(['defaults']);
  });
});

describe('snapshot tests with bluesynth/testing', () => {
  /** A jest project whose one test file snapshots the blueprint in `dir` (`options`: the call's second argument, as code). */
  function jestProject(dir: string, options?: string): string {
    const project = tempDir();
    const call = `snapshotBlueprint(${JSON.stringify(dir)}${options ? `, ${options}` : ''})`;
    writeTree(project, { 'package.json': '{}', 'blueprint.test.js': `require(${JSON.stringify(path.join(ROOT, 'lib', 'testing'))}).${call};\n` });
    return project;
  }

  /** Runs jest on such a project. */
  function jest(project: string, ci: boolean, args: string[] = []) {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', project, `--ci=${ci}`, ...args], {
      cwd: project,
      encoding: 'utf8',
    });
    return { code: result.status, output: result.stdout + result.stderr };
  }

  test('a snapshot per bundle path, written as jest writes it; a changed or removed file fails naming its path', () => {
    const dir = blueprint();
    const project = jestProject(dir);
    const first = jest(project, false);
    expect(first.output).toContain('10 snapshots written');
    expect(first.code).toBe(0);
    const snapshotFile = fs.readFileSync(path.join(project, '__snapshots__', 'blueprint.test.js.snap'), 'utf8');
    expect(snapshotFile).toContain('exports[`blueprint snapshots one: one: src/app/README.md 1`] = `\n"# One\n"\n`;');
    expect(jest(project, true).code).toBe(0);

    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT.replace("'# '", "'## '"));
    const changed = jest(project, true);
    expect(changed.code).toBe(1);
    expect(changed.output).toContain('one: src/app/README.md');
    expect(changed.output).toContain('two: src/app/README.md');
    expect(changed.output).not.toContain('one: src/app/docs/guide.md');

    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT.replace("new SourceFile(repo, 'docs/guide.md', 'guide\\n');", ''));
    const removed = jest(project, true);
    expect(removed.code).toBe(1);
    expect(removed.output).toContain('one files');
  }, 120_000);

  test('a file that loses its executable bit fails, naming the configuration\'s files list', () => {
    const dir = blueprint();
    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT_WITH_SCRIPT);
    const project = jestProject(dir);
    expect(jest(project, false).code).toBe(0);
    const snapshotFile = fs.readFileSync(path.join(project, '__snapshots__', 'blueprint.test.js.snap'), 'utf8');
    expect(snapshotFile).toContain('src/app/bin/start mode=755\nsrc/app/docs/guide.md\n');
    expect(jest(project, true).code).toBe(0);

    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT_WITH_SCRIPT.replace(', { mode: 0o755 }', ''));
    const lost = jest(project, true);
    expect(lost.code).toBe(1);
    expect(lost.output).toContain('one files');
    expect(lost.output).toContain('src/app/bin/start mode=755');
    expect(lost.output).not.toContain('one: src/app/bin/start');
  }, 120_000);

  test('a configuration that fails fails its own test only, and `jest -u` keeps its snapshots', () => {
    const dir = blueprint();
    const project = jestProject(dir);
    expect(jest(project, false).code).toBe(0);
    const snapshotFile = path.join(project, '__snapshots__', 'blueprint.test.js.snap');
    const written = fs.readFileSync(snapshotFile, 'utf8');

    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT.replace('super(options);', "super(options);\n    if (options.title === 'Two') throw new Error('two is broken');"));
    const failed = jest(project, true);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/✓ one/);
    expect(failed.output).toMatch(/✕ two/);
    expect(failed.output).toContain('two is broken');
    expect(failed.output).not.toContain('obsolete');

    const updated = jest(project, false, ['-u']);
    expect(updated.code).toBe(1);
    expect(updated.output).not.toContain('removed');
    expect(fs.readFileSync(snapshotFile, 'utf8')).toBe(written);
  }, 120_000);

  test('a blueprint that never returns ends the run with a message naming its configuration, instead of hanging it', () => {
    const dir = blueprint();
    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT.replace('super(options);', "super(options);\n    while (options.title === 'Two') {}"));
    const project = jestProject(dir, '{ timeoutMs: 3000 }');
    const started = Date.now();
    // Without the watchdog jest never ends: spawnSync's timeout stops it (status null) so that this test fails, not hangs.
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', project, '--ci'], {
      cwd: project, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL',
    });
    expect(result.stderr).toContain(`bluesynth/testing: the configuration 'two' of ${dir} has blocked this process for 3 s (a blueprint that never returns?)`);
    expect(result.status === 0).toBe(false);
    expect(result.signal === 'SIGKILL' || result.status !== null).toBe(true);
    expect(Date.now() - started).toBeLessThan(50_000);
  }, 90_000);

  test('in a process of its own, a configuration that runs too long fails, and the others synthesize', async () => {
    const dir = blueprint();
    fs.writeFileSync(path.join(dir, 'src/index.ts'), BLUEPRINT.replace('super(options);', "super(options);\n    while (options.title === 'Two') {}"));
    // The bound is long enough for configuration 'one' to start a process and synthesize on a loaded machine (CI161
    // saw it time out at 2 s while other work kept the load at 14 on 2 cores).
    const outcomes = await synthesizeEach(dir, { isolation: 'process', timeoutMs: 10_000 });
    expect(outcomes.map(o => [o.name, 'bundle' in o && o.bundle !== undefined])).toEqual([['one', true], ['two', false]]);
    expect((outcomes[1] as { error: Error }).error.message).toMatch(/timed out after 10000 ms/);
  }, 90_000);

  test('renderJestSnapshotFile writes what jest writes', () => {
    const snapshots = {
      [jestSnapshotKey('suite a', 'x: file 10')]: 'one line',
      [jestSnapshotKey('suite a', 'x: file 9')]: 'two\nlines with `ticks` and ${dollars} and \\ backslash\n',
    };
    expect(renderJestSnapshotFile(snapshots)).toBe(
      '// Jest Snapshot v1, https://goo.gl/fbAQLP\n\n' +
        'exports[`suite a: x: file 9 1`] = `\n"two\nlines with \\`ticks\\` and \\${dollars} and \\\\ backslash\n"\n`;\n\n' +
        'exports[`suite a: x: file 10 1`] = `"one line"`;\n',
    );
  });
});
