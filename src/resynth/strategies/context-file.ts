import type { ConflictStyle, DiffAlgorithm, MarkerLabels } from '../merge';
import type { MergeRecorder } from './recorder';

/**
 * One file as a strategy sees it: the same shape as the CodeCatalyst SDK's, so that a strategy written
 * for the SDK runs unchanged.
 */
export interface ContextFile {
  /** Name of the source repository the file belongs to (the folder under `src/` in a bundle). */
  repositoryName: string;
  /**
   * The file's path relative to the repository.
   * @example 'src/index.ts'
   */
  path: string;
  /** The file's bytes. */
  buffer: Buffer;
}

/**
 * What travels beside the three files: everything a strategy might want that the SDK's `ContextFile`
 * has no room for. An SDK strategy ignores it (or receives `{}`), and the built-ins read it.
 */
export interface StrategyOptions {
  /**
   * How a conflict hunk is written by the built-in text merges.
   * @default 'merge'
   */
  readonly style?: ConflictStyle;
  /**
   * The line diff of the built-in text merges: `myers` as `git merge-file`, `histogram` as `git merge`.
   * @default 'myers'
   */
  readonly diffAlgorithm?: DiffAlgorithm;
  /**
   * Marker labels of the built-in text merges.
   * @default { existing: 'existing', ancestor: 'ancestor', proposed: 'proposed' }
   */
  readonly labels?: MarkerLabels;
  /**
   * Length of the conflict markers.
   * @default 7
   */
  readonly markerSize?: number;
  /**
   * Permission bits of the three sides, where present.
   * @default - no modes known
   */
  readonly modes?: {
    /** The ancestor file's mode. */
    readonly ancestor?: number;
    /** The existing file's mode. */
    readonly existing?: number;
    /** The proposed file's mode. */
    readonly proposed?: number;
  };
  /**
   * The file's bundle-relative path (`src/<repository>/<path>`).
   * @default - unknown
   */
  readonly bundlePath?: string;
  /**
   * Where the built-in merges record their conflicts and the hunks they resolved to one side.
   * `resynthesize()` passes one; a strategy that calls a built-in can pass its own options through.
   * @default - the recorder of the file `resynthesize()` is resolving, if any
   * @internal framework plumbing: a strategy passes it on with the rest of its options, never builds one
   */
  readonly recorder?: MergeRecorder;
}

/**
 * Decides one file's resolved content from the common ancestor's, the existing project's and the
 * proposed (newly synthesized) version. A missing argument means the file is absent on that side;
 * returning `undefined` means the file is absent from the result.
 */
export type StrategyFunction = (
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
) => ContextFile | undefined;

/**
 * A strategy bound to the files it governs, as a blueprint declares it in code or an `.ownership-file`
 * declares it on disk.
 */
export interface Strategy {
  /** A stable identifier, written in `.ownership-file` headers (`[identifier] owner`). */
  identifier: string;
  /**
   * Who owns the entry: a blueprint package name, optionally with `@version`; `*` is a wildcard.
   * @default - the blueprint's package name
   */
  owner?: string;
  /**
   * One human-readable line about the strategy.
   * @default - none
   */
  description?: string;
  /** The function that resolves a file. */
  strategy: StrategyFunction;
  /** Globs, relative to where the strategy is registered, of the files it governs. */
  globs: string[];
}


/** The first of the three files that is present, for the repository name and path of a result. */
export function anyFile(...files: (ContextFile | undefined)[]): ContextFile {
  for (const file of files) if (file) return file;
  throw new Error('A strategy needs at least one of the ancestor, existing and proposed files to name its result.');
}
