import type { ResynthOptions } from '../blueprint/blueprint';
import { defaultsFileOf } from '../blueprint/options-files';
import { BUNDLE_IN_MEMORY_ENV } from '../blueprint/job-environment';
import { DEFERRED_EXISTING_ENV, DeferredFolder } from '../bundle/deferred-folder';
import { BundleNames } from '../bundle/layout';
import { recordOutdir } from '../bundle/recorded-outdir';
import { InterruptedError, JobFailedError } from '../errors';
import { warnedBeforeLines, warningLines, withWarnedBefore } from '../runner/print-job';
import { printableText } from '../printable';
import { JobProcessPool, JobRequest, JobResult, runJob } from '../runner/run-job';
import { getRunner, PreparedBlueprint } from '../runner/runner';
import { defaultRunnerAlias } from '../runner/sandbox';
import { blueprintEnvironment, jobsInProcess, prepareBlueprint, runJobHere, RunOptions } from '../runner/synthesize';
import { validateConfigurations, validateForRun } from '../schema/validate-configurations';
import type { OptionsLayer } from '../schema/validate';

/** Raised when a blueprint job of a create, update or check failed: the CLI exits 1, or 2 for bad input. */
export class BlueprintJobError extends JobFailedError {
  /** 2 when the job failed on bad input (see {@link INPUT_ERRORS}), else 1. */
  public override readonly exitCode: number;

  constructor(readonly result: JobResult) {
    // What validation warned of (see withWarnedBefore) last, below what the blueprint printed: the line read first.
    const warned = warnedBeforeLines(result.error).map(line => `\n${line}`).join('');
    super(`${result.name} failed: ${result.error?.name}: ${result.error?.message}${result.error?.location ? ` (at ${result.error.location})` : ''}${result.output.trim() ? `\n${result.output.trim().split('\n').slice(-20).join('\n')}` : ''}${warned}`, { name: 'BlueprintJobError' });
    this.exitCode = INPUT_ERRORS.includes(result.error?.name ?? '') ? 2 : 1;
  }
}

/**
 * The errors of a job that mean bad input, not a failed job: a source that is not a blueprint, and options the
 * blueprint's own checks refuse (`throwSynthesisError` with the SDK's validation error), as the schema's are.
 */
const INPUT_ERRORS = ['InputError', 'OptionsValidationError', 'BlueprintSynthesisValidationError'];

/** Where a project command's options come from, so that a value the schema refuses is blamed on its origin. */
export interface OptionsOrigin {
  /** Where the base values come from: a defaults file, or in words (the recorded options). @default the blueprint's defaults file */
  readonly base?: string;
  /** The flags that set values over them, each with the values it sets, in order (see `overridesOrigin`). @default none */
  readonly overrides?: readonly OptionsLayer[];
}

/** The context a project job runs in (SDK variables), beyond the blueprint's own package. */
export interface ProjectJobContext {
  /** `EXISTING_BUNDLE_ABS`: the repository as it is, seen as a bundle. @default none */
  readonly existingBundle?: string;
  /** `INSTANTIATIONS_ABS`: the recorded instantiations, in the SDK's shape. @default none */
  readonly instantiationsFile?: string;
  /** `CUR_INSTANTIATION_ID`. @default none (a first application) */
  readonly instantiationId?: string;
  /** `DURABLE_STORAGE_ABS`. */
  readonly durableStorage: string;
}

/**
 * Runs the blueprint's jobs for a project command in one pool of job processes (or in this process): a
 * synthesis into a folder, and the blueprint's own `resynth()` over three bundle folders. Options are
 * validated against the blueprint's schema once, before the first job (as the run's `validation` says).
 */
export class BlueprintJobs {
  private readonly pool = new JobProcessPool();
  private prepared: Promise<PreparedBlueprint> | undefined;
  private validated = false;
  /** What validation warned of the options (each as {@link warn} says it, without `warning: `): a failed synthesis repeats it. */
  private warnedBefore: string[] = [];

  /**
   * @param warnings where the warnings of validation and of the jobs go, each without its `warning: ` prefix, for a
   * command that reports them as its own (an update's report, which a fleet's row and `--json` carry); printed
   * to stderr when not given.
   * @param wayOn rewords a warning of validation (without its `warning: ` prefix) before it goes there: the way on a
   * command gives for a finding of its own options (create's `--set` for a required option its defaults lack). As it
   * is when not given; a job's own warnings are never reworded.
   */
  constructor(
    private readonly blueprintDir: string,
    private readonly context: ProjectJobContext,
    private readonly run: RunOptions = {},
    private readonly warnings?: string[],
    private readonly wayOn?: (warning: string) => string,
  ) {
    this.inProcess = jobsInProcess(run, blueprintDir);
  }

  /** Whether the jobs run in this process (see {@link RunOptions.inProcess}). */
  private readonly inProcess: boolean;
  private deferred: DeferredFolder | undefined;

  /** Whether the jobs can write a deferred existing bundle themselves: a sandboxed job starts no process. */
  get mayDeferExisting(): boolean {
    return !getRunner(this.run.runner ?? defaultRunnerAlias(this.blueprintDir)).sandboxed;
  }

  /** Tells the jobs that their existing bundle is written on first read, and how (see {@link DeferredFolder}). */
  deferExisting(deferred: DeferredFolder): void {
    this.deferred = deferred;
  }

  /** Starts what the first job needs (a job process booting) without waiting for it. */
  start(): void {
    this.prepare().catch(() => undefined); // the job that awaits it reports the failure
  }

  /**
   * Synthesizes the blueprint with `options` into `target` (phase `PROPOSED` or `ANCESTOR`); throws {@link BlueprintJobError} when it fails.
   * `origin` names where the options come from in validation's findings. `repeated` says the job repeats one this command ran (the same blueprint and options): its options were validated then, and the warnings it prints were said then. `inMemory` lets a blueprint that can (see `JobResult.inMemory`) keep its components' files in memory instead of `target`.
   * A project's bundles are written into temporary folders, so the blueprint is told the bundle's name (`proposed-bundle`) as its
   * output folder, and the SDK's class, which records the folder it wrote, has its `options.json` say that name too: the
   * options it records and the pull request it describes are then the same on every run.
   */
  async synth(options: Record<string, unknown>, target: string, phase: 'PROPOSED' | 'ANCESTOR', { origin, inMemory, repeated }: { origin?: OptionsOrigin; inMemory?: boolean; repeated?: boolean } = {}): Promise<JobResult> {
    const prepared = await this.prepare();
    // A repeated job's options were validated (and their findings said, each named by its origin) by the job it repeats.
    if (!this.validated && !repeated) {
      const base = origin?.base ?? defaultsFileOf(this.blueprintDir);
      const configuration = { name: 'project', file: base, options, ...(origin?.overrides ? { layers: origin.overrides } : {}) };
      // --validation as the CLI's other commands take it: errors refuse the options; warn prints them; off does not look.
      const mode = this.run.validation ?? 'error';
      const warn = (line: string) => {
        const said = this.wayOn ? `warning: ${this.wayOn(line.replace(/^warning: /, ''))}` : line;
        this.warnedBefore.push(said.replace(/^warning: /, ''));
        this.warn(said);
      };
      if (mode === 'error') validateConfigurations(this.blueprintDir, [configuration], { defaultsFile: base, warn });
      else validateForRun(this.blueprintDir, [configuration], mode, { defaultsFile: base, warn });
      this.validated = true;
    }
    const result = await this.runOne({
      kind: 'synth', name: `synth ${phase.toLowerCase()}`, blueprintDir: this.blueprintDir, ...prepared, options,
      target, targetAsGiven: BundleNames[phase], env: { ...this.env(phase), ...(inMemory ? { [BUNDLE_IN_MEMORY_ENV]: '1' } : {}) }, timeoutMs: this.run.timeoutMs,
    });
    const completed = this.completed(withWarnedBefore(result, this.warnedBefore));
    // The SDK's own Blueprint class (a published SDK package carries it) records the folder it wrote, a work folder.
    recordOutdir(target, this.blueprintDir, BundleNames[phase]);
    // What a job process printed is shown only when it fails; its warnings are said either way (a resolve job's are in its report).
    if (!repeated) for (const line of warningLines(completed.output)) this.warn(line);
    return completed;
  }

  /** Merges three bundle folders into `target` with the blueprint's own `resynth()` (phase `RESYNTH`). */
  async resolve(options: Record<string, unknown>, bundles: { ancestor: string; existing: string; proposed: string }, target: string, merge: ResynthOptions): Promise<JobResult> {
    const prepared = await this.prepare();
    const result = await this.runOne({
      kind: 'resynth', name: 'resolve', blueprintDir: this.blueprintDir, ...prepared, options,
      // Named as the synthesis's bundle: the pull request resynth() describes is then the one an in-process merge takes from the synthesis.
      target, targetAsGiven: BundleNames.PROPOSED, env: this.env('RESYNTH'), bundles, merge, timeoutMs: this.run.timeoutMs,
    });
    return this.completed(result);
  }

  /** The result of a job that completed; else what stopped it, thrown: the run's interrupt, or the job's failure. */
  private completed(result: JobResult): JobResult {
    if (result.interrupted && this.run.signal?.aborted) throw InterruptedError.of(this.run.signal, `${result.name} did not finish; nothing was written`);
    if (!result.ok) throw new BlueprintJobError(result);
    return result;
  }

  /** Says one warning line (`warning: ...`): into the command's list when it keeps one, else on stderr. */
  private warn(line: string): void {
    if (this.warnings) this.warnings.push(line.replace(/^warning: /, ''));
    // The line is the blueprint's, escape sequences included (the list's are escaped where they are printed).
    else process.stderr.write(`${printableText(line)}\n`);
  }

  /** Ends the job processes started ahead and not used. */
  dispose(): void {
    this.pool.disposeAll();
  }

  private runOne(request: JobRequest): Promise<JobResult> {
    const stoppable = { ...request, signal: this.run.signal };
    if (this.inProcess) return runJobHere(this.run, stoppable);
    return runJob(stoppable, this.pool.take({ blueprintDir: this.blueprintDir, transpile: request.transpile, sandbox: request.sandbox }));
  }

  private prepare(): Promise<PreparedBlueprint> {
    this.prepared ??= prepareBlueprint(this.run, this.blueprintDir, this.pool, this.inProcess ? 0 : 1);
    return this.prepared;
  }

  private env(phase: string): Record<string, string> {
    const env: Record<string, string> = {
      ...blueprintEnvironment(this.blueprintDir, this.context.existingBundle),
      RESYNTH_PHASE: phase,
      DURABLE_STORAGE_ABS: this.context.durableStorage,
    };
    if (this.context.instantiationsFile) env.INSTANTIATIONS_ABS = this.context.instantiationsFile;
    if (this.context.instantiationId) env.CUR_INSTANTIATION_ID = this.context.instantiationId;
    if (this.deferred) env[DEFERRED_EXISTING_ENV] = JSON.stringify(this.deferred);
    return env;
  }
}
