import { isUtf8 } from 'buffer';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Blueprint } from '../../blueprint/blueprint';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { BundleLayout } from '../../bundle/layout';
import { normalizeRelative } from '../../bundle/paths';
import { isFolder } from '../../bundle/read';
import { isBinary } from '../../resynth/merge';
import type { Strategy } from '../../resynth/strategies';
import { File, repositoryPath, SourceFile } from './file';
import { assetsUnder, staticAssetsFolder, SubstitutionAsset } from './static-assets';
import { cleanRepositoryTitle } from './title';

/** The bundle folder that holds every source repository, `src` (the SDK's name for it). */
export const sourceRepositoryRootDirectory = BundleLayout.SOURCE;

/** What a source repository is made from. */
export interface SourceRepositoryDefinition {
  /** The repository's name; characters a repository name may not contain are dropped. */
  title: string;
}

/** A file as `copyStaticFiles` hands it to its `map` function. */
export interface BasicFile {
  /** Path inside the repository. */
  path: string;
  /** Text (after substitution) or bytes (binary assets). */
  content: any;
}

/** Options of {@link SourceRepository.copyStaticFiles}. */
export interface CopyStaticFilesOptions {
  /** A folder inside `static-assets/` to copy from. @default all of `static-assets/` */
  from?: string;
  /** A folder inside the repository to copy to. @default the repository's root */
  to?: string;
  /** Values for Mustache substitution in text assets; binary assets are copied untouched. @default no substitution */
  substitute?: { [key: string]: unknown };
  /** Called for each file after substitution, before it is added; returning nothing leaves the file out. @default identity */
  map?: (file: BasicFile) => BasicFile | undefined;
}

/**
 * A source repository of the generated project: `src/<title>/` in the bundle.
 * Its files are written when it synthesizes, followed by its synthesis steps in the order they were added.
 */
export class SourceRepository extends Component {
  /** The bundle folder that holds every repository. */
  public static readonly BUNDLE_PATH = sourceRepositoryRootDirectory;

  /** The blueprint it belongs to. */
  public readonly blueprint: Blueprint;
  /** The cleaned title: the repository's folder name. */
  public readonly title: string;
  /** Bundle-relative folder: `src/<title>`. */
  public readonly relativePath: string;
  /** Absolute folder on disk. */
  public readonly path: string;
  /** Functions run, in order, when the repository synthesizes. */
  public readonly synthesisSteps: (() => void)[] = [];

  private readonly files: { [filePath: string]: Buffer } = {};
  private readonly modes: { [filePath: string]: number } = {};

  constructor(
    blueprint: Blueprint,
    /** The repository's definition, as given; its title is replaced by the cleaned title. */
    protected readonly sourceRepository: SourceRepositoryDefinition,
  ) {
    super(blueprint);
    this.blueprint = blueprint;
    this.title = cleanRepositoryTitle(sourceRepository.title);
    this.sourceRepository.title = this.title;
    this.relativePath = path.posix.join(BundleLayout.SOURCE, this.title);
    this.path = path.join(blueprint.context.rootDir, this.relativePath);
  }

  /**
   * Copies files of the blueprint's `static-assets/` into the repository. Text files get Mustache
   * substitution when `substitute` is given; binary files are copied untouched; file modes are kept.
   */
  copyStaticFiles(options: CopyStaticFilesOptions = {}): void {
    const map = options.map ?? ((file: BasicFile) => file);
    const from = options.from ? normalizeRelative(options.from, `copyStaticFiles in repository '${this.title}'`, BlueprintFolder.STATIC_ASSETS, "the blueprint's folder") : '';
    const to = options.to ?? '';
    // Almost always a typo. The SDK copies nothing, silently, and a blueprint may rely on that (a folder per
    // language, some empty): a warning, not an error; the job's 'warning:' lines are shown when it completes.
    if (from && !isFolder(path.join(staticAssetsFolder(), from))) {
      console.warn(`warning: copyStaticFiles in repository '${this.title}': no folder '${options.from}' in ${staticAssetsFolder()}; nothing copied`);
    }
    const assets = assetsUnder(staticAssetsFolder(), from).map(found => new SubstitutionAsset(found));
    for (const asset of assets) {
      const relative = from ? asset.path().slice(from.length + 1) : asset.path();
      const bytes = asset.content();
      const binary = isBinary(bytes);
      const target = path.posix.join(to, relative);
      // Text goes through a string, as in the SDK (bytes that are not UTF-8 come out replaced); when nothing
      // would change the bytes (no map; binary, or valid UTF-8 with no substitution), they are taken as they are.
      if (!options.map && (binary || (!options.substitute && isUtf8(bytes)))) {
        new File(this, target, bytes, { mode: asset.mode() });
        continue;
      }
      const content = binary ? bytes : options.substitute ? asset.substitute(options.substitute) : asset.toString();
      const mapped = map({ path: target, content });
      if (!mapped) continue;
      const buffer = Buffer.isBuffer(mapped.content) ? mapped.content : Buffer.from(String(mapped.content), 'utf8');
      new File(this, mapped.path, buffer, { mode: asset.mode() });
    }
  }

  /** Adds a file with any content (a wrapper around `new File(...)`). */
  addFile(location: string, content: Buffer, options?: { mode?: number }): void {
    new File(this, location, content, options);
  }

  /** Removes a file added before, so that it is not written. */
  removeFile(location: string): void {
    const relative = repositoryPath(this, location, `removeFile in repository '${this.title}'`);
    delete this.files[relative];
    delete this.modes[relative];
    this.blueprint.tryRemoveFile(path.posix.join(this.relativePath, relative));
  }

  /** The files this repository will write, by path inside the repository. */
  getFiles(): { [filePath: string]: Buffer } {
    return this.files;
  }

  /** Registers merge strategies for this repository (see the blueprint's `setResynthStrategies`). */
  setResynthStrategies(strategies: Strategy[]): void {
    this.blueprint.setResynthStrategies(this.relativePath, strategies);
  }

  /** The merge strategies registered for this repository. */
  getResynthStrategies(): Strategy[] {
    return this.blueprint.getResynthStrategies(this.relativePath);
  }

  /** Adds a function to run when the repository synthesizes, after the steps added before it. */
  addSynthesisStep(step: () => void): void {
    this.synthesisSteps.push(step);
  }

  /** Writes the repository: every synthesis step in order (its files are steps too). */
  override synthesize(): void {
    this.blueprint.ensureBundleFolder(BundleLayout.SOURCE);
    super.synthesize();
    this.synthesisSteps.forEach(step => step());
  }

  /** @internal Records a file to write; `File` calls it. */
  _trackFile(location: string, content: Buffer, mode?: number): void {
    this.files[location] = content;
    if (mode === undefined) delete this.modes[location];
    else this.modes[location] = mode;
  }

  /** @internal Writes a tracked file unless it was removed since; `File` calls it during synthesis. */
  _writeTrackedFile(location: string, content: Buffer, what: string): void {
    if (this.files[location] === undefined) return;
    this.blueprint.writeBundleFile(path.posix.join(this.relativePath, location), content, `${what} in repository '${this.title}'`, this.modes[location]);
  }
}

export { File, SourceFile };
