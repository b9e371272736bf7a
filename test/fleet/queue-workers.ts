import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { FleetJob } from '../../src/fleet/fleet-job';
import { ROOT } from '../util';

/** The test worker script: runFleetWorker with a processor that logs to a file (see the script). */
export const WORKER_SCRIPT = path.join(ROOT, 'test', 'fixtures', 'fleet-queue', 'worker.js');

/** How a test worker process behaves. */
export interface TestWorkerSettings {
  readonly queue: string;
  readonly queueName: string;
  /** The log file every test worker of one test appends to. */
  readonly log: string;
  readonly concurrency?: number;
  readonly sleepMs?: number;
  /** Repositories whose update returns state `failed`. */
  readonly fail?: readonly string[];
  /** Repositories whose update fails on the fleet's own settings (`badSettings`). */
  readonly badSettings?: readonly string[];
  /** Repositories whose processor throws. */
  readonly throw?: readonly string[];
}

/** One test worker process, with its exit awaited. */
export interface TestWorker {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal's name) when it has exited. */
  readonly exited: Promise<number | string>;
  readonly stderr: () => string;
}

/** Starts a real `fleet worker` child process running the test processor. */
export function startWorker(settings: TestWorkerSettings): TestWorker {
  const child = spawn(process.execPath, [WORKER_SCRIPT], {
    env: {
      ...process.env,
      FLEET_QUEUE: settings.queue,
      FLEET_QUEUE_NAME: settings.queueName,
      FLEET_LOG: settings.log,
      FLEET_CONCURRENCY: String(settings.concurrency ?? 1),
      FLEET_SLEEP_MS: String(settings.sleepMs ?? 0),
      FLEET_FAIL: (settings.fail ?? []).join(','),
      FLEET_THROW: (settings.throw ?? []).join(','),
      FLEET_BAD_SETTINGS: (settings.badSettings ?? []).join(','),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', chunk => { stderr += chunk; });
  const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { process: child, pid: child.pid!, exited, stderr: () => stderr };
}

/** One line of the test processor's log. */
export interface LogLine {
  readonly what: 'ready' | 'start' | 'end' | 'throw' | 'closed';
  /** The repository, for start, end and throw. */
  readonly name?: string;
  readonly pid: number;
  readonly time: number;
}

/** The test workers' log so far. */
export function readLog(file: string): LogLine[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => {
    const parts = line.split(' ');
    const [what, name] = parts.length === 4 ? parts : [parts[0], undefined];
    return { what: what as LogLine['what'], name, pid: Number(parts.at(-2)), time: Number(parts.at(-1)) };
  });
}

/** Waits until the log satisfies `test`, polling; fails after `timeoutMs`. */
export async function waitForLog(file: string, test: (lines: LogLine[]) => boolean, timeoutMs = 15_000): Promise<LogLine[]> {
  const started = Date.now();
  for (;;) {
    const lines = readLog(file);
    if (test(lines)) return lines;
    if (Date.now() - started > timeoutMs) throw new Error(`the workers' log did not get there in ${timeoutMs} ms:\n${lines.map(l => JSON.stringify(l)).join('\n')}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/** `count` fleet jobs named repo-00, repo-01, ... updated to `to`. */
export function testJobs(count: number, to = 'v2'): FleetJob[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `repo-${String(index).padStart(2, '0')}`;
    return { repository: { url: `/remotes/${name}.git`, name, where: `repos.txt:${index + 1}` }, settings: { workDir: '/work-dir', to } };
  });
}
