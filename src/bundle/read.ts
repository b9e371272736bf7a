import * as fs from 'fs';
import * as path from 'path';
import { BundleFile, FileMap, SYMLINK_MODE } from './file-map';
import { BundleLayout } from './layout';

export { SYMLINK_MODE };

/** One file of a bundle on disk, listed but not read: see {@link listBundle}. */
export interface BundleEntry {
  /** Where it is. */
  readonly absolute: string;
  /** A symbolic link (kept as a link, never followed) rather than a regular file. */
  readonly symlink: boolean;
}

/**
 * Reads every file below `dir` into a file map keyed by bundle-relative POSIX path.
 * Symbolic links are not followed: like git, a link is kept as a file whose content is its target
 * and whose mode is {@link SYMLINK_MODE}. A missing folder reads as an empty bundle.
 */
export function readBundle(dir: string): FileMap {
  const files: FileMap = new Map();
  for (const [relative, entry] of listBundle(dir)) files.set(relative, readBundleEntry(entry));
  return files;
}

/** The files of a bundle folder's repositories (its paths under `src/`), as {@link readBundle} reads them. */
export function readRepositoryFiles(dir: string): FileMap {
  return new Map([...readBundle(dir)].filter(([p]) => p.startsWith(`${BundleLayout.SOURCE}/`)));
}

/**
 * Lists the files below `dir` by bundle-relative POSIX path without reading them, so that a caller
 * can read them one at a time ({@link readBundleEntry}) and hold only a few in memory. The folder
 * listing says what each entry is, so nothing is stat'ed here. A missing folder lists as empty.
 * The map's order is a walk with each folder's entries sorted by name, which is not byte order of whole
 * paths (`a/b` before `a-c`).
 */
export function listBundle(dir: string): Map<string, BundleEntry> {
  const entries = new Map<string, BundleEntry>();
  const walk = (absolute: string, relative: string) => {
    let children: fs.Dirent[];
    try {
      children = fs.readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      if (relative === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const childAbsolute = `${absolute}${path.sep}${child.name}`;
      const childRelative = relative ? `${relative}/${child.name}` : child.name;
      if (child.isDirectory()) walk(childAbsolute, childRelative);
      else if (child.isSymbolicLink()) entries.set(childRelative, { absolute: childAbsolute, symlink: true });
      else if (child.isFile()) entries.set(childRelative, { absolute: childAbsolute, symlink: false });
    }
  };
  walk(path.resolve(dir), '');
  return entries;
}

/**
 * The largest file a bundle may hold: 2 GiB less a byte, the most one read call takes, and so the most the
 * framework reads whole (a merge, a copy's check, an update's blob). A larger one would fail the merge only
 * after a copy of it (a sparse file made with `truncate` is copied whole, bytes on disk for every hole).
 */
export const MAX_BUNDLE_FILE_BYTES = 2 ** 31 - 1;

/** The files of the bundle in `dir` larger than {@link MAX_BUNDLE_FILE_BYTES}, with their sizes. */
export function oversizedFiles(dir: string): { path: string; size: number }[] {
  const oversized: { path: string; size: number }[] = [];
  for (const [relative, entry] of listBundle(dir)) {
    const size = entry.symlink ? 0 : fs.statSync(entry.absolute, { throwIfNoEntry: false })?.size ?? 0;
    if (size > MAX_BUNDLE_FILE_BYTES) oversized.push({ path: relative, size });
  }
  return oversized;
}

/**
 * Reads one listed file: a symbolic link as its target with {@link SYMLINK_MODE}, a regular file with its
 * permission bits. With `reuse`, a regular file's bytes are a view of that buffer (see {@link ReusedBuffer}).
 */
export function readBundleEntry(entry: BundleEntry, reuse?: ReusedBuffer): BundleFile {
  return entry.symlink ? { buffer: Buffer.from(fs.readlinkSync(entry.absolute)), mode: SYMLINK_MODE } : readBundleFile(entry.absolute, reuse);
}

/**
 * One buffer that file after file is read into, for a reader done with each file before it reads the
 * next (a merge whose sink writes each file at once). A new buffer per file costs more than the merge of
 * an unchanged file: the kernel maps fresh pages for it and the collector frees it again, while one buffer
 * reused stays mapped. It grows to the largest file read.
 */
export class ReusedBuffer {
  private buffer = Buffer.allocUnsafeSlow(64 * 1024);

  /** A view of `size` bytes, valid until the next call. */
  take(size: number): Buffer {
    if (size > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(Math.max(size, this.buffer.length * 2));
    return this.buffer.subarray(0, size);
  }
}

/**
 * Reads one regular file with its permission bits: open, fstat, read, close, the fewest system calls
 * that give both (`statSync` + `readFileSync` would stat it twice). The buffer is exactly the file's
 * size: a view of `reuse` when given; else a small one comes from Node's shared pool (a separate
 * allocation per file costs more than the merge of an unchanged file), so a kept small file may keep at
 * most one 8 KiB pool slab alive.
 */
export function readBundleFile(absolute: string, reuse?: ReusedBuffer): BundleFile {
  const fd = fs.openSync(absolute, 'r');
  try {
    const stat = fs.fstatSync(fd);
    return { buffer: readToEnd(fd, stat.size, reuse), mode: stat.mode & 0o777 };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads `fd` to its end, expecting `size` bytes, as `readFileSync` does (a file that shrank meanwhile is read as it is now). */
function readToEnd(fd: number, size: number, reuse: ReusedBuffer | undefined): Buffer {
  if (size > 0) {
    const buffer = reuse ? reuse.take(size) : Buffer.allocUnsafe(size);
    let length = 0;
    while (length < size) {
      const read = fs.readSync(fd, buffer, length, size - length, null);
      if (read === 0) break;
      length += read;
    }
    return length === size ? buffer : reuse ? buffer.subarray(0, length) : Buffer.from(buffer.subarray(0, length));
  }
  // Empty, or a file whose size stat does not know: read until the end.
  const chunks: Buffer[] = [];
  for (;;) {
    const chunk = Buffer.allocUnsafe(8192);
    const read = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks);
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
}

/** The names of the folders right inside `dir`, sorted; none when `dir` is missing. */
export function listFolders(dir: string): string[] {
  if (!isFolder(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
}

/** Whether `dir` is a folder (following links). */
export function isFolder(dir: string): boolean {
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Whether `file` is a regular file, or a symbolic link that leads to one. */
export function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** A file's bytes, or undefined when it cannot be read (missing, a folder, no permission). */
export function readFileIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
