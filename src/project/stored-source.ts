import { BundleFile } from '../bundle/file-map';
import { BundleSource } from '../bundle/source';
import { listTree, readBlobs, TreeEntry, WholeTree } from './git-tree';
import { ObjectStore, writeTreeAsGitAdds } from './object-store';

/**
 * A bundle source with some paths' files replaced (by other bytes of the same file: its mode is kept).
 * The merge reads each side through one of these where git would see other bytes than the side holds.
 */
export class ReplacedSource implements BundleSource {
  constructor(private readonly source: BundleSource, private readonly replaced: ReadonlyMap<string, Buffer>) {}

  list(): string[] {
    return this.source.list();
  }

  read(path: string): BundleFile | undefined {
    const file = this.source.read(path);
    const buffer = this.replaced.get(path);
    return file && buffer ? { buffer, mode: file.mode } : file;
  }

  prefetch(paths: readonly string[]): void {
    this.source.prefetch?.(paths.filter(path => !this.replaced.has(path)));
  }
}

/**
 * The proposed bundle as the new baseline `tree` stores it. Where git's index wrote that tree (the tree's
 * `.gitattributes`, `info/attributes` or `core.autocrlf` ask `git add` for line-end conversion or a
 * `filter`), a generated file's blob may hold other bytes than the blueprint wrote: a CRLF file under
 * `text=auto` is stored with LF. The ancestor and `HEAD` hold their files so too; merged and compared with the
 * blueprint's raw bytes instead, every line of such a file differed, and the project's edits in it were taken
 * for conflicts or dropped. `generatedIds` are the blob ids of the blueprint's bytes by bundle path, under
 * `prefix` (the repository's folder in the bundle); a path whose tree entry has another id is read from
 * the tree (one `ls-tree` and one `cat-file`, run only when some path differs).
 */
export function storedProposed(store: ObjectStore, proposed: BundleSource, tree: string, prefix: string, generatedIds: ReadonlyMap<string, string>): BundleSource {
  const entries = listTree(store.git, tree, undefined, { env: store.env });
  const differing = new Map<string, string>();
  for (const [bundlePath, id] of generatedIds) {
    const entry = entries.get(bundlePath.slice(prefix.length));
    if (entry && entry.oid !== id && entry.mode !== '120000') differing.set(bundlePath, entry.oid);
  }
  if (!differing.size) return proposed;
  const blobs = readBlobs(store.git, [...differing.values()], { env: store.env });
  return new ReplacedSource(proposed, new Map([...differing].map(([bundlePath, oid]) => [bundlePath, blobs.get(oid)!])));
}

/**
 * The tree entries `git add` would give `files` (repository path to file) put into the tree `base`, with
 * `base`'s attributes and the files' own `.gitattributes`: where git's conversions apply, a file's blob is
 * not its bytes. Written to `store` (a scratch database, for a command that writes nothing) through the
 * folder `scratch`; undefined when no conversion applies, and every blob is then the file's bytes.
 */
export function storedEntries(store: ObjectStore, base: WholeTree, files: ReadonlyMap<string, BundleFile>, scratch: string): Map<string, TreeEntry> | undefined {
  const written = writeTreeAsGitAdds(store, base, files, [], scratch);
  if (!written.converted) return undefined;
  const entries = listTree(store.git, written.tree, undefined, { env: store.env });
  return new Map([...files.keys()].flatMap(p => (entries.has(p) ? [[p, entries.get(p)!] as const] : [])));
}
