import * as path from 'path';
import { PathEscapeError } from '../errors';

export { PathEscapeError };

/**
 * Normalizes a relative POSIX path and refuses one that is absolute or climbs out with `..`.
 * `what` names the component or input at fault, for the message.
 */
export function normalizeRelative(relative: string, what: string, root = '.'): string {
  const posix = relative.replace(/\\/g, '/');
  if (posix === '' || path.posix.isAbsolute(posix) || /^[a-zA-Z]:/.test(posix)) {
    throw new PathEscapeError(what, relative, root);
  }
  const normal = path.posix.normalize(posix).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../') || normal === '.') {
    throw new PathEscapeError(what, relative, root);
  }
  return normal;
}

/**
 * Joins a relative path under a root folder on disk, refusing anything that would leave it.
 */
export function resolveInside(root: string, relative: string, what: string): string {
  const normal = normalizeRelative(relative, what, root);
  return path.join(root, ...normal.split('/'));
}
