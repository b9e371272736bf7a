import type { ResynthOptions, ResynthPullRequest } from '../blueprint/blueprint';
import type { FrameworkMerge } from '../blueprint/framework-merge';
import type { MemoryBundle } from '../blueprint/job-environment';
import type { ResynthReport } from '../resynth/report';

/**
 * What a job process is told when it starts, before its job is known: enough to load what every job of
 * this blueprint and runner will load.
 */
export interface JobWarmUp {
  /** Absolute blueprint folder (the process's working directory). */
  readonly blueprintDir: string;
  /** Whether jobs transpile TypeScript on the fly (the fast and sandbox runners; a `--cache` build is JavaScript). */
  readonly transpile: boolean;
  /** Whether jobs run under Node's permission model (the sandbox runner). @default false */
  readonly sandbox?: boolean;
}

/** What every job of a blueprint shares. */
interface JobBase {
  /** The job's name, for messages: `synth.<config>`. */
  readonly name: string;
  /** Absolute blueprint folder (the job's working directory). */
  readonly blueprintDir: string;
  /** Absolute module to load, exporting the class `Blueprint`. */
  readonly entry: string;
  /** Whether `entry` is TypeScript to transpile on the fly. */
  readonly transpile: boolean;
  /** Whether the job runs under Node's permission model (see sandbox.ts). @default false */
  readonly sandbox?: boolean;
  /** The options the blueprint is constructed with (`outdir` is set by the job). */
  readonly options: Record<string, unknown>;
  /** Absolute folder the blueprint writes into: the bundle folder itself (see `InPlaceBundle`). */
  readonly outdir: string;
  /** Environment variables set before the blueprint loads (the context). */
  readonly env: Record<string, string>;
}

/** Run the blueprint into `outdir`. */
export interface SynthJobSpec extends JobBase {
  readonly kind: 'synth';
}

/** Merge three bundles into `outdir` with the blueprint's own `resynth()`. */
export interface ResynthJobSpec extends JobBase {
  readonly kind: 'resynth';
  /** Absolute folders of the three bundles. */
  readonly bundles: { readonly ancestor: string; readonly existing: string; readonly proposed: string };
  /** The CLI's merge flags. */
  readonly merge: ResynthOptions;
}

/** What the CLI asks one job process to do, sent over IPC once the process has warmed up. */
export type JobSpec = SynthJobSpec | ResynthJobSpec;

/** What a job process reports back when it ends on purpose. */
export type JobMessage =
  | {
    readonly type: 'done';
    /** A resynthesis's report. */
    readonly report?: ResynthReport;
    readonly pullRequest?: ResynthPullRequest;
    /** A synthesis's: the merge the blueprint leaves to the framework, when it needs nothing of the job's process. */
    readonly merge?: FrameworkMerge;
    /** A synthesis's: the files the blueprint wrote into memory, when the job asked for that (`BUNDLE_IN_MEMORY_ENV`). */
    readonly bundle?: MemoryBundle;
    /** The same from a job process: this table here, the bytes on its {@link BUNDLE_PIPE_FD}. */
    readonly bundleTable?: MemoryBundleTable;
  }
  | { readonly type: 'error'; readonly error: JobError };

/** A job's failure, as the CLI shows it. */
export interface JobError {
  /** The error's name (`BlueprintSynthesisValidationError`, `TypeError`, ...). */
  readonly name: string;
  /** The error's message. */
  readonly message: string;
  /** `file:line:column` of the innermost stack frame in the blueprint's own code, if any. */
  readonly location?: string;
  /** The full stack, for `--verbose`. */
  readonly stack?: string;
  /**
   * What validation warned of the job's options before it ran (`FILE: $.path: rule: message`), said with its failure
   * as its likely cause (see {@link warnedBeforeLines}). @default none
   */
  readonly warnedBefore?: readonly string[];
}

/**
 * A job process's file descriptor for the bytes of a bundle synthesized into memory: a pipe beside the IPC
 * channel, because sending thousands of buffers as messages costs more than the rest of the job.
 */
export const BUNDLE_PIPE_FD = 4;

/** A {@link MemoryBundle} as a job process reports it: each file's path, size and mode, its bytes end to end on the bundle pipe. */
export interface MemoryBundleTable {
  readonly paths: readonly string[];
  readonly sizes: readonly number[];
  /** null for the default mode. */
  readonly modes: readonly (number | null)[];
  readonly folders: readonly string[];
}
