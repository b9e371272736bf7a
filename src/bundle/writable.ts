import * as fs from 'fs';
import * as path from 'path';
import { pathInside } from './paths';
import { cacheDir } from '../cache/cache-dir';
import { InputError } from '../errors';
import { refuseFileInTheWay } from './replaceable';

/** Why the file system refused to write, by its error code. */
const REFUSALS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (an immutable folder?)',
  // No room is refused as plainly: a bare 'ENOSPC: no space left on device, write' named no file, and exited 1.
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: "a file larger than the limit 'ulimit -f' sets",
};

/** The refusals that mean "no room here", where another folder this user can write may still be full too. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Raised when an output folder cannot be written: it names the folder, as the user gave it, and why. */
export class OutputNotWritableError extends InputError {
  constructor(folder: string, code: string) {
    // Named an input error: the folder the user chose is at fault, and the command exits 2.
    super(`cannot write to ${folder}: ${REFUSALS[code] ?? code}${inCache(folder, code)}`);
  }
}

/**
 * Where `folder` is in the cache folder, which the user did not name (a CI job's read-only or unset HOME puts it
 * where nobody may write): that it is the cache, and how to put it elsewhere.
 */
function inCache(folder: string, code: string): string {
  const cache = cacheDir();
  if (pathInside(cache, path.resolve(folder)) === undefined) return '';
  return `; it is bluesynth's cache folder (${cache}: $BLUESYNTH_CACHE_DIR, else $XDG_CACHE_HOME/bluesynth, else ~/.cache/bluesynth): ` +
    (NO_ROOM.has(code) ? 'free space there, or set BLUESYNTH_CACHE_DIR to a folder with room' : 'set BLUESYNTH_CACHE_DIR to a folder this user can write');
}

/** True for a file system error that means "you may not write here", or "no room here" (rather than a missing path). */
export function isWriteRefusal(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && code in REFUSALS;
}

/**
 * Checks that `folder` can be written (or, when it is not there yet, the nearest folder above it that
 * is, where it would be created), before anything is written, so that a read-only output folder, or a
 * file where it should be, is reported as such (and not as a missing sub-folder, or a bare EROFS or
 * ENOTDIR halfway through). It creates nothing: a run that then fails its validation leaves no folder.
 * `asGiven` is how the user wrote it.
 */
export function ensureWritableFolder(folder: string, asGiven = folder): void {
  refuseFileInTheWay(folder, `'${asGiven}'`);
  let existing = path.resolve(folder);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (error) {
    if (isWriteRefusal(error)) throw new OutputNotWritableError(asGiven, error.code);
    throw error;
  }
}
