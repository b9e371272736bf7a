import * as path from 'path';
import { InputError, PathEscapeError } from '../errors';

export { PathEscapeError };

/**
 * What makes a relative path other than plain: a leading or trailing slash, an empty, `.` or `..` segment, a
 * drive, or a NUL character. A path with none of these is returned by `path.posix.normalize` as it is, and stays inside its root.
 */
const NOT_PLAIN = /^\/|\/\/|\/$|(?:^|\/)\.{1,2}(?:\/|$)|^[a-zA-Z]:[\\/]|\0/;

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
  if (relative.length > MAX_NAME_BYTES / 4) refuseLongNames(relative, what);
  // Most paths (every file of a bundle, once per component and once per write) are already normal.
  if (relative !== '' && !NOT_PLAIN.test(relative)) return relative;
  // No file system takes a NUL in a name: said here, with the component, not by Node's write much later.
  if (relative.includes('\0')) throw new InputError(`${what}: path ${JSON.stringify(relative)} holds a NUL character, which no file name can hold`);
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

/** The longest name of a file or folder that ext4, APFS, NTFS and the rest take (NAME_MAX): 255 bytes. */
const MAX_NAME_BYTES = 255;

/** The longest path Linux takes (PATH_MAX, 4,096 bytes with its closing NUL): a longer one is written nowhere. */
const MAX_PATH_BYTES = 4095;

/**
 * Refuses a path with a name longer than {@link MAX_NAME_BYTES}, or longer itself than {@link MAX_PATH_BYTES},
 * which would fail only when written (`ENAMETOOLONG`, with the whole path and no component named), or, in memory,
 * in the repository that checks it out.
 */
function refuseLongNames(relative: string, what: string): void {
  const shown = (text: string) => (text.length > 60 ? `${text.slice(0, 40)}...${text.slice(-12)}` : text);
  const bytes = Buffer.byteLength(relative);
  if (bytes > MAX_PATH_BYTES) {
    throw new InputError(`${what}: path ${JSON.stringify(shown(relative))} is ${bytes} bytes long, longer than the ${MAX_PATH_BYTES} bytes a path may have (Linux's PATH_MAX)`);
  }
  const long = relative.split('/').find(name => Buffer.byteLength(name) > MAX_NAME_BYTES);
  if (long === undefined) return;
  throw new InputError(`${what}: path ${JSON.stringify(shown(relative))} holds a name of ${Buffer.byteLength(long)} bytes ('${shown(long)}'), longer than the ${MAX_NAME_BYTES} bytes a file system takes`);
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

/**
 * `target`'s path relative to `folder` where `target` is `folder` itself (`''`) or lies below it, else `undefined`.
 * Only a `..` segment climbs out: `..config` below `folder` is inside, which a test of the text's first two characters
 * gets wrong; a relative path that is absolute is another drive (Windows).
 */
export function pathInside(folder: string, target: string): string | undefined {
  const relative = path.relative(folder, target);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? undefined : relative;
}

/** A path as short as it can be said from `from` (the working directory): relative below it, as given elsewhere. */
export function displayPath(target: string, from = process.cwd()): string {
  return pathInside(from, target) || target;
}
