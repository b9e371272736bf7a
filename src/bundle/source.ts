import { BundleFile, FileMap } from './file-map';
import { BundleEntry, listBundle, readBundleEntry, ReusedBuffer } from './read';

/**
 * Where a bundle is read from: a folder on disk, memory, and (in `project/`) a git tree. Everything that
 * reads a bundle for a merge goes through this interface, so the merge never knows where files live.
 * Paths are bundle-relative POSIX paths.
 */
export interface BundleSource {
  /** Every file's path, in no particular order. */
  list(): string[];
  /** One file's bytes and mode (`SYMLINK_MODE` for a symbolic link); undefined when the bundle has no such file. */
  read(path: string): BundleFile | undefined;
  /**
   * Reads these paths' files ahead, together, where that is cheaper than one by one (a git tree: one
   * process), so that reading a few files of a big bundle does not read them all. Optional: a source
   * without it reads each file when asked.
   */
  prefetch?(paths: readonly string[]): void;
}

/** How a {@link FolderSource} reads. */
export interface FolderSourceOptions {
  /**
   * Read every regular file into one buffer ({@link ReusedBuffer}), so that a file's bytes stay valid only
   * until the next read from this source: for a caller that writes or drops each file before it reads the
   * next, and then reads faster.
   * @default false
   */
  readonly reuseBuffer?: boolean;
}

/**
 * A bundle folder on disk. It is listed once, when constructed, and each file is read only when asked for,
 * so a caller that reads one path at a time holds one file in memory. A missing folder is an empty bundle.
 */
export class FolderSource implements BundleSource {
  private readonly entries: Map<string, BundleEntry>;
  private readonly reuse: ReusedBuffer | undefined;

  constructor(public readonly folder: string, options: FolderSourceOptions = {}) {
    this.entries = listBundle(folder);
    this.reuse = options.reuseBuffer ? new ReusedBuffer() : undefined;
  }

  list(): string[] {
    return [...this.entries.keys()];
  }

  read(path: string): BundleFile | undefined {
    const entry = this.entries.get(path);
    return entry === undefined ? undefined : readBundleEntry(entry, this.reuse);
  }
}

/** A bundle held in memory: for dry runs, in-process tests and bundles computed rather than read. */
export class MemorySource implements BundleSource {
  constructor(private readonly files: FileMap) {}

  list(): string[] {
    return [...this.files.keys()];
  }

  read(path: string): BundleFile | undefined {
    return this.files.get(path);
  }
}

/** Reads a whole source into memory. */
export function readAll(source: BundleSource): FileMap {
  const files: FileMap = new Map();
  for (const path of source.list()) files.set(path, source.read(path)!);
  return files;
}
