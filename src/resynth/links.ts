import * as path from 'path';
import { BundleFile } from '../bundle/file-map';
import { SYMLINK_MODE } from '../bundle/read';
import { ResynthInputError } from './strategies/errors';

/**
 * Symbolic links in a merge, as git treats them: a link is its target text with mode 120000, a thing of
 * its own kind. A link and a regular file at one path are never merged line by line; which of them the
 * resolved bundle gets follows the side whose content the strategy returned, and a change of kind
 * against the existing bundle is reported.
 */

/** Whether a bundle file (or a mode) is a symbolic link. */
export function isLink(file: BundleFile | number | undefined): boolean {
  const mode = typeof file === 'number' ? file : file?.mode;
  return mode === SYMLINK_MODE;
}

/** Whether the present sides are of different kinds (a link on one, a regular file on another). */
export function mixedKinds(...files: (BundleFile | undefined)[]): boolean {
  const present = files.filter((file): file is BundleFile => file !== undefined);
  return present.some(isLink) && present.some(file => !isLink(file));
}

/**
 * The mode of a resolved buffer when the sides are of mixed kinds: that of the side the buffer came
 * from (the same buffer first, then equal bytes, the existing side before the proposed one). A buffer
 * from no side was merged from text, so it is a regular file, with the mode of the first regular side.
 */
export function modeOfMixedResult(buffer: Buffer, sides: readonly (BundleFile | undefined)[]): number | undefined {
  const present = sides.filter((file): file is BundleFile => file !== undefined);
  const from = present.find(file => file.buffer === buffer) ?? present.find(file => file.buffer.equals(buffer));
  if (from) return from.mode;
  return present.find(file => !isLink(file))?.mode;
}

/** A link in a merged bundle whose target leaves its repository (or the bundle, outside `src/`). */
export class LinkEscapeError extends ResynthInputError {
  constructor(bundlePath: string, target: string) {
    super(`${bundlePath}: symbolic link to '${target}' points outside its ${bundlePath.startsWith('src/') ? 'repository' : 'bundle'}; a merged bundle keeps no such link`);
  }
}

/**
 * Refuses a resolved link whose target is absolute or climbs out of its repository (`src/<repository>/`)
 * or, outside `src/`, out of the bundle: a merged bundle is written into the project, and a link there
 * must not lead a later write or read elsewhere.
 */
export function assertLinkInside(bundlePath: string, file: BundleFile): void {
  if (!isLink(file)) return;
  const target = file.buffer.toString('utf8');
  const parts = bundlePath.split('/');
  const rootDepth = parts[0] === 'src' && parts.length > 2 ? 2 : 0;
  const root = parts.slice(0, rootDepth).join('/');
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(bundlePath), target));
  const inside = root === '' ? resolved !== '..' && !resolved.startsWith('../') : resolved === root || resolved.startsWith(`${root}/`);
  if (target === '' || path.posix.isAbsolute(target) || !inside) throw new LinkEscapeError(bundlePath, target);
}
