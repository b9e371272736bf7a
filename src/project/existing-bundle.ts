import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeferredFolder, fillDeferredFolder } from '../bundle/deferred-folder';
import { BundleLayout } from '../bundle/layout';
import { writeBundle } from '../bundle/sink';
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
 * When git's own checkout writes the blobs' bytes as they are (no `.gitattributes` in the tree and none
 * in the git folder: an attribute could convert line ends or run a filter), the files are left to
 * `read-tree` and `checkout-index` from a temporary index, two processes however many files, and only
 * the options are written now: the returned {@link DeferredFolder} says how, for whoever reads the
 * folder first (see `createContext`), since most blueprints never do; `defer` false runs them now.
 * Otherwise the files are written blob by blob now, as {@link materialize}.
 */
export function prepareExistingBundle(git: Git, existing: GitTreeSource, dir: string, prefix: string, options: Record<string, unknown>, defer: boolean): DeferredFolder | undefined {
  const paths = existing.list();
  const attributes = paths.some(p => isAttributesFile(existing.treePath(p))) || fs.existsSync(git.gitPath('info/attributes'));
  if (attributes) {
    materialize(existing, dir, options);
    return undefined;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, BundleLayout.OPTIONS_FILE), JSON.stringify(options, null, 2));
  // Beside the folder, not in it: the bundle holds only the bundle's files.
  const scratch = `${dir}.checkout`;
  fs.mkdirSync(scratch);
  const env = { ...git.environment, GIT_INDEX_FILE: path.join(scratch, 'index') };
  // No attributes file, no line-end conversion, links as links, whatever the user's configuration says.
  const config = ['-c', `core.attributesFile=${os.devNull}`, '-c', 'core.autocrlf=false', '-c', 'core.symlinks=true'];
  // Only the source's paths: not the record, which the command writes, nor submodules.
  const pathsFile = path.join(scratch, 'paths');
  fs.writeFileSync(pathsFile, paths.map(p => existing.treePath(p) + '\0').join(''));
  const target = path.join(dir, ...prefix.split('/').filter(Boolean)) + path.sep;
  const deferred: DeferredFolder = {
    folder: dir,
    cwd: git.dir,
    steps: [
      { args: [...config, 'read-tree', existing.treeish], env },
      ...(paths.length ? [{ args: [...config, 'checkout-index', '-z', '--stdin', `--prefix=${target}`], env, inputFile: pathsFile }] : []),
    ],
    done: path.join(scratch, 'done'),
  };
  if (defer) return deferred;
  fillDeferredFolder(deferred);
  return undefined;
}
