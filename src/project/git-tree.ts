import { BundleFile } from '../bundle/file-map';
import { SYMLINK_MODE } from '../bundle/read';
import { BundleSource } from '../bundle/source';
import { Git, GitOptions, StartedGit } from './git';
import { objectId } from './object-writer';

/** One blob of a git tree, as `ls-tree -r` lists it. */
export interface TreeEntry {
  /** git's mode: `100644`, `100755`, `120000` (link), `160000` (submodule). */
  readonly mode: string;
  /** The blob's id. */
  readonly oid: string;
}

/**
 * Every blob of a tree-ish by repository-relative path, submodules included (as their commit); the ids of
 * its sub-trees go to `trees` when given.
 */
export function listTree(git: Git, treeish: string, trees?: Set<string>, options: GitOptions = {}): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  const out = git.run(['ls-tree', '-r', '-z', '--full-tree', ...(trees ? ['-t'] : []), treeish], options);
  for (const record of out.split('\0')) {
    if (!record) continue;
    // "<mode> SP <type> SP <oid> TAB <path>"
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    if (type === 'tree') trees?.add(oid);
    else entries.set(record.slice(tab + 1), { mode, oid });
  }
  return entries;
}

/**
 * Reads many blobs with one `git cat-file --batch` process, whatever their number: the ids go in on
 * stdin, the contents come back in order, each after a `<oid> <type> <size>` header (`options`: a dry
 * run's scratch object folder, where objects it wrote are).
 */
export function readBlobs(git: Git, oids: readonly string[], options: GitOptions = {}): Map<string, Buffer> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return new Map();
  return parseBatch(git.runBuffer(...batchCommand(unique, options)), unique);
}

/** `cat-file --batch` of these (distinct) ids, with `options` (an object database's environment): its arguments and options. */
function batchCommand(unique: readonly string[], options: GitOptions = {}): [string[], GitOptions] {
  return [['cat-file', '--batch'], { ...options, input: unique.join('\n') + '\n' }];
}

/**
 * The blobs of `cat-file --batch`'s output for the ids `unique`, asked in this order: copies, unless `copy` is
 * false (for a caller that keeps every blob as long as the others, so that views keep nothing more alive).
 */
function parseBatch(out: Buffer, unique: readonly string[], copy = true): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let offset = 0;
  for (const oid of unique) {
    const newline = out.indexOf(10, offset);
    const header = out.subarray(offset, newline).toString('latin1').split(' ');
    if (header[1] === 'missing') throw new Error(`git object ${oid} is missing`);
    const size = Number(header[2]);
    // A copy, so that one kept file does not keep the whole batch's buffer alive.
    const blob = out.subarray(newline + 1, newline + 1 + size);
    blobs.set(oid, copy ? Buffer.from(blob) : blob);
    offset = newline + 1 + size + 1;
  }
  return blobs;
}

/** A whole tree, as an update writes another from it: its id (or its commit's), every entry by repository path, and its blobs' bytes. */
export interface WholeTree {
  readonly treeish: string | undefined;
  readonly entries: ReadonlyMap<string, TreeEntry>;
  blob(oid: string): Buffer;
}

/** The bundle file mode for a git mode. */
export function fileModeOf(gitMode: string): number {
  if (gitMode === '120000') return SYMLINK_MODE;
  return gitMode === '100755' ? 0o755 : 0o644;
}

/**
 * Objects of one repository its sources share: a blob read (or hashed from a file) once serves every tree
 * that has it, so an update reads only the blobs that differ between its sides; a tree listed once (with
 * its sub-trees' ids) serves every source of that tree, so an ancestor whose tree is `HEAD`'s costs no
 * second `ls-tree`.
 */
export class ObjectCache {
  private readonly blobs = new Map<string, Buffer>();
  private readonly listings = new Map<string, { entries: Map<string, TreeEntry>; trees: Set<string> }>();
  /** Blobs being read in the background (see {@link prefetch}). */
  private prefetching: { unique: string[]; started: StartedGit } | undefined;

  constructor(private readonly git: Git) {}

  /** The tree's entries, and its sub-trees' ids, listed by the first call for `treeish`. */
  list(treeish: string): { entries: Map<string, TreeEntry>; trees: Set<string> } {
    let listing = this.listings.get(treeish);
    if (!listing) {
      const trees = new Set<string>();
      this.listings.set(treeish, (listing = { entries: listTree(this.git, treeish, trees), trees }));
    }
    return listing;
  }

  /** Records the listing of a tree this process wrote (see `writeTreeWith`): git need not list it. */
  remember(tree: string, entries: ReadonlyMap<string, TreeEntry>, trees: ReadonlySet<string>): void {
    this.listings.set(tree, { entries: new Map(entries), trees: new Set(trees) });
  }

  /** The blob's bytes, when known. */
  get(oid: string): Buffer | undefined {
    return this.blobs.get(oid);
  }

  /** Records bytes whose id was computed elsewhere (a file hashed as git would). */
  add(oid: string, buffer: Buffer): void {
    this.blobs.set(oid, buffer);
  }

  /**
   * Records bytes read by another command as the blob `oid` (a file `git show` printed), when they are that blob's:
   * hashed first, as a file may have changed between the two reads.
   */
  seed(oid: string, buffer: Buffer): void {
    if (!this.blobs.has(oid) && objectId('blob', buffer, oid.length === 64 ? 'sha256' : 'sha1') === oid) this.blobs.set(oid, buffer);
  }

  /** Reads the blobs not known yet, all in one `cat-file --batch` process. */
  load(oids: Iterable<string>): void {
    this.takePrefetched();
    const missing = [...new Set(oids)].filter(oid => !this.blobs.has(oid));
    if (missing.length === 0) return;
    // Views, not copies: the cache keeps every blob for as long as it lives, and a whole tree's blobs (tens of
    // megabytes in a big repository) would otherwise be held twice at once.
    for (const [oid, buffer] of parseBatch(this.git.runBuffer(...batchCommand(missing)), missing, false)) this.blobs.set(oid, buffer);
  }

  /**
   * Starts reading these blobs in the background (see `Git.start`), for the first {@link load} to take: blobs
   * likely to be needed, known before work that holds this thread (a synthesis in this process), are then
   * read on another core meanwhile. A read that failed costs nothing but the time: `load` reads what it lacks.
   */
  prefetch(oids: Iterable<string>): void {
    this.takePrefetched();
    const unique = [...new Set(oids)].filter(oid => !this.blobs.has(oid));
    if (unique.length) this.prefetching = { unique, started: this.git.start(...batchCommand(unique)) };
  }

  private takePrefetched(): void {
    if (!this.prefetching) return;
    const { unique, started } = this.prefetching;
    this.prefetching = undefined;
    const result = started.result();
    if (result.status !== 0) return;
    try {
      for (const [oid, buffer] of parseBatch(result.stdout, unique, false)) if (!this.blobs.has(oid)) this.blobs.set(oid, buffer);
    } catch {
      // A blob missing: left to `load`, which says so.
    }
  }
}

/** Whether a repository path is one of `paths`, each a file's path or a folder's (ending in `/`, holding the path). */
export function inPathList(paths: readonly string[], repositoryPath: string): boolean {
  return paths.some(listed => (listed.endsWith('/') ? repositoryPath.startsWith(listed) : repositoryPath === listed));
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
  /** The submodules (never part of a bundle) by repository path. */
  readonly submodules = new Map<string, TreeEntry>();
  /** The ids of the tree's sub-trees: a tree written again from these entries finds them in the database. */
  readonly trees: ReadonlySet<string>;
  private loaded = false;

  constructor(
    git: Git,
    /** The tree (or commit) listed. */
    readonly treeish: string,
    private readonly prefix = '',
    exclude: readonly string[] = [],
    private readonly cache = new ObjectCache(git),
  ) {
    const listing = cache.list(treeish);
    this.trees = listing.trees;
    for (const [path, entry] of listing.entries) {
      if (entry.mode === '160000') this.submodules.set(path, entry);
      else if (inPathList(exclude, path)) this.excluded.set(path, entry);
      else this.entries.set(prefix + path, entry);
    }
  }

  /** The whole tree: the bundle's entries, the excluded ones and the submodules, by repository path. */
  wholeTree(): WholeTree {
    const entries = new Map([...this.excluded, ...this.submodules]);
    for (const [bundlePath, entry] of this.entries) entries.set(this.treePath(bundlePath), entry);
    const cache = this.cache;
    return {
      treeish: this.treeish, entries,
      blob(oid) {
        cache.load([oid]);
        return cache.get(oid)!;
      },
    };
  }

  /** An excluded path's file (by repository path); the first call reads them all, in one process. */
  readExcluded(treePath: string): BundleFile | undefined {
    const entry = this.excluded.get(treePath);
    if (!entry) return undefined;
    this.cache.load([...this.excluded.values()].map(e => e.oid));
    return { buffer: this.cache.get(entry.oid)!, mode: fileModeOf(entry.mode) };
  }

  list(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The first read of a file not read ahead reads every file of the tree, in one process: a caller
   * reading many files costs one process, not one per file. A caller reading a few says which first
   * ({@link prefetch}).
   */
  read(path: string): BundleFile | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    if (!this.loaded && this.cache.get(entry.oid) === undefined) {
      this.cache.load([...this.entries.values()].map(e => e.oid));
      this.loaded = true;
    }
    return { buffer: this.cache.get(entry.oid)!, mode: fileModeOf(entry.mode) };
  }

  /** Reads only these paths' blobs (those not read yet), in one process. */
  prefetch(paths: readonly string[]): void {
    this.cache.load(paths.flatMap(path => this.entries.get(path)?.oid ?? []));
  }

  /**
   * The submodule that holds a repository path, when there is one: at the path itself, or at a folder above
   * it (a submodule is one entry of the tree, its files are not the project's tree's).
   */
  submoduleHolding(treePath: string): string | undefined {
    for (let at = treePath; at; at = at.slice(0, Math.max(at.lastIndexOf('/'), 0))) {
      if (this.submodules.has(at)) return at;
    }
    return undefined;
  }

  /** The repository-relative path of a bundle path of this source. */
  treePath(bundlePath: string): string {
    return bundlePath.slice(this.prefix.length);
  }
}
