/**
 * The histogram diff, as git's xdiff runs it (xhistogram.c): the diff `git merge` uses for the content of
 * a file both branches changed (its `ort` strategy asks for histogram; `git merge-file` uses Myers).
 *
 * Algorithm (from JGit, by way of xdiff): in a region of the two files, index the old side's lines by
 * how often each occurs there; walk the new side's lines and, for each that occurs in the old side,
 * grow the run of equal lines around every occurrence; keep the run whose rarest line is rarest (a
 * longer run wins over a rarer one too, as in xdiff). Lines before the run and after it are two
 * smaller regions, diffed the same way. A region with no common line is all changed.
 *
 * Departures, all xdiff's, so that hunks fall where git puts them:
 * - No trimming of a common head and tail first, and no discarding of unmatched lines: the counts are
 *   taken over the whole region, which is what decides which line anchors.
 * - Lines occurring more than 64 times in the old side's region never anchor; a region whose common
 *   lines are all that frequent is diffed by Myers instead, on its own lines (xdiff's fall-back, which
 *   prepares the region as a file of its own).
 */
import { markChanges } from './myers';
import { classify, DiffFile, prepareFiles } from './prepare';

/** Lines occurring more often than this in the old side's region are too common to anchor on. */
const MAX_OCCURRENCES = 64;

/** A region of both files: [start1, end1) of the old side against [start2, end2) of the new. */
interface Region {
  readonly start1: number;
  readonly end1: number;
  readonly start2: number;
  readonly end2: number;
}

/** A run of equal lines, inclusive bounds in both files, as xdiff keeps it. */
interface Run {
  first1: number;
  last1: number;
  first2: number;
  last2: number;
}

/** Per-diff scratch space for indexing the old side's lines of one region at a time. */
class OccurrenceIndex {
  /** Which region last touched a class: entries of older regions are stale. */
  private readonly stamp: Int32Array;
  private generation = 0;
  /** Occurrences of each class in the region. */
  readonly count: Int32Array;
  /** First line of each class in the region. */
  readonly first: Int32Array;
  /** The next line of the same class in the region, by line; -1 for the last. */
  readonly next: Int32Array;

  constructor(classCount: number, lineCount: number) {
    this.stamp = new Int32Array(classCount);
    this.count = new Int32Array(classCount);
    this.first = new Int32Array(classCount);
    this.next = new Int32Array(lineCount);
  }

  /** Indexes the old side's lines [start, end). */
  index(classes: Int32Array, start: number, end: number): void {
    const generation = ++this.generation;
    for (let i = end - 1; i >= start; i--) {
      const c = classes[i];
      if (this.stamp[c] === generation) {
        this.next[i] = this.first[c];
        this.count[c]++;
      } else {
        this.stamp[c] = generation;
        this.next[i] = -1;
        this.count[c] = 1;
      }
      this.first[c] = i;
    }
  }

  /** Whether lines of class `c` occur in the region indexed last. */
  has(c: number): boolean {
    return this.stamp[c] === this.generation;
  }
}

/**
 * The run to split `region` at: `undefined` when the two sides have no line in common, `'myers'` when
 * every common line is too frequent to anchor on.
 */
function findRun(file1: DiffFile, file2: DiffFile, region: Region, occurrences: OccurrenceIndex): Run | 'myers' | undefined {
  const { start1, end1, start2, end2 } = region;
  const a = file1.classes;
  const b = file2.classes;
  occurrences.index(a, start1, end1);
  const { count, first, next } = occurrences;
  let best: Run | undefined;
  let bestRarity = MAX_OCCURRENCES + 1;
  let hasCommon = false;
  for (let line2 = start2; line2 < end2;) {
    let next2 = line2 + 1;
    const c = b[line2];
    if (occurrences.has(c)) {
      hasCommon = true;
      if (count[c] <= bestRarity) {
        // Grow a run around every occurrence in the old side, skipping those the last run covered.
        for (let line1 = first[c]; line1 >= 0;) {
          const run = { first1: line1, last1: line1, first2: line2, last2: line2 };
          let rarity = count[c];
          while (run.first1 > start1 && run.first2 > start2 && a[run.first1 - 1] === b[run.first2 - 1]) {
            run.first1--;
            run.first2--;
            if (rarity > 1) rarity = Math.min(rarity, count[a[run.first1]]);
          }
          while (run.last1 < end1 - 1 && run.last2 < end2 - 1 && a[run.last1 + 1] === b[run.last2 + 1]) {
            run.last1++;
            run.last2++;
            if (rarity > 1) rarity = Math.min(rarity, count[a[run.last1]]);
          }
          if (next2 <= run.last2) next2 = run.last2 + 1;
          // As in xdiff: a longer run wins, and so does a rarer one, whichever was found first.
          if ((best ? best.last1 - best.first1 : 0) < run.last1 - run.first1 || rarity < bestRarity) {
            best = run;
            bestRarity = rarity;
          }
          let following = next[line1];
          while (following >= 0 && following <= run.last1) following = next[following];
          line1 = following;
        }
      }
    }
    line2 = next2;
  }
  if (hasCommon && bestRarity > MAX_OCCURRENCES) return 'myers';
  return best;
}

function markAll(file: DiffFile, start: number, end: number): void {
  for (let i = start; i < end; i++) file.changed[i + 1] = 1;
}

/** xdiff's fall-back: the region diffed by Myers as two files of their own, its marks copied back. */
function markByMyers(file1: DiffFile, file2: DiffFile, region: Region): void {
  const [sub1, sub2] = prepareFiles(file1.records.slice(region.start1, region.end1), file2.records.slice(region.start2, region.end2));
  markChanges(sub1, sub2);
  file1.changed.set(sub1.changed.subarray(1, sub1.records.length + 1), region.start1 + 1);
  file2.changed.set(sub2.changed.subarray(1, sub2.records.length + 1), region.start2 + 1);
}

/** Marks the changed lines of both files (their `changed` flags) by the histogram diff. */
function markHistogramChanges(file1: DiffFile, file2: DiffFile, classCount: number): void {
  const occurrences = new OccurrenceIndex(classCount, file1.records.length);
  // Regions are disjoint, so the order they are solved in does not matter: a stack keeps deep splits off the JS stack.
  const regions: Region[] = [{ start1: 0, end1: file1.records.length, start2: 0, end2: file2.records.length }];
  while (regions.length > 0) {
    const region = regions.pop()!;
    const { start1, end1, start2, end2 } = region;
    if (start1 === end1 || start2 === end2) {
      markAll(file1, start1, end1);
      markAll(file2, start2, end2);
      continue;
    }
    const run = findRun(file1, file2, region, occurrences);
    if (run === 'myers') {
      markByMyers(file1, file2, region);
    } else if (!run) {
      markAll(file1, start1, end1);
      markAll(file2, start2, end2);
    } else {
      regions.push({ start1: run.last1 + 1, end1, start2: run.last2 + 1, end2 });
      regions.push({ start1, end1: run.first1, start2, end2: run.first2 });
    }
  }
}

/** Two record lists with their changed lines marked by the histogram diff, ready for compaction. */
export function histogramFiles(records1: readonly string[], records2: readonly string[]): [DiffFile, DiffFile] {
  const { classes1, classes2, classCount } = classify(records1, records2);
  const bare = (records: readonly string[], classes: Int32Array): DiffFile => ({
    records, classes, changed: new Uint8Array(records.length + 2), refIndex: new Int32Array(0), refClasses: new Int32Array(0), refCount: 0,
  });
  const file1 = bare(records1, classes1);
  const file2 = bare(records2, classes2);
  markHistogramChanges(file1, file2, classCount);
  return [file1, file2];
}
