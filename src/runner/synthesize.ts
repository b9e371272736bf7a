import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Configuration, UnreadableConfiguration } from '../blueprint/options-files';
import { BundleNames, jobFolderName } from '../bundle/layout';
import type { OptionsIssue } from '../schema/validate';
import { findingsForRun, OptionsValidationError, RunFindings, ValidationMode, warnedLines } from '../schema/validate-configurations';
import { ensureWritableFolder } from '../bundle/writable';
import { getRunner, IN_PROCESS_RUNNERS, PreparedBlueprint } from './runner';
import type { JobError } from './job';
import { InPlaceBundle } from '../bundle/staging';
import { JobProcessPool, JobRequest, JobResult, notStarted, runJob } from './run-job';
import { withWarnedBefore } from './print-job';
import { defaultRunnerAlias } from './sandbox';
import { runJobInProcess } from './in-process';
import './index';
import type { ContextVariables } from '../blueprint/job-environment';
import { InterruptedError } from '../errors';

/** How blueprint code runs, for synthesis and resynthesis alike. */
export interface RunOptions {
  /**
   * The runner's alias; naming one, `fast` included, runs even a registry package with it.
   * @default 'sandbox' for a package installed from a registry (a folder inside `node_modules`), else 'fast'
   */
  readonly runner?: string;
  /** Called when a blueprint runs sandboxed because it is a registry package and no runner was named. @default nothing */
  readonly onSandboxedByDefault?: (blueprintDir: string) => void;
  /** Per-job time limit. @default none */
  readonly timeoutMs?: number;
  /**
   * Configurations at once, each running one blueprint job at a time (a resynthesis's next job's process boots
   * beside it). @default the number of cores
   */
  readonly concurrency?: number;
  /** Called when the runner compiled a blueprint rather than reusing a build. @default nothing */
  readonly onBuilt?: (blueprintDir: string, built: NonNullable<PreparedBlueprint['built']>) => void;
  /** What options that break the schema do: fail their own job, warn, or nothing. @default 'error' */
  readonly validation?: ValidationMode;
  /** Called every `heartbeatMs` while a job runs, with its name and the time it has run. @default nothing */
  readonly onStillRunning?: (name: string, ms: number) => void;
  /** How often a running job is reported to {@link onStillRunning}. @default 30 s, or `BLUESYNTH_HEARTBEAT_MS` */
  readonly heartbeatMs?: number;
  /**
   * Interrupts the run when aborted (the CLI aborts it on Ctrl-C or SIGTERM, with the signal's name as its
   * reason): running jobs are killed and the bundles they were replacing put back, jobs not started do not
   * start, and the run then rejects with an `InterruptedError`. Jobs run in this process cannot be stopped
   * midway. @default never interrupted
   */
  readonly signal?: AbortSignal;
  /**
   * Run the blueprint in this process instead of job processes (see `runInProcess`), one job at a time: no second
   * Node start, and for a long-lived process that runs many jobs of one blueprint (a fleet) projen loads once (the
   * blueprint and the framework's own modules still load afresh for each job, so no module state leaks between
   * jobs). Only for a blueprint that runs with the fast runner or from a `--cache` build (whose compiled bundle then
   * compiles once per process, and runs afresh for each job); a registry package runs sandboxed by default, in job
   * processes: this option never lifts the sandbox. The time limit applies, and `process.exit()` or an error
   * thrown from a timer fails the job (see `guardJob`); an aborted `signal` only keeps a job from starting. While a
   * blueprint runs, the process's working directory and the job's environment variables are the job's, for any
   * code running meanwhile too: give that code absolute paths. @default false
   */
  readonly inProcess?: boolean;
  /**
   * Runs each job that runs in this process (see {@link inProcess}): the CLI gives SIGINT and SIGTERM their default
   * action meanwhile (its own listeners could not run while the blueprint's code holds the thread). @default the job as it is
   */
  readonly aroundInProcessJob?: <T>(job: () => Promise<T>) => Promise<T>;
}

/** Whether the run has the jobs of the blueprint in `blueprintDir` run in this process: asked for, and with a runner that can. */
export function jobsInProcess(run: RunOptions, blueprintDir: string): boolean {
  return !!run.inProcess && IN_PROCESS_RUNNERS.includes(run.runner ?? defaultRunnerAlias(blueprintDir));
}

/** Runs a job in this process (see {@link RunOptions.inProcess}), inside the run's `aroundInProcessJob`. */
export function runJobHere(run: RunOptions, request: JobRequest): Promise<JobResult> {
  return run.aroundInProcessJob ? run.aroundInProcessJob(() => runJobInProcess(request)) : runJobInProcess(request);
}

/** The per-job settings of {@link RunOptions}: its time limit, its heartbeat, and what stops it. */
export function jobLimits(request: RunOptions): Pick<JobRequest, 'timeoutMs' | 'onStillRunning' | 'heartbeatMs' | 'signal'> {
  return { timeoutMs: request.timeoutMs, onStillRunning: request.onStillRunning, heartbeatMs: request.heartbeatMs, signal: request.signal };
}

/**
 * Rejects a run that `signal` interrupted before `unfinished` (the names of its jobs or configurations that did
 * not finish) could, once it has cleaned up, saying what it `leaves`.
 */
export function throwIfInterrupted(signal: AbortSignal | undefined, unfinished: string[], leaves: string): void {
  if (!signal?.aborted || unfinished.length === 0) return;
  throw InterruptedError.of(signal, `${unfinished.join(', ')} did not finish; ${leaves}`);
}

/** A synthesis of one blueprint with one or more configurations. */
export interface SynthesizeRequest extends RunOptions {
  /** The blueprint folder. */
  readonly blueprintDir: string;
  /** The output folder, as the user gave it; each job writes `<outdir>/synth.<config>/proposed-bundle/`. */
  readonly outdir: string;
  /** The configurations to run, one job each. */
  readonly configurations: Configuration[];
  /** Configurations whose file cannot be read: each is a failed job, with the file's error, and the others run. @default none */
  readonly unreadable?: readonly UnreadableConfiguration[];
  /** An existing bundle the blueprint can read (`EXISTING_BUNDLE_ABS`). @default none */
  readonly existingBundle?: string;
  /** Called as each job ends. @default nothing */
  readonly onResult?: (result: JobResult) => void;
}

/**
 * Runs one job per configuration, each in its own process, up to `concurrency` at once (or one after another in
 * this one: see {@link RunOptions.inProcess}), and resolves to their results: the unreadable configurations'
 * failed jobs first, then the others in configuration order. It never throws for a failed job.
 */
export async function synthesize(request: SynthesizeRequest): Promise<JobResult[]> {
  const blueprintDir = path.resolve(request.blueprintDir);
  ensureWritableFolder(path.resolve(request.outdir), request.outdir);
  const unreadable = request.unreadable ?? [];
  // Every bundle's place, before the first job writes anything: a run refused for one changes nothing.
  for (const configuration of [...request.configurations, ...unreadable]) InPlaceBundle.check(path.resolve(proposedBundle(request.outdir, configuration)));
  const notRun = unreadable.map(configuration => {
    // Failed like a job that ran: the bundle of an earlier run would pass for this run's.
    fs.rmSync(path.resolve(proposedBundle(request.outdir, configuration)), { recursive: true, force: true });
    const failed = notRunResult(jobFolderName('synth', configuration.file), configuration.error);
    request.onResult?.(failed);
    return failed;
  });
  if (request.configurations.length === 0) return notRun;
  const inProcess = jobsInProcess(request, blueprintDir);
  // Jobs in this process take turns (see runInProcess); run one at a time, none moves its bundle aside before its turn.
  const concurrency = inProcess ? 1 : configurationsAtOnce(request.concurrency ?? os.availableParallelism());
  const pool = new JobProcessPool();
  try {
    // Job processes boot and load the framework while this process compiles and validates.
    const prepared = await prepareBlueprint(request, blueprintDir, pool, inProcess ? 0 : Math.min(concurrency, request.configurations.length));
    const findings = findingsForRun(blueprintDir, request.configurations, request.validation);
    const results = [...notRun, ...(await runConfigurations(request, blueprintDir, prepared, inProcess ? undefined : pool, concurrency, findings))];
    throwIfInterrupted(request.signal, results.filter(result => result.interrupted).map(result => result.name), 'no bundle is left half-written: each that did not finish is as it was before the run');
    return results;
  } finally {
    pool.disposeAll();
  }
}

/** Runs the configurations' jobs: in processes of `pool`, or in this process without one. */
function runConfigurations(request: SynthesizeRequest, blueprintDir: string, prepared: PreparedBlueprint, pool: JobProcessPool | undefined, concurrency: number, findings: RunFindings[]) {
  const env = blueprintEnvironment(blueprintDir, request.existingBundle);
  return runAll(request.configurations.map((configuration, index) => ({ configuration, found: findings[index] })), concurrency, async ({ configuration, found }) => {
    const errors = found.refused;
    const name = jobFolderName('synth', configuration.file);
    const targetAsGiven = proposedBundle(request.outdir, configuration);
    if (errors.length > 0) {
      // Failed like a job that ran: the bundle of an earlier run would pass for this run's.
      fs.rmSync(path.resolve(targetAsGiven), { recursive: true, force: true });
      const failed = invalidOptionsResult(name, errors);
      request.onResult?.(failed);
      return failed;
    }
    // Said once for the whole run (see throwIfInterrupted), not as one line per job that never started.
    if (request.signal?.aborted) return notStarted(name);
    const job: JobRequest = {
      kind: 'synth',
      name,
      blueprintDir,
      ...prepared,
      options: configuration.options,
      target: path.resolve(targetAsGiven),
      targetAsGiven,
      env: { ...env, DURABLE_STORAGE_ABS: durableStorage(request.outdir, configuration.name) } satisfies ContextVariables as Record<string, string>,
      ...jobLimits(request),
    };
    const ran = pool ? await runJob(job, pool.take({ blueprintDir, transpile: prepared.transpile, sandbox: prepared.sandbox })) : await runJobHere(request, job);
    const result = withWarnedBefore(ran, warnedLines(found));
    request.onResult?.(result);
    return result;
  });
}

/** `<outdir>/synth.<config>/proposed-bundle`, with `outdir` as given. */
function proposedBundle(outdir: string, configuration: { readonly file: string }): string {
  return path.join(outdir, jobFolderName('synth', configuration.file), BundleNames.PROPOSED);
}

/** The failed job of a configuration whose options break the schema (see {@link notRunResult}). */
export function invalidOptionsResult(name: string, errors: OptionsIssue[]): JobResult {
  return notRunResult(name, { name: 'OptionsValidationError', message: new OptionsValidationError(errors).message });
}

/**
 * The failed job of a configuration that cannot run (its options break the schema, its file cannot be read): it
 * never runs. The caller removes what an earlier run left, as after any failed job, since it would pass for this
 * run's result.
 */
export function notRunResult(name: string, error: JobError): JobResult {
  return { name, ok: false, ms: 0, files: 0, error: { name: error.name, message: error.message }, output: '' };
}

/**
 * Prepares a blueprint folder with the request's runner, or its default one (what each of its jobs will load), after starting
 * `prestart` job processes for it in `pool`, so that they warm up meanwhile.
 */
export async function prepareBlueprint(request: RunOptions, blueprintDir: string, pool: JobProcessPool, prestart: number): Promise<PreparedBlueprint> {
  const alias = request.runner ?? defaultRunnerAlias(blueprintDir);
  if (request.runner === undefined && alias === 'sandbox') request.onSandboxedByDefault?.(blueprintDir);
  const runner = getRunner(alias);
  pool.prestart({ blueprintDir, transpile: runner.transpiles, sandbox: runner.sandboxed }, prestart);
  const prepared = await runner.prepare(blueprintDir);
  if (prepared.built) request.onBuilt?.(blueprintDir, prepared.built);
  return prepared;
}

/**
 * How many of a run's configurations may run at once, at most `limit`. Each configuration has durable storage
 * of its own, unless `DURABLE_STORAGE_ABS` names one folder for all of them (see {@link durableStorage}): then
 * they run one after another, as the SDK's CLI runs every job, since blueprints keep state there from run to
 * run (launch-blueprint clones a repository into it and reuses the clone) and two runs at once race on it.
 */
export function configurationsAtOnce(limit: number): number {
  return process.env.DURABLE_STORAGE_ABS ? 1 : limit;
}

/**
 * Where a configuration's durable state lives: `DURABLE_STORAGE_ABS` when set, else
 * `<outdir>/.durable-storage/<config>/`, beside the bundles so that rewriting one never wipes it.
 */
export function durableStorage(outdir: string, config: string): string {
  if (process.env.DURABLE_STORAGE_ABS) return process.env.DURABLE_STORAGE_ABS;
  const dir = path.resolve(outdir, '.durable-storage', config);
  fs.mkdirSync(dir, { recursive: true }); // the context uses it only when it exists
  return dir;
}

/**
 * The context variables of a job, with the SDK's local defaults; variables already set in the
 * environment win, so a CI can pass the real values.
 */
export function blueprintEnvironment(blueprintDir: string, existingBundle?: string): ContextVariables {
  const manifest = readPackageJson(blueprintDir);
  const env: ContextVariables = process.env;
  return {
    CONTEXT_SPACENAME: env.CONTEXT_SPACENAME || '<<FAKE_SPACENAME>>',
    CONTEXT_PROJECTNAME: env.CONTEXT_PROJECTNAME || '<<FAKE_PROJECTNAME>>',
    CONTEXT_ENVIRONMENTID: env.CONTEXT_ENVIRONMENTID || 'prod',
    PACKAGE_NAME: env.PACKAGE_NAME || manifest.name || '<<FAKE_BLUEPRINT_PACKAGENAME>>',
    PACKAGE_VERSION: env.PACKAGE_VERSION || manifest.version || '<<FAKE_BLUEPRINT_PACKAGEVERSION>>',
    EXISTING_BUNDLE_ABS: existingBundle ? path.resolve(existingBundle) : env.EXISTING_BUNDLE_ABS || '',
    BRANCH_NAME: env.BRANCH_NAME || '',
    RESYNTH_PHASE: env.RESYNTH_PHASE || 'PROPOSED',
    // The SDK's driver sets it for the whole process, and blueprints can see it (test-blueprint records its
    // environment); Blueprint.synth sets it again for in-process synthesis.
    PROJEN_DISABLE_POST: '1',
  };
}

function readPackageJson(dir: string): { name?: string; version?: string } {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return {};
  }
}

/** Maps `items` through `work` with at most `limit` running at once, keeping the input order. */
export async function runAll<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
