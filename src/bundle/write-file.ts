import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_FILE_MODE } from './file-map';
import { PathEscapeError, resolveInside } from './paths';

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
  const absolute = resolveInside(root, relative, options.what);
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

function assertRealPathInside(root: string, dir: string, relative: string, what: string): void {
  const realRoot = fs.realpathSync(root);
  const realDir = fs.realpathSync(dir);
  if (realDir !== realRoot && !realDir.startsWith(realRoot + path.sep)) {
    throw new PathEscapeError(what, relative, root);
  }
}

/** Creates a folder of the bundle being synthesized (an empty repository still has its folder). */
export function ensureBundleFolder(root: string, relative: string, what: string): void {
  const absolute = resolveInside(root, relative, what);
  fs.mkdirSync(absolute, { recursive: true });
  assertRealPathInside(root, absolute, relative, what);
}
