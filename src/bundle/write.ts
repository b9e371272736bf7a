import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_FILE_MODE, FileMap } from './file-map';
import { resolveInside } from './paths';
import { SYMLINK_MODE } from './read';

/**
 * Creates an empty staging folder beside `target` (same parent, so the final rename never crosses
 * a file system). Everything a job writes goes there first; see {@link commitStaging}.
 */
export function createStaging(target: string): string {
  const parent = path.dirname(path.resolve(target));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
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

function currentUmask(): number {
  const mask = process.umask(0);
  process.umask(mask);
  return mask;
}

/** Removes a staging folder after a failed job, so that it leaves no bundle at all. */
export function discardStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Writes the files of `files` into the folder `dir`, which must exist. Every path is checked to
 * stay inside `dir`, and no file is written through a symbolic link that the map itself creates.
 */
export function writeFiles(dir: string, files: FileMap, what = 'bundle'): void {
  const links = new Set([...files].filter(([, f]) => f.mode === SYMLINK_MODE).map(([p]) => p));
  for (const [relative, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const absolute = resolveInside(dir, relative, what);
    for (let parent = path.posix.dirname(relative); parent !== '.'; parent = path.posix.dirname(parent)) {
      if (links.has(parent)) {
        throw new Error(`${what}: '${relative}' would be written through the symbolic link '${parent}'`);
      }
    }
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    if (file.mode === SYMLINK_MODE) {
      fs.symlinkSync(file.buffer.toString(), absolute);
    } else {
      const mode = file.mode ?? DEFAULT_FILE_MODE;
      fs.writeFileSync(absolute, file.buffer, { mode });
      fs.chmodSync(absolute, mode); // the umask may have narrowed it
    }
  }
}

/**
 * Writes a whole bundle atomically: into a staging folder beside `target`, then renamed into place.
 * An interrupted or failed write leaves the previous content of `target` (or nothing) behind.
 */
export function writeBundle(target: string, files: FileMap): void {
  const staging = createStaging(target);
  try {
    writeFiles(staging, files, target);
    commitStaging(staging, target);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
}
