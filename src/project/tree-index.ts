import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BundleFile, gitMode } from '../bundle/file-map';
import { Git } from './git';
import { TreeEntry } from './git-tree';

/** Where one tree's objects go and how they are hashed. */
export interface ObjectStore {
  readonly git: Git;
  /** Environment for every git command that writes objects (a dry run's scratch database). @default the repository's own */
  readonly env: Record<string, string>;
  /** The repository's hash, for object ids computed here. */
  readonly format: 'sha1' | 'sha256';
}

/**
 * The repository's object database (whose hash `anyObjectId`, the id of any of its objects, tells), or for a dry run a scratch one in a temporary folder that reads the
 * repository's through git's alternates: objects are written there, and are gone with `dispose`.
 */
export function objectStore(git: Git, scratch: boolean, anyObjectId: string): ObjectStore & { dispose(): void } {
  // The hash shows in the length of any object id: no process needed to ask.
  const format = anyObjectId.length === 64 ? 'sha256' : 'sha1';
  if (!scratch) return { git, env: {}, format, dispose: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-objects-'));
  const env = { GIT_OBJECT_DIRECTORY: dir, GIT_ALTERNATE_OBJECT_DIRECTORIES: git.run(['rev-parse', '--path-format=absolute', '--git-path', 'objects']).trim() };
  return { git, env, format, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The id git gives a file's bytes as a blob, computed here, without git. */
export function blobId(store: ObjectStore, file: BundleFile): string {
  return crypto.createHash(store.format).update(`blob ${file.buffer.length}\0`).update(file.buffer).digest('hex');
}

/**
 * Whether a tree entry holds exactly this file (bytes and git mode). A file it does not hold goes through
 * `update-index`, which records what `git add` would: a mode it reads differently is only more work.
 */
export function sameAsEntry(store: ObjectStore, file: BundleFile, entry: TreeEntry | undefined, oid?: string): boolean {
  return entry !== undefined && entry.mode === gitMode(file).toString(8) && entry.oid === (oid ?? blobId(store, file));
}

/**
 * Writes the tree of `base` (none: empty) with some paths taken from the folder `workTree` and returns its
 * id: a temporary index seeded from `base` (`read-tree`), the `removed` paths dropped, the `changed`
 * paths added from the folder as `git add` would (`update-index --add --replace`: modes, links and the
 * repository's attributes as git applies them), then `write-tree`. Four processes, however many paths;
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
    if (changed.length) git.run(['update-index', '--add', '--replace', '-z', '--stdin'], { env, input: changed.join('\0') + '\0' });
    return git.run(['write-tree'], { env }).trim();
  } finally {
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
}
