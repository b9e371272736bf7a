/**
 * Preparing two record lists for the Myers diff, the way xdiff's xprepare does it.
 *
 * Before searching, xdiff shrinks the problem: it trims the common head and tail, and
 * marks as changed up front every line that has no equal in the other file, plus runs of
 * very frequent lines sitting among such lines. Only the remaining "reference" lines go to
 * the Myers search. This changes which of several equally short diffs is found, so
 * agreeing with git byte for byte requires doing exactly the same.
 */

/** Lines that occur at least this often in the other file (capped) are "multimatch" lines. */
const MAX_EQUIVALENCE_LIMIT = 1024;
/** How far the multimatch scan looks either side of a line. */
const SIMILAR_SCAN_WINDOW = 100;
/** A multimatch line is dropped when fewer than 1 in this many of its neighbours are multimatch. */
const KEEP_DISCARD_RUN = 4;

/** One side of a two-way diff, with xdiff's per-line state. */
export interface DiffFile {
  /** The file's records (see `records.ts`). */
  readonly records: readonly string[];
  /** Equivalence class of each record: equal records, in either file, share a class. */
  readonly classes: Int32Array;
  /**
   * Change marks, offset by one: record `i` is changed when `changed[i + 1]` is 1. The
   * extra zero at each end lets group walks run off either edge without bounds checks.
   */
  readonly changed: Uint8Array;
  /** Record index of each reference line (the lines the Myers search sees). */
  readonly refIndex: Int32Array;
  /** Class of each reference line. */
  readonly refClasses: Int32Array;
  /** Number of reference lines. */
  readonly refCount: number;
}

/** xdiff's integer square-root estimate: 2^ceil(bits(n) / 2). */
export function roughSqrt(n: number): number {
  let root = 1;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 4)) root *= 2;
  return root;
}

/** Assigns equivalence classes to both files and counts each class's occurrences per file. */
export function classify(records1: readonly string[], records2: readonly string[]) {
  const ids = new Map<string, number>();
  const counts1: number[] = [];
  const counts2: number[] = [];
  const assign = (records: readonly string[], own: number[]): Int32Array => {
    const classes = new Int32Array(records.length);
    for (let i = 0; i < records.length; i++) {
      let id = ids.get(records[i]);
      if (id === undefined) {
        id = ids.size;
        ids.set(records[i], id);
        counts1.push(0);
        counts2.push(0);
      }
      own[id]++;
      classes[i] = id;
    }
    return classes;
  };
  const classes1 = assign(records1, counts1);
  const classes2 = assign(records2, counts2);
  return { classes1, classes2, counts1, counts2, classCount: ids.size };
}

/** Discard states of a line: no equal in the other file, some equals, or very many ("multimatch"). */
const NO_MATCH = 0;
const MATCH = 1;
const MULTI_MATCH = 2;

/**
 * Rule: a multimatch line is dropped from the search only when it sits inside a run of
 * unmatched/multimatch lines on both sides, and unmatched lines dominate that run.
 */
function isDiscardableMultimatch(dis: Uint8Array, i: number, start: number, end: number): boolean {
  const s = Math.max(start, i - SIMILAR_SCAN_WINDOW);
  const e = Math.min(end, i + SIMILAR_SCAN_WINDOW);
  let noMatchBefore = 0;
  let multiBefore = 1;
  for (let r = 1; i - r >= s; r++) {
    const d = dis[i - r];
    if (d === NO_MATCH) noMatchBefore++;
    else if (d === MULTI_MATCH) multiBefore++;
    else break;
  }
  if (noMatchBefore === 0) return false;
  let noMatchAfter = 0;
  let multiAfter = 1;
  for (let r = 1; i + r <= e; r++) {
    const d = dis[i + r];
    if (d === NO_MATCH) noMatchAfter++;
    else if (d === MULTI_MATCH) multiAfter++;
    else break;
  }
  if (noMatchAfter === 0) return false;
  const noMatch = noMatchBefore + noMatchAfter;
  const multi = multiBefore + multiAfter;
  return multi * KEEP_DISCARD_RUN < multi + noMatch;
}

/**
 * Rule: within the untrimmed middle [start, end], lines without an equal in the other
 * file are marked changed at once; the others become reference lines for the search.
 */
function selectReferenceLines(
  records: readonly string[],
  classes: Int32Array,
  otherCounts: readonly number[],
  start: number,
  end: number,
): DiffFile {
  const n = records.length;
  const changed = new Uint8Array(n + 2);
  const dis = new Uint8Array(n + 1);
  const limit = Math.min(roughSqrt(n), MAX_EQUIVALENCE_LIMIT);
  for (let i = start; i <= end; i++) {
    const matches = otherCounts[classes[i]];
    dis[i] = matches === 0 ? NO_MATCH : matches >= limit ? MULTI_MATCH : MATCH;
  }
  const refIndex = new Int32Array(Math.max(0, end - start + 1));
  const refClasses = new Int32Array(refIndex.length);
  let refCount = 0;
  for (let i = start; i <= end; i++) {
    const keep = dis[i] === MATCH || (dis[i] === MULTI_MATCH && !isDiscardableMultimatch(dis, i, start, end));
    if (keep) {
      refIndex[refCount] = i;
      refClasses[refCount] = classes[i];
      refCount++;
    } else {
      changed[i + 1] = 1;
    }
  }
  return { records, classes, changed, refIndex, refClasses, refCount };
}

/** Classifies, trims and filters two record lists into the state the Myers search starts from. */
export function prepareFiles(records1: readonly string[], records2: readonly string[]): [DiffFile, DiffFile] {
  const { classes1, classes2, counts1, counts2 } = classify(records1, records2);
  const n1 = records1.length;
  const n2 = records2.length;
  const limit = Math.min(n1, n2);
  let head = 0;
  while (head < limit && classes1[head] === classes2[head]) head++;
  let tail = 0;
  while (tail < limit - head && classes1[n1 - 1 - tail] === classes2[n2 - 1 - tail]) tail++;
  return [
    selectReferenceLines(records1, classes1, counts2, head, n1 - tail - 1),
    selectReferenceLines(records2, classes2, counts1, head, n2 - tail - 1),
  ];
}
