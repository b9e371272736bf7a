import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError } from '../errors';
import { refuseToReplace } from './replaceable';
import { ensureWritableFolder } from './writable';

/**
 * Creates an empty staging folder beside `target` (same parent, so the final rename never crosses
 * a file system), for a bundle the framework writes itself (a merge's, a copy); see {@link commitStaging}.
 * A blueprint job writes in place instead ({@link InPlaceBundle}).
 */
export function createStaging(target: string): string {
  const parent = path.dirname(path.resolve(target));
  ensureWritableFolder(parent);
  fs.mkdirSync(parent, { recursive: true });
  recoverBundle(target);
  // The writing process in the name tells a later run whether the folder is still being written.
  const staging = fs.mkdtempSync(path.join(parent, `${stagingPrefix(target)}${runId()}-`));
  fs.chmodSync(staging, 0o755 & ~currentUmask()); // mkdtemp makes it private; a bundle is an ordinary folder
  return staging;
}

/**
 * Puts a finished staging folder in the place of `target`, replacing what was there.
 * The old folder is moved aside first and removed last, so at every moment `target` is
 * either the old bundle or the new one, never a half-written mix.
 */
export function commitStaging(staging: string, target: string): void {
  const resolved = path.resolve(target);
  let aside: string | undefined;
  if (fs.existsSync(resolved)) {
    aside = `${staging}.old`;
    fs.renameSync(resolved, aside);
  }
  fs.renameSync(staging, resolved);
  if (aside) fs.rmSync(aside, { recursive: true, force: true });
}

function stagingPrefix(target: string): string {
  return `.${path.basename(target)}.staging-`;
}

function writingPrefix(target: string): string {
  return `.${path.basename(target)}.writing-`;
}

/**
 * Puts `target` right after the runs that wrote it and were killed (their process is gone): the bundle a job
 * writing in place had moved aside goes back in place of its partial one (see {@link InPlaceBundle}), and
 * their staging folders (with their `.old` asides) and markers are removed. The folders of a run still going,
 * into the same output folder, are left alone; the marker of a run still writing `target` in place is returned.
 */
export function recoverBundle(target: string): { pid: number; marker: string; elsewhere: boolean } | undefined {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  if (!fs.existsSync(parent)) return undefined;
  let writing: { pid: number; marker: string; elsewhere: boolean } | undefined;
  for (const name of fs.readdirSync(parent)) {
    const prefix = [stagingPrefix(resolved), writingPrefix(resolved)].find(candidate => name.startsWith(candidate));
    if (!prefix) continue;
    const [, id, started, where] = /^(\d+)-(?:(\d+)-|x-)?(?:(h[0-9a-f]{8})-)?/.exec(name.slice(prefix.length)) ?? [];
    // A name without an id comes from a version that did not record it: nothing can be writing it any more.
    if (id && stillRunning(Number(id), started, where)) {
      if (prefix === writingPrefix(resolved)) writing = { pid: Number(id), marker: path.join(parent, name), elsewhere: where !== undefined && where !== processSpace() };
      continue;
    }
    if (prefix === writingPrefix(resolved)) {
      putBack(path.join(parent, name), resolved);
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
      continue;
    }
    try {
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    } catch {
      // Still written by what the killed run started and outlived it (its npm, its git clone from the git helper,
      // which has a process group of its own): a folder that grows while it is removed fails the removal, which
      // is no reason to fail this run. A later run removes it.
    }
  }
  return writing;
}

/**
 * What a writing marker holds besides its name: the bundle that was at the target when the run began
 * ({@link PREVIOUS}), or a file saying there is none to put back ({@link NO_PREVIOUS}: there was none, or
 * the job failed). Either one there means the target holds the run's partial bundle; neither means the
 * target is whole (the run was killed before it touched it, or after it kept its bundle or put the previous
 * one back; an empty marker also comes from an older version, which kept nothing).
 */
const PREVIOUS = 'previous';
const NO_PREVIOUS = 'no-previous';

/** Undoes what a stopped or killed run left at `target`, by its marker's word (see {@link PREVIOUS}). */
function putBack(marker: string, target: string): void {
  const previous = path.join(marker, PREVIOUS);
  if (fs.existsSync(previous)) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(previous, target);
  } else if (fs.existsSync(path.join(marker, NO_PREVIOUS))) {
    fs.rmSync(target, { recursive: true, force: true });
  }
}

/**
 * A bundle that a blueprint job writes in place, at its target itself: blueprint code sees the output
 * folder as given (`this.outdir`, the paths its components and projen subprojects derive from it), never a
 * temporary name, so a blueprint that records its outdir gives the same bytes on every run.
 *
 * The bundle that was there is moved (renamed, so in no time and with its files untouched) into a marker
 * folder beside the target (`.<name>.writing-<pid>-<start time>-<space>-*`, see {@link runId}) while the job runs. How the job ends
 * decides what the target holds then: a job that completes keeps its bundle ({@link commit}); a job that
 * fails leaves none, its own or the previous one ({@link discard}: a stale bundle would pass for this run's
 * result); a job its run's interrupt stopped puts the previous one back ({@link restore}: the user stopped
 * the run, and loses nothing by it). The marker also tells other runs that the folder is being written: a
 * second run into it refuses, instead of mixing two bundles. A run killed outright (`kill -9`) leaves its
 * partial bundle and its marker; the next run into the folder puts the previous bundle back first
 * ({@link recoverBundle}), as for an interrupt, so it too sees only whole bundles.
 */
export class InPlaceBundle {
  /**
   * Refuses, as {@link begin} would and before anything is written, a target that another run is writing,
   * or that is plainly not a bundle (see `refuseToReplace`); first puts back what a killed run left there.
   */
  static check(target: string): void {
    const resolved = path.resolve(target);
    const parent = path.dirname(resolved);
    ensureWritableFolder(parent);
    const writing = recoverBundle(resolved);
    if (writing) {
      throw new InputError(
        writing.elsewhere
          // Its process cannot be asked about from here (see stillRunning): only the user knows whether it still runs.
          ? `${resolved} is being written by a run in another container or on another machine (its process ${writing.pid}): ` +
            `wait for it to end, or stop it (if it was killed, remove ${writing.marker})`
          : `${resolved} is being written by another run (process ${writing.pid}): wait for it to end, or stop it ` +
            `(if that process is not a run of this tool, remove ${writing.marker})`,
      );
    }
    refuseToReplace(resolved, resolved, 'move those files, or choose another --outdir');
  }

  /**
   * Moves the bundle at `target` aside and gives the job an empty folder there, marked as being written.
   * Refuses (an input error, nothing changed) a target that another run is writing, or that is plainly
   * not a bundle (see `refuseToReplace`): a user's files there are never replaced.
   */
  static begin(target: string): InPlaceBundle {
    const resolved = path.resolve(target);
    InPlaceBundle.check(resolved);
    const made = fs.mkdirSync(path.dirname(resolved), { recursive: true });
    const marker = fs.mkdtempSync(path.join(path.dirname(resolved), `${writingPrefix(resolved)}${runId()}-`));
    if (fs.existsSync(resolved)) fs.renameSync(resolved, path.join(marker, PREVIOUS));
    else fs.writeFileSync(path.join(marker, NO_PREVIOUS), '');
    fs.mkdirSync(resolved, { mode: 0o755 });
    return new InPlaceBundle(resolved, marker, made);
  }

  private constructor(readonly target: string, private readonly marker: string, private readonly madeFolder: string | undefined) {}

  /** The job completed: its bundle stays, the previous one goes. */
  commit(): void {
    this.dropPrevious();
    fs.rmSync(path.join(this.marker, NO_PREVIOUS), { force: true });
    fs.rmSync(this.marker, { recursive: true, force: true });
  }

  /** The job failed: no bundle is left, neither its partial one nor the previous one. */
  discard(): void {
    // Said before the previous bundle is dropped: a marker naming neither while the target is partial would let
    // the next run, should this one be killed meanwhile, take the partial bundle for a whole one.
    fs.writeFileSync(path.join(this.marker, NO_PREVIOUS), '');
    this.dropPrevious();
    fs.rmSync(this.target, { recursive: true, force: true });
    this.end();
  }

  /** The job was stopped by its run's interrupt: its partial bundle goes, and the previous one, if any, is put back. */
  restore(): void {
    putBack(this.marker, this.target);
    this.end();
  }

  /**
   * Makes the marker no longer name a previous bundle (renamed within it, removed with it), before that bundle's
   * files are deleted: a kill meanwhile must not leave the next run half of it to put back.
   */
  private dropPrevious(): void {
    const previous = path.join(this.marker, PREVIOUS);
    if (fs.existsSync(previous)) fs.renameSync(previous, path.join(this.marker, 'replaced'));
  }

  /** Removes the marker and, when no bundle is left, the folders made for it while empty. */
  private end(): void {
    fs.rmSync(this.marker, { recursive: true, force: true });
    if (fs.existsSync(this.target)) return;
    // `OUT/synth.<config>/` of a failed configuration, say.
    for (let folder = path.dirname(this.target); this.madeFolder && folder.startsWith(this.madeFolder); folder = path.dirname(folder)) {
      try {
        fs.rmdirSync(folder);
      } catch {
        break; // not empty: another job's bundle, or the user's
      }
    }
  }
}

/**
 * This process as the names of its staging folders and markers record it: its id and, where it can be read,
 * its start time, since ids are reused and a later process with the same id is not this run.
 */
export function runId(): string {
  return `${process.pid}-${startTimeOf(process.pid) ?? 'x'}-${processSpace()}`;
}

/** Whether the run a {@link runId} names still goes on. */
export function runStillGoing(id: string): boolean {
  const [pid, started, where] = id.split('-');
  return stillRunning(Number(pid), started === 'x' ? undefined : started, where);
}

/**
 * Whether the process that named a folder (its id, its start time and the processes it was one of, when
 * recorded) still runs. A process of another container (another process-id namespace) or another machine (a
 * cache folder on a shared disk) cannot be asked: its id means another process here, or none, and taking it for
 * gone removed the folders of a run still going (its npm install, its work folder). It is taken to be running.
 */
function stillRunning(pid: number, started: string | undefined, where?: string): boolean {
  if (where !== undefined && where !== processSpace()) return true;
  if (!processIsAlive(pid)) return false;
  const now = started === undefined ? undefined : startTimeOf(pid);
  return now === undefined || now === started;
}

let space: string | undefined;

/**
 * The processes this one can see and signal, as a short token (`h` and 8 hex digits) for the names above: the host
 * name and, on Linux, the process-id namespace (containers on one machine share a host's disk, not its processes).
 */
function processSpace(): string {
  if (space === undefined) {
    let namespace = '';
    try {
      namespace = fs.readlinkSync('/proc/self/ns/pid');
    } catch {
      // not Linux: the host name alone
    }
    space = `h${crypto.createHash('sha256').update(`${os.hostname()}\0${namespace}`).digest('hex').slice(0, 8)}`;
  }
  return space;
}

/** When a process started (Linux: clock ticks after boot), or undefined where that cannot be read. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which may hold spaces and parentheses; the start time is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether process `pid` runs on this machine (as any user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** Removes a staging folder after a failed job, so that it leaves no bundle at all. */
export function discardStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

/** The process's umask (Node can only read it by setting it). */
export function currentUmask(): number {
  const mask = process.umask(0);
  process.umask(mask);
  return mask;
}
