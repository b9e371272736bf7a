import type { FleetJob, FleetOutcome } from '../fleet-job';

/** The outcome of a repository whose job failed before it produced one (a worker's fault, a lost queue). */
export function failedOutcome(job: FleetJob, reason: string, worker?: string): FleetOutcome {
  return { name: job.repository.name, url: job.repository.url, state: 'failed', reason, ...(worker ? { worker } : {}) };
}

/**
 * Why a worker did not start a job: every run that followed it had ended (see run-alive.ts). A run that is alive and
 * receives this (it joined the job an instant after the worker looked) enqueues the job again.
 */
export const RUN_ENDED = 'not started: the run that enqueued it ended before a worker took it; the next run of the fleet does it';

/** The outcome of a repository the run did not start (a failed canary, too many failures). */
export function notStartedOutcome(job: FleetJob, reason: string): FleetOutcome {
  return { name: job.repository.name, url: job.repository.url, state: 'not-started', reason };
}

/**
 * The outcome a completed job returned. A value that is not one (a worker of another version, a processor
 * that returned nothing) makes the repository failed rather than the run crash.
 */
export function completedOutcome(job: FleetJob, returned: unknown): FleetOutcome {
  const outcome = returned as Partial<FleetOutcome> | null;
  if (outcome && typeof outcome === 'object' && typeof outcome.state === 'string' && outcome.name === job.repository.name) {
    return outcome as FleetOutcome;
  }
  return failedOutcome(job, `the worker returned no outcome for ${job.repository.name} (${JSON.stringify(returned) ?? 'nothing'})`);
}
