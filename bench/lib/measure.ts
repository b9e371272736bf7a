import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One timed run of a command. */
export interface Measurement {
  /** Wall-clock time from spawning the command to its exit, in milliseconds. */
  readonly wallMs: number;
  /** The largest resident set size of any process of the run (the command and its descendants), in KiB. */
  readonly peakRssKb: number;
  /**
   * User plus system CPU time of the command and its descendants, in milliseconds: less sensitive than
   * wall time to other work on a shared machine. Undefined when GNU time is not available.
   */
  readonly cpuMs?: number;
  /** The command's exit code (128 + signal number when a signal ended it). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** @default - this process's working directory */
  readonly cwd?: string;
  /** @default - this process's environment */
  readonly env?: NodeJS.ProcessEnv;
}

const GNU_TIME = '/usr/bin/time';

let peakRssMethodCache: 'gnu-time' | 'proc-polling' | undefined;

/**
 * How peak memory is measured here: GNU time's `%M` (the kernel's `ru_maxrss` of the command, which
 * covers its waited-for descendants too) when `/usr/bin/time` is GNU time, otherwise polling each
 * process's `VmHWM` in /proc every few milliseconds (which can miss a process that lives shorter than that).
 */
export function peakRssMethod(): 'gnu-time' | 'proc-polling' {
  if (!peakRssMethodCache) {
    const probe = spawnSync(GNU_TIME, ['-f', '%M %U %S', 'true'], { encoding: 'utf8' });
    peakRssMethodCache = probe.status === 0 && /^\d+ [\d.]+ [\d.]+\s*$/.test(probe.stderr.trim().split('\n').pop() ?? '') ? 'gnu-time' : 'proc-polling';
  }
  return peakRssMethodCache;
}

/**
 * Runs `command args` once, measuring its wall time and the peak RSS of its process tree.
 * Start the command directly (not through a package manager or an extra shell) so that
 * the measurement is of the command itself.
 */
export async function measure(command: string, args: readonly string[], options: MeasureOptions = {}): Promise<Measurement> {
  if (peakRssMethod() === 'gnu-time') {
    const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
    try {
      const run = await timedSpawn(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args], options);
      // With a non-zero exit, GNU time writes "Command exited with non-zero status N" before the format.
      const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
      const [rss, user, system] = lines[lines.length - 1].split(' ').map(Number);
      return { ...run, peakRssKb: rss, cpuMs: (user + system) * 1000 };
    } finally {
      fs.rmSync(rssFile, { force: true });
    }
  }
  let peak = 0;
  return timedSpawn(command, args, options, pid => {
    for (const p of processTree(pid)) peak = Math.max(peak, highWaterMarkKb(p));
  }).then(run => ({ ...run, peakRssKb: peak }));
}

function timedSpawn(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
  poll?: (pid: number) => void,
): Promise<Omit<Measurement, 'peakRssKb'>> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', chunk => stdout.push(chunk));
    child.stderr.on('data', chunk => stderr.push(chunk));
    const timer = poll && child.pid !== undefined ? setInterval(() => poll(child.pid!), 5) : undefined;
    child.on('error', error => {
      if (timer) clearInterval(timer);
      reject(error);
    });
    child.on('exit', () => {
      // VmHWM is a high-water mark, so every process that lived longer than one poll has been seen.
      if (timer) clearInterval(timer);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({
        wallMs,
        exitCode: code ?? 128 + (signal ? os.constants.signals[signal] : 0),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** `pid` and its descendants, through /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${all[i]}/task`);
    } catch {
      continue; // gone already
    }
    for (const tid of tasks) {
      try {
        for (const child of fs.readFileSync(`/proc/${all[i]}/task/${tid}/children`, 'utf8').split(' ')) {
          if (child.trim()) all.push(Number(child));
        }
      } catch {
        // gone already
      }
    }
  }
  return all;
}

function highWaterMarkKb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Seconds with two decimals (`1.23 s`), for tables. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Mebibytes with no decimals (`123 MB`), for tables. */
export function formatMegabytes(kb: number): string {
  return `${Math.round(kb / 1024)} MB`;
}
