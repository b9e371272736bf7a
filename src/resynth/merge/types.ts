/**
 * How a conflict hunk is written: git's default two-sided markers; with the ancestor shown (`--diff3`);
 * or with the ancestor shown and the lines both sides begin and end with moved out of the hunk
 * (`--zdiff3`). The names are git's `merge.conflictStyle` values.
 */
export type ConflictStyle = 'merge' | 'diff3' | 'zdiff3';

/** Every {@link ConflictStyle}, for the places that check a style given as text (a flag, git's config). */
export const CONFLICT_STYLES: readonly ConflictStyle[] = ['merge', 'diff3', 'zdiff3'];

/** Whether `value` names a {@link ConflictStyle}. */
export function isConflictStyle(value: string): value is ConflictStyle {
  return (CONFLICT_STYLES as readonly string[]).includes(value);
}

/**
 * The line diff the merge runs between the ancestor and each side: `myers`, as `git merge-file` does, or
 * `histogram`, as `git merge` does (its default `ort` strategy diffs a file's content that way).
 */
export type DiffAlgorithm = 'myers' | 'histogram';

const DIFF_ALGORITHMS: readonly DiffAlgorithm[] = ['myers', 'histogram'];

/** Whether `value` names a {@link DiffAlgorithm}. */
export function isDiffAlgorithm(value: string): value is DiffAlgorithm {
  return (DIFF_ALGORITHMS as readonly string[]).includes(value);
}

/** One of the two derived versions being merged: `existing` is git's "ours", `proposed` is "theirs". */
export type MergeSide = 'existing' | 'proposed';

/**
 * How a conflict hunk is resolved instead of being marked: to one side (git's `--ours` / `--theirs`), or
 * to both sides' lines, the existing side's first (`--union`, the `merge=union` attribute).
 */
export type MergeFavor = MergeSide | 'union';

/** Options of {@link mergeText}; each mirrors a `git merge-file` flag. */
export interface TextMergeOptions {
  /**
   * Conflict style. `diff3` also shows the ancestor's lines and, like git, skips the
   * refinement passes that only make sense when the ancestor is hidden; `zdiff3` shows the
   * ancestor's lines too, with the lines both sides share at the start and end of a hunk
   * moved out of it.
   * @default 'merge'
   */
  readonly style?: ConflictStyle;
  /**
   * The line diff: `myers` gives `git merge-file`'s result, `histogram` that of `git merge` for a file
   * both branches changed.
   * @default 'myers'
   */
  readonly diffAlgorithm?: DiffAlgorithm;
  /**
   * Resolve every conflict hunk to this side instead of writing markers (like git's
   * `--ours` / `--theirs`), or to both sides' lines (`--union`). Hunks are resolved after the
   * same refinement git applies.
   * @default - conflicts are written with markers
   */
  readonly favor?: MergeFavor;
  /**
   * Marker labels, written after `<<<<<<<`, `|||||||` and `>>>>>>>`.
   * @default { existing: 'existing', ancestor: 'ancestor', proposed: 'proposed' }
   */
  readonly labels?: MarkerLabels;
  /**
   * Length of the marker runs. Values below 1 mean the default, as in git.
   * @default 7
   */
  readonly markerSize?: number;
}

/** The names written after a conflict's markers; a side left out keeps its default. */
export interface MarkerLabels {
  /** After `<<<<<<<`, the existing side's lines. @default 'existing' */
  readonly existing?: string;
  /** After `|||||||`, the ancestor's lines (the diff3 and zdiff3 styles). @default 'ancestor' */
  readonly ancestor?: string;
  /** After `>>>>>>>`, the proposed side's lines. @default 'proposed' */
  readonly proposed?: string;
}

/** One conflict hunk, as written with markers into the result. */
export interface MergeConflict {
  /** The existing side's lines in the hunk (latin1, without line terminators). */
  readonly existing: string[];
  /**
   * The ancestor's lines. In `diff3` and `zdiff3` style these are exactly the lines written between
   * `|||||||` and `=======`. In `merge` style git refines conflicts without the ancestor,
   * so this is the ancestor region the hunk was refined from (shared by the hunks that
   * came from one overlapping region).
   */
  readonly ancestor: string[];
  /** The proposed side's lines in the hunk (latin1, without line terminators). */
  readonly proposed: string[];
  /** 1-based line of the `<<<<<<<` marker in the result. */
  readonly resultLine: number;
}

/** With {@link TextMergeOptions.favor}: a conflict hunk that was resolved without markers. */
export interface FavoredHunk {
  /** The side whose lines were written; `union`: both sides' lines, the existing side's first. */
  readonly kept: MergeFavor;
  /** The losing side's lines that were dropped (latin1, without line terminators); none for `union`. */
  readonly dropped: string[];
  /** 1-based line in the result where the kept lines start. */
  readonly resultLine: number;
}

/** What {@link mergeText} returns. */
export interface TextMergeResult {
  /** The merged file, byte for byte what `git merge-file -p` prints (with `histogram`: what `git merge` writes). */
  readonly buffer: Buffer;
  /** Hunks written with conflict markers; empty when the merge is clean. */
  readonly conflicts: MergeConflict[];
  /** Conflict hunks resolved by `favor`; empty without it. */
  readonly favored: FavoredHunk[];
}
