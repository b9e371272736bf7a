import * as path from 'path';
import type { JobResult } from '../runner/run-job';
import { plural } from '../plural';

/** Prints that a runner compiled a blueprint (so a slow first run is explained). */
export function printBuilt(blueprintDir: string, built: { reason: string; ms: number }): void {
  console.log(`  build ${path.basename(path.resolve(blueprintDir)).padEnd(28)} ${(built.ms / 1000).toFixed(2).padStart(6)} s  compiled (${built.reason})`);
}

/** Prints that a job is still running, so that a blueprint that never returns does not hang the CLI silently. */
export function printStillRunning(name: string, ms: number, timeoutMs: number | undefined): void {
  const limit = timeoutMs ? `--timeout stops it at ${timeoutMs / 1000} s` : 'no --timeout: it runs until it ends or you stop it';
  console.error(`  ...   ${name.padEnd(28)} ${(ms / 1000).toFixed(0).padStart(4)} s  still running (${limit})`);
}

/** Prints the closing line of a run and returns its exit code (1 when any job failed). */
export function printSummary(results: JobResult[], started: number, noun = 'synthesis'): number {
  const failed = results.filter(r => !r.ok).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  const line = `${results.length - failed} of ${plural(results.length, `${noun} job`)} succeeded in ${seconds} s`;
  if (failed) console.error(`${line}; ${failed} failed`);
  else console.log(line);
  return failed ? 1 : 0;
}
