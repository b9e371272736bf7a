import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BundleFile, gitMode } from '../bundle/file-map';
import { FolderSink } from '../bundle/sink';
import { Git } from './git';
import { ObjectCache, TreeEntry, WholeTree } from './git-tree';
import { attributesCheckin, Checkin, configuredCheckin, isAttributesFile, worse } from './checkin';
import { ObjectWriter } from './object-writer';
import { commitIdentity, isFalse, readRepositoryConfig } from './repository-config';
import { assertStorablePaths, commitTree } from './baseline';

/** Where one tree's objects go and how they are hashed. */
export interface ObjectStore {
  readonly git: Git;
  /** Environment for every git command that writes objects (a dry run's scratch database). @default the repository's own */
  readonly env: Record<string, string>;
  /** Writes objects in this process (where that stores the bytes git would: see {@link writeTreeWith}). */
  readonly writer: ObjectWriter;
  /** What `git add` may do to a file's bytes, by the repository's configuration (its trees' attributes are read per tree). */
  readonly checkin: Checkin;
  /** `merge.renormalize`: the sides of a merge pass through git's conversions before they are compared (see renormalize.ts). */
  readonly renormalize: boolean;
  /** Makes a commit of `tree` with `parents` and `message` (no ref moves) and returns its id. */
  commit(tree: string, parents: readonly string[], message: string): string;
}

/**
 * The repository's object database (`objectsDir`, its folder; the hash shows in `anyObjectId`, the id of any
 * of its objects), or for a dry run a scratch one in a temporary folder that reads the repository's through
 * git's alternates: objects are written there, and are gone with `dispose`. The repository's configuration
 * ({@link readRepositoryConfig}'s, given when read already) is read once here (one `git config`), for what
 * `git add` would do and who commits.
 */
export function objectStore(git: Git, objectsDir: string, scratch: boolean, anyObjectId: string, config = readRepositoryConfig(git)): ObjectStore & { dispose(): void } {
  // The hash shows in the length of any object id: no process needed to ask.
  const format = anyObjectId.length === 64 ? 'sha256' : 'sha1';
  // git's name for it, not the one beside `objectsDir`: a GIT_OBJECT_DIRECTORY the user set keeps the objects apart
  // from the git folder, and the attributes there were missed (the blobs kept the CR LF that git add takes out).
  const checkin = configuredCheckin(config, git.gitPath('info/attributes'));
  const dir = scratch ? fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-objects-')) : objectsDir;
  const env: Record<string, string> = scratch ? { GIT_OBJECT_DIRECTORY: dir, GIT_ALTERNATE_OBJECT_DIRECTORIES: objectsDir } : {};
  const writer = new ObjectWriter(dir, format);
  return {
    git, env, checkin, writer,
    renormalize: !isFalse(config.get('merge.renormalize')),
    commit(tree, parents, message) {
      // Made here when git would write just these bytes; else by `commit-tree`, which decides who and signs (a
      // dry run's commits, thrown away, are not signed).
      const identity = commitIdentity(config);
      if (!identity) return commitTree(git, tree, parents, message, env, !scratch && !isFalse(config.get('commit.gpgsign')));
      const headers = [`tree ${tree}`, ...parents.map(parent => `parent ${parent}`), `author ${identity.author}`, `committer ${identity.committer}`];
      return writer.write('commit', Buffer.from(`${headers.join('\n')}\n\n${message}`));
    },
    dispose: () => {
      if (scratch) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The id git gives a file's bytes as a blob, computed here, without git. */
export function blobId(store: ObjectStore, file: BundleFile): string {
  return store.writer.id('blob', file.buffer);
}

/** Whether a tree entry holds exactly this file (bytes and git mode): a file it does not hold is written again. */
export function sameAsEntry(store: ObjectStore, file: BundleFile, entry: TreeEntry | undefined, oid?: string): boolean {
  return entry !== undefined && entry.mode === gitMode(file).toString(8) && entry.oid === (oid ?? blobId(store, file));
}

/**
 * Writes the tree of `base` (none: empty) with some paths taken from the folder `workTree` and returns its
 * id: a temporary index seeded from `base` (`read-tree`), the `removed` paths dropped, the `changed`
 * paths added from the folder as `git add` would (`update-index --add --replace`: the repository's attributes
 * as git applies them; the folder's modes and links as they are, whatever `core.filemode` says), then `write-tree`. Four processes, however many paths;
 * only the changed files are read and hashed. The repository's own index is never touched.
 */
export function writeTreeWithChanges(store: ObjectStore, base: string | undefined, workTree: string, changed: readonly string[], removed: readonly string[]): string {
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-index-'));
  try {
    fs.mkdirSync(workTree, { recursive: true });
    const env = { ...store.env, GIT_INDEX_FILE: path.join(indexDir, 'index'), GIT_WORK_TREE: workTree };
    const { git } = store;
    if (base) git.run(['read-tree', base], { env });
    if (removed.length) git.run(['update-index', '--force-remove', '-z', '--stdin'], { env, input: removed.join('\0') + '\0' });
    // The folder's modes and links are the blueprint's own: with `core.filemode=false` (a clone on Windows or a
    // FAT drive) git add keeps the index's mode instead, and a script the blueprint made executable stayed 100644.
    const exact = ['-c', 'core.filemode=true', '-c', 'core.symlinks=true'];
    if (changed.length) git.run([...exact, 'update-index', '--add', '--replace', '-z', '--stdin'], { env, input: changed.join('\0') + '\0' });
    return git.run(['write-tree'], { env }).trim();
  } finally {
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
}

/**
 * Writes the tree of `base` with the `changed` files put in and the `removed` paths taken out, and returns
 * its id. In this process (see {@link ObjectWriter}: one pack) when that stores what `git add` would: the
 * configuration and every `.gitattributes` of the new tree ask nothing of `git add`, or only line-end
 * conversion and no changed file has a CR. Otherwise git's index does it (see {@link writeTreeWithChanges})
 * from the new folder `scratch`, where the changed files are written for it. A tree written in this process has
 * its listing recorded in `cache`, when given, for whoever lists it next.
 */
export function writeTreeWith(store: ObjectStore, base: WholeTree, changed: ReadonlyMap<string, BundleFile>, removed: readonly string[], scratch: string, cache?: ObjectCache): string {
  return writeTreeAsGitAdds(store, base, changed, removed, scratch, cache).tree;
}

/** A tree {@link writeTreeAsGitAdds} wrote. */
export interface WrittenTree {
  /** The tree's id. */
  readonly tree: string;
  /**
   * git's index stored the changed files, through the conversions `git add` applies (line ends, `filter`
   * drivers): a changed file's blob may then hold other bytes than the file. False: every blob is the file's bytes.
   */
  readonly converted: boolean;
}

/** {@link writeTreeWith}, saying whether the changed files went through git's conversions. */
export function writeTreeAsGitAdds(store: ObjectStore, base: WholeTree, changed: ReadonlyMap<string, BundleFile>, removed: readonly string[], scratch: string, cache?: ObjectCache): WrittenTree {
  assertStorablePaths(changed.keys());
  const entries = new Map(base.entries);
  for (const p of removed) entries.delete(p);
  const checkin = treeCheckin(store, entries, base, changed);
  const asIs = checkin === 'as-is' || (checkin === 'line-ends' && [...changed.values()].every(file => !file.buffer.includes(13)));
  if (!asIs) {
    fs.mkdirSync(scratch);
    const sink = new FolderSink(scratch, { exclusive: true, what: 'tree' });
    for (const [p, file] of changed) sink.write(p, file);
    return { tree: writeTreeWithChanges(store, base.treeish, scratch, [...changed.keys()], removed), converted: true };
  }
  for (const [p, file] of changed) entries.set(p, { mode: gitMode(file).toString(8), oid: store.writer.add('blob', file.buffer) });
  const trees = new Set<string>();
  const tree = store.writer.writeTree(entries, trees);
  cache?.remember(tree, entries, trees);
  return { tree, converted: false };
}

/**
 * What `git add` may do to files of the tree holding `entries` (blobs read from `base`) with the `changed`
 * files put in: the repository's configuration and every `.gitattributes` of that tree.
 */
export function treeCheckin(store: ObjectStore, entries: ReadonlyMap<string, TreeEntry>, base: WholeTree, changed: ReadonlyMap<string, BundleFile> = new Map()): Checkin {
  let checkin = store.checkin;
  for (const p of new Set([...entries.keys(), ...changed.keys()])) {
    if (!isAttributesFile(p)) continue;
    const bytes = changed.get(p)?.buffer ?? base.blob(entries.get(p)!.oid);
    checkin = worse(checkin, attributesCheckin(bytes.toString('utf8')));
  }
  return checkin;
}
