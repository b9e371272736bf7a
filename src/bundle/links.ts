import * as fs from 'fs';
import * as path from 'path';
import { FileMap, SYMLINK_MODE } from './file-map';
import { listBundle } from './read';

/** A symbolic link of a bundle whose target lies outside the bundle. */
export interface LinkOutside {
  /** The link's bundle-relative POSIX path. */
  readonly path: string;
  /** Its target, as written in the link. */
  readonly target: string;
}

/**
 * The symbolic links below `dir` that lead outside it: an absolute target, a relative one that climbs
 * out with `..` (read as text, as git stores it: a dangling link is judged too), or one whose resolved
 * path on disk is outside (a chain of links). A bundle holding such a link would hand whoever applies it
 * a path into their own machine, so a job that made one fails instead of committing it.
 */
export function linksOutside(dir: string): LinkOutside[] {
  const found: LinkOutside[] = [];
  let realRoot: string | undefined;
  for (const [relative, entry] of listBundle(dir)) {
    if (!entry.symlink) continue;
    const target = fs.readlinkSync(entry.absolute);
    let outside = targetLeavesBundle(relative, target);
    if (!outside) {
      realRoot ??= fs.realpathSync(dir);
      const real = realPathOrUndefined(entry.absolute);
      outside = real !== undefined && real !== realRoot && !real.startsWith(realRoot + path.sep);
    }
    if (outside) found.push({ path: relative, target });
  }
  return found;
}

/** {@link linksOutside} for a bundle in memory, where a link is a file of {@link SYMLINK_MODE} whose bytes are its target. */
export function memoryLinksOutside(files: FileMap): LinkOutside[] {
  const found: LinkOutside[] = [];
  for (const [relative, file] of files) {
    if (file.mode !== SYMLINK_MODE) continue;
    const target = file.buffer.toString('utf8');
    if (targetLeavesBundle(relative, target)) found.push({ path: relative, target });
  }
  return found;
}

/** Whether a link's target, read as text from the link's folder, is absolute or climbs out of the bundle. */
function targetLeavesBundle(relative: string, target: string): boolean {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(relative), target.replace(/\\/g, '/')));
  return isAbsoluteTarget(target) || joined === '..' || joined.startsWith('../');
}

/** Whether a link's target is an absolute path, POSIX or Windows (a bundle may be applied on either). */
export function isAbsoluteTarget(target: string): boolean {
  return path.posix.isAbsolute(target) || path.win32.isAbsolute(target);
}

function realPathOrUndefined(absolute: string): string | undefined {
  try {
    return fs.realpathSync(absolute);
  } catch {
    return undefined; // dangling: its text was judged above
  }
}
