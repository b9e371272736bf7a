import * as fs from 'fs';
import * as path from 'path';
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
    const joined = path.posix.normalize(path.posix.join(path.posix.dirname(relative), target.replace(/\\/g, '/')));
    let outside = path.posix.isAbsolute(target) || path.win32.isAbsolute(target) || joined === '..' || joined.startsWith('../');
    if (!outside) {
      realRoot ??= fs.realpathSync(dir);
      const real = realPathOrUndefined(entry.absolute);
      outside = real !== undefined && real !== realRoot && !real.startsWith(realRoot + path.sep);
    }
    if (outside) found.push({ path: relative, target });
  }
  return found;
}

function realPathOrUndefined(absolute: string): string | undefined {
  try {
    return fs.realpathSync(absolute);
  } catch {
    return undefined; // dangling: its text was judged above
  }
}
