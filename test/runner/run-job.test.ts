import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as RunJob from '../../src/runner/run-job';
import { makeBlueprint, ROOT, tempDir, writeTree } from '../util';

/*
 * The job process protocol with real processes: a job process is forked ahead, gets its job over IPC,
 * and the bundle is committed only when it reported `done`. run-job forks `job-process.js` from its own
 * folder, so these tests load the build the CLI runs (tests run after `tsc --build`), not the sources.
 */
const RUN_JOB = path.join(ROOT, 'lib', 'runner', 'run-job.js');
const { runJob, JobProcess, JobProcessPool }: typeof RunJob = require(RUN_JOB);

/** Blueprint sources, one per way a job can end. */
const BLUEPRINTS = {
  good: `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    console.log('building ' + options.name);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', 'hello ' + options.name + '\\n');
  }
}`,
  earlyExit: `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  override synth() { console.log('leaving early'); process.exit(0); }
}`,
  catchesExit: `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  override synth() { try { process.exit(3); } catch { console.log('caught it'); } super.synth(); }
}`,
  throws: `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    console.error('about to throw');
    throw new TypeError('no region for ' + options.name);
  }
}`,
  crashes: `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  override synth() { process.kill(process.pid, 'SIGKILL'); }
}`,
  // Blocks the event loop: only a kill from outside ends it.
  spins: `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  override synth() { for (;;) {} }
}`,
  // Waits for ever with the event loop free, as a blueprint stuck on a network call does.
  hangs: `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  override async synth() {
    fs.writeFileSync(process.env.MARKER!, String(process.pid));
    await new Promise(() => setInterval(() => undefined, 1000));
  }
}`,
};

type Kind = keyof typeof BLUEPRINTS;

/** A blueprint folder of that kind and a request for its `defaults` job into `<root>/out`. */
function fixture(kind: Kind, timeoutMs?: number) {
  const root = tempDir('bluesynth-job-');
  const blueprintDir = makeBlueprint(path.join(root, 'bp'), BLUEPRINTS[kind]);
  const target = path.join(root, 'out', 'synth.defaults', 'proposed-bundle');
  const marker = path.join(root, 'marker');
  const request: RunJob.JobRequest = {
    kind: 'synth',
    name: 'synth.defaults',
    blueprintDir,
    entry: path.join(blueprintDir, 'src', 'index.ts'),
    transpile: true,
    options: { name: 'web' },
    env: { MARKER: marker },
    target,
    targetAsGiven: target,
    timeoutMs,
  };
  return { root, blueprintDir, target, marker, request };
}

/** Whether `pid` runs a job process (its command line names job-process.js). */
function isJobProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('job-process');
  } catch {
    return false;
  }
}

/** True while a process with that pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined, withinMs: number): Promise<T> {
  const end = Date.now() + withinMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/**
 * Job processes started while this is set record their pids in `dir` (through BLUESYNTH_JOB_NODE_ARGS,
 * the job processes' Node flags), so that a test sees processes it has no handle on.
 */
function recordJobPids(dir: string): { pids: () => number[]; restore: () => void } {
  const recorder = path.join(dir, 'record-pid.js');
  const pidsDir = path.join(dir, 'pids');
  fs.mkdirSync(pidsDir, { recursive: true });
  fs.writeFileSync(recorder, `require('fs').writeFileSync(${JSON.stringify(pidsDir)} + '/' + process.pid, '');\n`);
  const previous = process.env.BLUESYNTH_JOB_NODE_ARGS;
  process.env.BLUESYNTH_JOB_NODE_ARGS = `--require ${recorder}`;
  return {
    pids: () => fs.readdirSync(pidsDir).map(Number),
    restore: () => {
      if (previous === undefined) delete process.env.BLUESYNTH_JOB_NODE_ARGS;
      else process.env.BLUESYNTH_JOB_NODE_ARGS = previous;
    },
  };
}

/** A job process started ahead for a blueprint, its pid once it runs, and the pids recorded since. */
async function startAhead(root: string, blueprintDir: string): Promise<{ started: RunJob.JobProcess; pid: number; recorded: { pids: () => number[] } }> {
  const recorded = recordJobPids(root);
  let started: RunJob.JobProcess;
  try {
    started = new JobProcess({ blueprintDir, transpile: true });
  } finally {
    recorded.restore();
  }
  const [pid] = await waitFor('the job process to start', () => (recorded.pids().length ? recorded.pids() : undefined), 20_000);
  return { started, pid, recorded };
}

/** Folders left beside the bundle: a failed or finished job leaves no marker or staging folder. */
function besideTarget(target: string): string[] {
  const parent = path.dirname(target);
  return fs.existsSync(parent) ? fs.readdirSync(parent) : [];
}

describe('runJob', () => {
  test('a job that synthesizes reports done: the bundle is committed, its output kept', async () => {
    const { target, request } = fixture('good');
    const result = await runJob(request);
    expect(result).toMatchObject({ name: 'synth.defaults', ok: true, files: 2 });
    expect(result.error).toBeUndefined();
    expect(result.output).toContain('building web');
    expect(fs.readFileSync(path.join(target, 'src/app/hello.txt'), 'utf8')).toBe('hello web\n');
    // options.json records the output folder as given, which the job receives in its environment
    expect(JSON.parse(fs.readFileSync(path.join(target, 'options.json'), 'utf8'))).toEqual({ name: 'web', outdir: target });
    expect(besideTarget(target)).toEqual(['proposed-bundle']);
  });

  test('the job arrives over IPC at a process started ahead, which waited for it', async () => {
    const { root, target, request } = fixture('good');
    const { started, pid, recorded } = await startAhead(root, request.blueprintDir);
    // Idle, it waits for its job rather than ending.
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(alive(pid)).toBe(true);
    const result = await runJob(request, started);
    expect(result.ok).toBe(true);
    expect(fs.readFileSync(path.join(target, 'src/app/hello.txt'), 'utf8')).toBe('hello web\n');
    expect(recorded.pids()).toEqual([pid]); // the job ran in the process started ahead, and no other
    expect(alive(pid)).toBe(false); // one job per process
  });

  test('a bundle another run is writing is refused before the job runs, and the process started ahead is ended', async () => {
    const { root, target, request } = fixture('good');
    // A live run's marker beside the bundle: this process's own id stands for that run.
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.mkdirSync(path.join(path.dirname(target), `.proposed-bundle.writing-${process.pid}-other`));
    const { started, pid } = await startAhead(root, request.blueprintDir);
    await expect(runJob(request, started)).rejects.toThrow(`${target} is being written by another run (process ${process.pid})`);
    expect(fs.existsSync(target)).toBe(false);
    await waitFor('the process started ahead to end', () => !alive(pid) || !isJobProcess(pid), 10_000);
  });

  test('the marker of a run whose process id now belongs to another process is stale: the job runs', async () => {
    const { target, request } = fixture('good');
    // This process's id, with a start time that is not this process's: an earlier holder of the id.
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.mkdirSync(path.join(path.dirname(target), `.proposed-bundle.writing-${process.pid}-1-abcdef`));
    expect(await runJob(request)).toMatchObject({ ok: true });
    expect(besideTarget(target)).toEqual(['proposed-bundle']);
  });

  test('a blueprint that exits before synth() returned has failed, even with exit code 0', async () => {
    const { target, request } = fixture('earlyExit');
    const result = await runJob(request);
    expect(result).toMatchObject({ ok: false, files: 0 });
    // The call itself fails the job, named and placed at the blueprint's line, not as a process that ended early.
    expect(result.error).toMatchObject({
      name: 'BlueprintExitError',
      message: expect.stringMatching(/^the blueprint \S+ called process\.exit\(0\) before it completed: a blueprint must return, or throw, instead \(nothing was written\)$/),
      location: 'src/index.ts:4:52',
    });
    expect(result.output).toContain('leaving early');
    expect(besideTarget(target)).toEqual([]);
  });

  test('a blueprint that catches what its process.exit() threw and goes on has failed all the same', async () => {
    const { target, request } = fixture('catchesExit');
    const result = await runJob(request);
    expect(result).toMatchObject({ ok: false, files: 0, error: { name: 'BlueprintExitError', location: 'src/index.ts:4:28' } });
    expect(result.error!.message).toContain('called process.exit(3) before it completed');
    expect(result.output).toContain('caught it');
    expect(besideTarget(target)).toEqual([]);
  });

  test('an error is reported with its name, message and the blueprint line that threw', async () => {
    const { target, request } = fixture('throws');
    // A bundle from an earlier run would pass for this run's result.
    writeTree(target, { 'options.json': '{}', 'stale.txt': 'old' });
    const result = await runJob(request);
    expect(result).toMatchObject({ ok: false, files: 0 });
    expect(result.error).toMatchObject({ name: 'TypeError', message: 'no region for web', location: 'src/index.ts:7:11' });
    expect(result.error!.stack).toContain('job-process.js');
    expect(result.output).toContain('about to throw');
    expect(besideTarget(target)).toEqual([]);
  });

  test('a process killed by a signal has failed, and says which signal', async () => {
    const { target, request } = fixture('crashes');
    const result = await runJob(request);
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ name: 'JobError', message: 'the blueprint process exited (signal SIGKILL) before it completed' });
    expect(besideTarget(target)).toEqual([]);
  });

  test('a job that never returns is killed at its time limit, even with its event loop blocked', async () => {
    const { root, target, request } = fixture('spins', 4000);
    const recorded = recordJobPids(root);
    const begun = Date.now();
    let result: RunJob.JobResult;
    try {
      result = await runJob(request);
    } finally {
      recorded.restore();
    }
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ name: 'JobError', message: 'timed out after 4000 ms' });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(4000);
    // Its process is gone when runJob resolves.
    expect(recorded.pids()).toHaveLength(1);
    expect(alive(recorded.pids()[0])).toBe(false);
    expect(besideTarget(target)).toEqual([]);
  });
});

describe('JobProcessPool', () => {
  test('hands out the processes it started for a blueprint, a new one for another, and ends the idle ones', async () => {
    const root = tempDir('bluesynth-pool-');
    const good = fixture('good');
    const other = fixture('good');
    const recorded = recordJobPids(root);
    const pool = new JobProcessPool();
    try {
      pool.prestart({ blueprintDir: good.blueprintDir, transpile: true }, 2);
      await waitFor('two job processes', () => recorded.pids().length === 2, 20_000);
      const [first, second] = recorded.pids();

      // A job of the same blueprint and runner takes a process started ahead.
      expect((await runJob(good.request, pool.take({ blueprintDir: good.blueprintDir, transpile: true }))).ok).toBe(true);
      expect(recorded.pids()).toHaveLength(2);
      expect([alive(first), alive(second)].sort()).toEqual([false, true]);

      // Another blueprint, or another runner, does not fit the one left: it gets a process of its own.
      const [left] = [first, second].filter(alive);
      expect((await runJob(other.request, pool.take({ blueprintDir: other.blueprintDir, transpile: true }))).ok).toBe(true);
      expect(recorded.pids()).toHaveLength(3);
      pool.take({ blueprintDir: good.blueprintDir, transpile: false }).dispose();
      expect(alive(left)).toBe(true);

      pool.disposeAll();
      await waitFor('every job process to end', () => recorded.pids().every(pid => !alive(pid)), 10_000);
    } finally {
      recorded.restore();
      pool.disposeAll();
    }
  });
});

describe('a job process whose parent is gone', () => {
  /**
   * Starts a parent Node process that starts a job process (only started, or running `kind`'s job),
   * kills the parent with SIGKILL, which gives it no chance to end its child, and resolves to the pid of the
   * job process once the parent is gone.
   */
  async function orphan(kind: Kind, withJob: boolean): Promise<number> {
    const { root, marker, request } = fixture(kind);
    const recorded = recordJobPids(root);
    const parentScript = path.join(root, 'parent.js');
    fs.writeFileSync(parentScript, `
const { JobProcess, runJob } = require(${JSON.stringify(RUN_JOB)});
const request = JSON.parse(process.argv[2]);
if (${withJob}) runJob(request);
else new JobProcess({ blueprintDir: request.blueprintDir, transpile: true });
setInterval(() => undefined, 1000);
`);
    const parent = spawn(process.execPath, [parentScript, JSON.stringify(request)], {
      stdio: 'ignore',
      env: process.env, // jest's copy, with the pid recorder set: spawn's default is the process's own
    });
    try {
      const pid = await waitFor('the job process to start', () => recorded.pids()[0], 20_000);
      // Running: wait until the blueprint is inside synth(); idle: until the warm-up had time to finish.
      if (withJob) await waitFor('the blueprint to run', () => fs.existsSync(marker), 20_000);
      else await new Promise(resolve => setTimeout(resolve, 1000));
      expect(alive(pid)).toBe(true);
      const exited = new Promise(resolve => parent.once('exit', resolve));
      parent.kill('SIGKILL');
      await exited;
      return pid;
    } finally {
      recorded.restore();
      parent.kill('SIGKILL');
    }
  }

  /** Waits for the orphaned job process to end, and kills it if it does not, so that a failure leaves nothing behind. */
  async function expectToEnd(pid: number): Promise<void> {
    try {
      await waitFor(`job process ${pid} to end`, () => !alive(pid), 10_000);
    } finally {
      // Only if it is still the job process: on a busy machine its pid may already belong to another process.
      if (alive(pid) && isJobProcess(pid)) process.kill(pid, 'SIGKILL');
    }
  }

  test('a job process still waiting for its job ends', async () => {
    await expectToEnd(await orphan('good', false));
  });

  test('a job process running a blueprint that waits ends', async () => {
    await expectToEnd(await orphan('hangs', true));
  });
});
