/**
 * The two-way line diff used by the merge: xdiff's pipeline, step by step.
 *
 * Myers: prepare (trim, discard unmatched lines) → Myers search; or the histogram search
 * (`histogram.ts`) → compact each side against the other → read off the edit script.
 * Every step follows git's xdiff so that the hunks, and therefore the merge's conflicts,
 * fall where git puts them.
 */
import { compactChanges } from './compact';
import { histogramFiles } from './histogram';
import { markChanges } from './myers';
import { DiffFile, prepareFiles } from './prepare';
import { DiffAlgorithm } from './types';

/** One edit: `oldCount` records at `oldStart` were replaced by `newCount` records at `newStart`. */
export interface LineChange {
  /** Index of the first replaced record in the old file (where the insertion goes if `oldCount` is 0). */
  readonly oldStart: number;
  /** Number of records removed from the old file. */
  readonly oldCount: number;
  /** Index of the first inserted record in the new file. */
  readonly newStart: number;
  /** Number of records inserted from the new file. */
  readonly newCount: number;
}

/** Reads the edit script off the change marks: each maximal run of changes between common lines. */
function buildScript(file1: DiffFile, file2: DiffFile): LineChange[] {
  const changes: LineChange[] = [];
  const n1 = file1.records.length;
  const n2 = file2.records.length;
  let i1 = 0;
  let i2 = 0;
  while (i1 < n1 || i2 < n2) {
    if (file1.changed[i1 + 1] || file2.changed[i2 + 1]) {
      const oldStart = i1;
      const newStart = i2;
      while (file1.changed[i1 + 1]) i1++;
      while (file2.changed[i2 + 1]) i2++;
      changes.push({ oldStart, oldCount: i1 - oldStart, newStart, newCount: i2 - newStart });
    } else {
      i1++;
      i2++;
    }
  }
  return changes;
}

/** Diffs two record lists the way `xdl_do_diff` + `xdl_change_compact` + `xdl_build_script` do. */
export function diffRecords(oldRecords: readonly string[], newRecords: readonly string[], algorithm: DiffAlgorithm = 'myers'): LineChange[] {
  const [file1, file2] = algorithm === 'histogram' ? histogramFiles(oldRecords, newRecords) : myersFiles(oldRecords, newRecords);
  compactChanges(file1, file2);
  compactChanges(file2, file1);
  return buildScript(file1, file2);
}

function myersFiles(oldRecords: readonly string[], newRecords: readonly string[]): [DiffFile, DiffFile] {
  const files = prepareFiles(oldRecords, newRecords);
  markChanges(...files);
  return files;
}
