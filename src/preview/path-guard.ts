import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../errors';

/** A request path the preview refuses to serve; `status` is the HTTP status to answer with. */
export class PathRefusedError extends InputError {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message, { name: 'PathRefusedError' });
  }
}

/**
 * The security boundary of the preview server: turns the still percent-encoded rest of a request path
 * (`a/b%20c.txt`) into the real path of a file or folder inside `root`, or throws a {@link PathRefusedError}.
 *
 * It decodes once and refuses what decoding leaves ambiguous (an encoded `%`, `/` or `\` that a second
 * decoder would turn into a separator or a dot), NUL bytes, backslashes, absolute paths and drive letters,
 * and any `..`, `.` or empty segment, rather than normalizing them away: a well-formed link never has one.
 * Then it resolves symbolic links and refuses anything whose real path is not `root` or below it, so a link
 * that points out of the output or blueprint folder is refused like a `..`.
 */
export function guardPath(root: string, encoded: string): string {
  const relative = decodeRequestPath(encoded);
  return insideRoot(root, relative);
}

/** Decodes and checks a request path without touching the disk: a bundle-relative POSIX path. */
export function decodeRequestPath(encoded: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    throw new PathRefusedError(400, 'malformed percent-encoding');
  }
  if (decoded.includes('\0')) throw new PathRefusedError(400, 'NUL byte in path');
  if (/%(2e|2f|5c|25|00)/i.test(decoded)) throw new PathRefusedError(400, 'doubly encoded path');
  if (decoded.includes('\\')) throw new PathRefusedError(400, 'backslash in path');
  if (decoded.startsWith('/') || /^[a-zA-Z]:/.test(decoded)) throw new PathRefusedError(400, 'absolute path');
  if (decoded === '') return '';
  for (const segment of decoded.split('/')) {
    if (segment === '..' || segment === '.' || segment === '') throw new PathRefusedError(400, `'${segment}' segment in path`);
  }
  return decoded;
}

/** The real path of `relative` (already checked) below `root`; refused when a link leads out of it. */
export function insideRoot(root: string, relative: string): string {
  const realRoot = fs.realpathSync(root);
  let real: string;
  try {
    real = fs.realpathSync(path.join(realRoot, ...relative.split('/').filter(Boolean)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PathRefusedError(404, 'not found');
    if (code === 'ELOOP') throw new PathRefusedError(403, 'symbolic link loop');
    throw error;
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new PathRefusedError(403, 'path leaves the served folder');
  return real;
}

/** The folders of a blueprint that `/blueprint/...` serves: its sources and its static assets. */
const BLUEPRINT_SERVED = ['src', 'static-assets'];

/**
 * The real path of a file the page may show from the blueprint folder (`/blueprint/<encoded>`): only
 * below `src/` or `static-assets/` (each the root its real path must stay in, so a link from `src/` to
 * `.git/` is refused too), and never inside a `node_modules` or `.git` folder. The rest of the blueprint
 * folder (its git history, its dependencies, files beside it) is not the preview's to serve.
 */
export function guardBlueprintPath(blueprintDir: string, encoded: string): string {
  const relative = decodeRequestPath(encoded);
  const [top, ...rest] = relative.split('/');
  if (!BLUEPRINT_SERVED.includes(top) || rest.some(segment => segment === 'node_modules' || segment === '.git')) {
    throw new PathRefusedError(404, `not a source or static asset of the blueprint (only ${BLUEPRINT_SERVED.map(f => `${f}/`).join(' and ')} are served)`);
  }
  return insideRoot(path.join(blueprintDir, top), rest.join('/'));
}

/** A job or bundle folder name: one segment of letters, digits, `.`, `_` and `-`, not `.` or `..`. */
export function isSimpleName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..';
}
