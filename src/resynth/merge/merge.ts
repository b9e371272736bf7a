/**
 * The line-based three-way merge: `git merge-file` (xdiff's `xdl_merge`) in TypeScript.
 *
 * ancestor→existing and ancestor→proposed are diffed (`diff.ts`), the two edit scripts
 * are walked into hunks (`hunks.ts`), the hunks are refined as git's default
 * "zealous alnum" level does (`refine.ts`, `merge` style only), and the result is
 * written (`format.ts`).
 */
import { diffRecords } from './diff';
import { formatMerge } from './format';
import { buildHunks, MergeHunk } from './hunks';
import { splitRecords } from './records';
import { foldCloseConflicts, refineConflicts } from './refine';
import { TextMergeOptions, TextMergeResult } from './types';

/** git's default conflict marker length. */
const DEFAULT_MARKER_SIZE = 7;

const DEFAULT_LABELS = { existing: 'existing', ancestor: 'ancestor', proposed: 'proposed' } as const;

/**
 * Merges the changes from `ancestor` to `existing` and from `ancestor` to `proposed`,
 * byte for byte as `git merge-file -p -L existing -L ancestor -L proposed existing
 * ancestor proposed` does (with `--diff3`, `--ours`, `--theirs`, `--marker-size` for the
 * options). For files both sides added, pass an empty ancestor.
 *
 * The buffers are treated as bytes; binary content is not rejected here (see
 * {@link isBinary} for git's rule).
 */
export function mergeText(ancestor: Buffer, existing: Buffer, proposed: Buffer, options: TextMergeOptions = {}): TextMergeResult {
  const style = options.style ?? 'merge';
  const requestedSize = options.markerSize ?? DEFAULT_MARKER_SIZE;
  if (!Number.isInteger(requestedSize)) {
    throw new Error(`markerSize must be an integer, got ${requestedSize}`);
  }
  const markerSize = requestedSize > 0 ? requestedSize : DEFAULT_MARKER_SIZE;
  const labels = {
    existing: options.labels?.existing ?? DEFAULT_LABELS.existing,
    ancestor: options.labels?.ancestor ?? DEFAULT_LABELS.ancestor,
    proposed: options.labels?.proposed ?? DEFAULT_LABELS.proposed,
  };

  const ancestorRecords = splitRecords(ancestor.toString('latin1'));
  const existingRecords = splitRecords(existing.toString('latin1'));
  const proposedRecords = splitRecords(proposed.toString('latin1'));

  const existingChanges = diffRecords(ancestorRecords, existingRecords);
  const proposedChanges = diffRecords(ancestorRecords, proposedRecords);
  // One side unchanged: the other side is the result, verbatim.
  if (existingChanges.length === 0) return { buffer: Buffer.from(proposed), conflicts: [], favored: [] };
  if (proposedChanges.length === 0) return { buffer: Buffer.from(existing), conflicts: [], favored: [] };

  let hunks: MergeHunk[] = buildHunks({
    ancestorLength: ancestorRecords.length,
    existing: existingRecords,
    proposed: proposedRecords,
    existingChanges,
    proposedChanges,
  });
  // With the ancestor shown, git keeps conflicts as they are: refining them against
  // each other would show an ancestor region that no longer matches the sides.
  if (style === 'merge') {
    hunks = refineConflicts(hunks, existingRecords, proposedRecords);
    hunks = foldCloseConflicts(hunks, existingRecords);
  }
  return formatMerge({
    ancestor: ancestorRecords,
    existing: existingRecords,
    proposed: proposedRecords,
    hunks,
    style,
    favor: options.favor,
    labels,
    markerSize,
  });
}
