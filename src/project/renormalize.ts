import * as fs from 'fs';
import * as path from 'path';
import { gitMode, SYMLINK_MODE } from '../bundle/file-map';
import { BundleSource } from '../bundle/source';
import { isAttributesFile } from './checkin';
import { GitTreeSource, readBlobs } from './git-tree';
import { ObjectStore, treeCheckin } from './object-store';
import { ReplacedSource } from './stored-source';

/** The three sides of a merge, as bundle sources. */
export interface MergeSources {
  readonly ancestor: BundleSource;
  readonly existing: BundleSource;
  readonly proposed: BundleSource;
}

/**
 * git's `merge.renormalize`: the sides as git merges them when it is set, each file that differs between them
 * checked out and checked in again ("a virtual check-out and check-in of all three stages"), so that its
 * three versions are in the repository's form of today. It is for a repository whose attributes changed
 * (`*.bat text eol=crlf` and `git add --renormalize` after baselines stored CRLF, a `filter=` added): the
 * ancestor holds the old form, `HEAD` the new one, and without it every line differs. Only where the
 * repository asks for it (`store.renormalize`) and its attributes or configuration convert anything; the
 * attributes are `HEAD`'s (`head`), with `info/attributes` and the configuration, where git takes the
 * merged `.gitattributes`: they differ only where the update changes `.gitattributes` too. Attribute files
 * and links are never converted. Git does the conversions (filters are programs), with a temporary index per
 * side in the folder `scratch`: its files checked out there (`checkout-index`), then added back
 * (`update-index --add`) and their new blobs read.
 */
export function renormalized(store: ObjectStore, head: GitTreeSource, sides: MergeSources, prefix: string, scratch: string): MergeSources {
  if (!store.renormalize) return sides;
  const whole = head.wholeTree();
  if (treeCheckin(store, whole.entries, whole) === 'as-is') return sides;
  const paths = differingPaths(sides, prefix);
  if (!paths.length) return sides;
  const attributes = [...whole.entries].filter(([p]) => isAttributesFile(p));
  fs.mkdirSync(scratch);
  const side = (name: string, source: BundleSource): BundleSource => {
    const files = paths.map(p => ({ bundlePath: p, treePath: p.slice(prefix.length), file: source.read(p) })).filter(f => f.file);
    if (!files.length) return source;
    const folder = path.join(scratch, name);
    fs.mkdirSync(folder);
    const env = { ...store.env, GIT_INDEX_FILE: path.join(scratch, `${name}.index`), GIT_WORK_TREE: folder };
    // HEAD's attribute files in the index: git reads them there for both directions, the folder has none.
    const entries = [
      ...attributes.map(([p, entry]) => `${entry.mode} ${entry.oid}\t${p}`),
      ...files.map(f => `${gitMode(f.file!).toString(8)} ${store.writer.id('blob', f.file!.buffer)}\t${f.treePath}`),
    ];
    const { git } = store;
    const input = files.map(f => f.treePath).join('\0') + '\0';
    git.run(['update-index', '-z', '--index-info'], { env, input: entries.join('\0') + '\0' });
    git.run(['checkout-index', '-f', '-z', '--stdin'], { env, input });
    git.run(['update-index', '--add', '--replace', '-z', '--stdin'], { env, input });
    const ids = new Map<string, string>();
    for (const record of git.run(['ls-files', '-s', '-z'], { env }).split('\0')) {
      // "<mode> SP <oid> SP <stage> TAB <path>"
      const tab = record.indexOf('\t');
      if (tab > 0) ids.set(record.slice(tab + 1), record.slice(0, tab).split(' ')[1]);
    }
    const blobs = readBlobs(git, [...ids.values()], { env: store.env });
    return new ReplacedSource(source, new Map(files.map(f => [f.bundlePath, blobs.get(ids.get(f.treePath)!)!])));
  };
  return { ancestor: side('ancestor', sides.ancestor), existing: side('existing', sides.existing), proposed: side('proposed', sides.proposed) };
}

/**
 * The bundle paths under `prefix` that are files (no links, no attribute files) whose versions differ
 * between the sides: a path every side has alike merges alike, converted or not.
 */
function differingPaths(sides: MergeSources, prefix: string): string[] {
  const all = new Set([...sides.ancestor.list(), ...sides.existing.list(), ...sides.proposed.list()]);
  return [...all].filter(p => {
    if (!p.startsWith(prefix) || isAttributesFile(p)) return false;
    const files = [sides.ancestor.read(p), sides.existing.read(p), sides.proposed.read(p)].filter(file => file !== undefined);
    if (files.some(file => file!.mode === SYMLINK_MODE)) return false;
    return files.some(file => !file!.buffer.equals(files[0]!.buffer));
  });
}
