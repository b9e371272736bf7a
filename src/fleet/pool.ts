import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import { OrphanGuard } from '../runner/orphan-guard';
import type { FleetJob, FleetOutcome, FleetProgress } from './fleet-job';

const FLEET_PROCESS = path.join(__dirname, 'fleet-process.js');

/**
 * Signals that ask a process to stop (a service manager stopping the whole group): its repository is not
 * started again. Any other signal (SIGKILL from the OOM killer or a `kill -9`, SIGABRT from V8 out of heap)
 * killed it from outside, and a fresh process may well succeed; a process that exited by itself (a blueprint
 * calling `process.exit`) would do the same again.
 */
const STOP_SIGNALS: readonly string[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** The message that tells a fleet process the run was interrupted: it waits no more to ask a forge again. */
export const STOP_WAITING = 'stop-waiting';

/** A repository waiting for a process, or being updated in one; `died` once a process died updating it. */
interface Pending {
  readonly job: FleetJob;
  readonly resolve: (outcome: FleetOutcome) => void;
  readonly died?: string;
}

interface Slot {
  child: ChildProcess;
  job?: Pending;
  timer?: NodeJS.Timeout;
  timedOut?: boolean;
  /** The update branch its process said it pushed, for the row of a repository whose process is then killed. */
  pushed?: FleetProgress;
}

/**
 * A pool of fleet processes on this machine: at most `size` repositories are updated at once, each in a
 * process of its own that goes on to the next repository when done. A process killed mid-job from outside
 * (out of memory, `kill -9`) is replaced and its repository updated once more in a fresh one, as a queue
 * worker's job is taken again when its worker dies (the update is idempotent: a branch it pushed is found,
 * `skipped`). A second death, a process that exited by itself or was asked to stop, and one that ran longer
 * than `timeoutMs` (a blueprint stuck in a loop), killed by the pool, fail that repository only, with the reason.
 */
export class FleetPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private closed = false;

  constructor(private readonly size: number, private readonly timeoutMs?: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a fleet pool needs at least one process, not ${size}`);
  }

  /** Updates one repository in a process of the pool; resolves with its outcome, never rejects. */
  run(job: FleetJob): Promise<FleetOutcome> {
    return new Promise(resolve => {
      this.waiting.push({ job, resolve });
      this.dispatch();
    });
  }

  /** Ends every process of the pool (those busy finish nothing more: call it when no job is left). */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) if (slot.child.connected) slot.child.disconnect();
  }

  /**
   * The run was interrupted (its first Ctrl-C): the repositories being updated finish, but none waits any longer to
   * ask a forge again (a rate limit's `Retry-After`); their branches are pushed, and the next run opens their pull requests.
   */
  stopWaiting(): void {
    for (const slot of this.slots) if (slot.child.connected) slot.child.send(STOP_WAITING);
  }

  /** The names of the repositories being updated now, in the order their processes were started. */
  running(): string[] {
    return this.slots.flatMap(slot => (slot.job ? [slot.job.job.repository.name] : []));
  }

  /** Kills every process of the pool at once; the repositories they were updating fail, saying so. */
  kill(): void {
    this.closed = true;
    for (const slot of this.slots) slot.child.kill('SIGKILL');
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.closed) {
      let slot = this.slots.find(s => !s.job && s.child.connected);
      if (!slot && this.slots.length < this.size) slot = this.start();
      if (!slot) return;
      slot.job = this.waiting.shift()!;
      slot.pushed = undefined;
      slot.child.send(slot.job.job);
      if (this.timeoutMs) {
        const current = slot;
        current.timer = setTimeout(() => {
          current.timedOut = true;
          current.child.kill('SIGKILL');
        }, this.timeoutMs);
      }
    }
  }

  private start(): Slot {
    // --expose-gc: the process collects its garbage every few repositories (see fleet-process.ts).
    const token = OrphanGuard.newToken();
    const child = fork(FLEET_PROCESS, [token], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', execArgv: [...process.execArgv, '--expose-gc'] });
    // A blueprint runs in this process's own thread (an update's fast runner): stuck in a loop there, it never
    // sees the channel to a fleet command killed with kill -9 close, and would spin on with no one to stop it.
    const guard = new OrphanGuard(child, token);
    const slot: Slot = { child };
    this.slots.push(slot);
    child.on('message', (message: FleetOutcome | FleetProgress) => {
      if ('progress' in message) {
        slot.pushed = message;
        return;
      }
      const outcome = message;
      const current = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      current?.resolve(outcome);
      this.dispatch();
    });
    child.on('exit', (code, signal) => {
      guard.release();
      clearTimeout(slot.timer);
      this.slots.splice(this.slots.indexOf(slot), 1);
      const current = slot.job;
      if (current) {
        const { repository } = current.job;
        const died = signal ?? `exit code ${code}`;
        if (!slot.timedOut && !this.closed && current.died === undefined && signal !== null && !STOP_SIGNALS.includes(signal)) {
          // First in line: it was started before the repositories still waiting.
          this.waiting.unshift({ ...current, died });
        } else {
          const reason = slot.timedOut ? `timed out after ${this.timeoutMs! / 1000} s (--timeout); its process was killed`
            : current.died === undefined ? `the fleet process updating it died (${died})` : `the fleet processes updating it died twice (${current.died}, then ${died})`;
          // The branch it pushed is on the remote all the same: the row says so, and the next run finds it there.
          const pushed = slot.pushed && { branch: slot.pushed.branch, commit: slot.pushed.commit, pushed: true };
          current.resolve({
            name: repository.name, url: repository.url, state: 'failed', ...pushed,
            reason: pushed ? `${reason} after it pushed origin/${pushed.branch}: the next run opens its pull request` : reason,
          });
        }
      }
      this.dispatch();
    });
    return slot;
  }
}
