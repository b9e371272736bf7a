import * as os from 'os';
import { Worker } from 'bullmq';
import type { FleetJob, FleetOutcome } from '../fleet-job';
import { failedOutcome, notStartedOutcome, RUN_ENDED } from './outcomes';
import { DEFAULT_CONNECT_TIMEOUT, FLEET_QUEUE_NAME, QueueConnection } from './connection';
import { Heartbeat } from './heartbeat';
import { parseQueueUrl, QueueUrl } from './queue-url';
import { runsEnded } from './run-alive';

/**
 * Updates one repository. It returns the repository's outcome, state `failed` included; it throws only for
 * a fault of the worker itself, and the job is then reported `failed` with the error's message.
 */
export type FleetProcessor = (job: FleetJob) => Promise<FleetOutcome>;

/** How a `fleet worker` takes jobs. */
export interface FleetWorkerOptions {
  /** What each job runs, in this process (it starts its own child processes for the update's jobs). */
  readonly processor: FleetProcessor;
  /** How many jobs run at once. @default os.availableParallelism() */
  readonly concurrency?: number;
  /** Aborting it stops taking jobs; the ones running finish first, then the promise resolves. @default never */
  readonly signal?: AbortSignal;
  /** Called with each outcome this worker produced. @default none */
  readonly onOutcome?: (outcome: FleetOutcome) => void;
  /** Called once the worker is connected and takes jobs. @default none */
  readonly onReady?: () => void;
  /** Called with the errors the worker survives (a lost connection it will retry). @default ignored */
  readonly onError?: (error: Error) => void;
  /** The queue's name. @default FLEET_QUEUE_NAME */
  readonly queueName?: string;
  /** How long Redis may take to answer at the start (ms). @default DEFAULT_CONNECT_TIMEOUT */
  readonly connectTimeout?: number;
  /**
   * How long a job's lock lasts unless renewed (ms); it is renewed every half of it while the job runs.
   * A worker that dies (SIGKILL, a lost machine) stops renewing, and another worker takes the job once the
   * lock has expired and its stalled-job check has run: about 8 s with the defaults, measured (BullMQ's own
   * 30 s lock would leave a repository waiting half a minute). Much shorter risks a lock lost while the job
   * runs on a busy machine, when a second worker redoes it (harmless for an idempotent update, but wasted).
   * @default 6_000
   */
  readonly lockDuration?: number;
  /** How often this worker looks for jobs whose worker died (ms). @default 2_000 */
  readonly stalledInterval?: number;
}

/**
 * Takes fleet jobs from the queue at `queue` until `options.signal` is aborted: a BullMQ worker over the
 * fleet queue, running `processor` up to `concurrency` jobs at a time. The outcome travels back as the job's
 * return value, with `worker` set to this process (`host:pid`), the processor's own value replaced. A job whose
 * worker died is taken again by any worker within about `lockDuration + 2 × stalledInterval`; after two such deaths it
 * fails (a repository that kills its workers should not kill them all). A job none of whose runs is alive any more
 * (see run-alive.ts) is not started: it completes `not-started`, saying the run ended before a worker took it.
 * @throws InputError when `queue` is not a queue URL or no Redis answers there at the start
 */
export async function runFleetWorker(queue: string | QueueUrl, options: FleetWorkerOptions): Promise<void> {
  const url = typeof queue === 'string' ? parseQueueUrl(queue) : queue;
  const connection = new QueueConnection(url, options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT);
  const self = `${os.hostname()}:${process.pid}`;
  const worker = new Worker<FleetJob, FleetOutcome>(options.queueName ?? FLEET_QUEUE_NAME, async job => {
    let outcome: FleetOutcome;
    // A job left on the queue by a run that ended (gave Redis up, was killed) has nobody to report to: it is not started.
    if (await runsEnded(worker, job.id!)) {
      outcome = { ...notStartedOutcome(job.data, RUN_ENDED), worker: self };
      options.onOutcome?.(outcome);
      return outcome;
    }
    try {
      // This process, as its first line names it, not the pool process that did the update (journey 83: a row said
      // 'this worker (host:child-pid) does not allow ...', a pid no operator could find among the workers they run).
      outcome = { ...await options.processor(job.data), worker: self };
    } catch (error) {
      // BullMQ fails the job with this error's message; the enqueuing side reports that as the reason.
      options.onOutcome?.(failedOutcome(job.data, (error as Error).message ?? String(error), self));
      throw error;
    }
    options.onOutcome?.(outcome);
    return outcome;
  }, {
    connection: connection.options,
    autorun: false,
    concurrency: options.concurrency ?? os.availableParallelism(),
    lockDuration: options.lockDuration ?? 6_000,
    stalledInterval: options.stalledInterval ?? 2_000,
    maxStalledCount: 2,
  });
  await connection.ready(worker);
  if (options.onError) worker.on('error', options.onError);
  if (!options.signal?.aborted) {
    const running = worker.run();
    options.onReady?.();
    const aborted = new Promise<void>(resolve => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([running, aborted]);
  }
  await close(worker, connection);
}

/** How long a closing worker waits for a Redis that does not answer before it gives up on it (ms). */
const CLOSE_WITHOUT_REDIS = 5_000;

/**
 * Closes the worker: it takes no more jobs, and those running finish and report. Reporting needs Redis, and
 * BullMQ's graceful close waits for it forever (so would a SIGTERM'd worker). So a Redis that does not answer
 * when the close begins gets a few seconds to come back, then the worker closes without it: the jobs it
 * could not report stay locked until their locks expire, and another worker does them again. A Redis that
 * goes away during a graceful close is given the same time, then no longer waited for.
 */
async function close(worker: Worker, connection: QueueConnection): Promise<void> {
  const ping = () => worker.client.then(client => client.runCommand('ping', []));
  let gaveUp!: () => void;
  const redisGone = new Promise<void>(resolve => { gaveUp = resolve; });
  const watch = new Heartbeat(ping, { every: 500, lostAfter: CLOSE_WITHOUT_REDIS }, () => {
    connection.close();
    gaveUp();
  });
  watch.start();
  try {
    const answered = await Promise.race([ping().then(() => true, () => false), redisGone.then(() => false)]);
    if (answered) await Promise.race([worker.close(), redisGone]);
    else await worker.close(true);
  } finally {
    watch.stop();
  }
}
