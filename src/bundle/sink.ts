import * as fs from 'fs';
import * as path from 'path';
import { PathBelowLinkError, PathEscapeError } from '../errors';
import { BundleFile, DEFAULT_FILE_MODE, FileMap, SYMLINK_MODE } from './file-map';
import { normalizeRelative, resolveInside } from './paths';
import { commitStaging, createStaging, currentUmask, discardStaging } from './staging';
import { WriteBehind } from './write-behind';

/**
 * Where a bundle is written to: a folder (a job's bundle folder), a staging folder renamed into place,
 * memory (dry runs, in-process tests), and (in `project/`) a git index. Components, merges and updates
 * write through this interface only, so none of them knows where files end up. Paths are bundle-relative
 * POSIX paths; a path that would leave the bundle is a {@link PathEscapeError}.
 */
export interface BundleSink {
  /**
   * Adds one file (`SYMLINK_MODE` writes a symbolic link whose target is the buffer). `what` names the
   * writer (a component) in the error for a path that would leave the bundle.
   */
  write(path: string, file: BundleFile, what?: string): void;
  /** Makes everything written visible at once. */
  commit(): void;
  /** Drops everything written: none of it stays visible. */
  discard(): void;
  /** Creates a folder that may stay empty (an empty repository still has its folder). @default nothing */
  folder?(path: string): void;
}

/** Files a sink writes itself before it hands the rest to writer threads (see {@link StagingSinkOptions.writeBehind}). */
const WRITE_BEHIND_AFTER = 300;

/** How much a {@link FolderSink} must distrust what is already in its folder. */
export interface FolderSinkOptions {
  /** Names the writer in errors (`resolved bundle`, a component). @default 'bundle' */
  readonly what?: string;
  /**
   * True when nothing but this sink writes into the folder (a fresh staging folder), so only the links this
   * sink wrote itself can lead out of it. False when other code may create links there meanwhile (blueprint
   * code running beside its components): every write then checks the real path of its folder.
   * @default false
   */
  readonly exclusive?: boolean;
}

/** How a {@link StagingSink} writes. */
export interface StagingSinkOptions {
  /** Names the writer in errors. @default the target */
  readonly what?: string;
  /**
   * Create regular files on worker threads ({@link WriteBehind}) while the caller goes on: for a bundle of
   * thousands of files on a machine with more than one core. A failure then shows at commit.
   * @default false
   */
  readonly writeBehind?: boolean;
}

/**
 * Writes files into an existing folder as they come, refusing any path that would land outside it: an
 * absolute path, a `..`, or a symbolic link on the way. `commit` and `discard` do nothing: the folder is
 * someone else's to publish (a job writes its bundle folder in place; its parent process keeps or removes it).
 *
 * Each file costs as few system calls as its mode allows: its folder is created once, and a new file gets
 * its mode when it is created, so it needs no chmod unless the umask would narrow that mode.
 */
export class FolderSink implements BundleSink {
  private readonly root: string;
  private readonly what: string;
  private readonly exclusive: boolean;
  /** Links this sink wrote, by bundle path: nothing may be written through them. */
  private readonly links = new Set<string>();
  /** Folders known to exist (and, when exclusive, to be inside), by absolute path. */
  private readonly folders = new Set<string>();
  private readonly umask = currentUmask();
  /** The root's real path, once a folder below it was checked (non-exclusive sinks). */
  private realRoot: string | undefined;
  private readonly writeBehind: boolean;
  private written = 0;
  /** Writers of regular files on other threads, for a staging folder (see {@link StagingSinkOptions.writeBehind}). */
  protected behind: WriteBehind | undefined;

  constructor(public readonly dir: string, options: FolderSinkOptions & { writeBehind?: boolean } = {}) {
    this.root = path.resolve(dir);
    this.what = options.what ?? 'bundle';
    this.exclusive = options.exclusive ?? false;
    this.folders.add(this.root);
    this.writeBehind = !!options.writeBehind && this.exclusive;
  }

  write(relative: string, file: BundleFile, what = this.what): void {
    const normal = normalizeRelative(relative, what, this.dir);
    const absolute = path.sep === '/' ? `${this.root}/${normal}` : path.join(this.root, ...normal.split('/'));
    if (this.links.size) {
      for (let parent = path.posix.dirname(normal); parent !== '.'; parent = path.posix.dirname(parent)) {
        if (this.links.has(parent)) throw new PathEscapeError(`${what} (through the symbolic link '${parent}')`, relative, this.dir);
      }
    }
    try {
      this.ensureFolder(path.dirname(absolute), relative, what);
    } catch (error) {
      throw this.belowFile(error, normal, what);
    }
    if (!this.exclusive && fs.lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new PathEscapeError(what, relative, this.dir);
    }
    if (file.mode === SYMLINK_MODE) {
      fs.rmSync(absolute, { force: true });
      fs.symlinkSync(file.buffer.toString(), absolute);
      this.links.add(normal);
      return;
    }
    const mode = file.mode ?? DEFAULT_FILE_MODE;
    // Writer threads cost more to start than a small bundle costs to write: they start only past a few hundred files.
    if (this.writeBehind && !this.behind && ++this.written > WRITE_BEHIND_AFTER) this.behind = new WriteBehind(this.umask);
    if (this.behind) this.behind.write(absolute, file.buffer, mode);
    else if (!this.createWithMode(absolute, file.buffer, mode)) {
      // Already there (written before, or an older bundle): its mode stays unless set again.
      try {
        fs.writeFileSync(absolute, file.buffer, { mode });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw folderNotFile(what, normal);
        throw error;
      }
      fs.chmodSync(absolute, mode);
    } else if ((mode & this.umask) !== 0) {
      fs.chmodSync(absolute, mode); // the umask narrowed it
    }
  }

  folder(relative: string): void {
    this.ensureFolder(resolveInside(this.root, relative, this.what), relative, this.what);
  }

  commit(): void {}

  discard(): void {}

  private ensureFolder(folder: string, relative: string, what: string): void {
    if (this.exclusive && this.folders.has(folder)) return;
    // Only this sink writes into an exclusive folder, and it tracks its own links; elsewhere a link may
    // have appeared anywhere since the last write, so the folder's real path is checked every time. A
    // folder made before is only looked up (one system call: the native realpath, where Node's own walks
    // the path with an lstat per part), and made again if something removed it since.
    let real = this.folders.has(folder) ? realPathIfPresent(folder) : undefined;
    if (real === undefined) {
      fs.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
      if (this.exclusive) return;
      real = fs.realpathSync.native(folder);
    }
    // The root's real path is taken once: a root moved or replaced since is no longer where `real` can be.
    this.realRoot ??= fs.realpathSync.native(this.root);
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) throw new PathEscapeError(what, relative, this.dir);
  }

  /**
   * What a failure to make the folders of `normal` means when a file of the bundle stands where one of them
   * would be (a component's `a` and another's `a/b`): the error a {@link MemorySink} gives, naming both paths,
   * rather than the system's `EEXIST` or `ENOTDIR`, which names neither component.
   */
  private belowFile(error: unknown, normal: string, what: string): unknown {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') return error;
    const parts = normal.split('/');
    for (let end = 1; end < parts.length; end++) {
      const parent = parts.slice(0, end).join('/');
      if (fs.lstatSync(path.join(this.root, ...parts.slice(0, end)), { throwIfNoEntry: false })?.isFile()) return belowFile(what, normal, parent);
    }
    return error;
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
    } catch (error) {
      // A write's error names no file (a full disk: 'ENOSPC: no space left on device, write'): this one is at fault.
      (error as NodeJS.ErrnoException).path ??= absolute;
      throw error;
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }
}

/** A path written where the bundle has a folder (written to below it before): both sinks say so alike. */
function folderNotFile(what: string, normal: string): Error {
  return new Error(`${what}: '${normal}' is a folder of the bundle, not a file`);
}

/** A path written below a file of the bundle (`parent`): both sinks say so alike. */
function belowFile(what: string, normal: string, parent: string): Error {
  return new Error(`${what}: '${normal}' is below '${parent}', a file of the bundle`);
}

/** A folder's real path, or undefined when it is gone. */
function realPathIfPresent(folder: string): string | undefined {
  try {
    return fs.realpathSync.native(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a bundle into a staging folder beside `target` and, on commit, renames it into the place of
 * `target` as a whole: an interrupted or failed write leaves the previous `target` (or nothing) behind.
 * Give it the paths in byte order ({@link compareBundlePaths}), so that a link comes before what is below it.
 */
export class StagingSink extends FolderSink {
  private finished = false;

  constructor(public readonly target: string, options: StagingSinkOptions = {}) {
    super(createStaging(target), { what: options.what ?? target, exclusive: true, writeBehind: options.writeBehind });
  }

  override commit(): void {
    this.finish(() => {
      try {
        this.behind?.flush();
      } catch (error) {
        discardStaging(this.dir);
        throw error;
      }
      commitStaging(this.dir, this.target);
    });
  }

  override discard(): void {
    this.finish(() => {
      this.behind?.stop();
      discardStaging(this.dir);
    });
  }

  private finish(action: () => void): void {
    if (this.finished) return;
    this.finished = true;
    action();
  }
}

/** Collects a bundle in memory; {@link files} holds what was committed. */
export class MemorySink implements BundleSink {
  private pending: FileMap = new Map();
  /** The committed bundle. */
  public readonly files: FileMap = new Map();
  /** Folders created with {@link folder}, which may hold no file. */
  public readonly folders = new Set<string>();
  /** Every folder a written path implies, so that a path is never both a file and a folder, as on disk. */
  private readonly parents = new Set<string>();

  /**
   * Adds one file. As a folder sink would, it refuses a path below a link (a {@link PathEscapeError}), below
   * a file, or where a folder is: a bundle in memory is one that could be written to disk.
   */
  write(relative: string, file: BundleFile, what = 'bundle'): void {
    const normal = normalizeRelative(relative, what);
    if (this.parents.has(normal)) throw folderNotFile(what, normal);
    for (let parent = path.posix.dirname(normal); parent !== '.'; parent = path.posix.dirname(parent)) {
      // A known folder's own folders were checked when it became one.
      if (this.parents.has(parent)) break;
      const there = this.pending.get(parent) ?? this.files.get(parent);
      if (there?.mode === SYMLINK_MODE) throw new PathBelowLinkError(what, relative, parent);
      if (there) throw belowFile(what, normal, parent);
      this.parents.add(parent);
    }
    this.pending.set(normal, file);
  }

  folder(relative: string): void {
    this.folders.add(normalizeRelative(relative, 'bundle'));
  }

  commit(): void {
    for (const [relative, file] of this.pending) this.files.set(relative, file);
    this.pending = new Map();
  }

  discard(): void {
    this.pending = new Map();
    this.parents.clear();
    for (const relative of this.files.keys()) {
      for (let parent = path.posix.dirname(relative); parent !== '.'; parent = path.posix.dirname(parent)) this.parents.add(parent);
    }
  }
}

/** Writes a whole file map through a sink, in byte order, and commits; discards on failure. */
export function writeAll(sink: BundleSink, files: FileMap): void {
  try {
    for (const [relative, file] of [...files].sort(([a], [b]) => compareBundlePaths(a, b))) sink.write(relative, file);
    sink.commit();
  } catch (error) {
    sink.discard();
    throw error;
  }
}

/** Byte order of bundle paths: a folder's link comes before what is below it, and reports list paths alike. */
export function compareBundlePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Writes a whole bundle atomically: into a staging folder beside `target`, then renamed into place.
 * An interrupted or failed write leaves the previous content of `target` (or nothing) behind.
 */
export function writeBundle(target: string, files: FileMap): void {
  writeAll(new StagingSink(target), files);
}
