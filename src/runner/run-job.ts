import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import { BLUEPRINT_DIR_ENV, MemoryBundle, OUTDIR_AS_GIVEN_ENV } from '../blueprint/job-environment';
import type { FileMap } from '../bundle/file-map';
import { isAbsoluteTarget, linksOutside, memoryLinksOutside } from '../bundle/links';
import { listBundle, MAX_BUNDLE_FILE_BYTES, oversizedFiles } from '../bundle/read';
import { MemorySink } from '../bundle/sink';
import { FolderSource, readAll } from '../bundle/source';
import { InPlaceBundle } from '../bundle/staging';
import type { ResynthPullRequest } from '../blueprint/blueprint';
import type { FrameworkMerge } from '../blueprint/framework-merge';
import type { ResynthReport } from '../resynth/report';
import { BUNDLE_PIPE_FD, JobError, JobMessage, JobSpec, JobWarmUp } from './job';
import { OrphanGuard } from './orphan-guard';
import { sandboxEnvironment, sandboxNodeArgs } from './sandbox';

/** One job as the CLI asks for it: what to run, and the bundle folder it produces. */
export type JobRequest = DistributiveOmit<JobSpec, 'outdir'> & {
  /** The bundle folder to produce. */
  readonly target: string;
  /** The output folder as the user gave it, recorded in options.json (usually `target` as given). */
  readonly targetAsGiven: string;
  /** Kill the job after this many milliseconds. @default no limit */
  readonly timeoutMs?: number;
  /** Told every {@link heartbeatMs} while the job runs, with the time it has run. @default nothing */
  readonly onStillRunning?: (name: string, ms: number) => void;
  /** How often {@link onStillRunning} is told. @default {@link DEFAULT_HEARTBEAT_MS} */
  readonly heartbeatMs?: number;
  /**
   * Stops the job when aborted (Ctrl-C): its process is killed and the bundle it was replacing put back; a job not
   * started yet does not start. @default never stopped
   */
  readonly signal?: AbortSignal;
};

/**
 * How often a running job says it still runs: 30 s, or `BLUESYNTH_HEARTBEAT_MS` (for tests, and for a CI
 * that wants to hear sooner or later).
 */
export function defaultHeartbeatMs(): number {
  const fromEnv = Number(process.env.BLUESYNTH_HEARTBEAT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_HEARTBEAT_MS;
}

/** How often a request's job says it still runs, and to whom (the time it has run): none when nobody listens. */
export function heartbeatOf(request: JobRequest): { ms: number; tell: (ms: number) => void } | undefined {
  const { onStillRunning } = request;
  return onStillRunning ? { ms: request.heartbeatMs ?? defaultHeartbeatMs(), tell: ms => onStillRunning(request.name, ms) } : undefined;
}

/** 30 s: long enough that a normal job never says it, short enough that a stuck one is noticed. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

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
  /** True when the job was stopped, or never started, because its run was interrupted ({@link JobRequest.signal}). */
  readonly interrupted?: boolean;
  /** The blueprint's `resynthPullRequest` after the job, when it had one. */
  readonly pullRequest?: ResynthPullRequest;
  /** For a synthesis: how the blueprint merges, when it leaves that to the framework (see `frameworkMergeOf`). */
  readonly merge?: FrameworkMerge;
  /**
   * For a synthesis asked into memory (`BUNDLE_IN_MEMORY_ENV`) that the blueprint could make there: the files
   * its components wrote, which are not in the bundle folder (the folder has what projen wrote itself).
   */
  readonly inMemory?: MemoryBundle;
}

/** A synthesis's whole bundle: the files in its folder (what projen wrote itself) and those it kept in memory. */
export function wholeBundle(folder: string, inMemory: MemoryBundle | undefined): FileMap {
  return new Map([...readAll(new FolderSource(folder)), ...(inMemory?.files ?? [])]);
}

const JOB_PROCESS = path.join(__dirname, 'job-process.js');

/**
 * A process for one job, started before the job is known: Node's start-up and the loading of the
 * framework and projen (most of a job's time) then overlap what the CLI still has to do, such as
 * compiling for `--cache`, validating options, or waiting for another job. It runs exactly one job;
 * one that is never given a job is killed by {@link dispose}.
 */
export class JobProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private message: JobMessage | undefined;
  private closed: Promise<number | string> = Promise.resolve('not started');
  private killedForTimeout = false;
  private killedForInterrupt = false;
  /** What came down the bundle pipe, as it came. */
  private readonly bundleBytes: Buffer[] = [];

  constructor(readonly warm: JobWarmUp) {
    // A sandboxed process's permissions name its job's folders: it starts when its job is known.
    if (!warm.sandbox) this.start([]);
  }

  private start(nodeArgs: string[]): ChildProcess {
    const token = OrphanGuard.newToken();
    const child = fork(JOB_PROCESS, [JSON.stringify(this.warm), token], {
      cwd: this.warm.blueprintDir,
      env: this.warm.sandbox ? sandboxEnvironment(process.env) : process.env,
      // The fifth is the bundle pipe (BUNDLE_PIPE_FD).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
      // BLUESYNTH_JOB_NODE_ARGS passes flags to job processes (`--cpu-prof`, `--inspect-brk`) for profiling and debugging.
      execArgv: [...nodeArgs, ...(process.env.BLUESYNTH_JOB_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    });
    const guard = new OrphanGuard(child, token);
    child.stdout!.on('data', chunk => (this.output += chunk));
    child.stderr!.on('data', chunk => (this.output += chunk));
    child.stdio[BUNDLE_PIPE_FD]!.on('data', (chunk: Buffer) => this.bundleBytes.push(chunk));
    child.on('message', message => (this.message = message as JobMessage));
    this.closed = new Promise(resolve => {
      child.on('close', (code, signal) => {
        guard.release();
        resolve(this.killedForTimeout ? 'timeout' : this.killedForInterrupt ? 'interrupted' : code ?? `signal ${signal}`);
      });
      // A process that could not start (its working directory is gone, say) emits 'error' and never 'close'.
      child.on('error', error => {
        guard.release();
        resolve(`could not start: ${error.message}`);
      });
    });
    return (this.child = child);
  }

  /** Whether this process can run a job of that blueprint and runner. */
  fits(warm: JobWarmUp): boolean {
    return warm.blueprintDir === this.warm.blueprintDir && warm.transpile === this.warm.transpile && !!warm.sandbox === !!this.warm.sandbox;
  }

  /** Sends the job and resolves when the process has ended; `signal` kills it, as a time limit does. */
  async run(spec: JobSpec, timeoutMs?: number, heartbeat?: { ms: number; tell: (ms: number) => void }, signal?: AbortSignal): Promise<{ message?: JobMessage; output: string; exit: number | string }> {
    const begun = Date.now();
    const child = this.child ?? this.start(sandboxNodeArgs(spec));
    const timer = timeoutMs && child.pid !== undefined ? setTimeout(() => ((this.killedForTimeout = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    const beat = heartbeat ? setInterval(() => heartbeat.tell(Date.now() - begun), heartbeat.ms) : undefined;
    // SIGKILL, as for a time limit: a blueprint may block its event loop or handle SIGTERM, and the job must end now.
    const stop = () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      this.killedForInterrupt = true;
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    else if (child.connected) child.send(spec);
    const exit = await this.closed;
    signal?.removeEventListener('abort', stop);
    if (timer) clearTimeout(timer);
    if (beat) clearInterval(beat);
    return { message: this.message?.type === 'done' && this.message.bundleTable ? withBundle(this.message, this.bundleBytes, this.warm.blueprintDir) : this.message, output: this.output, exit };
  }

  /** Ends a process that was not given a job. */
  dispose(): void {
    // A process that could not start (its working directory is gone) has no pid until its 'error' comes, and
    // Node's kill() on it in the meantime signals pid 0: this process's whole group (a CI job, a shell pipeline).
    if (this.child?.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

/**
 * Runs one job in its own process (one started ahead by the caller, or a new one), writing its bundle in
 * place (see {@link InPlaceBundle}), kept only when the blueprint reported completion. A failure of any kind
 * (an error, a crash, an early exit, a timeout) leaves no bundle at all; a job stopped by its run's interrupt
 * leaves the bundle that was there before, as it was.
 */
export async function runJob(request: JobRequest, started?: JobProcess): Promise<JobResult> {
  const begun = Date.now();
  if (request.signal?.aborted) {
    started?.dispose();
    return notStarted(request.name);
  }
  const warm: JobWarmUp = { blueprintDir: request.blueprintDir, transpile: request.transpile, sandbox: request.sandbox };
  let staged: ReturnType<typeof stageJob>;
  try {
    staged = stageJob(request);
  } catch (error) {
    started?.dispose(); // never given a job (its bundle cannot be written, or another run is writing it)
    throw error;
  }
  const { spec, bundle } = staged;
  // A process started for other jobs (an unconfined one taken for a sandboxed job, say) never runs this
  // one: its permissions are fixed when it starts.
  const jobProcess = started?.fits(warm) ? started : new JobProcess(warm);
  if (started && jobProcess !== started) started.dispose();
  const { message, output, exit } = await jobProcess.run(spec, request.timeoutMs, heartbeatOf(request), request.signal);
  if (message?.type === 'done' && exit === 0) return keepBundle(bundle, request, begun, message, output);
  if (await stoppedByInterrupt(request.signal, exit)) return restoreBundle(bundle, request, begun, output);
  const error: JobError = message?.type === 'error'
    ? message.error
    : { name: 'JobError', message: exit === 'timeout' ? `timed out after ${request.timeoutMs} ms` : endedEarly(exit, output) };
  return dropBundle(bundle, request, begun, error, output);
}

/**
 * Why a job process ended before it reported. V8 ends a process whose heap reached its limit with SIGABRT and
 * a native stack, which says nothing to a blueprint's user unless read to its second line.
 */
function endedEarly(exit: number | string, output: string): string {
  if (exit === 'signal SIGABRT' && output.includes('JavaScript heap out of memory')) {
    return 'the blueprint ran out of memory: its JavaScript heap reached the limit of its process (BLUESYNTH_JOB_NODE_ARGS=--max-old-space-size=MB sets another)';
  }
  return `the blueprint process exited (${exit}) before it completed`;
}

/**
 * A completed job's result: its bundle kept, or dropped when a symbolic link in it leads outside (job
 * processes and in-process alike).
 */
export function keepBundle(bundle: InPlaceBundle, request: JobRequest, begun: number, done: JobMessage & { type: 'done' }, output: string): JobResult {
  const inMemory = done.bundle;
  const escaping = [...linksOutside(bundle.target), ...(inMemory ? memoryLinksOutside(inMemory.files) : [])];
  if (escaping.length) return dropBundle(bundle, request, begun, { name: 'PathEscapeError', message: linksOutsideMessage(escaping) }, output);
  const oversized = oversizedFiles(bundle.target);
  if (oversized.length) {
    const files = oversized.map(file => `'${file.path}' (${(file.size / 2 ** 30).toFixed(1)} GiB)`).join(', ');
    return dropBundle(bundle, request, begun, { name: 'JobError', message: `the blueprint wrote files larger than a bundle file may be (${MAX_BUNDLE_FILE_BYTES} bytes, the most the framework reads whole): ${files}` }, output);
  }
  const files = listBundle(bundle.target).size + (inMemory?.files.size ?? 0);
  bundle.commit();
  return { name: request.name, ok: true, ms: Date.now() - begun, files, output, report: done.report, pullRequest: done.pullRequest, merge: done.merge, ...(inMemory ? { inMemory } : {}) };
}

/**
 * A job process's `done` with its memory bundle put together from the table and the bytes that came down
 * the bundle pipe; a file's bytes are a view of the chunk they came in (copied only when they span two).
 * The table is the job process's word, and blueprint code in that process can change what it sends (a
 * sandboxed one included): it is taken through a {@link MemorySink}, as the job's own files were, so a path
 * that climbs out, is absolute, holds a NUL or is both a file and a folder fails the job here, as does a table
 * that does not add up.
 */
function withBundle({ bundleTable, ...done }: JobMessage & { type: 'done' }, chunks: readonly Buffer[], blueprintDir: string): JobMessage {
  const refused = (why: string): JobMessage => ({ type: 'error', error: { name: 'JobError', message: `the process of the blueprint ${blueprintDir} sent a bundle that cannot be written: ${why}` } });
  const { paths, sizes, modes, folders } = bundleTable!;
  const isList = (list: unknown, item: (value: unknown) => boolean) => Array.isArray(list) && list.every(item);
  if (!isList(paths, value => typeof value === 'string') || !isList(sizes, value => Number.isSafeInteger(value) && (value as number) >= 0)
    || !isList(modes, value => value === null || (Number.isSafeInteger(value) && (value as number) >= 0)) || !isList(folders, value => typeof value === 'string')
    || sizes.length !== paths.length || modes.length !== paths.length) {
    return refused('its table of files is not one path, size and mode per file');
  }
  const received = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const expected = sizes.reduce((sum, size) => sum + size, 0);
  if (received !== expected) return { type: 'error', error: { name: 'JobError', message: `the blueprint process sent ${received} bytes of its bundle, not ${expected}` } };
  let chunk = 0;
  let offset = 0;
  const take = (size: number): Buffer => {
    const parts: Buffer[] = [];
    for (let left = size; left > 0;) {
      const part = chunks[chunk].subarray(offset, offset + left);
      parts.push(part);
      left -= part.length;
      offset += part.length;
      if (offset === chunks[chunk].length) [chunk, offset] = [chunk + 1, 0];
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  };
  if (new Set(paths).size !== paths.length) return refused('it names a file twice');
  const sink = new MemorySink();
  try {
    folders.forEach(folder => sink.folder(folder));
    paths.forEach((relative, i) => sink.write(relative, { buffer: take(sizes[i]), ...(modes[i] !== null ? { mode: modes[i]! } : {}) }, 'the bundle'));
  } catch (error) {
    return refused((error as Error).message);
  }
  sink.commit();
  return { ...done, bundle: { files: sink.files, folders: [...sink.folders] } };
}

/** Why a job stopped by an interrupt failed. */
const INTERRUPTED: JobError = { name: 'Interrupted', message: 'stopped: the run was interrupted; its bundle is as it was before' };

/** The result of a job its run's interrupt kept from starting: nothing was written. */
export function notStarted(name: string): JobResult {
  return { name, ok: false, ms: 0, files: 0, error: { name: 'Interrupted', message: 'not started: the run was interrupted' }, output: '', interrupted: true };
}

/**
 * Whether a job that did not complete was stopped by its run's interrupt: `signal` aborted, or about to be.
 * Ctrl-C in a terminal signals the job's process as well as this one, and this process may see the job end
 * before it has handled its own signal: one turn of the event loop lets it.
 */
async function stoppedByInterrupt(signal: AbortSignal | undefined, exit: number | string): Promise<boolean> {
  if (!signal) return false;
  if (!signal.aborted && (exit === 'signal SIGINT' || exit === 'signal SIGTERM')) await new Promise(resolve => setImmediate(resolve));
  return signal.aborted;
}

/** A failed job's result: no bundle is left, neither its own nor the one it replaced (a stale one would pass for its result). */
export function dropBundle(bundle: InPlaceBundle, request: JobRequest, begun: number, error: JobError, output: string): JobResult {
  bundle.discard();
  return { name: request.name, ok: false, ms: Date.now() - begun, files: 0, error, output };
}

/** The result of a job its run's interrupt stopped: its partial bundle is removed, and the one that was there before put back. */
function restoreBundle(bundle: InPlaceBundle, request: JobRequest, begun: number, output: string): JobResult {
  bundle.restore();
  return { name: request.name, ok: false, ms: Date.now() - begun, files: 0, error: INTERRUPTED, output, interrupted: true };
}

/** The job as a process runs it, writing its target in place (job processes and in-process alike). */
export function stageJob(request: JobRequest): { spec: JobSpec; bundle: InPlaceBundle } {
  const { target, targetAsGiven, timeoutMs: _timeout, onStillRunning: _still, heartbeatMs: _beat, signal: _signal, ...rest } = request;
  const bundle = InPlaceBundle.begin(target);
  const env = { ...request.env, [OUTDIR_AS_GIVEN_ENV]: targetAsGiven, [BLUEPRINT_DIR_ENV]: request.blueprintDir };
  return { spec: { ...rest, outdir: bundle.target, env } as JobSpec, bundle };
}

/**
 * Why a bundle whose symbolic links lead outside it is refused. An absolute target need not be the blueprint's
 * own doing: Node's `fs.cpSync` and `fs.cp` resolve the target of every relative link they copy (a cloned
 * repository's, as the SDK's launch-blueprint copies one) to an absolute path unless told not to, so the message
 * says how.
 */
function linksOutsideMessage(escaping: ReturnType<typeof linksOutside>): string {
  const links = escaping.map(link => `'${link.path}' -> '${link.target}'`).join(', ');
  const absolute = escaping.some(link => isAbsoluteTarget(link.target));
  const hint = absolute ? ' (fs.cpSync and fs.cp make every relative link they copy absolute unless given verbatimSymlinks: true)' : '';
  return `the blueprint made symbolic links that lead outside the bundle: ${links}${hint}`;
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
