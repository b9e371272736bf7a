import { BundleFile } from '../bundle/file-map';
import { SYMLINK_MODE } from '../bundle/read';
import { BundleSource } from '../bundle/source';
import { Git } from './git';

/** One blob of a git tree, as `ls-tree -r` lists it. */
export interface TreeEntry {
  /** git's mode: `100644`, `100755`, `120000` (link), `160000` (submodule). */
  readonly mode: string;
  /** The blob's id. */
  readonly oid: string;
}

/** Every blob of a tree-ish by repository-relative path (submodules included, as their commit). */
export function listTree(git: Git, treeish: string): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  const out = git.run(['ls-tree', '-r', '-z', '--full-tree', treeish]);
  for (const record of out.split('\0')) {
    if (!record) continue;
    // "<mode> SP <type> SP <oid> TAB <path>"
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.set(record.slice(tab + 1), { mode, oid });
  }
  return entries;
}

/**
 * Reads many blobs with one `git cat-file --batch` process, whatever their number: the ids go in on
 * stdin, the contents come back in order, each after a `<oid> <type> <size>` header.
 */
export function readBlobs(git: Git, oids: readonly string[]): Map<string, Buffer> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const out = git.runBuffer(['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
  let offset = 0;
  for (const oid of unique) {
    const newline = out.indexOf(10, offset);
    const header = out.subarray(offset, newline).toString('latin1').split(' ');
    if (header[1] === 'missing') throw new Error(`git object ${oid} is missing`);
    const size = Number(header[2]);
    // A copy, so that one kept file does not keep the whole batch's buffer alive.
    blobs.set(oid, Buffer.from(out.subarray(newline + 1, newline + 1 + size)));
    offset = newline + 1 + size + 1;
  }
  return blobs;
}

/** The bundle file mode for a git mode. */
export function fileModeOf(gitMode: string): number {
  if (gitMode === '120000') return SYMLINK_MODE;
  return gitMode === '100755' ? 0o755 : 0o644;
}

/**
 * Blobs by id, for the sources of one repository: a blob read (or hashed from a file) once serves every
 * tree that has it, so an update reads only the blobs that differ between its sides.
 */
export class BlobCache {
  private readonly blobs = new Map<string, Buffer>();

  constructor(private readonly git: Git) {}

  /** The blob's bytes, when known. */
  get(oid: string): Buffer | undefined {
    return this.blobs.get(oid);
  }

  /** Records bytes whose id was computed elsewhere (a file hashed as git would). */
  add(oid: string, buffer: Buffer): void {
    this.blobs.set(oid, buffer);
  }

  /** Reads the blobs not known yet, all in one `cat-file --batch` process. */
  load(oids: Iterable<string>): void {
    const missing = [...oids].filter(oid => !this.blobs.has(oid));
    for (const [oid, buffer] of readBlobs(this.git, missing)) this.blobs.set(oid, buffer);
  }
}

/**
 * A git tree seen as (part of) a bundle: the tree's paths appear under `prefix` (`src/<repository>/`),
 * minus the paths in `exclude` (a path, or a folder as `name/`), which are kept apart. The tree is listed
 * once; the blobs are read together, in one process, the first time a file is read: those the cache does
 * not hold yet.
 */
export class GitTreeSource implements BundleSource {
  /** Bundle path to tree entry. */
  readonly entries = new Map<string, TreeEntry>();
  /** The repository paths `exclude` kept out of the bundle, with their entries. */
  readonly excluded = new Map<string, TreeEntry>();
  private loaded = false;

  constructor(
    git: Git,
    treeish: string,
    private readonly prefix = '',
    exclude: readonly string[] = [],
    private readonly blobs = new BlobCache(git),
  ) {
    for (const [path, entry] of listTree(git, treeish)) {
      if (entry.mode === '160000') continue;
      if (exclude.some(excluded => (excluded.endsWith('/') ? path.startsWith(excluded) : path === excluded))) this.excluded.set(path, entry);
      else this.entries.set(prefix + path, entry);
    }
  }

  /** An excluded path's file (by repository path); the first call reads them all, in one process. */
  readExcluded(treePath: string): BundleFile | undefined {
    const entry = this.excluded.get(treePath);
    if (!entry) return undefined;
    this.blobs.load([...this.excluded.values()].map(e => e.oid));
    return { buffer: this.blobs.get(entry.oid)!, mode: fileModeOf(entry.mode) };
  }

  list(): string[] {
    return [...this.entries.keys()];
  }

  read(path: string): BundleFile | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    if (!this.loaded) {
      this.blobs.load([...this.entries.values()].map(e => e.oid));
      this.loaded = true;
    }
    return { buffer: this.blobs.get(entry.oid)!, mode: fileModeOf(entry.mode) };
  }

  /** The repository-relative path of a bundle path of this source. */
  treePath(bundlePath: string): string {
    return bundlePath.slice(this.prefix.length);
  }
}
