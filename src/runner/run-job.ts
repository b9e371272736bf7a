import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BLUEPRINT_DIR_ENV, OUTDIR_AS_GIVEN_ENV } from '../blueprint/job-environment';
import { listBundle } from '../bundle/read';
import { commitStaging, createStaging, discardStaging } from '../bundle/write';
import type { ResynthPullRequest } from '../blueprint/blueprint';
import type { ResynthReport } from '../resynth/report';
import { JobError, JobMessage, JobSpec, JobWarmUp } from './job';

/** One job as the CLI asks for it: what to run, and the bundle folder it produces. */
export type JobRequest = DistributiveOmit<JobSpec, 'outdir'> & {
  /** The bundle folder to produce. */
  readonly target: string;
  /** The output folder as the user gave it, recorded in options.json (usually `target` as given). */
  readonly targetAsGiven: string;
  /** Kill the job after this many milliseconds. @default no limit */
  readonly timeoutMs?: number;
};

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;

/** How a job ended. */
export interface JobResult {
  /** The job's name. */
  readonly name: string;
  /** True when the bundle was written. */
  readonly ok: boolean;
  /** Wall time in milliseconds. */
  readonly ms: number;
  /** Number of files in the bundle written. */
  readonly files: number;
  /** Why it failed. */
  readonly error?: JobError;
  /** What the blueprint printed (stdout and stderr, interleaved). */
  readonly output: string;
  /** For a resynthesis: what the merge did. */
  readonly report?: ResynthReport;
  /** The blueprint's `resynthPullRequest` after the job, when it had one. */
  readonly pullRequest?: ResynthPullRequest;
}

const JOB_PROCESS = path.join(__dirname, 'job-process.js');

/**
 * A process for one job, started before the job is known: Node's start-up and the loading of the
 * framework and projen (most of a job's time) then overlap what the CLI still has to do, such as
 * compiling for `--cache`, validating options, or waiting for another job. It runs exactly one job;
 * one that is never given a job is killed by {@link dispose}.
 */
export class JobProcess {
  private readonly child: ChildProcess;
  private output = '';
  private message: JobMessage | undefined;
  private readonly closed: Promise<number | string>;
  private killedForTimeout = false;

  constructor(readonly warm: JobWarmUp) {
    this.child = fork(JOB_PROCESS, [JSON.stringify(warm)], {
      cwd: warm.blueprintDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // BLUESYNTH_JOB_NODE_ARGS passes flags to job processes (`--cpu-prof`, `--inspect-brk`) for profiling and debugging.
      execArgv: (process.env.BLUESYNTH_JOB_NODE_ARGS ?? '').split(' ').filter(Boolean),
    });
    this.child.stdout!.on('data', chunk => (this.output += chunk));
    this.child.stderr!.on('data', chunk => (this.output += chunk));
    this.child.on('message', message => (this.message = message as JobMessage));
    this.closed = new Promise(resolve =>
      this.child.on('close', (code, signal) => resolve(this.killedForTimeout ? 'timeout' : code ?? `signal ${signal}`)),
    );
  }

  /** Whether this process can run a job of that blueprint and runner. */
  fits(warm: JobWarmUp): boolean {
    return warm.blueprintDir === this.warm.blueprintDir && warm.transpile === this.warm.transpile;
  }

  /** Sends the job and resolves when the process has ended. */
  async run(spec: JobSpec, timeoutMs?: number): Promise<{ message?: JobMessage; output: string; exit: number | string }> {
    const timer = timeoutMs ? setTimeout(() => ((this.killedForTimeout = true), this.child.kill('SIGKILL')), timeoutMs) : undefined;
    if (this.child.connected) this.child.send(spec);
    const exit = await this.closed;
    if (timer) clearTimeout(timer);
    return { message: this.message, output: this.output, exit };
  }

  /** Ends a process that was not given a job. */
  dispose(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

/**
 * Runs one job in its own process (one started ahead by the caller, or a new one), into a staging folder
 * that is renamed into place only when the blueprint reported completion. A failure of any kind (an
 * error, a crash, an early exit, a timeout) leaves no bundle at all, and no staging folder.
 */
export async function runJob(request: JobRequest, started = new JobProcess({ blueprintDir: request.blueprintDir, transpile: request.transpile })): Promise<JobResult> {
  const begun = Date.now();
  const { target, targetAsGiven, timeoutMs, ...rest } = request;
  const staging = createStaging(target);
  const spec = {
    ...rest,
    outdir: staging,
    env: { ...request.env, [OUTDIR_AS_GIVEN_ENV]: targetAsGiven, [BLUEPRINT_DIR_ENV]: request.blueprintDir },
  } as JobSpec;
  const { message, output, exit } = await started.run(spec, timeoutMs);
  const ms = Date.now() - begun;
  if (message?.type === 'done' && exit === 0) {
    const files = listBundle(staging).size;
    commitStaging(staging, target);
    return { name: request.name, ok: true, ms, files, output, report: message.report, pullRequest: message.pullRequest };
  }
  discardStaging(staging);
  fs.rmSync(target, { recursive: true, force: true }); // a stale bundle would pass for this run's result
  const error: JobError =
    message?.type === 'error'
      ? message.error
      : { name: 'JobError', message: exit === 'timeout' ? `timed out after ${timeoutMs} ms` : `the blueprint process exited (${exit}) before it completed` };
  return { name: request.name, ok: false, ms, files: 0, error, output };
}

/**
 * Job processes started ahead of their jobs, up to the number that will run at once. A job takes one that
 * fits its blueprint and runner, or gets a new process; {@link disposeAll} ends the ones left over.
 */
export class JobProcessPool {
  private readonly idle: JobProcess[] = [];

  /** Starts `count` processes for jobs of that blueprint and runner. */
  prestart(warm: JobWarmUp, count: number): void {
    for (let i = 0; i < count; i++) this.idle.push(new JobProcess(warm));
  }

  /** A started process that fits, or a new one. */
  take(warm: JobWarmUp): JobProcess {
    const index = this.idle.findIndex(candidate => candidate.fits(warm));
    return index >= 0 ? this.idle.splice(index, 1)[0] : new JobProcess(warm);
  }

  /** Ends every process that was not given a job. */
  disposeAll(): void {
    this.idle.splice(0).forEach(unused => unused.dispose());
  }
}
