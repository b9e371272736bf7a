import * as path from 'path';
import type globbyModule from 'globby';
import * as Mustache from 'mustache';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { BLUEPRINT_DIR_ENV } from '../../blueprint/job-environment';
import { isFolder, readBundleFile } from '../../bundle/read';

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
 * A file of the blueprint's `static-assets/` folder, read whole when constructed.
 */
export class StaticAsset {
  /**
   * Every asset matching `glob` (relative to `static-assets/`, dot files included), in path order.
   * @param glob @default every file
   */
  static findAll<T extends StaticAsset>(this: new (assetPath: string, options?: StaticAssetOptions) => T, glob?: string, globOptions?: { cwd?: string }): T[] {
    const cwd = globOptions?.cwd ?? staticAssetsFolder();
    if (!isFolder(cwd)) return [];
    // Loaded here: a blueprint without static assets (and every job's start-up) skips its eighty modules.
    const globby: typeof globbyModule = require('globby');
    return globby
      .sync(glob ? glob.replace(/\\/g, '/') : '**/*', { cwd, dot: true, onlyFiles: true, followSymbolicLinks: false })
      .sort()
      .map(found => new this(found, { cwd }));
  }

  private readonly content_: Buffer;
  private readonly mode_: number;
  private readonly location: string;

  constructor(assetPath: string, options?: StaticAssetOptions) {
    const file = readBundleFile(path.join(options?.cwd ?? staticAssetsFolder(), assetPath));
    this.content_ = file.buffer;
    this.mode_ = file.mode!;
    this.location = assetPath;
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
    return text.includes(Mustache.tags[0]) ? Mustache.render(text, substitution) : text;
  }

  /** @deprecated the SDK's misspelling; use `substitute`. */
  subsitite(substitution: any): string {
    return this.substitute(substitution);
  }
}

/** The SDK's spelling of {@link SubstitutionAsset}, kept so that ported blueprints compile unchanged. */
export class SubstitionAsset extends SubstitutionAsset {}
