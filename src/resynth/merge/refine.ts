/**
 * git's refinement passes over the merge hunks (xmerge.c, "zealous" levels). They run
 * only in `merge` style: with the ancestor shown (`diff3`), git keeps the raw hunks, and
 * `zdiff3` only moves the lines both sides share at a conflict's ends out of it.
 */
import { diffRecords } from './diff';
import { MergeHunk } from './hunks';
import { hasAlnum } from './records';
import { DiffAlgorithm } from './types';

/** A gap of this many lines or fewer between two conflicts is folded into them. */
const MAX_FOLDED_GAP = 3;

/**
 * Rule: diff the two sides of each conflict against each other; lines common to both
 * leave the conflict, which splits into one conflict per remaining difference. A
 * conflict whose sides are equal becomes `identical`. A conflict with an empty side is
 * left alone. The sub-conflicts keep the ancestor region of the conflict they came from
 * (git has no finer ancestor mapping for them).
 */
export function refineConflicts(hunks: readonly MergeHunk[], existing: readonly string[], proposed: readonly string[], algorithm?: DiffAlgorithm): MergeHunk[] {
  const refined: MergeHunk[] = [];
  for (const hunk of hunks) {
    if (hunk.kind !== 'conflict' || hunk.existingCount === 0 || hunk.proposedCount === 0) {
      refined.push(hunk);
      continue;
    }
    const changes = diffRecords(
      existing.slice(hunk.existingStart, hunk.existingStart + hunk.existingCount),
      proposed.slice(hunk.proposedStart, hunk.proposedStart + hunk.proposedCount),
      algorithm,
    );
    if (changes.length === 0) {
      refined.push({ ...hunk, kind: 'identical' });
      continue;
    }
    for (const change of changes) {
      refined.push({
        kind: 'conflict',
        ancestorStart: hunk.ancestorStart,
        ancestorCount: hunk.ancestorCount,
        existingStart: hunk.existingStart + change.oldStart,
        existingCount: change.oldCount,
        proposedStart: hunk.proposedStart + change.newStart,
        proposedCount: change.newCount,
      });
    }
  }
  return refined;
}

/**
 * Rule: two conflicts that follow each other directly in the hunk list are joined into
 * one (the lines between them becoming part of both sides) when at most three lines
 * separate them, or when none of the lines between them has an ASCII letter or digit.
 * Fewer, larger conflicts take no more lines than the markers they save. The joined
 * conflict's ancestor region spans both ancestor regions.
 */
export function foldCloseConflicts(hunks: readonly MergeHunk[], existing: readonly string[]): MergeHunk[] {
  const folded: MergeHunk[] = [];
  for (const hunk of hunks) {
    const last = folded[folded.length - 1];
    if (last && last.kind === 'conflict' && hunk.kind === 'conflict' && isFoldableGap(existing, last.existingStart + last.existingCount, hunk.existingStart)) {
      const ancestorEnd = Math.max(last.ancestorStart + last.ancestorCount, hunk.ancestorStart + hunk.ancestorCount);
      folded[folded.length - 1] = {
        kind: 'conflict',
        ancestorStart: last.ancestorStart,
        ancestorCount: ancestorEnd - last.ancestorStart,
        existingStart: last.existingStart,
        existingCount: hunk.existingStart + hunk.existingCount - last.existingStart,
        proposedStart: last.proposedStart,
        proposedCount: hunk.proposedStart + hunk.proposedCount - last.proposedStart,
      };
    } else {
      folded.push(hunk);
    }
  }
  return folded;
}

function isFoldableGap(existing: readonly string[], begin: number, end: number): boolean {
  if (end - begin <= MAX_FOLDED_GAP) return true;
  for (let i = begin; i < end; i++) if (hasAlnum(existing[i])) return false;
  return true;
}

/**
 * Rule (`zdiff3`): lines equal on both sides at the start of a conflict, then at its end, leave it; they
 * are written once, outside the markers, as the lines between hunks are. The ancestor's region stays
 * whole, and a conflict stays one even if no line of either side is left in it.
 */
export function trimSharedEnds(hunks: readonly MergeHunk[], existing: readonly string[], proposed: readonly string[]): MergeHunk[] {
  return hunks.map(hunk => {
    if (hunk.kind !== 'conflict') return hunk;
    let { existingStart, existingCount, proposedStart, proposedCount } = hunk;
    while (existingCount > 0 && proposedCount > 0 && existing[existingStart] === proposed[proposedStart]) {
      existingStart++;
      proposedStart++;
      existingCount--;
      proposedCount--;
    }
    while (existingCount > 0 && proposedCount > 0 && existing[existingStart + existingCount - 1] === proposed[proposedStart + proposedCount - 1]) {
      existingCount--;
      proposedCount--;
    }
    return { ...hunk, existingStart, existingCount, proposedStart, proposedCount };
  });
}
