import { ConflictStyle, DiffAlgorithm, isBinary, MarkerLabels, MergeConflict, mergeText } from './merge';
import { StrategyDefinition } from './strategies/builtins';
import { ContextFile } from './strategies/context-file';
import { MergeRecorder } from './strategies/recorder';

/** The strategy `blueprint merge-driver` merges with unless told otherwise. */
export const DRIVER_STRATEGY = 'structuredMerge';

/** The three versions of one file, as a git merge driver is given them (`%O`, `%A`, `%B`), and its path (`%P`). */
export interface FileVersions {
  /** The common ancestor's bytes (empty where the sides added the file). */
  readonly ancestor: Buffer;
  /** The existing side's bytes: git's "ours", the branch merged into. */
  readonly existing: Buffer;
  /** The proposed side's bytes: git's "theirs", the branch merged. */
  readonly proposed: Buffer;
  /** The file's path in its repository, POSIX: its name decides JSON, YAML or text. */
  readonly path: string;
}

/** How {@link mergeFileVersions} merges and writes conflicts. */
export interface FileMergeSettings {
  /** The strategy that merges the file (`structuredMerge` for a merge driver's default). */
  readonly strategy: StrategyDefinition;
  /** Conflict style. @default 'merge' */
  readonly style?: ConflictStyle;
  /** The names after the markers. @default { existing: 'existing', ancestor: 'ancestor', proposed: 'proposed' } */
  readonly labels?: MarkerLabels;
  /** Length of the markers. @default 7 */
  readonly markerSize?: number;
  /** The line diff: `histogram` as `git merge` diffs, `myers` as `git merge-file`. @default 'myers' */
  readonly diffAlgorithm?: DiffAlgorithm;
  /** Where the strategy's merges are recorded, for a caller that explains them. @default a recorder of its own */
  readonly recorder?: MergeRecorder;
}

/** What {@link mergeFileVersions} made of one file. */
export interface FileMergeOutcome {
  /** The merged bytes, conflict markers included. */
  readonly buffer: Buffer;
  /** Conflict hunks left (0: clean). */
  readonly conflicts: number;
  /** The 1-based line of each conflict hunk's `<<<<<<<` marker (none for a binary side, which has no markers). */
  readonly conflictLines: number[];
  /**
   * What made the buffer: `strategy`, the strategy's result; `line merge`, git's own (the strategy's left more
   * conflict hunks, or its structured merge kept the line merge's result); `binary`, a side is binary: the existing side kept whole, as a conflict, as git keeps it.
   */
  readonly madeBy: 'strategy' | 'line merge' | 'binary';
  /** What a person should hear of that the bytes do not show (see `StructuredMergeResult.notes`). */
  readonly notes: readonly string[];
}

/**
 * Merges one file's three versions outside any bundle, as a git merge driver does, and never worse than git's own
 * merge of it: a result with conflicts is used only where it has no more conflict hunks than git's line merge
 * (with the same diff, style, labels and marker size), else git's result is the file; a binary side is git's
 * binary merge (the existing side kept, a conflict), since no strategy should take a side whole where git
 * would ask. The strategy sees the three as present files: git calls a driver only where both sides changed one.
 */
export function mergeFileVersions(versions: FileVersions, settings: FileMergeSettings): FileMergeOutcome {
  const { ancestor, existing, proposed, path } = versions;
  if ([ancestor, existing, proposed].some(isBinary)) return { buffer: existing, conflicts: 1, conflictLines: [], madeBy: 'binary', notes: [] };
  const textOptions = { style: settings.style, labels: settings.labels, markerSize: settings.markerSize, diffAlgorithm: settings.diffAlgorithm };
  const file = (buffer: Buffer): ContextFile => ({ repositoryName: '', path, buffer });
  const recorder = settings.recorder ?? new MergeRecorder();
  const resolved = settings.strategy.strategy(file(ancestor), file(existing), file(proposed), { ...textOptions, recorder });
  // A strategy that resolves to "absent" (one side's deletion) has only an empty file to give here: git keeps the path.
  const buffer = resolved?.buffer ?? Buffer.alloc(0);
  const record = recorder.recordFor(resolved?.buffer);
  const marked = record?.conflicts ?? [];
  const notes = record?.structured?.notes ?? [];
  const lines = (conflicts: readonly MergeConflict[]) => conflicts.map(conflict => conflict.resultLine);
  if (marked.length === 0) return { buffer, conflicts: 0, conflictLines: [], madeBy: 'strategy', notes };
  // Where the line merge's result stood, it is git's: merging again to compare would double the time on a large file.
  if (record?.structured?.stage === 'line') return { buffer, conflicts: marked.length, conflictLines: lines(marked), madeBy: 'line merge', notes };
  const git = mergeText(ancestor, existing, proposed, textOptions);
  if (marked.length > git.conflicts.length) return { buffer: git.buffer, conflicts: git.conflicts.length, conflictLines: lines(git.conflicts), madeBy: 'line merge', notes: [] };
  return { buffer, conflicts: marked.length, conflictLines: lines(marked), madeBy: 'strategy', notes };
}
