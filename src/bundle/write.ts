import * as fs from 'fs';
import * as path from 'path';
import { BundleFile, DEFAULT_FILE_MODE, FileMap } from './file-map';
import { normalizeRelative } from './paths';
import { SYMLINK_MODE } from './read';
import { ensureWritableFolder } from './writable';

/**
 * Creates an empty staging folder beside `target` (same parent, so the final rename never crosses
 * a file system). Everything a job writes goes there first; see {@link commitStaging}.
 */
export function createStaging(target: string): string {
  const parent = path.dirname(path.resolve(target));
  ensureWritableFolder(parent);
  fs.mkdirSync(parent, { recursive: true });
  removeStaleStaging(target);
  // The writing process's id in the name tells a later run whether the folder is still being written.
  const staging = fs.mkdtempSync(path.join(parent, `${stagingPrefix(target)}${process.pid}-`));
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

/**
 * Removes the staging folders of `target` (and their `.old` asides) that a killed run left: those whose
 * writing process is gone. A folder of a run still going, into the same output folder, is left alone.
 */
export function removeStaleStaging(target: string): void {
  const parent = path.dirname(path.resolve(target));
  const prefix = stagingPrefix(target);
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    // A name without an id comes from a version that did not record it: nothing can be writing it any more.
    if (pid && processIsAlive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
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
  const writer = new BundleWriter(dir, what);
  // In byte order a link comes before everything below it, so the writer has seen it in time.
  for (const [relative, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) writer.write(relative, file);
}

/**
 * Writes files one by one into the folder `dir`, which must exist, for a caller that produces them one
 * at a time (a streamed merge) or all at once ({@link writeFiles}). Every path is checked to stay inside
 * `dir`, and a file is never written through a symbolic link written before it: give the paths in byte
 * order, so that a link comes before what is below it.
 *
 * Each file costs as few system calls as its mode allows: its folder is created once, and a new file
 * gets its mode when it is created, so it needs no chmod unless the umask would narrow that mode.
 */
export class BundleWriter {
  private readonly links = new Set<string>();
  /** Folders known to exist, by absolute path. */
  private readonly folders = new Set<string>();
  private readonly umask = currentUmask();

  private readonly root: string;

  constructor(private readonly dir: string, private readonly what = 'bundle') {
    this.root = path.resolve(dir);
    this.folders.add(this.root);
  }

  write(relative: string, file: BundleFile): void {
    const normal = normalizeRelative(relative, this.what, this.dir);
    const absolute = path.sep === '/' ? `${this.root}/${normal}` : path.join(this.root, ...normal.split('/'));
    if (this.links.size) {
      for (let parent = path.posix.dirname(normal); parent !== '.'; parent = path.posix.dirname(parent)) {
        if (this.links.has(parent)) {
          throw new Error(`${this.what}: '${relative}' would be written through the symbolic link '${parent}'`);
        }
      }
    }
    const folder = path.dirname(absolute);
    if (!this.folders.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    if (file.mode === SYMLINK_MODE) {
      fs.symlinkSync(file.buffer.toString(), absolute);
      this.links.add(normal);
      return;
    }
    const mode = file.mode ?? DEFAULT_FILE_MODE;
    if (!this.createWithMode(absolute, file.buffer, mode)) {
      // Already there (writing over an older bundle): its mode stays unless set again.
      fs.writeFileSync(absolute, file.buffer, { mode });
      fs.chmodSync(absolute, mode);
    } else if ((mode & this.umask) !== 0) {
      fs.chmodSync(absolute, mode); // the umask narrowed it
    }
  }

  /** Creates a new file with `mode` and writes `buffer` into it; false when the path already exists. */
  private createWithMode(absolute: string, buffer: Buffer, mode: number): boolean {
    let fd: number;
    try {
      fd = fs.openSync(absolute, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      for (let written = 0; written < buffer.length;) written += fs.writeSync(fd, buffer, written, buffer.length - written);
    } finally {
      fs.closeSync(fd);
    }
    return true;
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
