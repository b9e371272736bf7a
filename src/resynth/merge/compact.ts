/**
 * Sliding change groups into a canonical place, as xdiff's `xdl_change_compact` does
 * (without the indent heuristic, which `git merge-file` does not enable).
 *
 * A group of changed lines can slide up or down while the line leaving the group equals
 * the line entering it; the diff stays equally short. xdiff slides every group as far up
 * as it goes, then as far down, merging groups it bumps into, and then moves it back up
 * to line up with the last changed group of the other file it met, if any. The merge
 * builds its hunks from these positions, so they decide which edits touch and conflict.
 */
import { DiffFile } from './prepare';

/** A (possibly empty) run of changed lines: [start, end) in record indices. */
interface Group {
  start: number;
  end: number;
}

/** `changed` is offset by one (see {@link DiffFile.changed}). */
function isChanged(file: DiffFile, i: number): boolean {
  return file.changed[i + 1] === 1;
}

function firstGroup(file: DiffFile): Group {
  const g = { start: 0, end: 0 };
  while (isChanged(file, g.end)) g.end++;
  return g;
}

/** Moves `g` to the next group; false when it already is the last one. */
function nextGroup(file: DiffFile, g: Group): boolean {
  if (g.end === file.records.length) return false;
  g.start = g.end + 1;
  g.end = g.start;
  while (isChanged(file, g.end)) g.end++;
  return true;
}

/** Moves `g` to the previous group; false when it already is the first one. */
function previousGroup(file: DiffFile, g: Group): boolean {
  if (g.start === 0) return false;
  g.end = g.start - 1;
  g.start = g.end;
  while (isChanged(file, g.start - 1)) g.start--;
  return true;
}

/** Slides `g` down by one line if the lines allow it, absorbing a group it runs into. */
function slideDown(file: DiffFile, g: Group): boolean {
  if (g.end < file.records.length && file.classes[g.start] === file.classes[g.end]) {
    file.changed[g.start + 1] = 0;
    file.changed[g.end + 1] = 1;
    g.start++;
    g.end++;
    while (isChanged(file, g.end)) g.end++;
    return true;
  }
  return false;
}

/** Slides `g` up by one line if the lines allow it, absorbing a group it runs into. */
function slideUp(file: DiffFile, g: Group): boolean {
  if (g.start > 0 && file.classes[g.start - 1] === file.classes[g.end - 1]) {
    g.start--;
    g.end--;
    file.changed[g.start + 1] = 1;
    file.changed[g.end + 1] = 0;
    while (isChanged(file, g.start - 1)) g.start--;
    return true;
  }
  return false;
}

function assertSync(ok: boolean, what: string): void {
  if (!ok) throw new Error(`change groups out of sync while ${what}`);
}

/**
 * Rule: slide each changed group of `file` up as far as possible, then down as far as
 * possible (merging with groups met on the way, and repeating until its size is stable);
 * if on the way it was level with a non-empty group of `other`, move it back up to the
 * lowest such position, else leave it at the bottom.
 */
export function compactChanges(file: DiffFile, other: DiffFile): void {
  const g = firstGroup(file);
  const go = firstGroup(other);
  for (;;) {
    if (g.end !== g.start) {
      let groupSize: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        groupSize = g.end - g.start;
        endMatchingOther = -1;
        while (slideUp(file, g)) assertSync(previousGroup(other, go), 'sliding up');
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        while (slideDown(file, g)) {
          assertSync(nextGroup(other, go), 'sliding down');
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (groupSize !== g.end - g.start);

      if (g.end !== earliestEnd && endMatchingOther !== -1) {
        while (go.end === go.start) {
          assertSync(slideUp(file, g), 'aligning with the other file');
          assertSync(previousGroup(other, go), 'aligning with the other file');
        }
      }
    }
    if (!nextGroup(file, g)) break;
    assertSync(nextGroup(other, go), 'moving to the next group');
  }
}
