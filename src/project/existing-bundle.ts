import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeferredFolder, fillDeferredFolder } from '../bundle/deferred-folder';
import { BundleLayout } from '../bundle/layout';
import { FolderSink, writeAll, writeBundle } from '../bundle/sink';
import { isAttributesFile } from './checkin';
import { Git } from './git';
import { GitTreeSource } from './git-tree';

/** Writes a git tree's files as a bundle folder, with the options it was made with as `options.json`. */
export function materialize(source: GitTreeSource, dir: string, options: Record<string, unknown>): void {
  const files = new Map(source.list().map(p => [p, source.read(p)!]));
  files.set(BundleLayout.OPTIONS_FILE, { buffer: Buffer.from(JSON.stringify(options, null, 2)) });
  writeBundle(dir, files);
}

/**
 * The existing side as a bundle folder (what a blueprint reads as `EXISTING_BUNDLE_ABS`): the tree's
 * files (an update's `HEAD`, a check's baseline) below `prefix`, with `options` as `options.json`.
 *
 * The files are left to `read-tree` and `checkout-index` from a temporary index, a few processes however
 * many files, and only the options (and the tree's own `.gitattributes` files) are written now: the
 * returned {@link DeferredFolder} says how, for whoever reads the folder first (see `createContext`), since
 * most blueprints never do; `defer` false runs them now. The bundle holds the blobs' bytes, so git's
 * checkout must convert nothing: no attributes file applies to it (the tree's are taken out of the
 * temporary index and written blob by blob, its work tree is an empty folder, and the user's and the
 * system's are turned off). Only where the git folder has `info/attributes`, which no option turns off,
 * are all the files written blob by blob now, as {@link materialize}.
 */
export function prepareExistingBundle(git: Git, existing: GitTreeSource, dir: string, prefix: string, options: Record<string, unknown>, defer: boolean): DeferredFolder | undefined {
  const paths = existing.list();
  if (fs.existsSync(git.gitPath('info/attributes'))) {
    materialize(existing, dir, options);
    return undefined;
  }
  // In a big repository most trees hold a `.gitattributes`: writing every file blob by blob for its sake
  // cost seconds per update where git's checkout costs a fraction of that.
  const attributes = paths.filter(p => isAttributesFile(existing.treePath(p)));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, BundleLayout.OPTIONS_FILE), JSON.stringify(options, null, 2));
  existing.prefetch(attributes);
  writeAll(new FolderSink(dir), new Map(attributes.map(p => [p, existing.read(p)!])));
  // Beside the folder, not in it: the bundle holds only the bundle's files.
  const scratch = `${dir}.checkout`;
  const emptyWorkTree = path.join(scratch, 'work-tree');
  fs.mkdirSync(emptyWorkTree, { recursive: true });
  // An attributes file missing from the index is looked for in the work tree: the empty folder has none.
  const env = { ...git.environment, GIT_INDEX_FILE: path.join(scratch, 'index'), GIT_WORK_TREE: emptyWorkTree, GIT_ATTR_NOSYSTEM: '1' };
  // No line-end conversion, links as links, whatever the user's configuration says.
  const config = ['-c', `core.attributesFile=${os.devNull}`, '-c', 'core.autocrlf=false', '-c', 'core.symlinks=true'];
  // Only the source's paths: not the record, which the command writes, nor submodules.
  const pathsFile = path.join(scratch, 'paths');
  const attributesSet = new Set(attributes);
  const checkout = paths.filter(p => !attributesSet.has(p));
  fs.writeFileSync(pathsFile, checkout.map(p => existing.treePath(p) + '\0').join(''));
  const attributesFile = path.join(scratch, 'attributes');
  fs.writeFileSync(attributesFile, attributes.map(p => existing.treePath(p) + '\0').join(''));
  const target = path.join(dir, ...prefix.split('/').filter(Boolean)) + path.sep;
  const deferred: DeferredFolder = {
    folder: dir,
    cwd: git.dir,
    steps: [
      { args: [...config, 'read-tree', existing.treeish], env },
      ...(attributes.length ? [{ args: [...config, 'update-index', '--force-remove', '-z', '--stdin'], env, inputFile: attributesFile }] : []),
      ...(checkout.length ? [{ args: [...config, 'checkout-index', '-z', '--stdin', `--prefix=${target}`], env, inputFile: pathsFile }] : []),
    ],
    done: path.join(scratch, 'done'),
  };
  if (defer) return deferred;
  fillDeferredFolder(deferred);
  return undefined;
}
