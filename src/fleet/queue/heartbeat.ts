import { within } from './within';

/**
 * Tells when a Redis has stopped answering for good. BullMQ's client reconnects and queues commands forever,
 * so a command waiting on events from a Redis that went away would wait forever too; a ping every
 * `every` ms that has not succeeded for `lostAfter` ms calls `onLost` once, with the last error seen.
 * A Redis that comes back sooner (a restart, a short network cut) goes unnoticed.
 */
export class Heartbeat {
  private timer?: NodeJS.Timeout;
  private lastAnswer = Date.now();
  private lastError?: Error;
  private lost = false;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly timing: { readonly every: number; readonly lostAfter: number },
    private readonly onLost: (cause: string) => void,
  ) {}

  /** Starts pinging. */
  start(): void {
    this.lastAnswer = Date.now();
    this.timer = setInterval(() => void this.beat(), this.timing.every);
  }

  /** Stops pinging (idempotent). */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Remembers a connection error the client reported (its message explains a loss better than a timeout). */
  noteError(error: Error): void {
    this.lastError = error;
  }

  private async beat(): Promise<void> {
    const answered = await within(
      this.ping().then(() => true, (error: Error) => { this.lastError = error; return false; }),
      this.timing.every, false);
    if (answered) this.lastAnswer = Date.now();
    else if (!this.lost && Date.now() - this.lastAnswer >= this.timing.lostAfter) {
      this.lost = true;
      this.stop();
      const silence = Math.round((Date.now() - this.lastAnswer) / 1000);
      this.onLost(`no answer for ${silence} s` + (this.lastError ? ` (${this.lastError.message})` : ''));
    }
  }
}
