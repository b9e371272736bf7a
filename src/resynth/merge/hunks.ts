/**
 * Building three-way merge hunks from two diffs against the ancestor.
 *
 * Algorithm: the diff3 merge as formalised by S. Khanna, K. Kunal and B. C. Pierce,
 * "A Formal Investigation of Diff3" (FSTTCS 2007): diff the ancestor against each side,
 * walk both edit scripts in ancestor order, and where a change of one side overlaps or
 * touches a change of the other, the union of the two is one conflicting region.
 *
 * Departures, following git's `xdl_do_merge` (xmerge.c):
 * - Changes that merely touch (one ends where the other starts, in the ancestor or in
 *   either side) are joined into one hunk, and a hunk joined from both sides' changes is
 *   a conflict. This is stricter than the paper's "stable chunks", and is what git does.
 * - Overlapping changes that are exactly the same edit are not a conflict (git's
 *   "eager" level); further refinement is in `refine.ts`.
 */
import { LineChange } from './diff';

/**
 * What a hunk resolves to:
 * - `existing`: only the existing side changed this region; take its lines.
 * - `proposed`: only the proposed side changed it; take the proposed lines.
 * - `conflict`: both changed it differently.
 * - `identical`: a conflict whose two sides turned out equal on refinement; the
 *   existing lines (equal to the proposed ones) are kept.
 */
export type HunkKind = 'existing' | 'proposed' | 'conflict' | 'identical';

/** One region of the merge, in the coordinates of all three files. */
export interface MergeHunk {
  /** How the region resolves. */
  readonly kind: HunkKind;
  /** First record of the region in the ancestor (the shared preimage). */
  readonly ancestorStart: number;
  /** Length of the region in the ancestor. */
  readonly ancestorCount: number;
  /** First record of the region in the existing side (postimage #1). */
  readonly existingStart: number;
  /** Length of the region in the existing side. */
  readonly existingCount: number;
  /** First record of the region in the proposed side (postimage #2). */
  readonly proposedStart: number;
  /** Length of the region in the proposed side. */
  readonly proposedCount: number;
}

function endOf(start: number, count: number): number {
  return start + count;
}

/** Rule: a hunk that touches or overlaps the previous one (in either side) is joined to it; mixed kinds become a conflict. */
function appendHunk(hunks: MergeHunk[], next: MergeHunk): void {
  const last = hunks[hunks.length - 1];
  if (last && (next.existingStart <= endOf(last.existingStart, last.existingCount) ||
      next.proposedStart <= endOf(last.proposedStart, last.proposedCount))) {
    hunks[hunks.length - 1] = {
      kind: next.kind === last.kind ? last.kind : 'conflict',
      ancestorStart: last.ancestorStart,
      ancestorCount: next.ancestorStart + next.ancestorCount - last.ancestorStart,
      existingStart: last.existingStart,
      existingCount: next.existingStart + next.existingCount - last.existingStart,
      proposedStart: last.proposedStart,
      proposedCount: next.proposedStart + next.proposedCount - last.proposedStart,
    };
  } else {
    hunks.push(next);
  }
}

function sameRecords(a: readonly string[], aStart: number, b: readonly string[], bStart: number, count: number): boolean {
  for (let i = 0; i < count; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** The inputs of the hunk builder: the sides' records and their diffs from the ancestor. */
export interface HunkInputs {
  /** Number of records in the ancestor. */
  readonly ancestorLength: number;
  /** The existing side's records. */
  readonly existing: readonly string[];
  /** The proposed side's records. */
  readonly proposed: readonly string[];
  /** Diff ancestor → existing. */
  readonly existingChanges: readonly LineChange[];
  /** Diff ancestor → proposed. */
  readonly proposedChanges: readonly LineChange[];
}

/**
 * Walks both edit scripts in ancestor order and returns the merge hunks. Regions between
 * hunks are unchanged on the existing side and are copied from it.
 */
export function buildHunks(inputs: HunkInputs): MergeHunk[] {
  const { existingChanges: xs1, proposedChanges: xs2 } = inputs;
  const hunks: MergeHunk[] = [];
  let p = 0;
  let q = 0;
  while (p < xs1.length && q < xs2.length) {
    const c1 = xs1[p];
    const c2 = xs2[q];
    if (endOf(c1.oldStart, c1.oldCount) < c2.oldStart) {
      appendHunk(hunks, {
        kind: 'existing',
        ancestorStart: c1.oldStart, ancestorCount: c1.oldCount,
        existingStart: c1.newStart, existingCount: c1.newCount,
        proposedStart: c2.newStart - c2.oldStart + c1.oldStart, proposedCount: c1.oldCount,
      });
      p++;
      continue;
    }
    if (endOf(c2.oldStart, c2.oldCount) < c1.oldStart) {
      appendHunk(hunks, {
        kind: 'proposed',
        ancestorStart: c2.oldStart, ancestorCount: c2.oldCount,
        existingStart: c1.newStart - c1.oldStart + c2.oldStart, existingCount: c2.oldCount,
        proposedStart: c2.newStart, proposedCount: c2.newCount,
      });
      q++;
      continue;
    }
    const identical = c1.oldStart === c2.oldStart && c1.oldCount === c2.oldCount &&
      c1.newCount === c2.newCount &&
      sameRecords(inputs.existing, c1.newStart, inputs.proposed, c2.newStart, c1.newCount);
    if (!identical) {
      // Widen both changes to the union of their ancestor ranges.
      const lead = c1.oldStart - c2.oldStart;
      const trail = lead + c1.oldCount - c2.oldCount;
      let ancestorStart = c1.oldStart;
      let existingStart = c1.newStart;
      let proposedStart = c2.newStart;
      if (lead > 0) {
        ancestorStart -= lead;
        existingStart -= lead;
      } else {
        proposedStart += lead;
      }
      let ancestorCount = endOf(c1.oldStart, c1.oldCount) - ancestorStart;
      let existingCount = endOf(c1.newStart, c1.newCount) - existingStart;
      let proposedCount = endOf(c2.newStart, c2.newCount) - proposedStart;
      if (trail < 0) {
        ancestorCount -= trail;
        existingCount -= trail;
      } else {
        proposedCount += trail;
      }
      appendHunk(hunks, { kind: 'conflict', ancestorStart, ancestorCount, existingStart, existingCount, proposedStart, proposedCount });
    }
    const end1 = endOf(c1.oldStart, c1.oldCount);
    const end2 = endOf(c2.oldStart, c2.oldCount);
    if (end1 >= end2) q++;
    if (end2 >= end1) p++;
  }
  const existingShift = inputs.existing.length - inputs.ancestorLength;
  const proposedShift = inputs.proposed.length - inputs.ancestorLength;
  for (; p < xs1.length; p++) {
    const c1 = xs1[p];
    appendHunk(hunks, {
      kind: 'existing',
      ancestorStart: c1.oldStart, ancestorCount: c1.oldCount,
      existingStart: c1.newStart, existingCount: c1.newCount,
      proposedStart: c1.oldStart + proposedShift, proposedCount: c1.oldCount,
    });
  }
  for (; q < xs2.length; q++) {
    const c2 = xs2[q];
    appendHunk(hunks, {
      kind: 'proposed',
      ancestorStart: c2.oldStart, ancestorCount: c2.oldCount,
      existingStart: c2.oldStart + existingShift, existingCount: c2.oldCount,
      proposedStart: c2.newStart, proposedCount: c2.newCount,
    });
  }
  return hunks;
}
