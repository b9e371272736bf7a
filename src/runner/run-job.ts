import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BLUEPRINT_DIR_ENV, OUTDIR_AS_GIVEN_ENV } from '../blueprint/job-environment';
import { commitStaging, createStaging, discardStaging } from '../bundle/write';
import type { ResynthReport } from '../resynth/report';
import { JobError, JobMessage, JobSpec } from './job';

/** One job as the CLI asks for it: what to run, and the bundle folder it produces. */
export type JobRequest = DistributiveOmit<JobSpec, 'outdir'> & {
  /** The bundle folder to produce. */
  readonly target: string;
  /** `target` as the user gave it (recorded in options.json). */
  readonly targetAsGiven: string;
  /** Extra environment for the job (context variables). */
  readonly env: Record<string, string>;
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
}

const JOB_PROCESS = path.join(__dirname, 'job-process.js');

/**
 * Runs one job in its own process, into a staging folder that is renamed into place only when the
 * blueprint reported completion. A failure of any kind (an error, a crash, an early exit, a timeout)
 * leaves no bundle at all, and no staging folder.
 */
export async function runJob(request: JobRequest): Promise<JobResult> {
  const started = Date.now();
  const { target, targetAsGiven, env: extraEnv, timeoutMs, ...rest } = request;
  const staging = createStaging(target);
  const spec = { ...rest, outdir: staging } as JobSpec;
  const env = {
    ...process.env,
    ...extraEnv,
    [OUTDIR_AS_GIVEN_ENV]: targetAsGiven,
    [BLUEPRINT_DIR_ENV]: request.blueprintDir,
  };
  const { message, output, exit } = await runProcess(spec, env, timeoutMs);
  const ms = Date.now() - started;
  if (message?.type === 'done' && exit === 0) {
    const files = countFiles(staging);
    commitStaging(staging, target);
    return { name: request.name, ok: true, ms, files, output, report: message.report };
  }
  discardStaging(staging);
  fs.rmSync(target, { recursive: true, force: true }); // a stale bundle would pass for this run's result
  const error: JobError =
    message?.type === 'error'
      ? message.error
      : { name: 'JobError', message: exit === 'timeout' ? `timed out after ${timeoutMs} ms` : `the blueprint process exited (${exit}) before it completed` };
  return { name: request.name, ok: false, ms, files: 0, error, output };
}

function runProcess(spec: JobSpec, env: NodeJS.ProcessEnv, timeoutMs?: number) {
  return new Promise<{ message?: JobMessage; output: string; exit: number | string }>(resolve => {
    let output = '';
    let message: JobMessage | undefined;
    let timedOut = false;
    const child: ChildProcess = fork(JOB_PROCESS, [JSON.stringify(spec)], {
      cwd: spec.blueprintDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // BLUESYNTH_JOB_NODE_ARGS passes flags to job processes (`--cpu-prof`, `--inspect-brk`) for profiling and debugging.
      execArgv: (process.env.BLUESYNTH_JOB_NODE_ARGS ?? '').split(' ').filter(Boolean),
    });
    child.stdout!.on('data', chunk => (output += chunk));
    child.stderr!.on('data', chunk => (output += chunk));
    child.on('message', m => (message = m as JobMessage));
    const timer = timeoutMs ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ message, output, exit: timedOut ? 'timeout' : code ?? `signal ${signal}` });
    });
  });
}

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter(entry => !entry.isDirectory()).length;
}
