import * as fs from 'fs';
import * as path from 'path';
import { readBundle } from '../../src/bundle/read';
import type * as InProcess from '../../src/runner/in-process';
import type * as RunJob from '../../src/runner/run-job';
import { makeBlueprint, ROOT, tempDir } from '../util';

/*
 * A synthesis asked into memory (what an update asks): a blueprint that leaves synth() to the framework
 * hands its components' files back in memory, in a job process as in the caller's process, and the
 * bundle folder holds only what projen wrote itself; together they are the bundle a folder synthesis
 * writes. A blueprint that overrides synth() may read its files back, so it writes them to disk.
 */
jest.setTimeout(120_000);

const { runJob }: typeof RunJob = require(path.join(ROOT, 'lib', 'runner', 'run-job.js'));
const { runJobInProcess }: typeof InProcess = require(path.join(ROOT, 'lib', 'runner', 'in-process.js'));

const work = tempDir('bluesynth-memory-bundle-');

const components = `
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'hello.txt', 'hello ' + options.name + '\\n');
    new SourceFile(repository, 'bin/run.sh', '#!/bin/sh\\n', { mode: 0o755 });
    this.writeBundleFile('src/app/current', 'hello.txt', 'test', 0o120000);
    this.ensureBundleFolder('src/empty');
    new SampleFile(this, 'src/app/sample.txt', { contents: 'written by projen\\n' });`;

const BLUEPRINTS = {
  leavesSynth: `
import { SampleFile } from 'projen';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);${components}
  }
}`,
  overridesSynth: `
import * as fs from 'fs';
import * as path from 'path';
import { SampleFile } from 'projen';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);${components}
  }
  override synth() {
    super.synth();
    // As SDK blueprints do: the files are on disk once super.synth() returned.
    fs.appendFileSync(path.join(this.outdir, 'src/app/hello.txt'), 'read back\\n');
  }
}`,
  escapes: `
import { Blueprint as ParentBlueprint, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceRepository(this, { title: 'app' });
    this.writeBundleFile('src/app/passwords', '../../../../etc/passwd', 'test', 0o120000);
  }
}`,
};

function request(kind: keyof typeof BLUEPRINTS, name: string, inMemory: boolean): RunJob.JobRequest {
  const blueprintDir = makeBlueprint(path.join(work, kind), BLUEPRINTS[kind]);
  const target = path.join(work, 'out', `${kind}-${name}`);
  return {
    kind: 'synth', name, blueprintDir, entry: path.join(blueprintDir, 'src', 'index.ts'), transpile: true,
    options: { name: 'web' }, env: inMemory ? { BLUESYNTH_BUNDLE_IN_MEMORY: '1' } : {}, target, targetAsGiven: 'proposed-bundle',
  };
}

/** The folder's files and the memory's, as one bundle; and the memory's folders. */
function wholeBundle(result: RunJob.JobResult, target: string) {
  const files = new Map([...readBundle(target), ...(result.inMemory?.files ?? [])]);
  return Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, file]) => [p, { text: file.buffer.toString('utf8'), mode: file.mode ?? 0o644 }]));
}

test.each([
  ['a job process', runJob],
  ['the caller\'s process', runJobInProcess],
])('in %s, a blueprint that leaves synth() to the framework keeps its components\' files in memory: with projen\'s, the same bundle', async (_where, run) => {
  const onDisk = request('leavesSynth', 'disk', false);
  const inMemory = request('leavesSynth', `memory-${run.name}`, true);
  const diskResult = await run(onDisk);
  const memoryResult = await run(inMemory);
  expect(diskResult.ok && memoryResult.ok).toBe(true);
  expect(diskResult.inMemory).toBeUndefined();
  // The folder holds only what projen wrote itself.
  expect([...readBundle(inMemory.target).keys()]).toEqual(['src/app/sample.txt']);
  expect([...memoryResult.inMemory!.files.keys()].sort()).toEqual(['options.json', 'src/app/bin/run.sh', 'src/app/current', 'src/app/hello.txt']);
  expect(memoryResult.inMemory!.folders).toEqual(expect.arrayContaining(['src/empty']));
  expect(memoryResult.files).toBe(5);
  expect(wholeBundle(memoryResult, inMemory.target)).toEqual(wholeBundle(diskResult, onDisk.target));
  expect(wholeBundle(memoryResult, inMemory.target)['src/app/current']).toEqual({ text: 'hello.txt', mode: 0o120000 });
  expect(fs.existsSync(path.join(onDisk.target, 'src', 'empty'))).toBe(true);
});

test('a blueprint that overrides synth() writes to disk even when memory is asked, and reads its files back', async () => {
  const job = request('overridesSynth', 'memory', true);
  const result = await runJob(job);
  expect(result.ok).toBe(true);
  expect(result.inMemory).toBeUndefined();
  expect(fs.readFileSync(path.join(job.target, 'src/app/hello.txt'), 'utf8')).toBe('hello web\nread back\n');
});

test('a link in memory that leads outside the bundle fails the job, as one on disk does, and leaves no bundle', async () => {
  for (const inMemory of [true, false]) {
    const job = request('escapes', `escape-${inMemory}`, inMemory);
    const result = await runJob(job);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ name: 'PathEscapeError' });
    expect(result.error!.message).toContain("'src/app/passwords' -> '../../../../etc/passwd'");
    expect(fs.existsSync(job.target)).toBe(false);
  }
});
