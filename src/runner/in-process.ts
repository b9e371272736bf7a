import { AsyncLocalStorage } from 'async_hooks';
import * as path from 'path';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { JobMessage, JobSpec } from './job';
import { describeJobError } from './blueprint-job';
import { freshModulesUnder } from './fresh-modules';
import { dropBundle, heartbeatOf, JobRequest, JobResult, keepBundle, notStarted, stageJob } from './run-job';
import { shareFrameworkModules } from './module-map';
import { NodeModule } from './node-module';
import { fillExistingOnFirstRead } from './deferred-existing';
import { registerTypeScript } from './transpile';
import { requireWithCodeCache } from './code-cache';
import { guardJob } from './job-guard';

/**
 * The module that runs a job on a loaded blueprint, in the compiled framework a blueprint's `bluesynth`
 * resolves to: loaded beside the blueprint, it is the same copy as the blueprint's, as in a job process.
 */
const BLUEPRINT_JOB = path.join(FRAMEWORK_ROOT, 'lib', 'runner', 'blueprint-job.js');

/**
 * The process the blueprint runs in, as Node's own modules see it: under jest, `process` is a copy for the
 * test's sandbox, and environment variables set on it would not reach code loaded by Node's loader.
 */
const nodeProcess: NodeJS.Process = NodeModule.createRequire(__filename)('process');

/** The global object the blueprint's code sees, as Node's own modules do (under jest, the test's is another). */
const nodeGlobal: object = NodeModule.createRequire(__filename)('vm').runInThisContext('globalThis');

/** The call running now: calls take turns, since each sets the process's environment and working directory. */
let running: Promise<unknown> = Promise.resolve();

/**
 * Runs one job in this process, with no job process: the blueprint loads as in a job of the fast runner
 * (TypeScript stripped on the fly; `bluesynth`, `projen` and `constructs` resolved to the copies a job
 * would load) through Node's own module loader, also under jest; a `--cache` build's one file, compiled once per
 * process, runs afresh as a job process runs it (see `requireWithCodeCache`). Each call loads the blueprint (its folder,
 * its own dependencies included) and the framework's own modules afresh, as a job process does, so no
 * module state leaks from one call into the next (a shared sample the blueprint changes in place, say);
 * the job itself is run by that same fresh copy of the framework, so the blueprint's objects are the
 * framework's own kind to it. The framework's third-party dependencies (projen, constructs) stay loaded
 * from one call to the next: loading them is most of a job process's start-up. For the call, the job's
 * environment variables are set and its working directory is the blueprint folder, as in a job process; the
 * global object's properties are put back after it (see `keepGlobals`), and the loader hooks are in place only
 * during the call, so the rest of the process loads as before. Calls take turns. Throws what the blueprint threw;
 * writes only where the blueprint writes (`spec.outdir`).
 * The job is guarded (see {@link guardJob}): `process.exit()`, an error thrown from a timer and, with
 * `limitMs`, running past that time limit fail it, and the process's environment is the caller's again
 * after it, including variables the blueprint set itself.
 *
 * @param output where what the job prints is collected (see `divertOutput`) @default none: it goes to standard error
 */
export function runInProcess(spec: JobSpec, limitMs?: number, output?: string[]): Promise<JobMessage & { type: 'done' }> {
  const turn = running.then(() => runNow(spec, limitMs, output));
  running = turn.catch(() => undefined);
  return turn;
}

/**
 * {@link runJob} in this process ({@link runInProcess}): the same bundle written in place and kept only
 * when the blueprint completed, the same result, with what the blueprint printed as its `output`, as a job
 * process's (its caller says the warnings among it, and shows the rest only when the job failed).
 * The request's time limit applies (see {@link guardJob}), and its heartbeat while the blueprint waits; an interrupt
 * cannot stop code running in this process, so a job is only kept from starting once its signal is aborted.
 */
export async function runJobInProcess(request: JobRequest): Promise<JobResult> {
  const begun = Date.now();
  // Code running in this process cannot be stopped midway; a job not started yet can be kept from starting.
  if (request.signal?.aborted) return notStarted(request.name);
  const { spec, bundle } = stageJob(request);
  let done: JobMessage & { type: 'done' };
  const output: string[] = [];
  const heartbeat = heartbeatOf(request);
  // Told only while the blueprint waits (its own I/O, a child process): code that holds the thread holds the timer too.
  const beat = heartbeat ? setInterval(() => heartbeat.tell(Date.now() - begun), heartbeat.ms) : undefined;
  try {
    done = await runInProcess(spec, request.timeoutMs, output);
  } catch (error) {
    return dropBundle(bundle, request, begun, describeJobError(error, request.blueprintDir), output.join(''));
  } finally {
    clearInterval(beat);
  }
  return keepBundle(bundle, request, begun, done, output.join(''));
}

async function runNow(spec: JobSpec, limitMs: number | undefined, output: string[] | undefined): Promise<JobMessage & { type: 'done' }> {
  const dir = path.resolve(spec.blueprintDir);
  const restore = applyEnvironment(spec.env);
  const plainEnvironment = fillExistingOnFirstRead(nodeProcess, spec.env);
  const cwd = nodeProcess.cwd();
  // A `--cache` build is JavaScript already, loaded as a job process loads it (see requireWithCodeCache).
  const unregister = spec.transpile ? registerTypeScript() : () => undefined;
  const unshare = shareFrameworkModules(dir);
  const restoreModules = freshModulesUnder([{ dir, withDependencies: true }, { dir: FRAMEWORK_ROOT }]);
  const diverted = divertOutput(nodeProcess, output);
  const restoreGlobals = keepGlobals(nodeGlobal);
  try {
    nodeProcess.chdir(dir);
    let saveCache = () => {};
    const done = await diverted.within(() => guardJob(nodeProcess, `the blueprint ${dir}`, limitMs, () => {
      const job = NodeModule.createRequire(BLUEPRINT_JOB)(BLUEPRINT_JOB) as typeof import('./blueprint-job');
      if (spec.transpile) return job.runBlueprintJob(NodeModule.createRequire(spec.entry)(spec.entry), spec);
      const loaded = requireWithCodeCache(spec.entry);
      saveCache = loaded.saveCache;
      return job.runBlueprintJob(loaded.exports, spec);
    }));
    // Made after the job ran, as a job process makes it. A cache that cannot be written only costs speed.
    try {
      saveCache();
    } catch {
      // see above
    }
    return done;
  } finally {
    restoreGlobals();
    diverted.restore();
    restoreModules();
    unshare();
    unregister();
    nodeProcess.chdir(cwd);
    plainEnvironment();
    restore();
  }
}

/**
 * Diverts what the job writes to standard output and standard error (`within` it: the job, and whatever its callbacks
 * and promises start), and returns how to put the streams back. Into `output` when given, as a job process's output
 * is kept; else to standard error, since standard output is the command's own (the report of `update --json`, which a
 * blueprint that logs its options would otherwise corrupt), and a job process's output never reaches it either. What
 * the rest of the process writes meanwhile (a fleet's rows) goes where it went.
 */
function divertOutput(proc: NodeJS.Process, output: string[] | undefined): { within: <T>(job: () => T) => T; restore: () => void } {
  const job = new AsyncLocalStorage<true>();
  const writes = { stdout: proc.stdout.write, stderr: proc.stderr.write };
  const divert = (stream: 'stdout' | 'stderr') => function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    if (!job.getStore()) return (writes[stream] as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    if (!output) return (writes.stderr as (...a: unknown[]) => boolean).call(proc.stderr, chunk, ...rest);
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find(arg => typeof arg === 'function') as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  };
  proc.stdout.write = divert('stdout') as typeof proc.stdout.write;
  proc.stderr.write = divert('stderr') as typeof proc.stderr.write;
  return {
    within: run => job.run(true, run),
    restore: () => {
      proc.stdout.write = writes.stdout;
      proc.stderr.write = writes.stderr;
    },
  };
}

/**
 * Takes note of the global object's own properties, and returns how to put them back: those the job added go, those
 * it replaced or removed come back. A blueprint that keeps state there (`globalThis.count = ...`) would otherwise
 * hand it to the next job in this process (the proposed job after the ancestor's, the next configuration), which a
 * job process of its own never sees. A property that cannot be redefined is left as the job made it.
 */
function keepGlobals(global: object): () => void {
  const before = new Map(Reflect.ownKeys(global).map(key => [key, Object.getOwnPropertyDescriptor(global, key)!]));
  return () => {
    for (const key of Reflect.ownKeys(global)) if (!before.has(key)) Reflect.deleteProperty(global, key);
    for (const [key, was] of before) {
      const now = Object.getOwnPropertyDescriptor(global, key);
      if (now && now.value === was.value && now.get === was.get && now.set === was.set) continue;
      try {
        Object.defineProperty(global, key, was);
      } catch {
        // Not configurable: nothing can put it back.
      }
    }
  };
}

/**
 * Sets environment variables, and returns how to put the whole environment back as it was: also the
 * variables the blueprint set or removed itself, which would otherwise reach what the caller runs next
 * (the git commands of an update: a `GIT_DIR` or `GIT_AUTHOR_NAME` of the blueprint's).
 */
function applyEnvironment(variables: Record<string, string>): () => void {
  const env = nodeProcess.env;
  const before = { ...env };
  Object.assign(env, variables);
  return () => {
    for (const name of Object.keys(env)) if (!(name in before)) delete env[name];
    for (const [name, value] of Object.entries(before)) if (env[name] !== value) env[name] = value;
  };
}
