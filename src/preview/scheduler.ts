import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { Configuration, defaultsFileOf, mergeOptions, readOptionsFile, readWizardConfigurations, requireDefaultsFile } from '../blueprint/options-files';
import { BundleNames, jobFolderName } from '../bundle/layout';
import { describeJobError } from '../runner/blueprint-job';
import { runResynthesis, ResynthesisRequest, ResynthesisResult } from '../runner/resynthesis';
import { lastLines } from '../runner/print-job';
import type { JobResult } from '../runner/run-job';
import { synthesize } from '../runner/synthesize';
import { validateConfigurations } from '../schema/validate-configurations';
import { LastGood } from './last-good';
import { PreviewJob, PreviewState, SCRATCH_CONFIGURATION } from './state';

/** What the preview runs, and how: the same choices as `drive-synth` / `drive-resynth`. */
export interface SchedulerOptions
  extends Pick<ResynthesisRequest, 'runner' | 'timeoutMs' | 'validation' | 'existingBundle' | 'priorDefaults' | 'priorBlueprintDir' | 'merge'> {
  readonly blueprintDir: string;
  readonly outdir: string;
  /** Also resynthesize every configuration. @default false */
  readonly resynth?: boolean;
  /** Quiet time after the last change before jobs re-run. @default 120 */
  readonly debounceMs?: number;
  /** Called with each job result, for the terminal. */
  readonly onResult?: (job: PreviewJob) => void;
}

/** How the scheduler runs its jobs: `synthesize()` and `resynth()`, or stand-ins that drive it in tests. */
export interface SchedulerJobs {
  readonly synthesize: typeof synthesize;
  readonly resynth: typeof runResynthesis;
}

/** Which configurations a change asks for: all of them, or some by name. */
export type RunRequest = 'all' | readonly string[];

/**
 * Runs the preview's jobs through `synthesize()` and `resynth()` and keeps their state for the page.
 * Requests are debounced and coalesced: while a run is going, new requests pile up and run next, once.
 * Emits `change` whenever the state changed.
 */
export class PreviewScheduler extends EventEmitter {
  readonly blueprintDir: string;
  readonly outdir: string;
  readonly lastGood: LastGood;
  /**
   * The output folder as the user gave it: the jobs record it in each bundle's `options.json`, so that the
   * preview writes the same bytes into `synth/` as `drive-synth --outdir synth` does, not an absolute path.
   */
  private readonly outdirAsGiven: string;
  private readonly jobs = new Map<string, PreviewJob>();
  private pending: Set<string> | 'all' | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private scratch: { options: Record<string, unknown>; waiters: ((job: PreviewJob) => void)[] } | undefined;
  /** Aborted by {@link stop}: the jobs running are killed, their bundles put back, as Ctrl-C does in `synth`. */
  private readonly stopping = new AbortController();
  /**
   * Aborted when a change comes in while jobs run: what they make is already out of date, and a blueprint that
   * never returns (a loop the author is about to fix) would otherwise hold every later run back for good.
   */
  private superseding: AbortController | undefined;
  /** The configurations the running jobs were asked for, while they run. */
  private runningConfigurations: Set<string> | 'all' | undefined;
  schema = false;

  constructor(private readonly options: SchedulerOptions, private readonly run: SchedulerJobs = { synthesize, resynth: runResynthesis }) {
    super();
    this.blueprintDir = path.resolve(options.blueprintDir);
    this.outdir = path.resolve(options.outdir);
    this.outdirAsGiven = options.outdir;
    this.lastGood = new LastGood(this.outdir);
    // A wizard configuration that cannot be read is listed too: the first run fails its jobs with its error and
    // runs the others, as it does for a file that breaks while the preview runs.
    const { configurations, unreadable } = this.wizardConfigurations();
    for (const configuration of [...configurations, ...unreadable]) this.ensureJobs(configuration.name, configuration.file);
    const scratch = path.join(this.outdir, `synth.${SCRATCH_CONFIGURATION}`);
    if (fs.existsSync(scratch)) this.ensureJobs(SCRATCH_CONFIGURATION, `${SCRATCH_CONFIGURATION}.json`, false);
  }

  /** The state the page shows. */
  state(): PreviewState {
    return {
      blueprint: path.basename(this.blueprintDir),
      schema: this.schema,
      busy: !!this.running || !!this.timer,
      live: true,
      jobs: [...this.jobs.values()].sort(jobOrder),
    };
  }

  job(name: string): PreviewJob | undefined {
    return this.jobs.get(name);
  }

  /**
   * The folder a job's files are served from: its own, or the last good mirror after a failure and while the
   * job runs (a job writes its bundle in place, so its folder holds a partial bundle until it ends).
   */
  jobFolder(name: string): string {
    const job = this.jobs.get(name);
    const pending = job?.stale || job?.status === 'queued' || job?.status === 'running';
    return pending && this.lastGood.has(name) ? this.lastGood.folder(name) : path.join(this.outdir, name);
  }

  /** Asks for a run of some configurations (or all), after the debounce. */
  request(what: RunRequest, debounceMs = this.options.debounceMs ?? 120): void {
    if (this.stopping.signal.aborted) return; // stopped for good
    if (what === 'all' || this.pending === 'all') this.pending = 'all';
    else this.pending = new Set([...(this.pending ?? []), ...what]);
    // A change to what is running (not the form's scratch run, which asks for no configuration) cuts the running
    // jobs short; the running loop then runs them again with it. Other changes wait for the run to end.
    const running = this.runningConfigurations;
    const changesRunning = what === 'all' || (what.length > 0 && (running === 'all' || what.some(name => running?.has(name))));
    if (running !== undefined && changesRunning) this.superseding?.abort('superseded');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, debounceMs);
    this.emit('change');
  }

  /** Synthesizes `options` (merged over the defaults) as the scratch configuration; resolves to its job. */
  runScratch(options: Record<string, unknown>): Promise<PreviewJob> {
    return new Promise(resolve => {
      this.scratch = { options, waiters: [...(this.scratch?.waiters ?? []), resolve] };
      this.ensureJobs(SCRATCH_CONFIGURATION, `${SCRATCH_CONFIGURATION}.json`, false);
      this.request([], 0);
    });
  }

  /**
   * Stops for good: nothing waiting starts, the jobs running are killed (a blueprint that never returns
   * would otherwise keep the preview from ending) and the bundles they were replacing put back; resolves
   * when nothing runs. `signal` names the reason, as the runs' interrupt messages do.
   */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
    this.pending = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopping.abort(signal);
    await this.idle();
  }

  /** Resolves when nothing is running or waiting. */
  async idle(): Promise<void> {
    while (this.running || this.timer || this.pending) {
      if (this.running) await this.running;
      else await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  private async drain(): Promise<void> {
    if (this.running) return; // the running loop picks the request up when it ends
    this.running = (async () => {
      while (this.pending !== undefined || this.scratch) {
        const pending = this.pending;
        this.pending = undefined;
        const scratch = this.scratch;
        this.scratch = undefined;
        const superseding = (this.superseding = new AbortController());
        this.runningConfigurations = pending;
        try {
          await this.runOnce(pending, scratch?.options);
        } catch (error) {
          if (!this.superseded()) this.failAll(error as Error);
        } finally {
          this.superseding = undefined;
          this.runningConfigurations = undefined;
        }
        if (superseding.signal.aborted && !this.stopping.signal.aborted) {
          // What was cut short runs again, with what was asked for meanwhile; its bundles are as they were.
          if (pending !== undefined || this.pending !== undefined) {
            this.pending = pending === 'all' || this.pending === 'all' ? 'all' : new Set([...(pending ?? []), ...(this.pending ?? [])]);
          }
          const meanwhile = this.scratch as typeof scratch; // set by runScratch while the jobs ran
          if (scratch) this.scratch = { options: meanwhile?.options ?? scratch.options, waiters: [...scratch.waiters, ...(meanwhile?.waiters ?? [])] };
          continue;
        }
        if (scratch) {
          const job = this.jobs.get(`synth.${SCRATCH_CONFIGURATION}`)!;
          for (const resolve of scratch.waiters) resolve(job);
        }
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = undefined;
      this.emit('change');
    }
  }

  /** Whether the running jobs were cut short by a change (not by {@link stop}). */
  private superseded(): boolean {
    return !!this.superseding?.signal.aborted && !this.stopping.signal.aborted;
  }

  private async runOnce(pending: Set<string> | 'all' | undefined, scratchOptions?: Record<string, unknown>): Promise<void> {
    if (pending !== undefined) {
      let all: Configuration[];
      let broken: BrokenConfiguration[] = [];
      try {
        ({ good: all, broken } = this.readConfigurations());
      } catch (error) {
        // Defaults that do not parse fail every job they feed; the last good results stay.
        this.failJobs([...this.jobs.values()].filter(j => j.configuration !== SCRATCH_CONFIGURATION), error as Error);
        all = [];
      }
      this.forgetRemoved([...all, ...broken]);
      // A wizard configuration that does not parse or validate fails its own jobs, and only those.
      for (const { name, file, error } of broken.filter(b => pending === 'all' || pending.has(b.name))) {
        this.ensureJobs(name, file);
        this.failJobs([...this.jobs.values()].filter(job => job.configuration === name), error);
      }
      await this.runConfigurations(pending === 'all' ? all : all.filter(c => pending.has(c.name)), !!this.options.resynth);
      // A change to the blueprint re-runs the scratch configuration too, with the form's last values.
      if (pending === 'all' && !scratchOptions && this.scratchOptions) scratchOptions = this.scratchOptions;
    }
    if (scratchOptions) {
      // Alone in its own synthesize(): options that do not validate fail the scratch job and nothing else.
      this.scratchOptions = scratchOptions;
      let options: Record<string, unknown>;
      try {
        options = mergeOptions(readOptionsFile(defaultsFileOf(this.blueprintDir)), scratchOptions);
      } catch (error) {
        this.failJobs([this.jobs.get(`synth.${SCRATCH_CONFIGURATION}`)!], error as Error);
        return;
      }
      // Validation names (and reads) the file a configuration came from: the form's values get one, in the output folder.
      const file = path.join(this.outdir, '.preview', `${SCRATCH_CONFIGURATION}.json`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(scratchOptions, null, 2) + '\n');
      await this.runConfigurations([{ name: SCRATCH_CONFIGURATION, file, options }], false);
    }
  }

  private async runConfigurations(configurations: Configuration[], withResynth: boolean): Promise<void> {
    if (configurations.length === 0) return;
    for (const c of configurations) this.ensureJobs(c.name, c.file, withResynth);
    const synthJobs = configurations.map(c => this.jobs.get(jobFolderName('synth', c.file))!);
    const resynthJobs = withResynth ? configurations.map(c => this.jobs.get(jobFolderName('resynth', c.file))!) : [];
    for (const job of [...synthJobs, ...resynthJobs]) this.begin(job, 'queued');
    for (const job of synthJobs) job.status = 'running';
    this.emit('change');

    const common = { blueprintDir: this.blueprintDir, outdir: this.outdirAsGiven, runner: this.options.runner, timeoutMs: this.options.timeoutMs, validation: this.options.validation, signal: AbortSignal.any([this.stopping.signal, this.superseding?.signal ?? this.stopping.signal]) };
    try {
      await this.run.synthesize({ ...common, configurations, existingBundle: this.options.existingBundle, onResult: result => this.finishSynth(result) });
    } catch (error) {
      if (this.superseded()) return;
      this.failJobs(synthJobs.filter(j => j.status !== 'ok' && j.status !== 'failed'), error as Error);
    }
    if (resynthJobs.length === 0 || this.superseded()) return;
    for (const job of resynthJobs) job.status = 'running';
    this.emit('change');
    try {
      await this.run.resynth({
        ...common,
        configurations,
        existingBundle: this.options.existingBundle,
        priorDefaults: this.options.priorDefaults,
        priorBlueprintDir: this.options.priorBlueprintDir,
        merge: this.options.merge,
        onResult: result => this.finishResynth(result),
      });
    } catch (error) {
      if (this.superseded()) return;
      this.failJobs(resynthJobs.filter(j => j.status !== 'ok' && j.status !== 'failed'), error as Error);
    }
  }

  /** The form's last values, re-run when the blueprint changes. */
  private scratchOptions: Record<string, unknown> | undefined;

  /** Before a run: keep the last good result, so a failure can fall back on it. */
  private begin(job: PreviewJob, status: PreviewJob['status']): void {
    if (!job.stale) this.lastGood.keep(this.outdir, job.name);
    job.status = status;
  }

  private finishSynth(result: JobResult): void {
    const job = this.jobs.get(result.name);
    // A job cut short by a change runs again: it did not fail.
    if (!job || (result.interrupted && this.superseded())) return;
    this.settle(job, result.ok, result.ms, result.files, result.ok ? undefined : result);
  }

  private finishResynth(result: ResynthesisResult): void {
    const job = this.jobs.get(result.name);
    if (!job || (result.interrupted && this.superseded())) return;
    const failed = result.jobs.find(j => !j.ok);
    if (result.ok) job.totals = result.report?.totals;
    this.settle(job, result.ok, result.ms, result.report?.totals.files, failed);
  }

  private settle(job: PreviewJob, ok: boolean, ms: number, files: number | undefined, failed?: JobResult): void {
    job.ms = ms;
    job.status = ok ? 'ok' : 'failed';
    if (ok) {
      job.files = files;
      job.error = undefined;
      job.output = undefined;
      job.generation++;
      job.finishedAt = Date.now();
      job.stale = false;
      this.lastGood.drop(job.name);
    } else {
      const phase = failed && failed.name !== job.name ? failed.name.slice(job.name.length).trim() : undefined;
      job.error = failed?.error ? { ...failed.error, phase } : { name: 'Error', message: 'the job failed' };
      job.output = failed?.output ? lastLines(failed.output, 40) : undefined;
      job.stale = this.lastGood.has(job.name);
      if (!job.stale) job.generation = 0;
    }
    this.options.onResult?.(job);
    this.emit('change');
  }

  private failAll(error: Error): void {
    this.failJobs([...this.jobs.values()].filter(j => j.status === 'queued' || j.status === 'running'), error);
  }

  private failJobs(jobs: PreviewJob[], error: Error): void {
    for (const job of jobs) {
      job.status = 'failed';
      job.ms = 0; // no job ran: the time of an earlier run would pass for this one's
      // Through the job's own description, so an error before any job ran (a syntax error the runner found while
      // preparing) names the blueprint's line as a job's failure does.
      job.error = describeJobError(error, this.blueprintDir);
      job.stale = this.lastGood.has(job.name) || (job.generation > 0 && fs.existsSync(path.join(this.outdir, job.name)));
      this.options.onResult?.(job);
    }
    this.emit('change');
  }

  private wizardConfigurations() {
    return readWizardConfigurations(requireDefaultsFile(defaultsFileOf(this.blueprintDir)), path.join(this.blueprintDir, BlueprintFolder.WIZARD_CONFIGURATIONS));
  }

  /**
   * The configurations to run, but one wizard configuration that does not parse or does not validate is set
   * apart with its error instead of failing them all (synthesize() validates its configurations together, so
   * one bad file would fail every job). Throws only for the defaults, which every configuration is merged over.
   */
  private readConfigurations(): { good: Configuration[]; broken: BrokenConfiguration[] } {
    const { configurations: good, unreadable } = this.wizardConfigurations();
    const broken: BrokenConfiguration[] = [...unreadable];
    try {
      validateConfigurations(this.blueprintDir, good, { warn: () => undefined });
    } catch {
      // Some do not validate: find which, one at a time (the common case above validates them all at once).
      for (const configuration of [...good]) {
        try {
          validateConfigurations(this.blueprintDir, [configuration], { warn: () => undefined });
        } catch (error) {
          good.splice(good.indexOf(configuration), 1);
          broken.push({ name: configuration.name, file: configuration.file, error: error as Error });
        }
      }
    }
    return { good, broken };
  }

  /** Adds the jobs of a configuration, picking up a result a previous run left on disk. */
  private ensureJobs(configuration: string, file: string, withResynth = true): void {
    const kinds: ('synth' | 'resynth')[] = withResynth && this.options.resynth ? ['synth', 'resynth'] : ['synth'];
    for (const kind of kinds) {
      const name = jobFolderName(kind, file);
      if (this.jobs.has(name)) continue;
      const bundle = path.join(this.outdir, name, kind === 'synth' ? BundleNames.PROPOSED : BundleNames.RESOLVED);
      const exists = fs.existsSync(bundle);
      this.jobs.set(name, {
        name,
        kind,
        configuration,
        // The scratch job runs only when the form asks; its result from an earlier preview is shown as it is.
        status: configuration === SCRATCH_CONFIGURATION && exists ? 'ok' : 'queued',
        generation: exists ? 1 : 0,
        finishedAt: exists ? fs.statSync(bundle).mtimeMs : undefined,
      });
    }
  }

  /** A wizard configuration that was deleted leaves the list (its folder stays on disk). */
  private forgetRemoved(configurations: readonly { name: string }[]): void {
    const names = new Set(configurations.map(c => c.name));
    for (const [key, job] of this.jobs) {
      if (job.configuration !== SCRATCH_CONFIGURATION && !names.has(job.configuration)) this.jobs.delete(key);
    }
  }
}

/** A wizard configuration that cannot run, and why. */
interface BrokenConfiguration {
  readonly name: string;
  readonly file: string;
  readonly error: Error;
}

/** Synthesis before resynthesis, then by configuration, the scratch job last. */
function jobOrder(a: PreviewJob, b: PreviewJob): number {
  const rank = (j: PreviewJob) => (j.configuration === SCRATCH_CONFIGURATION ? 2 : j.kind === 'synth' ? 0 : 1);
  return rank(a) - rank(b) || a.configuration.localeCompare(b.configuration);
}
