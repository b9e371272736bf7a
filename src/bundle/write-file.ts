import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_FILE_MODE } from './file-map';
import { PathEscapeError, normalizeRelative } from './paths';

/**
 * Writes one file of a bundle being synthesized into `root` (the job's staging folder).
 * `relative` is bundle-relative; `what` names the component writing it, for the error message.
 * Refuses a path that is absolute, climbs out with `..`, or would pass through a symbolic link
 * that leads outside `root`.
 */
export function writeBundleFile(
  root: string,
  relative: string,
  content: Buffer | string,
  options: { mode?: number; what: string },
): string {
  const normal = normalizeRelative(relative, options.what, root);
  const absolute = path.join(root, ...normal.split('/'));
  const parent = path.dirname(absolute);
  fs.mkdirSync(parent, { recursive: true });
  assertRealPathInside(root, parent, relative, options.what);
  if (fs.lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new PathEscapeError(options.what, relative, root);
  }
  const mode = options.mode ?? DEFAULT_FILE_MODE;
  fs.writeFileSync(absolute, content, { mode });
  fs.chmodSync(absolute, mode); // writeFileSync leaves an existing file's mode, and the umask narrows a new one
  return absolute;
}

/** Removes one file of the bundle being synthesized, if it is there. */
export function removeBundleFile(root: string, relative: string, what: string): void {
  const normal = normalizeRelative(relative, what, root);
  fs.rmSync(path.join(root, ...normal.split('/')), { force: true });
}

function assertRealPathInside(root: string, dir: string, relative: string, what: string): void {
  const realRoot = fs.realpathSync(root);
  const realDir = fs.realpathSync(dir);
  if (realDir !== realRoot && !realDir.startsWith(realRoot + path.sep)) {
    throw new PathEscapeError(what, relative, root);
  }
}

/** Creates a folder of the bundle being synthesized (an empty repository still has its folder). */
export function ensureBundleFolder(root: string, relative: string, what: string): void {
  const normal = normalizeRelative(relative, what, root);
  const absolute = path.join(root, ...normal.split('/'));
  fs.mkdirSync(absolute, { recursive: true });
  assertRealPathInside(root, absolute, relative, what);
}
