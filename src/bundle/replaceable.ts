import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../errors';
import { BundleLayout } from './layout';
import { pathInside } from './paths';

/**
 * Refuses to replace `folder` as a whole when it is plainly not a bundle a run of this tool wrote, so that a
 * slip (`--outdir .`, a project folder, notes kept beside a bundle) loses nothing: a file, the working folder
 * or one above it, and a folder with files but neither `src/` nor `options.json` (every bundle has one of them)
 * are refused. Nothing there, an empty folder and an earlier bundle may be replaced.
 *
 * @param label the folder as the user knows it, for the message: `--outdir 'R'`, or its path
 * @param remedy what the user can do instead, for the message
 */
export function refuseToReplace(folder: string, label: string, remedy = 'give a new or empty folder'): void {
  const above = fileAt(path.dirname(path.resolve(folder)));
  if (above) throw new InputError(`${label}: '${above}' is a file, not a folder`);
  const stat = statIfAny(folder);
  if (!stat) return;
  if (!stat.isDirectory()) throw new InputError(`${label} is a file: it would be replaced by a folder`);
  if (isSameOrInside(process.cwd(), folder)) throw new InputError(`${label} is the working folder or holds it: it is replaced as a whole`);
  const entries = fs.readdirSync(folder);
  if (entries.length && !entries.includes(BundleLayout.SOURCE) && !entries.includes(BundleLayout.OPTIONS_FILE)) {
    throw new InputError(`${label} holds files and is not a bundle (no ${BundleLayout.SOURCE}/ or ${BundleLayout.OPTIONS_FILE}): it would be replaced as a whole; ${remedy}`);
  }
}

/**
 * Refuses a folder to write into that a file stands in the way of (the path itself, or a folder above it, is a
 * file), as an input error naming it, before anything is written: otherwise the first write into it fails with
 * a bare ENOTDIR or EEXIST, as a failed job.
 *
 * @param label the folder as the user gave it, for the message: `--outdir 'out'`, `PROJECT_DIR 'x'`
 */
export function refuseFileInTheWay(folder: string, label: string): void {
  const file = fileAt(folder);
  if (file === path.resolve(folder)) throw new InputError(`${label} is a file, not a folder`);
  if (file) throw new InputError(`${label}: '${file}' is a file, not a folder`);
}

/** The first path that is not a folder, going up from `folder` to the nearest one there is; undefined when that is a folder. */
function fileAt(folder: string): string | undefined {
  for (let at = path.resolve(folder); ; at = path.dirname(at)) {
    const stat = statIfAny(at);
    if (stat) return stat.isDirectory() ? undefined : at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** What is at `at`, or undefined when nothing is (a path below a file included: ENOTDIR). */
function statIfAny(at: string): fs.Stats | undefined {
  try {
    return fs.statSync(at, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Whether `child` is `parent` or lies below it. */
export function isSameOrInside(child: string, parent: string): boolean {
  return pathInside(parent, child) !== undefined;
}
