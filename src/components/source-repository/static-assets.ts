import * as path from 'path';
import type globbyModule from 'globby';
import * as Mustache from 'mustache';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { BLUEPRINT_DIR_ENV } from '../../blueprint/job-environment';
import { isFile, isFolder, listBundle, readBundleFile } from '../../bundle/read';
import { BluesynthError } from '../../errors';
import { positionAt } from '../../text-position';

/**
 * A static asset that is not a valid Mustache template (an unclosed `{{#section}}` or tag): names the asset, and
 * the line and column Mustache stopped at, which its own message gives as a character offset into a text it does
 * not name.
 */
export class StaticAssetTemplateError extends BluesynthError {
  /** @param shownPath the asset as the author knows it (`static-assets/web/index.html`) */
  constructor(shownPath: string, text: string, cause: Error) {
    super(`${shownPath}:${templateProblem(text, cause.message)}`);
  }
}

/**
 * Mustache's message with its `at OFFSET` read as `line:column`. Mustache reports a tag or section left open at the
 * end of the text, where there is nothing to see: the place where it opens is given instead.
 */
function templateProblem(text: string, message: string): string {
  const found = /^(.*) at (\d+)$/.exec(message);
  if (!found) return ` Mustache: ${message}`;
  const section = /^Unclosed section "(.*)"$/.exec(found[1]);
  let offset = Number(found[2]);
  let problem = found[1];
  if (section) {
    // The last opening of that name: an earlier one may have been closed.
    const openings = [...text.matchAll(new RegExp(`\\{\\{\\s*[#^]\\s*${section[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`, 'g'))];
    if (openings.length) {
      offset = openings[openings.length - 1].index!;
      problem = `section '${section[1]}' opened here is never closed with {{/${section[1]}}}`;
    }
  } else if (problem === 'Unclosed tag') {
    // The open tag is the first '{{' after the last '}}' (Mustache read everything after it as the tag's name), or
    // a '{{{' that only '}}' closes, the last opening of the text.
    let opening = text.indexOf('{{', text.lastIndexOf('}}') + 1);
    if (opening < 0) for (opening = text.lastIndexOf('{{'); opening > 0 && text[opening - 1] === '{'; ) opening--;
    if (opening >= 0) {
      offset = opening;
      problem = `tag opened here is never closed with '${text.startsWith('{{{', opening) ? '}}}' : '}}'}'`;
    }
  }
  const { line, column } = positionAt(text, offset);
  return `${line}:${column}: Mustache: ${problem}`;
}

/** Options of a static asset. */
export interface StaticAssetOptions {
  /** The folder the asset path is relative to. @default the blueprint's `static-assets/` */
  cwd?: string;
}

/** The blueprint's `static-assets/` folder (without the CLI's word for it, the working directory's). */
export function staticAssetsFolder(): string {
  return path.resolve(process.env[BLUEPRINT_DIR_ENV] ?? process.cwd(), BlueprintFolder.STATIC_ASSETS);
}

/**
 * Paths of the files below `cwd` that `pattern` (a glob with POSIX separators) matches, dot files included, in
 * path order.
 */
export function assetPaths(cwd: string, pattern: string, options: { dot?: boolean; ignore?: string | string[] } = {}): string[] {
  // Every file: no glob to match (`findAll()`, `findAll('**')`).
  if ((pattern === '**/*' || pattern === '**') && options.dot !== false && [options.ignore ?? []].flat().length === 0) return assetsUnder(cwd);
  if (!isFolder(cwd)) return [];
  // Loaded here: only a blueprint's own globs need it (eighty modules).
  const globby: typeof globbyModule = require('globby');
  // A symbolic link to a file is an asset too, read through the link, as the SDK's glob (`nodir`) finds it;
  // folders are not followed through links, so a link to a parent folder does not copy the tree forever.
  return globby
    .sync(pattern, { cwd, dot: options.dot ?? true, ignore: [options.ignore ?? []].flat(), onlyFiles: false, followSymbolicLinks: false, objectMode: true })
    .filter(found => found.dirent.isFile() || (found.dirent.isSymbolicLink() && isFile(path.join(cwd, found.path))))
    .map(found => found.path)
    .sort();
}

/**
 * Paths of every file below `folder` of `cwd` (all of `cwd` when empty), relative to `cwd`: what {@link assetPaths}
 * gives for `<folder>/**`, found by walking the folder. Copying a folder is what nearly every blueprint does,
 * and loading globby for it cost a job 30-40 ms. None when `folder` is no folder (globby stopped with `ENOTDIR`
 * at a file's name).
 */
export function assetsUnder(cwd: string, folder = ''): string[] {
  const root = path.join(cwd, folder);
  if (!isFolder(root)) return [];
  const found: string[] = [];
  for (const [relative, entry] of listBundle(root)) {
    if (!entry.symlink || isFile(entry.absolute)) found.push(folder ? `${folder}/${relative}` : relative);
  }
  return found.sort();
}

/**
 * A file of the blueprint's `static-assets/` folder, read whole when constructed.
 */
export class StaticAsset {
  /**
   * Every asset matching `glob` (relative to `static-assets/`, dot files included), in path order.
   * @param glob @default every file
   * @param globOptions the folder to search instead of `static-assets/`, and the SDK's glob options a blueprint
   *   may pass on: `dot: false` leaves dot files out, `ignore` leaves out what its globs match (relative to `cwd`).
   *   Files only, as in the SDK (`nodir`).
   */
  static findAll<T extends StaticAsset>(
    this: new (assetPath: string, options?: StaticAssetOptions) => T,
    glob?: string,
    globOptions?: { cwd?: string; dot?: boolean; ignore?: string | string[]; nodir?: true },
  ): T[] {
    const cwd = globOptions?.cwd ?? staticAssetsFolder();
    return assetPaths(cwd, glob ? glob.replace(/\\/g, '/') : '**/*', globOptions).map(found => new this(found, { cwd }));
  }

  private readonly content_: Buffer;
  private readonly mode_: number;
  private readonly location: string;
  /** Where the asset is, for messages: `static-assets/<path>`, or its full path when read from another folder. */
  protected readonly shownPath: string;

  constructor(assetPath: string, options?: StaticAssetOptions) {
    const folder = options?.cwd ?? staticAssetsFolder();
    const file = readBundleFile(path.join(folder, assetPath));
    this.content_ = file.buffer;
    this.mode_ = file.mode!;
    this.location = assetPath;
    this.shownPath = path.resolve(folder) === staticAssetsFolder() ? `${BlueprintFolder.STATIC_ASSETS}/${assetPath}` : path.join(folder, assetPath);
  }

  /** The path relative to `static-assets/`. */
  path(): string {
    return this.location;
  }

  /** The raw bytes. */
  content(): Buffer {
    return this.content_;
  }

  /** Permission bits of the asset on disk (kept when copied into a repository). */
  mode(): number {
    return this.mode_;
  }

  /** The content as UTF-8 text. */
  toString(): string {
    return this.content_.toString();
  }
}

/** A static asset whose text can be rendered as a Mustache template (values are HTML-escaped, as in Mustache). */
export class SubstitutionAsset extends StaticAsset {
  /** Renders the asset with `substitution`'s values. */
  substitute(substitution: any): string {
    const text = this.toString();
    // Mustache returns a text without an opening tag as it is; parsing it first cost gen-ai-chatbot's
    // job 50-70 ms of CPU for its 300 assets (its CPU profile).
    if (!text.includes(Mustache.tags[0])) return text;
    try {
      return Mustache.render(text, substitution);
    } catch (error) {
      // Mustache's own message names neither the file nor a line; the blueprint's line alone points at every asset.
      throw new StaticAssetTemplateError(this.shownPath, text, error as Error);
    }
  }

  /** @deprecated the SDK's misspelling; use `substitute`. */
  subsitite(substitution: any): string {
    return this.substitute(substitution);
  }
}

/** The SDK's spelling of {@link SubstitutionAsset}, kept so that ported blueprints compile unchanged. */
export class SubstitionAsset extends SubstitutionAsset {}
