import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';

/**
 * Kills a job process if the process that started it dies first.
 *
 * A job process also exits on its own when its IPC channel closes, but only if its event loop runs: a
 * blueprint stuck in a synchronous loop never sees the channel close, and after a `kill -9` of the CLI it
 * would spin on forever. So a tiny shell, with nothing else to do, waits on a pipe from the CLI: the line
 * `done` means the job ended normally; end of file means the CLI is gone, and it kills the job. It is not
 * in the job's process, so no blueprint code (nor the sandbox's permissions) can stop it.
 */
export class OrphanGuard {
  /**
   * A word the job process carries on its command line, so the guard kills that process and no other:
   * process ids are reused (32,768 of them on many Linux machines), and the job may have ended by itself
   * before the CLI died, its id since given to another process.
   */
  static newToken(): string {
    return `bluesynth-job-${crypto.randomBytes(8).toString('hex')}`;
  }

  private readonly guard: ChildProcess | undefined;

  /** `token` is on the job's command line (see {@link newToken}). */
  constructor(job: ChildProcess, token: string) {
    // POSIX shells only; on Windows the job relies on its 'disconnect' handler.
    if (process.platform === 'win32' || job.pid === undefined) return;
    const script = 'read -r line; [ "$line" = done ] && exit 0; case "$(ps -p "$1" -o args= 2>/dev/null)" in *"$2"*) kill -KILL "$1" 2>/dev/null;; esac';
    this.guard = spawn('/bin/sh', ['-c', script, 'bluesynth-job-guard', String(job.pid), token], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.guard.on('error', () => undefined); // no shell: nothing to guard with, the job still runs
    this.guard.stdin!.on('error', () => undefined);
    this.guard.unref();
    (this.guard.stdin as unknown as { unref?: () => void }).unref?.();
  }

  /** The job has ended: the guard exits without killing anything. */
  release(): void {
    this.guard?.stdin?.end('done\n');
  }
}
