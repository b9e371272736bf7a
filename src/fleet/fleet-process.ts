import type { FleetJob, FleetOutcome } from './fleet-job';
import { stopForgeWaits } from './forges/http';
import { STOP_WAITING } from './pool';
import { processFleetJob } from './process-job';

/** How many repositories between two full garbage collections. */
const GC_EVERY = 4;

/**
 * A fleet process of the local pool (see pool.ts): it takes one {@link FleetJob} at a time over IPC and
 * answers with its {@link FleetOutcome}, for as long as the pool keeps it. One repository at a time per
 * process: an update runs git synchronously and changes the process's environment while its blueprint runs.
 */
let processed = 0;
process.on('message', (job: FleetJob | typeof STOP_WAITING) => {
  if (job === STOP_WAITING) return stopForgeWaits();
  // The pool hears of the push before the pull request is asked for: a forge that hangs past --timeout gets this
  // process killed, and the row must still say the branch is on the remote.
  void processFleetJob(job, progress => process.connected && process.send!(progress, undefined, {}, () => undefined))
    .catch((error: Error): FleetOutcome => ({ name: job.repository.name, url: job.repository.url, state: 'failed', reason: `the fleet process failed: ${error.message}` }))
    .then(outcome => {
      // V8 lets garbage pile up before it collects, so a process that lives for hundreds of repositories would
      // grow with the fleet (10% from 50 to 200 repositories). A full collection every few repositories, about
      // 20 ms each, keeps the process as large as a few updates need (bench/RESULTS.md, "Fleet").
      if (++processed % GC_EVERY === 0) global.gc?.();
      // A pool that died while this repository was updated cannot be told. `connected` is still true until the
      // event loop sees the channel close, which an update running git synchronously delays: the write then fails
      // with EPIPE, and without a callback Node throws that as an unhandled 'error' (a stack trace in a killed
      // worker's log). With one, the process ends as it does when it sees the pool gone.
      if (process.connected) {
        process.send!({ ...outcome, workerPeakRssKb: process.resourceUsage().maxRSS }, undefined, {}, error => {
          if (error) process.exit(0);
        });
      }
    });
});
// The pool ends a process by closing its channel; a process whose pool died ends with it.
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal reaches the whole process group: the pool's owner decides (finish the repositories
// being updated, start no more), so a repository is never cut off half-way by the first Ctrl-C.
// Nor does this process wait any longer to ask a forge again (see stopForgeWaits), but only once the pool's owner
// says so by a message: acting on the signal itself, it could report the repository before the owner had heard the
// same signal, and the run ended as one not interrupted (exit 1, not 130).
process.on('SIGINT', () => undefined);
