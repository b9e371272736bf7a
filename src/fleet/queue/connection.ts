import type { RedisOptions } from 'bullmq';
import { InputError } from '../../errors';
import type { QueueUrl } from './queue-url';

/**
 * The one queue every fleet run enqueues on and every `fleet worker` takes from, so that a worker started
 * before or after any run finds its jobs: each job carries its own settings (`FleetJob`), and its id keeps
 * runs with other settings apart. Fleets that must not share workers use another Redis database
 * (`redis://HOST:PORT/1`).
 */
export const FLEET_QUEUE_NAME = 'bluesynth-fleet';

/** How long each side waits, at its start, for the Redis of `--queue` to answer before it gives up (ms). */
export const DEFAULT_CONNECT_TIMEOUT = 3_000;

/** The part of BullMQ's Queue, QueueEvents and Worker that a connection waits on. */
export interface RedisClientPart {
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The Redis connection settings that one side of the queue gives to each BullMQ part it makes, and the
 * one place that decides how long a Redis may be away. BullMQ's client retries forever (and its parts cannot
 * even be disconnected before they first connected), so the retry schedule itself carries the decision: at
 * the start, retries stop at the deadline and the part's wait fails; once connected, the client reconnects
 * every few hundred milliseconds for as long as the side wants (the enqueuing side's heartbeat decides when a
 * Redis is gone); after {@link close}, it stops reconnecting, so nothing keeps the process alive.
 */
export class QueueConnection {
  /** The settings for `connection:` of every BullMQ part of this side. */
  public readonly options: RedisOptions;
  private phase: 'starting' | 'up' | 'closing' = 'starting';
  private readonly deadline: number;

  constructor(public readonly url: QueueUrl, private readonly timeoutMs = DEFAULT_CONNECT_TIMEOUT) {
    this.deadline = Date.now() + timeoutMs;
    this.options = {
      ...url.server,
      // Each attempt's own limit: an address that drops packets would otherwise take ioredis' 10 s per attempt.
      connectTimeout: timeoutMs,
      retryStrategy: (attempt: number) => {
        if (this.phase === 'closing') return null;
        if (this.phase === 'starting') return Date.now() + 250 > this.deadline ? null : 250;
        return Math.min(attempt * 250, 2_000);
      },
    };
  }

  /**
   * Waits until `part` has its Redis connection. A Redis that does not answer by the deadline ends the
   * part's client, and the user is told which URL did not answer and why (the client's last error).
   * @throws InputError naming the `--queue` URL
   */
  async ready(part: RedisClientPart): Promise<void> {
    let lastError: Error | undefined;
    // An EventEmitter with no 'error' listener throws; the parts emit one per failed connection attempt.
    part.on('error', error => { lastError = error; });
    try {
      await part.waitUntilReady();
      this.phase = this.phase === 'starting' ? 'up' : this.phase;
    } catch (error) {
      this.phase = 'closing';
      const cause = lastError ?? (error as Error);
      throw new InputError(`--queue ${this.url.shown}: no Redis answered within ${this.timeoutMs / 1000} s (${cause.message})`);
    }
  }

  /** Stops every client of this side from reconnecting (a client waiting to reconnect ends at its next try). */
  close(): void {
    this.phase = 'closing';
  }
}
