import type { FleetJob, FleetOutcome } from './fleet-job';

/** Why a repository was not started once the run was interrupted (Ctrl-C), locally or on a queue. */
export const INTERRUPTED_STOP = 'not started: the run was interrupted';

/** How a fleet run starts its repositories. */
export interface WaveOptions {
  /** How many repositories are updated at once. */
  readonly concurrency: number;
  /** Update this many first, and go on only if none of them failed. @default 0 (no canary) */
  readonly canary?: number;
  /** Start no more repositories once this many failed. @default no limit */
  readonly maxFailures?: number;
  /** Told each outcome as it comes. @default nothing */
  readonly onOutcome?: (outcome: FleetOutcome) => void;
  /** Once aborted (Ctrl-C), start no more repositories; those running finish. @default never aborted */
  readonly signal?: AbortSignal;
}

/**
 * Runs a fleet's jobs in waves: the canary first (all of it, then a stop if any failed), then the rest,
 * `concurrency` at a time, starting no new repository once `maxFailures` have failed, or once one failed
 * on the fleet's own settings ({@link FleetOutcome.badSettings}: the rest would fail the same way). Every job gets
 * exactly one outcome, in the order given: those never started are `not-started`, with the reason (also once
 * `signal` is aborted).
 */
export async function runWaves(jobs: readonly FleetJob[], run: (job: FleetJob) => Promise<FleetOutcome>, options: WaveOptions): Promise<FleetOutcome[]> {
  const outcomes: (FleetOutcome | undefined)[] = new Array(jobs.length);
  let failures = 0;
  let stopped: string | undefined;
  const runRange = async (from: number, to: number) => {
    let next = from;
    const lane = async () => {
      while (next < to && stopped === undefined) {
        if (options.signal?.aborted) {
          stopped = INTERRUPTED_STOP;
          break;
        }
        const index = next++;
        const outcome = await run(jobs[index]);
        outcomes[index] = outcome;
        options.onOutcome?.(outcome);
        if (outcome.badSettings) stopped ??= badSettingsStop(outcome);
        if (outcome.state === 'failed' && ++failures >= (options.maxFailures ?? Infinity)) {
          stopped ??= `not started: ${failures} repositories failed (--max-failures ${options.maxFailures})`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, to - from) }, lane));
  };
  const canary = Math.min(options.canary ?? 0, jobs.length);
  if (canary > 0) {
    await runRange(0, canary);
    const failedCanaries = outcomes.slice(0, canary).filter(o => o?.state === 'failed').map(o => o!.name);
    if (failedCanaries.length > 0) stopped ??= `not started: the canary ${failedCanaries.join(', ')} failed (--canary ${canary})`;
  }
  await runRange(canary, jobs.length);
  return jobs.map((job, index) => outcomes[index] ?? notStarted(job, stopped ?? 'not started'));
}

/** Why the rest of a run is not started once `outcome` showed the fleet's settings to be wrong. */
export function badSettingsStop(outcome: FleetOutcome): string {
  return `not started: the fleet's settings are wrong, as ${outcome.name} showed (every repository would fail the same way)`;
}

function notStarted(job: FleetJob, reason: string): FleetOutcome {
  const outcome: FleetOutcome = { name: job.repository.name, url: job.repository.url, state: 'not-started', reason };
  return outcome;
}
