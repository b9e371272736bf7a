import * as path from 'path';
import { PathEscapeError } from '../errors';

export { PathEscapeError };

/**
 * Normalizes a relative POSIX path and refuses one that is absolute or climbs out with `..`.
 * `what` names the component or input at fault, and `root` and `rootIs` the folder the path is relative to
 * (see {@link PathEscapeError}), for the message.
 *
 * Paths are POSIX: a backslash is an ordinary character of a file name (git and every POSIX file
 * system allow it), so a bundle read from disk is written back with the same names. A Windows drive
 * (`C:/`, `C:\`) is still refused, as it would be absolute on a Windows host.
 */
export function normalizeRelative(relative: string, what: string, root = '.', rootIs?: string): string {
  if (relative === '' || path.posix.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) {
    throw new PathEscapeError(what, relative, root, rootIs);
  }
  const normal = path.posix.normalize(relative).replace(/\/+$/, '');
  // A drive can also appear once `..` has removed what came before it (` /../C:/x`).
  if (normal === '..' || normal.startsWith('../') || normal === '.' || /^[a-zA-Z]:[\\/]/.test(normal)) {
    throw new PathEscapeError(what, relative, root, rootIs);
  }
  return normal;
}

/**
 * Joins a relative path under a root folder on disk, refusing anything that would leave it.
 */
export function resolveInside(root: string, relative: string, what: string): string {
  const normal = normalizeRelative(relative, what, root);
  // On a Windows host a backslash would separate folders there, and `..\\` would climb out.
  if (path.sep === '\\' && normal.includes('\\')) throw new PathEscapeError(what, relative, root);
  return path.join(root, ...normal.split('/'));
}

/** A path as short as it can be said from the working directory: relative below it, absolute elsewhere. */
export function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative && !relative.startsWith('..') ? relative : target;
}
