import type { FavoredHunk, MergeConflict } from '../merge';
import type { MergeDecision } from '../merge/structured';

/** What one call of a built-in merge did, kept so that the report can count it. */
export interface MergeRecord {
  /** The buffer the merge returned (undefined: it resolved to "absent"). */
  readonly buffer: Buffer | undefined;
  /** Hunks written with conflict markers. */
  readonly conflicts: readonly MergeConflict[];
  /** Conflict hunks resolved to one side instead of being marked. */
  readonly favored: readonly FavoredHunk[];
  /** Whether the file was treated as binary (whole-file rule, no hunks). */
  readonly binary: boolean;
  /** Set by the `regenerate` strategy: the proposed file was taken whole, to be regenerated rather than merged. */
  readonly regenerated?: boolean;
  /** Set when an `.ownership-file` the line merge left in conflict was merged entry by entry. */
  readonly byEntry?: {
    /** Conflict hunks inside one entry, written with both sides' lines. */
    readonly bothKept: number;
    /** What was decided that a person should hear of (an entry one side removed while the other changed it). */
    readonly notes: readonly string[];
  };
  /** Set when a JSON or YAML file went through the structured merge. */
  readonly structured?: {
    /**
     * Which merge made the buffer: `line`, the line merge's result stood (with conflicts left, git's own merge of
     * the three with the same options, markers included), or `structure`, the merge of values.
     */
    readonly stage: 'line' | 'structure';
    /** JSON paths of the conflicts of values left (marked, or resolved by the strategy's side). */
    readonly conflictPaths: readonly string[];
    /** What each stage decided. */
    readonly decisions: readonly MergeDecision[];
    /** What a person should hear of that the result does not show. @default none */
    readonly notes?: readonly string[];
  };
}

/**
 * Collects the {@link MergeRecord}s of the built-in merges run while one file is resolved.
 *
 * It exists because a strategy's signature (the SDK's) returns only a file: conflict and override
 * counts must travel beside it. A strategy may call several merges and keep one result, so the record
 * that counts is the one whose buffer is the resolved file's.
 */
export class MergeRecorder {
  private readonly entries: MergeRecord[] = [];

  /** Adds the record of one merge. */
  public record(entry: MergeRecord): void {
    this.entries.push(entry);
  }

  /** Every record, in the order the merges ran. */
  public get records(): readonly MergeRecord[] {
    return this.entries;
  }

  /**
   * The record that produced `buffer`: the last one returning that very buffer, else the last with
   * equal bytes, else (a strategy that post-processed a merge's output) the last record of all.
   */
  public recordFor(buffer: Buffer | undefined): MergeRecord | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].buffer === buffer) return this.entries[i];
    if (buffer) {
      for (let i = this.entries.length - 1; i >= 0; i--) {
        const candidate = this.entries[i].buffer;
        if (candidate && candidate.equals(buffer)) return this.entries[i];
      }
    }
    return this.entries[this.entries.length - 1];
  }
}

/**
 * The recorder of the file being resolved right now. Strategies are synchronous, so one slot is enough:
 * it lets a custom strategy that calls a built-in with only the SDK's three arguments still be counted.
 */
let ambient: MergeRecorder | undefined;

/** Runs `resolve` with `recorder` as the ambient recorder, restoring the previous one afterwards. */
export function withRecorder<T>(recorder: MergeRecorder, resolve: () => T): T {
  const previous = ambient;
  ambient = recorder;
  try {
    return resolve();
  } finally {
    ambient = previous;
  }
}

/** The recorder a built-in merge reports to: the one in its options, else the ambient one. */
export function recorderFor(options: { recorder?: MergeRecorder } | undefined): MergeRecorder | undefined {
  return options?.recorder ?? ambient;
}
