import * as fs from 'fs';
import * as path from 'path';
import { Git } from './git';

/** A path of the work tree, not tracked by `HEAD`, where an update would write. */
export interface PathInTheWay {
  /** Repository path; a folder ends in `/`. */
  readonly path: string;
  /** Whether git ignores it (a `.env` filled with secrets, a build output) rather than merely not tracking it. */
  readonly ignored: boolean;
}

/**
 * The files of the work tree that git does not track and that landing an update would write over: a file
 * (or link) at a path the update writes, or where it needs a folder, and a folder holding such files where
 * it writes a file. `tracked` is `HEAD`'s tree by repository path (files, links and submodules): the
 * work tree is clean, so a tracked path is as `HEAD` has it and git may replace it; anything else there is
 * the user's. Untracked files elsewhere do not matter, as for `git merge`.
 *
 * Why here and not git's own check: `read-tree -m -u` refuses only untracked files, and overwrites ignored
 * ones (so does `git merge`), which are often the ones that hold what cannot be made again; and it
 * refuses only once the new baseline is committed. Asked of the file system, for the written paths only.
 */
export function untrackedInTheWay(git: Git, root: string, tracked: ReadonlyMap<string, unknown>, written: Iterable<string>): PathInTheWay[] {
  const trackedFolders = new Set<string>();
  for (const p of tracked.keys()) {
    for (let slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) trackedFolders.add(p.slice(0, slash));
  }
  const stat = (p: string) => lstatOrNothing(path.join(root, ...p.split('/')));
  const inTheWay = new Set<string>();
  for (const p of written) {
    if (tracked.has(p)) continue;
    const parts = p.split('/');
    let blocked = false;
    for (let i = 1; i < parts.length && !blocked; i++) {
      const folder = parts.slice(0, i).join('/');
      if (trackedFolders.has(folder)) continue;
      // A tracked file or link that becomes a folder is git's to replace.
      if (tracked.has(folder)) break;
      const found = stat(folder);
      if (!found) break;
      // A link to a folder included: writing through it would write elsewhere.
      if (!found.isDirectory()) {
        inTheWay.add(folder);
        blocked = true;
      }
    }
    const found = blocked ? undefined : stat(p);
    if (!found) continue;
    if (!found.isDirectory()) inTheWay.add(p);
    else if (holdsUntracked(root, p, tracked)) inTheWay.add(`${p}/`);
  }
  const paths = [...inTheWay].sort();
  if (paths.length === 0) return [];
  // Only now, and in one process: which of them git ignores.
  const checked = git.tryRun(['check-ignore', '-z', '--stdin'], { input: paths.map(p => p.replace(/\/$/, '')).join('\0') + '\0' });
  const ignored = new Set(checked.stdout.toString('utf8').split('\0').filter(Boolean));
  return paths.map(p => ({ path: p, ignored: ignored.has(p.replace(/\/$/, '')) }));
}

/**
 * The file system entry at `file`, or nothing when there is none: also where a folder on its way is a file
 * (ENOTDIR), as a tracked file the blueprint turns into a folder is until git replaces it.
 */
function lstatOrNothing(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Whether a folder holds a file (or link) at a path `tracked` lacks; empty folders hold nothing to lose. */
function holdsUntracked(root: string, folder: string, tracked: ReadonlyMap<string, unknown>): boolean {
  const entries = fs.readdirSync(path.join(root, ...folder.split('/')), { withFileTypes: true });
  return entries.some(entry => {
    const p = `${folder}/${entry.name}`;
    return entry.isDirectory() ? holdsUntracked(root, p, tracked) : !tracked.has(p);
  });
}

/** The paths as a message names them: `.env (ignored), notes.txt (untracked)`. */
export function describePathsInTheWay(paths: readonly PathInTheWay[]): string {
  return paths.map(p => `${p.path} (${p.ignored ? 'ignored' : 'untracked'})`).join(', ');
}
