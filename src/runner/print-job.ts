import { printableText } from '../printable';
import type { JobError } from './job';
import type { JobResult } from './run-job';

/**
 * A finished job as the terminal shows it: a command's `JobResult`, or a job of the preview.
 * Only what the line needs, so that both print through {@link printJob}.
 */
export interface FinishedJob {
  /** The job's name (`synth.defaults`, `resynth.full ancestor`). */
  readonly name: string;
  /** Whether it succeeded. */
  readonly ok: boolean;
  /** Wall time in milliseconds. */
  readonly ms: number;
  /** Files of its bundle, when it succeeded. @default 0 */
  readonly files?: number;
  /** Why it failed. @default a failure without a message */
  readonly error?: JobError;
  /** What the blueprint printed. @default nothing */
  readonly output?: string;
  /** Whether its run was interrupted before it completed (see `JobResult.interrupted`). @default false */
  readonly interrupted?: boolean;
}

/** Lines of a failed job's output shown without `--verbose`: the end of it, where the error is. */
const TAIL_LINES = 20;

/**
 * Prints one finished job: name, time and file count (to stdout), or its error at the blueprint's own line
 * and the end of what it printed (to stderr), or that its run's interrupt stopped it. `verbose` adds the stack
 * and the whole output.
 */
export function printJob(job: FinishedJob, verbose: boolean, where?: string): void {
  const seconds = (job.ms / 1000).toFixed(2).padStart(6);
  // The blueprint chose every word of its output and its errors: none reaches the terminal as a command.
  const output = job.output?.trim() ? printableText(job.output) : undefined;
  if (job.ok) {
    console.log(`  ok    ${job.name.padEnd(28)} ${seconds} s  ${String(job.files ?? 0).padStart(5)} files${where ? `  ${where}` : ''}`);
    if (verbose && output) console.log(indent(output));
    else printWarnings(job);
    return;
  }
  if (job.interrupted) {
    // Not a failure of the blueprint: no error to show, nor its output unless asked for.
    console.error(`  stop  ${job.name.padEnd(28)} ${seconds} s  ${job.error?.message ?? 'stopped: the run was interrupted'}`);
    if (verbose && output) console.error(indent(output));
    return;
  }
  const { name, message, location, stack } = job.error ?? { name: 'Error', message: 'the job failed' };
  const error = { name: printableText(name), message: printableText(message), location: location && printableText(location), stack: stack && printableText(stack) };
  console.error(`  FAIL  ${job.name.padEnd(28)} ${seconds} s  ${error.name}: ${error.message}`);
  if (error.location) console.error(`        at ${error.location}`);
  for (const line of warnedBeforeLines(job.error)) console.error(`        ${printableText(line)}`);
  if (verbose && error.stack) console.error(indent(error.stack));
  if (output) console.error(indent(verbose ? output : tail(output)));
}

/**
 * A failed job's error with what validation warned of its options before it ran (each `FILE: $.path: ...`): a
 * required option its defaults lack is only a warning, as the SDK accepts such defaults, and the blueprint then
 * fails on reading it with a bare `TypeError`, far from the warning. A job that succeeded, or was interrupted, is
 * returned as it is.
 */
export function withWarnedBefore(result: JobResult, warnings: readonly string[]): JobResult {
  if (result.ok || result.interrupted || warnings.length === 0) return result;
  return { ...result, error: { ...(result.error ?? { name: 'Error', message: 'the job failed' }), warnedBefore: warnings } };
}

/** How a failure says what validation warned of before it ran (see {@link withWarnedBefore}): none when it warned of nothing. */
export function warnedBeforeLines(error: JobError | undefined): string[] {
  if (!error?.warnedBefore?.length) return [];
  return ['likely cause: validation warned before the blueprint ran:', ...error.warnedBefore.map(warning => `  warning: ${warning}`)];
}

/**
 * The lines of a job's output that the blueprint or the framework in its process marked as warnings
 * (`warning: ...`): a completed job's output is shown only with `--verbose`, but these must be seen.
 */
export function warningLines(output: string | undefined): string[] {
  return (output ?? '').split('\n').filter(line => line.startsWith('warning: '));
}

/** Prints the warnings of a completed job, to stderr (see {@link warningLines}). */
export function printWarnings(job: Pick<FinishedJob, 'output'>): void {
  for (const line of warningLines(job.output)) console.error(`        ${printableText(line)}`);
}

/** The last `count` lines of a job's output: what a failing blueprint printed last is what explains it. */
export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** The end of a failed job's output, saying how much was left out and how to see it. */
function tail(output: string): string {
  const earlier = output.trimEnd().split('\n').length - TAIL_LINES;
  return (earlier > 0 ? `... (${earlier} earlier lines; --verbose shows all)\n` : '') + lastLines(output, TAIL_LINES);
}

function indent(text: string): string {
  return text.trimEnd().split('\n').map(line => `        | ${line}`).join('\n');
}
