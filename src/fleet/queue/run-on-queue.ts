import * as crypto from 'crypto';
import * as os from 'os';
import { plural } from '../../plural';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { FleetJob, FleetOutcome } from '../fleet-job';
import { DEFAULT_CONNECT_TIMEOUT, FLEET_QUEUE_NAME, QueueConnection } from './connection';
import { Heartbeat } from './heartbeat';
import { fleetJobId } from './job-id';
import { badSettingsStop, INTERRUPTED_STOP } from '../waves';
import { completedOutcome, failedOutcome, notStartedOutcome, RUN_ENDED } from './outcomes';
import { parseQueueUrl, QueueUrl } from './queue-url';
import { jobRunsKey, runAliveKey } from './run-alive';
import { within } from './within';

/** How a fleet run on a queue proceeds. */
export interface FleetQueueRunOptions {
  /** Enqueue this many repositories first and the rest only if none of them failed (else `not-started`). @default none */
  readonly canary?: number;
  /** Once this many repositories failed, start no more: the jobs still waiting are removed (`not-started`). @default no limit */
  readonly maxFailures?: number;
  /**
   * Once aborted (Ctrl-C on the command), start no more, as after `maxFailures`: the jobs still waiting are
   * removed (`not-started`, {@link INTERRUPTED_STOP}); those a worker took finish and report. @default none
   */
  readonly signal?: AbortSignal;
  /** Called with each repository's outcome as it arrives. @default none */
  readonly onOutcome?: (outcome: FleetOutcome) => void;
  /**
   * Called with what the run is waiting on (its jobs enqueued, how many workers take them; none connected)
   * and what it did about a fault of the queue itself (its jobs enqueued again). @default none
   */
  readonly onNotice?: (message: string) => void;
  /**
   * While jobs of this run wait and no `fleet worker` is connected to the queue, how often to say so (ms).
   * @default 30_000
   */
  readonly workerlessNoticeEvery?: number;
  /** The queue's name. @default FLEET_QUEUE_NAME */
  readonly queueName?: string;
  /** How long Redis may take to answer at the start (ms). @default DEFAULT_CONNECT_TIMEOUT */
  readonly connectTimeout?: number;
  /**
   * How long Redis may stay unreachable during the run before every unfinished repository is reported
   * failed and the run ends (ms); a Redis back sooner goes unnoticed. It is also the TTL of the run's `alive` key:
   * once it has expired, workers start none of the run's jobs (see run-alive.ts). @default 15_000
   */
  readonly lostAfter?: number;
}

/** Finished jobs a run could not clean up (it was killed) leave Redis after this long (seconds). */
const FINISHED_JOB_AGE = 7 * 24 * 3600;

/** How long the mark that a stop took a job off the queue is kept (seconds): runs that share the job see it within seconds. */
const TAKEN_OFF_AGE = 3600;

/**
 * Runs a fleet on the queue at `queue`: one BullMQ job per repository (repositories with the same job id
 * count once), taken by `fleet worker`s on any machine, followed through the queue's events until every
 * repository has exactly one outcome, returned in the order of `jobs`. Waves: `canary`, then the rest;
 * `maxFailures`, or one outcome that shows the fleet's settings to be wrong (`badSettings`), stops starting new ones. Jobs this run finished are removed from Redis at its end, so the
 * same command run again updates again (each update is idempotent) instead of reading old outcomes.
 * @throws InputError when `queue` is not a queue URL or no Redis answers there at the start
 */
export async function runFleetOnQueue(queue: string | QueueUrl, jobs: readonly FleetJob[], options: FleetQueueRunOptions = {}): Promise<FleetOutcome[]> {
  const url = typeof queue === 'string' ? parseQueueUrl(queue) : queue;
  return new QueueRun(url, jobs, options).run();
}

/** One run's state: the jobs by id, the outcomes received, and who waits for which. */
class QueueRun {
  private readonly byId = new Map<string, FleetJob>();
  private readonly outcomes = new Map<string, FleetOutcome>();
  /** The ids this run added to the queue (or is adding). */
  private readonly added = new Set<string>();
  private readonly waiters: { ids: readonly string[]; resolve: () => void }[] = [];
  /** Ids the sweep found missing from Redis, and how many times in a row. */
  private readonly missing = new Map<string, number>();
  private sweeping = false;
  /** When the run last said, or found, that workers were connected (see {@link noteWorkerless}). */
  private lastWorkerNotice = Date.now();
  private failures = 0;
  /** Why no more jobs start (max failures), once that is so. */
  private stopped?: string;
  private readonly connection: QueueConnection;
  private readonly queue: Queue<FleetJob, FleetOutcome>;
  private events?: QueueEvents;
  private readonly heartbeat: Heartbeat;
  /** Resolves when the heartbeat has given Redis up, with {@link lostCause} set. */
  private readonly lost: Promise<void>;
  private lostCause?: string;
  private giveUp!: (cause: string) => void;
  /** Whether Redis answered when the run gave it up (its `alive` key had expired): its waiting jobs can leave then. */
  private lostReachable = false;
  /** The ids of the jobs this run saw a worker take (its events, its sweeps): those may have pushed. */
  private readonly taken = new Set<string>();
  /** This run's name in Redis: host, pid, time and a random part. */
  private readonly runId: string;
  /** The key workers look for before they start one of this run's jobs (see run-alive.ts). */
  private readonly alive: string;
  private readonly lostAfter: number;
  /**
   * A key this run keeps in Redis while it runs: gone, it tells that Redis lost everything since (restarted
   * without persistence, flushed), not that someone removed one job.
   */
  private readonly marker: string;

  constructor(private readonly url: QueueUrl, jobs: readonly FleetJob[], private readonly options: FleetQueueRunOptions) {
    for (const job of jobs) if (!this.byId.has(fleetJobId(job))) this.byId.set(fleetJobId(job), job);
    this.connection = new QueueConnection(url, options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT);
    this.queue = new Queue(options.queueName ?? FLEET_QUEUE_NAME, {
      connection: this.connection.options,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: FINISHED_JOB_AGE }, removeOnFail: { age: FINISHED_JOB_AGE } },
    });
    // Random too: two runs of one process started in one millisecond shared a marker, and the first to end deleted the other's.
    this.runId = `${os.hostname()}:${process.pid}:${Date.now()}:${crypto.randomUUID()}`;
    this.marker = this.queue.toKey(`run:${this.runId}`);
    this.alive = runAliveKey(this.queue, this.runId);
    this.lostAfter = options.lostAfter ?? 15_000;
    this.lost = new Promise(resolve => {
      this.giveUp = cause => {
        if (this.lostCause !== undefined) return;
        this.lostCause = cause;
        this.heartbeat.stop();
        resolve();
      };
    });
    this.heartbeat = new Heartbeat(() => this.keepAlive(), { every: 500, lostAfter: this.lostAfter }, cause => this.giveUp(cause));
  }

  async run(): Promise<FleetOutcome[]> {
    await this.connection.ready(this.queue);
    this.queue.on('error', error => this.heartbeat.noteError(error));
    this.heartbeat.start();
    const sweeper = setInterval(() => void this.sweep(), 2_000);
    const interrupted = () => this.stop(INTERRUPTED_STOP);
    this.options.signal?.addEventListener('abort', interrupted, { once: true });
    if (this.options.signal?.aborted) interrupted();
    const flow = this.flow();
    flow.catch(() => undefined);
    try {
      await Promise.race([flow, this.lost]);
      if (this.lostCause === undefined) await flow;
    } catch (error) {
      await this.drop();
      throw error;
    } finally {
      clearInterval(sweeper);
      this.options.signal?.removeEventListener('abort', interrupted);
      this.heartbeat.stop();
    }
    if (this.lostCause !== undefined) {
      const went = `the queue ${this.url.shown} ${this.lostReachable ? 'was lost' : 'went away'}: ${this.lostCause}`;
      // No worker starts a job of this run now (its alive key is gone, or expires while Redis is away). Failed all the
      // same: the run did not do what it was asked, and its command must not exit 0.
      const notTaken = `not started: ${went} before a worker took it, and no worker starts a job of a run that ended; the next run does it`;
      if (this.lostReachable) {
        // Redis answers: the waiting jobs leave the queue now (another run of the fleet that follows them adds them back).
        await within(this.removeWaiting(notTaken, failedOutcome).catch(() => undefined), 2_000, undefined);
        await within(Promise.all([this.events?.close(), this.queue.close()]).catch(() => undefined), 2_000, undefined);
      }
      // A job a worker had taken may have pushed its branch before the queue went: the next run finds it (skipped).
      const taken = `${went}; a worker may have pushed its update before, which the next run finds`;
      for (const [id, job] of this.byId) this.settle(id, failedOutcome(job, this.taken.has(id) ? taken : notTaken));
      await this.drop();
    } else {
      await this.cleanUp();
    }
    return [...this.byId.keys()].map(id => this.outcomes.get(id)!);
  }

  private async flow(): Promise<void> {
    await this.mark();
    await this.removeLeftovers();
    await this.followEvents();
    const all = [...this.byId.keys()];
    const canary = all.slice(0, Math.max(0, this.options.canary ?? 0));
    if (canary.length > 0) {
      await this.enqueue(canary);
      await this.announce(canary.length);
      await this.finished(canary);
      const failed = canary.filter(id => this.outcomes.get(id)?.state === 'failed').map(id => this.byId.get(id)!.repository.name);
      if (failed.length > 0) {
        this.leaveUnstarted(all, this.stopped ?? `not started: the canary ${failed.join(', ')} failed (--canary ${canary.length})`);
        return;
      }
    }
    if (this.stopped) this.leaveUnstarted(all, this.stopped);
    else {
      await this.enqueue(all);
      if (canary.length === 0) await this.announce(all.length);
    }
    // A stop while the jobs were being added found some not in Redis yet: those are removed now.
    if (this.stopped) await this.removeWaiting(this.stopped);
    await this.finished(all);
  }

  /**
   * Finished jobs with this run's ids are an earlier run's (one killed before its clean-up): removed, so this
   * run does the work again rather than report old outcomes. Waiting and running ones are kept and followed.
   */
  private async removeLeftovers(): Promise<void> {
    await Promise.all([...this.byId.keys()].map(async id => {
      const state = await this.queue.getJobState(id);
      if (state === 'completed' || state === 'failed') await this.queue.remove(id);
    }));
  }

  /** Subscribes to the queue's events from the stream's current end, so no event after this point is missed. */
  private async followEvents(): Promise<void> {
    const client = await this.queue.client;
    const [last] = await client.runCommand('xrevrange', [this.queue.keys.events, '+', '-', 'COUNT', '1']) as [string, string[]][];
    this.events = new QueueEvents(this.queue.name, { connection: this.connection.options, autorun: false, lastEventId: last?.[0] ?? '0' });
    this.events.on('completed', ({ jobId, returnvalue }) => this.received(jobId, 'completed', returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => this.received(jobId, 'failed', failedReason));
    this.events.on('active', ({ jobId }) => this.taken.add(jobId));
    await this.connection.ready(this.events);
    this.events.on('error', error => this.heartbeat.noteError(error));
    void this.events.run().catch((error: Error) => this.heartbeat.noteError(error));
  }

  /**
   * Adds the jobs of `ids` not added yet. BullMQ adds nothing for an id it holds, so a job another run of the
   * same fleet added (same ids) is shared, not doubled; its outcome counts for both runs.
   */
  private async enqueue(ids: readonly string[]): Promise<void> {
    const fresh = ids.filter(id => !this.added.has(id) && !this.outcomes.has(id));
    // Marked before they are added: a job may finish before addBulk returns.
    fresh.forEach(id => this.added.add(id));
    await this.add(fresh);
  }

  private async add(ids: readonly string[]): Promise<void> {
    // Followed before it can be taken: a worker serves a job only while one of the runs in its set is alive.
    const client = await this.queue.client;
    await Promise.all(ids.flatMap(id => [
      client.runCommand('sadd', [jobRunsKey(this.queue, id), this.runId]),
      client.runCommand('expire', [jobRunsKey(this.queue, id), FINISHED_JOB_AGE]),
    ]));
    await this.queue.addBulk(ids.map(id => {
      const job = this.byId.get(id)!;
      return { name: job.repository.name, data: job, opts: { jobId: id } };
    }));
  }

  /**
   * Says what the run now waits on: its jobs are on the queue, and a run with no worker to take them would
   * otherwise wait without a word (workers may come later: the run waits for them, and says so again).
   */
  private async announce(count: number): Promise<void> {
    const workers = await within(this.workersConnected(), 2_000, undefined).catch(() => undefined);
    const taking = workers === undefined ? '' : workers === 0 ? ': no fleet worker is connected yet' : `: ${plural(workers, 'fleet worker')} connected`;
    this.options.onNotice?.(`${count} ${count === 1 ? 'repository' : 'repositories'} enqueued on ${this.url.shown}${taking}`);
    this.lastWorkerNotice = Date.now();
  }

  /** While jobs wait and no worker is connected, says so every {@link FleetQueueRunOptions.workerlessNoticeEvery}. */
  private async noteWorkerless(unfinished: number): Promise<void> {
    if (Date.now() - this.lastWorkerNotice < (this.options.workerlessNoticeEvery ?? 30_000)) return;
    this.lastWorkerNotice = Date.now();
    if (await this.workersConnected() !== 0) return;
    this.options.onNotice?.(`waiting: ${unfinished} ${unfinished === 1 ? 'repository' : 'repositories'} on ${this.url.shown} and no fleet worker connected (start 'blueprint fleet worker --queue' with the same URL)`);
  }

  /**
   * The `fleet worker`s connected to this queue, as Redis lists its clients (BullMQ names them after the queue),
   * on this run's database: BullMQ's own count takes in the workers of every database. Undefined where the
   * Redis does not list its clients with their databases (some managed ones), or refuses to (an ACL without
   * `client|list`, which BullMQ passes on as an error): the sweep that asks must still follow the jobs.
   */
  private async workersConnected(): Promise<number | undefined> {
    const workers = await this.queue.getWorkers().catch(() => undefined);
    if (workers === undefined) return undefined;
    if (workers.some(each => each.db === undefined)) return undefined;
    return workers.filter(each => Number(each.db) === (this.url.server.db ?? 0)).length;
  }

  /** The key that says a run's stop took job `id` off the queue (see {@link removeWaiting}). */
  private takenOffKey(id: string): string {
    return this.queue.toKey(`taken-off:${id}`);
  }

  /** Sets this run's marker (see {@link marker}); one a killed run leaves expires as its finished jobs do. */
  private async mark(): Promise<void> {
    const client = await this.queue.client;
    await client.runCommand('set', [this.alive, '1', 'PX', this.lostAfter]);
    await client.runCommand('set', [this.marker, '1', 'EX', FINISHED_JOB_AGE]);
  }

  /**
   * The heartbeat's ping: refreshes this run's `alive` key. Found gone while the marker is there, it expired: this
   * run did not reach Redis for `lostAfter` (a machine asleep, a network cut), and the workers already refuse its
   * jobs, so the run ends as though its heartbeat had given Redis up. Gone with the marker, Redis lost every key:
   * set again (the sweep enqueues the lost jobs again).
   */
  private async keepAlive(): Promise<void> {
    const client = await this.queue.client;
    if (await client.runCommand('set', [this.alive, '1', 'XX', 'PX', this.lostAfter]) !== null) return;
    if (await client.runCommand('exists', [this.marker]) === 1) {
      this.lostReachable = true;
      this.giveUp(`this run had not reached it for ${this.lostAfter / 1000} s (a machine asleep, a network cut), and the workers gave its jobs up`);
    } else {
      await client.runCommand('set', [this.alive, '1', 'PX', this.lostAfter]);
    }
  }

  /** A job with one of this run's ids finished (this run's, or the same job of another run of this fleet). */
  private received(id: string, how: 'completed' | 'failed', value: unknown): void {
    const job = this.byId.get(id);
    if (job && how === 'completed' && (value as FleetOutcome | null)?.reason === RUN_ENDED && !this.stopped && this.lostCause === undefined) {
      // A worker looked an instant before this run joined a job of a run that ended: this run is alive, and does it.
      void this.queue.remove(id).then(() => this.add([id])).catch(error => this.heartbeat.noteError(error));
      return;
    }
    if (job) this.settle(id, how === 'completed' ? completedOutcome(job, value) : failedOutcome(job, String(value)));
  }

  /** Records a repository's one outcome (later ones are ignored) and wakes whoever waited for it. */
  private settle(id: string, outcome: FleetOutcome): void {
    if (this.outcomes.has(id)) return;
    this.outcomes.set(id, outcome);
    this.options.onOutcome?.(outcome);
    if (outcome.state === 'failed') {
      this.failures++;
      const max = this.options.maxFailures;
      // A worker's outcome carries badSettings through Redis: the other jobs would fail the same way.
      if (outcome.badSettings) this.stop(badSettingsStop(outcome));
      else if (max !== undefined && this.failures >= max) this.stop(`not started: ${this.failures} repositories failed (--max-failures ${max})`);
    }
    for (const waiter of [...this.waiters]) {
      if (waiter.ids.every(each => this.outcomes.has(each))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Starts no more jobs, for `reason` (the first reason stands): those still waiting are removed. */
  private stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    void this.removeWaiting(reason).catch(error => this.heartbeat.noteError(error));
  }

  private finished(ids: readonly string[]): Promise<void> {
    if (ids.every(id => this.outcomes.has(id))) return Promise.resolve();
    return new Promise(resolve => this.waiters.push({ ids, resolve }));
  }

  private leaveUnstarted(ids: readonly string[], reason: string): void {
    for (const id of ids) if (!this.added.has(id)) this.settle(id, notStartedOutcome(this.byId.get(id)!, reason));
  }

  /**
   * Removes this run's jobs that no worker took yet; a running job is locked, BullMQ refuses to remove it,
   * and it finishes and reports as usual. Only waiting jobs are asked for: removing one that finished an
   * instant ago would lose an outcome still on its way through the events.
   */
  private async removeWaiting(reason: string, outcome = notStartedOutcome): Promise<void> {
    const client = await this.queue.client;
    await Promise.all([...this.added].filter(id => !this.outcomes.has(id)).map(async id => {
      const state = await this.queue.getJobState(id);
      if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return;
      // Another run of this fleet may follow the same job (same id): the mark tells it that a stop took the job off,
      // not someone who meant it never to run, so that run enqueues it again (see sweepOnce).
      await client.runCommand('set', [this.takenOffKey(id), reason, 'EX', TAKEN_OFF_AGE]);
      if (await this.queue.remove(id) === 1) {
        this.settle(id, outcome(this.byId.get(id)!, reason));
      } else {
        // A worker took it meanwhile: it runs and reports, and a mark left behind would have a later run of the
        // fleet put back a job that someone removed on purpose.
        await client.runCommand('del', [this.takenOffKey(id)]);
      }
    }));
  }

  /**
   * Reads the state of the jobs still without an outcome: an event the run missed (a stream trimmed under a
   * very large fleet) is read from the job itself, and a job someone removed from Redis before it finished
   * is failed instead of waited for forever (seen missing twice, as a job is in no state for an instant
   * while it moves).
   */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweepOnce();
    } catch {
      // A Redis error: the heartbeat judges the connection, the next sweep tries again.
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepOnce(): Promise<void> {
    const unfinished = [...this.added].filter(each => !this.outcomes.has(each));
    // Jobs another run of this fleet took off the queue when it stopped (Ctrl-C, its --max-failures): not this run's stop.
    const retaken: string[] = [];
    if (unfinished.length > 0 && await (await this.queue.client).runCommand('exists', [this.marker]) === 0) {
      await this.enqueueAgain(unfinished);
      return;
    }
    if (unfinished.length > 0) await this.noteWorkerless(unfinished.length);
    for (const id of unfinished) {
      const job = this.byId.get(id)!;
      const state = await this.queue.getJobState(id);
      if (state === 'completed' || state === 'failed') {
        const stored = await Job.fromId<FleetJob, FleetOutcome>(this.queue, id);
        if (stored) this.received(id, state, state === 'completed' ? stored.returnvalue : stored.failedReason);
      } else if (state === 'unknown') {
        const times = (this.missing.get(id) ?? 0) + 1;
        this.missing.set(id, times);
        if (times < 2) continue;
        this.missing.delete(id);
        const takenOff = await (await this.queue.client).runCommand('get', [this.takenOffKey(id)]) as string | null;
        if (takenOff === null) this.settle(id, failedOutcome(job, `its job left the queue ${this.url.shown} unfinished (removed by another client)`));
        else if (this.stopped) this.settle(id, notStartedOutcome(job, this.stopped));
        else retaken.push(id);
      } else {
        this.missing.delete(id);
        if (state === 'active') this.taken.add(id);
      }
    }
    if (retaken.length > 0) {
      // Used once: if the job goes missing again, it is someone's removal, as for any job.
      await (await this.queue.client).runCommand('del', retaken.map(id => this.takenOffKey(id)));
      await this.add(retaken);
      this.options.onNotice?.(`another run of this fleet stopped and took ${retaken.length} of its jobs off ${this.url.shown}, which this run also waits for: enqueued again`);
    }
  }

  /**
   * Redis lost every key since this run started (a restart without persistence, a FLUSHALL): its unfinished
   * jobs are gone with them, and no worker will report them. This run holds every job's data, so it adds them
   * again, rather than fail all of them as removed: a job a worker was running at the loss is done a second
   * time, which an update's idempotence makes one fetch (its branch is found pushed, `skipped`). After a stop
   * (Ctrl-C, max failures) the jobs lost are not started again, as for those the stop took off the queue.
   */
  private async enqueueAgain(ids: readonly string[]): Promise<void> {
    await this.mark();
    this.missing.clear();
    if (this.stopped) {
      for (const id of ids) this.settle(id, notStartedOutcome(this.byId.get(id)!, this.stopped));
      return;
    }
    await this.add(ids);
    this.options.onNotice?.(`the queue ${this.url.shown} lost its jobs (Redis restarted without its data, or was flushed): ${ids.length} unfinished ${ids.length === 1 ? 'repository' : 'repositories'} enqueued again`);
  }

  /**
   * Removes the jobs this run finished, then closes its connections; a Redis that goes away at this point
   * leaves them to expire (see FINISHED_JOB_AGE) rather than hold the command.
   */
  private async cleanUp(): Promise<void> {
    // Not those this run's stop took off: another run of this fleet may have enqueued them again and wait for them.
    const takenOff = (id: string) => this.outcomes.get(id)?.state === 'not-started';
    const finished = [...this.added].filter(id => !takenOff(id));
    const removed = this.queue.client.then(client => Promise.all([
      ...finished.map(id => this.queue.remove(id)),
      // A finished job's set goes with it (a run that ended without cleaning up is listed there too); one this run's
      // stop took off may be enqueued again by another run, which keeps its own place in the set.
      ...finished.map(id => client.runCommand('del', [jobRunsKey(this.queue, id)])),
      ...[...this.added].filter(takenOff).map(id => client.runCommand('srem', [jobRunsKey(this.queue, id), this.runId])),
      client.runCommand('del', [this.marker, this.alive]),
    ]));
    const closed = removed.then(() => Promise.all([this.events?.close(), this.queue.close()]));
    await within(closed, this.lostAfter, undefined).catch(() => undefined);
    await this.drop();
  }

  /**
   * Drops the connections without waiting for Redis (commands would wait for a Redis that is gone): the
   * clients stop reconnecting, and the command does not wait long for them to say so.
   */
  private async drop(): Promise<void> {
    this.connection.close();
    await within(Promise.allSettled([this.events?.disconnect(), this.queue.disconnect()]), 3_000, undefined);
  }
}
