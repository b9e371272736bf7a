import type { RedisOptions } from 'bullmq';
import { InputError } from '../../errors';
import type { QueueUrl } from './queue-url';
import { within } from './within';

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
  close(): Promise<void>;
}

/**
 * Answers of a Redis that no retry changes: no password given where one is required, a wrong one, a
 * database the server does not have. ioredis reconnects after a refused password and merely reports a
 * failed SELECT, its commands then going to database 0: another fleet's queue, whose jobs a worker would take.
 */
const REFUSALS: readonly { readonly answer: RegExp; readonly why: string }[] = [
  { answer: /^NOAUTH/, why: 'the server requires a password: redis://:PASSWORD@HOST:PORT/DB' },
  { answer: /^WRONGPASS|^ERR invalid password/, why: 'the server refused the password (or user)' },
  { answer: /^ERR (DB index is out of range|invalid DB index)/, why: 'the server has no such database (see its `databases` setting)' },
];

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
    let refused: ((error: Error) => void) | undefined;
    const refusal = new Promise<never>((_, reject) => { refused = reject; });
    refusal.catch(() => undefined);
    // An EventEmitter with no 'error' listener throws; the parts emit one per failed connection attempt.
    part.on('error', error => {
      lastError = error;
      if (refusalOf(error)) refused?.(error);
    });
    let connected = false;
    try {
      // The retry schedule ends a start that cannot connect; a server that accepts the connection and then says
      // nothing (another service's port, waiting for its client to speak first) never fails the client's ready
      // check, and the side hung there for good, a worker deaf to SIGTERM: hence a deadline of its own.
      const answered = await within(Promise.race([part.waitUntilReady().then(() => true), refusal]), this.timeoutMs + 500, false);
      if (!answered) {
        this.phase = 'closing';
        disconnectSilent(part);
        const why = lastError ? notRedis(lastError) : 'the server accepted the connection but never answered: not a Redis, or one that hangs';
        throw new InputError(`--queue ${this.url.shown}: no Redis answered within ${this.timeoutMs / 1000} s (${why})`);
      }
      connected = true;
    } catch (error) {
      if (error instanceof InputError) throw error;
      this.phase = 'closing';
      const cause = lastError ?? (error as Error);
      if (!refusalOf(cause)) throw new InputError(`--queue ${this.url.shown}: no Redis answered within ${this.timeoutMs / 1000} s (${notRedis(cause)})`);
    }
    // A failed SELECT comes before the ready check's answer, so it is known here even where the part got ready.
    const why = lastError && refusalOf(lastError);
    if (why) {
      this.phase = 'closing';
      // A connected part (the failed SELECT) would keep the process alive. One refused a password is not closed:
      // it ends at its next reconnection (the phase), and a part closed before its start failed would report
      // that failure with its listeners gone, an uncaught error.
      if (connected) await within(part.close().catch(() => undefined), 1_000, undefined);
      throw new InputError(`--queue ${this.url.shown}: Redis refused it: ${why} (${lastError!.message})`);
    }
    this.phase = this.phase === 'starting' ? 'up' : this.phase;
  }

  /** Stops every client of this side from reconnecting (a client waiting to reconnect ends at its next try). */
  close(): void {
    this.phase = 'closing';
  }
}

/**
 * A reply ioredis cannot parse came from a server that speaks another protocol (HTTP, SSH, ...): said so, in place
 * of ioredis' own 'Please report this', which sends the user to report a bug that is not one.
 */
function notRedis(error: Error): string {
  const protocol = /^Protocol error, got (".*?") as reply type byte/.exec(error.message);
  return protocol ? `the server is not a Redis: it answered ${protocol[1]} where Redis's answers start with +, -, :, $ or *` : error.message;
}

/**
 * Closes the connections of a part whose server never answered. BullMQ's own disconnect waits until the client is
 * ready first, which it never will be, so the client it made is reached directly; should BullMQ rename it, the
 * socket stays open until the process exits (the command exits 2 at once, so only a library caller would notice).
 */
function disconnectSilent(part: RedisClientPart): void {
  const connections = [(part as { connection?: unknown }).connection, (part as { blockingConnection?: unknown }).blockingConnection];
  for (const connection of connections) (connection as { _client?: { disconnect?: () => void } } | undefined)?._client?.disconnect?.();
}

function refusalOf(error: Error): string | undefined {
  return REFUSALS.find(each => each.answer.test(error.message))?.why;
}
