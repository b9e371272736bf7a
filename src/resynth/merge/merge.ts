/**
 * The line-based three-way merge: `git merge-file` (xdiff's `xdl_merge`) in TypeScript.
 *
 * ancestor→existing and ancestor→proposed are diffed (`diff.ts`), the two edit scripts
 * are walked into hunks (`hunks.ts`), the hunks are refined as git's default
 * "zealous alnum" level does (`refine.ts`, `merge` style; `zdiff3` only trims them), and
 * the result is written (`format.ts`).
 */
import { diffRecords } from './diff';
import { formatMerge } from './format';
import { buildHunks, MergeHunk } from './hunks';
import { DEFAULT_MARKER_SIZE } from './markers';
import { splitRecords } from './records';
import { foldCloseConflicts, refineConflicts, trimSharedEnds } from './refine';
import { DiffAlgorithm, TextMergeOptions, TextMergeResult } from './types';

const DEFAULT_LABELS = { existing: 'existing', ancestor: 'ancestor', proposed: 'proposed' } as const;

/**
 * Merges the changes from `ancestor` to `existing` and from `ancestor` to `proposed`,
 * byte for byte as `git merge-file -p -L existing -L ancestor -L proposed existing
 * ancestor proposed` does (with `--diff3`, `--ours`, `--theirs`, `--marker-size` for the
 * options; with `diffAlgorithm: 'histogram'`, as `git merge` merges a file both branches changed).
 * For files both sides added, pass an empty ancestor.
 *
 * The buffers are treated as bytes; binary content is not rejected here (see
 * {@link isBinary} for git's rule).
 */
export function mergeText(ancestor: Buffer, existing: Buffer, proposed: Buffer, options: TextMergeOptions = {}): TextMergeResult {
  const { style, markerSize, labels } = formatSettings(options);
  const algorithm = options.diffAlgorithm;

  const ancestorRecords = splitRecords(ancestor.toString('latin1'));
  const existingRecords = splitRecords(existing.toString('latin1'));
  const proposedRecords = splitRecords(proposed.toString('latin1'));

  const existingChanges = diffRecords(ancestorRecords, existingRecords, algorithm);
  const proposedChanges = diffRecords(ancestorRecords, proposedRecords, algorithm);
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
    hunks = refineConflicts(hunks, existingRecords, proposedRecords, algorithm);
    hunks = foldCloseConflicts(hunks, existingRecords);
  } else if (style === 'zdiff3') {
    hunks = trimSharedEnds(hunks, existingRecords, proposedRecords);
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

/**
 * The lines of each hunk the line merge takes without a conflict (one side's change, or the same change on
 * both sides), in file order, as latin1 records with their terminators: what a merge that claims never to
 * be worse than git must keep byte for byte. A hunk that only removes lines has none and is left out.
 */
export function cleanHunkLines(ancestor: Buffer, existing: Buffer, proposed: Buffer, algorithm?: DiffAlgorithm): string[][] {
  const ancestorRecords = splitRecords(ancestor.toString('latin1'));
  const existingRecords = splitRecords(existing.toString('latin1'));
  const proposedRecords = splitRecords(proposed.toString('latin1'));
  const hunks = buildHunks({
    ancestorLength: ancestorRecords.length,
    existing: existingRecords,
    proposed: proposedRecords,
    existingChanges: diffRecords(ancestorRecords, existingRecords, algorithm),
    proposedChanges: diffRecords(ancestorRecords, proposedRecords, algorithm),
  });
  const lines: string[][] = [];
  for (const hunk of hunks) {
    // Refinement (`refine.ts`) only splits or trims conflicts, so these are the hunks git takes cleanly in every style.
    if (hunk.kind === 'conflict') continue;
    const taken = hunk.kind === 'proposed'
      ? proposedRecords.slice(hunk.proposedStart, hunk.proposedStart + hunk.proposedCount)
      : existingRecords.slice(hunk.existingStart, hunk.existingStart + hunk.existingCount);
    if (taken.length) lines.push(taken);
  }
  return lines;
}

/**
 * The merge of a file one side deleted while the other changed it (git's modify/delete conflict): one
 * conflict hunk holding the whole of both sides, the deleted side empty (with the ancestor between them
 * in `diff3` style), or with `favor` that side's version whole (nothing, for the side that deleted it).
 *
 * Why not {@link mergeText} with an empty buffer for the deleted side: it reads the deletion as lines
 * removed, which conflicts with any change of the other side only while there are lines to remove. An
 * empty ancestor has none, so the other side's content would be taken cleanly; a side that emptied the
 * file removed the same lines, so the deletion would be taken cleanly. git reports a conflict for both,
 * and where the line merge does conflict it writes this same single hunk.
 */
export function mergeDeleted(ancestor: Buffer, existing: Buffer | undefined, proposed: Buffer | undefined, options: TextMergeOptions = {}): TextMergeResult {
  if ((existing === undefined) === (proposed === undefined)) throw new Error('mergeDeleted: exactly one side must be deleted');
  const { style, markerSize, labels } = formatSettings(options);
  const ancestorRecords = splitRecords(ancestor.toString('latin1'));
  const existingRecords = splitRecords(existing?.toString('latin1') ?? '');
  const proposedRecords = splitRecords(proposed?.toString('latin1') ?? '');
  const whole: MergeHunk = {
    kind: 'conflict',
    ancestorStart: 0, ancestorCount: ancestorRecords.length,
    existingStart: 0, existingCount: existingRecords.length,
    proposedStart: 0, proposedCount: proposedRecords.length,
  };
  return formatMerge({ ancestor: ancestorRecords, existing: existingRecords, proposed: proposedRecords, hunks: [whole], style, favor: options.favor, labels, markerSize });
}

/** The options' style, marker size and labels, with git's defaults; a marker size that is no integer is an error. */
function formatSettings(options: TextMergeOptions) {
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
  return { style, markerSize, labels };
}
