import * as crypto from 'crypto';
import * as path from 'path';
import { FileBase } from 'projen/lib/file';
import { Project } from 'projen/lib/project';
import { BlueprintSynthesisError, SynthesisErrorLike, synthesisErrorOf } from './errors';
import { Context, createContext } from './context';
import { DurableStorage } from './durable-storage';
import { FRAMEWORK_RESYNTH } from './framework-merge';
import { BUNDLE_IN_MEMORY_ENV, MEMORY_BUNDLE, MemoryBundle, OUTDIR_AS_GIVEN_ENV, SYNTHESIZED } from './job-environment';
import { resynthesizeFolders } from './resynth-folders';
import { PathEscapeError } from '../errors';
import { BundleLayout } from '../bundle/layout';
import { readBundleFile } from '../bundle/read';
import { FolderSink, MemorySink, writeAll } from '../bundle/sink';
import { currentUmask } from '../bundle/staging';
import type { ConflictStyle, DiffAlgorithm, MarkerLabels } from '../resynth/merge';
import type { ResynthReport } from '../resynth/report';
import type { ContextFile, Strategy } from '../resynth/strategies';

/** What every blueprint's options carry: where the bundle goes. */
export interface ParentOptions {
  /** The folder the bundle is written to. */
  outdir: string;
  /** A parent projen project, for a blueprint nested in another. */
  parent?: Project;
}

/** How {@link Blueprint.resynth} merges; the CLI passes its flags here. */
export interface ResynthOptions {
  /** The strategy for a file no entry matches. @default the blueprint's {@link Blueprint.setResynthFallback}, else 'preferProposed' */
  readonly fallback?: string;
  /** Conflict style of text merges. @default 'merge' */
  readonly style?: ConflictStyle;
  /** The line diff of text merges: `myers` as `git merge-file`, `histogram` as `git merge` (an update). @default 'myers' */
  readonly diffAlgorithm?: DiffAlgorithm;
  /** The names after conflict markers (an update names them as `git merge` does: `HEAD`, the baseline, the blueprint). @default existing, ancestor, proposed */
  readonly labels?: MarkerLabels;
  /** Whether `[local]` ownership-file entries may run their commands. @default false */
  readonly allowLocal?: boolean;
  /** How the user allows `[local]` entries, in the caller's terms (the CLI names its flag): a refusal ends with it. @default nothing */
  readonly howToAllowLocal?: string;
}

/** The base of a blueprint's `Options` interface. */
export interface Options extends ParentOptions {}

/** The pull request a resynthesis would open. */
export interface ResynthPullRequest {
  /** Title of the pull request. */
  title: string;
  /** Markdown body. */
  description: string;
  /** The branch the changes are pushed to. */
  originBranch: string;
  /** The branch the pull request targets. @default the repository's default branch */
  targetBranch?: string;
}

/**
 * The SDK base package's own default options (its `defaults` export, read from its empty `defaults.json`): none.
 * Exported so that a port that spreads or lists them runs as it did.
 */
export const defaults: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The base class of every blueprint: a projen project whose own default files (`.projen/`, `.gitignore`,
 * `.gitattributes`) are not written, that records its options in `options.json`, and whose components
 * write the bundle.
 *
 * Lifecycle, in this order: the constructor composes components; `synth()` runs projen's synthesis
 * (subprojects first, then each component's `synthesize()`, which for a source repository runs its
 * synthesis steps in the order they were added). Every file goes into `outdir`, which the CLI points at
 * the bundle folder itself, kept when the job succeeds (see `InPlaceBundle`).
 */
export class Blueprint extends Project {
  /** Where and why this blueprint runs. */
  public readonly context: Context;
  /** State kept between runs, outside the bundle. */
  public durableState: DurableStorage;
  /** The pull request a resynthesis of this blueprint would open. */
  public resynthPullRequest: ResynthPullRequest;
  /** Merge strategies registered in code, by bundle path (`src/<repository>`). */
  protected strategies: { [bundlePath: string]: Strategy[] } | undefined;
  /** What the last {@link resynth} did, file by file. */
  public resynthReport: ResynthReport | undefined;
  private resynthFallback: string | undefined;
  /** Where this blueprint's components write the bundle: its `outdir`, a job's bundle folder, or memory for an update. */
  private readonly sink: FolderSink | MemorySink;

  constructor(options: Options) {
    super({ name: 'CodeCatalystBlueprint', ...options });
    this.sink = this.synthesizesIntoMemory(options) ? new MemorySink() : new FolderSink(this.outdir);
    this.context = createContext(path.resolve(this.outdir));
    this.durableState = new DurableStorage(path.join(this.context.durableStoragePath, 'durable-storage'));

    // The bundle is the project being generated, not a projen project: silence projen's own files.
    for (const component of this.components) {
      component.synthesize = () => {};
    }
    this.writeOptionsToBundle(options);
    Object.defineProperty(this, SYNTHESIZED, { value: this.components.length, writable: true });
    this.resynthPullRequest = defaultResynthPullRequest(this.context, recordedOptions(options));
  }

  /** Registers merge strategies for a bundle path (`src/<repository>`); the last call for a path wins. */
  setResynthStrategies(bundlePath: string, strategies: Strategy[]): void {
    this.strategies = { ...(this.strategies ?? {}), [bundlePath]: strategies };
  }

  /** The strategies registered in code for a bundle path. */
  getResynthStrategies(bundlePath: string): Strategy[] {
    return this.strategies?.[bundlePath] ?? [];
  }

  /**
   * Chooses the strategy for files that no strategy matches (the SDK's fallback is `preferProposed`, which
   * resolves conflicting hunks against the project's own lines; `threeWayMerge` writes conflict markers instead).
   */
  setResynthFallback(strategyId: string): void {
    this.resynthFallback = strategyId;
  }

  /**
   * Merges three bundles into this blueprint's `outdir`: the ancestor (what was generated before), the
   * existing project, and the proposed bundle (what the blueprint generates now). Each file under
   * `src/<repository>/` is decided by the strategy that matches it (the `.ownership-file`s of the existing
   * bundle beat the strategies registered in code, which beat the fallback); outside `src/` the proposed
   * bundle wins, and issues are created only once. Like the SDK, it adds `pull-request/<originBranch>.yaml`
   * (from {@link resynthPullRequest}) and `src-diffs/` with each changed file's patch. Override it to
   * post-process, as in the SDK: an override may return nothing (the SDK declares `void`, so its blueprints call
   * `super.resynth(...)` without `return`); the report is kept in {@link resynthReport} either way.
   */
  resynth(ancestorBundle: string, existingBundle: string, proposedBundle: string, options: ResynthOptions = {}): ResynthReport | void {
    const { files, report } = resynthesizeFolders(
      { ancestor: ancestorBundle, existing: existingBundle, proposed: proposedBundle },
      { strategies: this.strategies, owner: { name: this.context.package.name, version: this.context.package.version }, fallback: this.resynthFallback, pullRequest: this.resynthPullRequest },
      options,
    );
    this.resynthReport = report;
    writeAll(this.sink, files);
    return report;
  }

  /**
   * Writes one file into a repository of the bundle, `src/<repositoryName>/<path>`, as the SDK's `write` does
   * (the name is used as given: it is not cleaned as a `SourceRepository` title is). A `mode` given as a string
   * is octal, as `fs` reads it, and the umask narrows it, as it does the SDK's `fs.writeFileSync`. A mode `fs`
   * would refuse (a string of other than octal digits, a number that is not a 32-bit unsigned integer) throws
   * a `TypeError` naming the file, as the SDK's `fs` throws, before anything is written.
   */
  write(file: ContextFile, options?: { mode?: number | string }): void {
    const mode = options?.mode === undefined ? undefined : fileMode(options.mode, `src/${file.repositoryName}/${file.path}`);
    // The kernel keeps the permission bits only (07777); a mask in JavaScript gives a signed result above them.
    const narrowed = mode === undefined ? undefined : mode & 0o7777 & ~currentUmask();
    this.writeBundleFile(path.posix.join('src', file.repositoryName, file.path), file.buffer, 'Blueprint.write', narrowed);
  }

  /**
   * Copies the file at `filepath` (relative to a bundle's root) of the bundle folder `bundle` to the same path of
   * this blueprint's bundle, as the SDK's `writeNonSourceFile` does (its resynthesis copies `environments/` and
   * new `issues/` that way).
   */
  writeNonSourceFile(filepath: string, bundle: string): void {
    this.writeBundleFile(filepath, readBundleFile(path.join(bundle, filepath)).buffer, 'Blueprint.writeNonSourceFile');
  }

  /** Records this instantiation: its description in `instantiation.json`, and optionally other options. */
  setInstantiation<T extends Options>(instantiation: { description?: string; options?: T }): void {
    this.writeBundleFile('instantiation.json', JSON.stringify({ description: instantiation.description }, null, 2), 'Blueprint.setInstantiation');
    if (instantiation.options) {
      this.writeOptionsToBundle(instantiation.options);
    }
  }

  /**
   * Throws the error: the CLI reports it with the blueprint's source location and fails the job. As in the SDK, the
   * error may be a plain `{ name, message }` (`name` one of `BlueprintSynthesisErrorTypes`): it is thrown as a
   * {@link BlueprintSynthesisError} of that name.
   */
  throwSynthesisError(error: BlueprintSynthesisError | SynthesisErrorLike): never {
    throw synthesisErrorOf(error);
  }

  /**
   * Writes one file of the bundle, relative to its root. Components use this; a path that leaves the
   * bundle is a `PathEscapeError` naming `what`.
   */
  writeBundleFile(relativePath: string, content: Buffer | string, what: string, mode?: number): void {
    this.sink.write(relativePath, { buffer: Buffer.isBuffer(content) ? content : Buffer.from(content), mode }, what);
  }

  /** Creates a folder of the bundle (relative to its root). */
  ensureBundleFolder(relativePath: string): void {
    this.sink.folder(relativePath);
  }

  /**
   * Whether components write into memory rather than `outdir`: when the job's caller asks for it
   * (`BUNDLE_IN_MEMORY_ENV`, an update, which would only read the files back) and nothing can tell the
   * difference. That is a top-level blueprint that leaves `synth()` to this class: one that overrides it
   * may read or change the written files once `super.synth()` returned, as SDK blueprints do. Files that
   * projen itself writes (a `SampleFile`, a subproject) still go to `outdir`; the job takes both.
   */
  private synthesizesIntoMemory(options: Options): boolean {
    if (!process.env[BUNDLE_IN_MEMORY_ENV] || options.parent || this.synth !== Blueprint.prototype.synth) return false;
    const memory = (): MemoryBundle => {
      const sink = this.sink as MemorySink;
      sink.commit();
      return { files: sink.files, folders: [...sink.folders] };
    };
    Object.defineProperty(this, MEMORY_BUNDLE, { value: memory });
    return true;
  }

  /**
   * Synthesizes the bundle into `outdir`, refusing any projen file that would land outside it. Projen's
   * post-synthesis steps (installing a subproject's dependencies, say) never run: a bundle is files only.
   */
  override synth(): void {
    (this as { [SYNTHESIZED]?: boolean })[SYNTHESIZED] = true;
    this.assertProjectFilesInside(this);
    this.addExcludeFromCleanup(path.join(this.outdir, '**'));
    // projen knows only this variable for "no post-synthesis steps" (installing a subproject's dependencies).
    const disablePost = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = '1';
    try {
      super.synth();
    } finally {
      if (disablePost === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = disablePost;
    }
  }

  private assertProjectFilesInside(project: Project): void {
    const root = path.resolve(this.outdir);
    // `project.files` would sort every file by localeCompare first, which a check needs no more than a bundle
    // of 2,000 static assets needs the time it takes.
    for (const file of project.components) {
      if (!(file instanceof FileBase)) continue;
      const absolute = path.resolve(file.absolutePath);
      if (absolute !== root && !absolute.startsWith(root + path.sep)) {
        throw new PathEscapeError(`${file.constructor.name} of project '${project.name}'`, path.relative(root, absolute), root);
      }
    }
    project.subprojects.forEach(subproject => this.assertProjectFilesInside(subproject));
  }

  private writeOptionsToBundle(options: Options): void {
    this.writeBundleFile(BundleLayout.OPTIONS_FILE, JSON.stringify(recordedOptions(options), null, 2), 'Blueprint options');
  }
}

Object.defineProperty(Blueprint.prototype.resynth, FRAMEWORK_RESYNTH, { value: true });

/**
 * The options as the bundle records them and the default pull request describes them: with the output
 * folder as the user gave it, never an absolute or temporary folder, so that the same inputs give the same bytes.
 */
function recordedOptions<T extends Options>(options: T): T {
  const asGiven = process.env[OUTDIR_AS_GIVEN_ENV];
  return asGiven ? { ...options, outdir: asGiven } : options;
}

/**
 * The SDK's default pull request for a resynthesis. Unlike the SDK, a first application's branch is derived
 * from the options (less `outdir`) rather than the clock, so that the same inputs always give the same result.
 */
function defaultResynthPullRequest(context: Context, options: Options): ResynthPullRequest {
  const name = context.package.name ?? 'unknown';
  const shortName = name.slice(name.lastIndexOf('.') + 1).replace(/[^a-zA-Z0-9]/g, '-');
  const optionsText = JSON.stringify(options, null, 2);
  const blueprintLine = `Blueprint: [${name}@${context.package.version}]`;
  const instantiationId = context.project.blueprint.instantiationId;
  if (instantiationId) {
    return {
      originBranch: `update-blueprint-${shortName}-${instantiationId.slice(0, 8)}`,
      title: `chore(resynthesis): update [${name}@${context.package.version}]`,
      description: ['This pull request updates the project to new blueprint options or a new blueprint version.', '', blueprintLine, `Instance Id: [${instantiationId}]`, '### New Options', '```', optionsText, '```'].join('\n'),
    };
  }
  // The output folder is where this run writes, not part of the project: with it in the hash, the same options
  // synthesized into another folder (a --cache run, the preview's) proposed a pull request of another name.
  const { outdir: _outdir, ...chosen } = options;
  const hash = crypto.createHash('sha256').update(JSON.stringify(chosen, null, 2)).digest('hex').slice(0, 5);
  return {
    originBranch: `apply-blueprint-${shortName}-${hash}`,
    title: `feat: application [${name}@${context.package.version}]`,
    description: ['This pull request applies a new blueprint instance to the project.', '', blueprintLine, '### Selected Options', '```', optionsText, '```'].join('\n'),
  };
}

/**
 * A file mode as `fs` reads it: an octal string, or a 32-bit unsigned integer. Anything else would be read as 0
 * (a file nobody may read) by `parseInt`, where the SDK's `fs.writeFileSync` throws.
 */
function fileMode(mode: number | string, file: string): number {
  if (typeof mode === 'string' && /^[0-7]+$/.test(mode)) return parseInt(mode, 8);
  if (typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0xffffffff) return mode;
  throw new TypeError(`Blueprint.write: the mode of '${file}' must be an octal string or a 32-bit unsigned integer, not ${JSON.stringify(mode) ?? String(mode)}`);
}
