import type { FileMap } from '../bundle/file-map';

/**
 * Environment variables through which the CLI tells a job process what the blueprint cannot know itself.
 * They live here, apart from the Blueprint class, so that the CLI can name them without loading projen.
 */

/** The output folder as the user gave it, recorded in `options.json` instead of the absolute folder the job writes to. */
export const OUTDIR_AS_GIVEN_ENV = 'BLUESYNTH_OUTDIR_AS_GIVEN';

/** The blueprint's folder, where `static-assets/` is read from whatever the working directory. */
export const BLUEPRINT_DIR_ENV = 'BLUESYNTH_BLUEPRINT_DIR';

/**
 * Set (to `1`) when the job's caller takes the bundle from memory (an update): a blueprint that leaves
 * `synth()` to the framework then has its components write into memory (see {@link MEMORY_BUNDLE}).
 */
export const BUNDLE_IN_MEMORY_ENV = 'BLUESYNTH_BUNDLE_IN_MEMORY';

/**
 * The method of a blueprint synthesized into memory that hands its bundle over, once `synth()` returned.
 * A global symbol: the job may run another copy of the framework (the cache runner's).
 */
export const MEMORY_BUNDLE = Symbol.for('bluesynth.Blueprint.memoryBundle');

/**
 * Set on a blueprint when it is constructed to the number of projen's own components (silenced), and to `true`
 * when the framework's `synth()` runs: a job whose blueprint overrode `synth()` without calling `super.synth()`
 * still finds a number, and components beyond it that never wrote their files (see `runBlueprintJob`). One that
 * has none, and writes with `this.write()` alone, is left alone. A global symbol, as {@link MEMORY_BUNDLE}; an
 * SDK package's own base class never sets it.
 */
export const SYNTHESIZED = Symbol.for('bluesynth.Blueprint.synthesized');

/** A bundle synthesized into memory: its files, and the folders that may hold no file. */
export interface MemoryBundle {
  /** Its files, by bundle path. */
  readonly files: FileMap;
  /** Folders the blueprint created, which may hold no file (an empty repository). */
  readonly folders: readonly string[];
}

/**
 * The SDK's context variables, which tell a blueprint where and why it runs (see `Context`). The one place
 * their names are written: the CLI sets them for each job through this type, and `createContext` reads them
 * through it, so a misspelt name does not compile.
 */
export interface ContextVariables {
  /** The space (`context.spaceName`). */
  CONTEXT_SPACENAME?: string;
  /** The project (`context.project.name`). */
  CONTEXT_PROJECTNAME?: string;
  /** The environment (`context.environmentId`): `prod` picks the released workflow actions. */
  CONTEXT_ENVIRONMENTID?: string;
  /** The branch the bundle is for (`context.branchName`). */
  BRANCH_NAME?: string;
  /** `ANCESTOR`, `PROPOSED` or `RESYNTH` (`context.resynthesisPhase`). */
  RESYNTH_PHASE?: string;
  /** The blueprint's package name (`context.package.name`). */
  PACKAGE_NAME?: string;
  /** The blueprint's package version (`context.package.version`). */
  PACKAGE_VERSION?: string;
  /** The existing project as a bundle folder (`context.project.bundlepath`). */
  EXISTING_BUNDLE_ABS?: string;
  /** Where durable state is kept (`context.durableStoragePath`). */
  DURABLE_STORAGE_ABS?: string;
  /** The instantiation being updated (`context.project.blueprint.instantiationId`). */
  CUR_INSTANTIATION_ID?: string;
  /** A JSON file of the project's instantiations (`context.project.blueprint.instantiations`). */
  INSTANTIATIONS_ABS?: string;
  /** Dynamic wizard options (`context.wizardOptionsPath`). */
  WIZARD_OPTIONS_ABS?: string;
  /** npm credentials for blueprints that install packages (`context.npmConfiguration`). */
  NPM_CONFIG_TOKEN?: string;
  /** The npm registry (`context.npmConfiguration`). */
  NPM_CONFIG_REGISTRY?: string;
  /** projen's switch for post-synthesis steps (installing a subproject's dependencies): always on for a bundle. */
  PROJEN_DISABLE_POST?: string;
}
