/**
 * The Myers diff, as xdiff runs it.
 *
 * Algorithm: E. W. Myers, "An O(ND) Difference Algorithm and Its Variations",
 * Algorithmica 1 (1986): the linear-space variant, which searches forward from the top
 * left and backward from the bottom right of a box until the two frontiers overlap on a
 * diagonal, splits the box at the middle snake found there, and recurses on both halves.
 *
 * Departures from the paper, all taken from xdiff (xdiffi.c) so that we pick the same
 * diff as git among equally short ones, and stay fast on very different files:
 * - The frontiers are scanned from the highest diagonal down, and when two moves reach
 *   equally far, both searches take the one that deletes from the old file: this decides
 *   which of several equally short diffs is found.
 * - Above a cost of 256 edits, when a frontier contains a snake longer than 20 lines
 *   whose reach (distance from the corner minus distance from the middle diagonal)
 *   exceeds four times the cost, the box is split there rather than at a middle snake.
 * - Above a cost of about sqrt(N + M) (at least 256), the search gives up and splits at
 *   the furthest-reaching point of either frontier. So the diff is not always minimal,
 *   and the running time stays O((N + M) · D) with D capped near sqrt(N + M) per split.
 * - Only the first box may use the two shortcuts: once a box was split at a true middle
 *   snake, its halves are searched exactly (that is what xdiff's `need_min` does).
 * - The recursion is an explicit stack here, so long inputs cannot overflow the JS stack;
 *   the halves are independent, so the order they are solved in does not matter.
 */
import { DiffFile, roughSqrt } from './prepare';

/** Below this cost the search is always exact. */
const MIN_MAX_COST = 256;
/** The snake heuristic only applies above this cost. */
const HEURISTIC_MIN_COST = 256;
/** A snake this long counts as a "good" one for the heuristic. */
const SNAKE_LENGTH = 20;
/** Reach must exceed this multiple of the cost for the snake heuristic to split there. */
const HEURISTIC_FACTOR = 4;
/** Stands in for "unreached" on the backward frontier. */
const UNREACHED_BACKWARD = 0x7fffffff;

interface SearchLimits {
  readonly maxCost: number;
}

interface SplitPoint {
  readonly i1: number;
  readonly i2: number;
  /** Whether the upper-left half must be searched exactly. */
  readonly exactLow: boolean;
  /** Whether the lower-right half must be searched exactly. */
  readonly exactHigh: boolean;
}

/**
 * Finds where to split the box [off1, lim1) × [off2, lim2) of reference lines.
 * `forward` and `backward` hold the furthest x reached on each diagonal k, at index
 * k + `bias`; they are scratch space shared by all calls.
 */
function findSplit(
  ha1: Int32Array, off1: number, lim1: number,
  ha2: Int32Array, off2: number, lim2: number,
  forward: Int32Array, backward: Int32Array, bias: number,
  exact: boolean, limits: SearchLimits,
): SplitPoint {
  const dmin = off1 - lim2;
  const dmax = lim1 - off2;
  const fmid = off1 - off2;
  const bmid = lim1 - lim2;
  const odd = ((fmid - bmid) & 1) !== 0;
  let fmin = fmid;
  let fmax = fmid;
  let bmin = bmid;
  let bmax = bmid;
  forward[fmid + bias] = off1;
  backward[bmid + bias] = lim1;

  for (let cost = 1; ; cost++) {
    let gotSnake = false;

    // Widen the forward frontier by one diagonal each way, or narrow it where it would
    // leave the box; the diagonal just outside gets a value that never wins a comparison.
    if (fmin > dmin) forward[--fmin - 1 + bias] = -1;
    else ++fmin;
    if (fmax < dmax) forward[++fmax + 1 + bias] = -1;
    else --fmax;

    for (let d = fmax; d >= fmin; d -= 2) {
      let i1 = forward[d - 1 + bias] >= forward[d + 1 + bias] ? forward[d - 1 + bias] + 1 : forward[d + 1 + bias];
      const start = i1;
      let i2 = i1 - d;
      while (i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]) {
        i1++;
        i2++;
      }
      if (i1 - start > SNAKE_LENGTH) gotSnake = true;
      forward[d + bias] = i1;
      if (odd && bmin <= d && d <= bmax && backward[d + bias] <= i1) {
        return { i1, i2, exactLow: true, exactHigh: true };
      }
    }

    if (bmin > dmin) backward[--bmin - 1 + bias] = UNREACHED_BACKWARD;
    else ++bmin;
    if (bmax < dmax) backward[++bmax + 1 + bias] = UNREACHED_BACKWARD;
    else --bmax;

    for (let d = bmax; d >= bmin; d -= 2) {
      let i1 = backward[d - 1 + bias] < backward[d + 1 + bias] ? backward[d - 1 + bias] : backward[d + 1 + bias] - 1;
      const start = i1;
      let i2 = i1 - d;
      while (i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]) {
        i1--;
        i2--;
      }
      if (start - i1 > SNAKE_LENGTH) gotSnake = true;
      backward[d + bias] = i1;
      if (!odd && fmin <= d && d <= fmax && i1 <= forward[d + bias]) {
        return { i1, i2, exactLow: true, exactHigh: true };
      }
    }

    if (exact) continue;

    if (gotSnake && cost > HEURISTIC_MIN_COST) {
      const early = snakeHeuristic(ha1, off1, lim1, ha2, off2, lim2, forward, backward, bias,
        fmin, fmax, fmid, bmin, bmax, bmid, cost);
      if (early) return early;
    }

    if (cost >= limits.maxCost) {
      return furthestReach(off1, lim1, off2, lim2, forward, backward, bias, fmin, fmax, bmin, bmax);
    }
  }
}

/**
 * Rule: past the heuristic cost, split at a frontier point that ends a snake of at least
 * 20 lines and is far from its corner relative to the cost; the forward frontier is tried
 * first. The half on the far side of the split keeps using the shortcuts.
 */
function snakeHeuristic(
  ha1: Int32Array, off1: number, lim1: number,
  ha2: Int32Array, off2: number, lim2: number,
  forward: Int32Array, backward: Int32Array, bias: number,
  fmin: number, fmax: number, fmid: number,
  bmin: number, bmax: number, bmid: number,
  cost: number,
): SplitPoint | undefined {
  let best = 0;
  let bestI1 = 0;
  let bestI2 = 0;
  for (let d = fmax; d >= fmin; d -= 2) {
    const spread = d > fmid ? d - fmid : fmid - d;
    const i1 = forward[d + bias];
    const i2 = i1 - d;
    const reach = (i1 - off1) + (i2 - off2) - spread;
    if (reach > HEURISTIC_FACTOR * cost && reach > best &&
        off1 + SNAKE_LENGTH <= i1 && i1 < lim1 &&
        off2 + SNAKE_LENGTH <= i2 && i2 < lim2) {
      for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
        if (k === SNAKE_LENGTH) {
          best = reach;
          bestI1 = i1;
          bestI2 = i2;
          break;
        }
      }
    }
  }
  if (best > 0) return { i1: bestI1, i2: bestI2, exactLow: true, exactHigh: false };

  for (let d = bmax; d >= bmin; d -= 2) {
    const spread = d > bmid ? d - bmid : bmid - d;
    const i1 = backward[d + bias];
    const i2 = i1 - d;
    const reach = (lim1 - i1) + (lim2 - i2) - spread;
    if (reach > HEURISTIC_FACTOR * cost && reach > best &&
        off1 < i1 && i1 <= lim1 - SNAKE_LENGTH &&
        off2 < i2 && i2 <= lim2 - SNAKE_LENGTH) {
      for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
        if (k === SNAKE_LENGTH - 1) {
          best = reach;
          bestI1 = i1;
          bestI2 = i2;
          break;
        }
      }
    }
  }
  if (best > 0) return { i1: bestI1, i2: bestI2, exactLow: false, exactHigh: true };
  return undefined;
}

/**
 * Rule: when the cost cap is hit, split at whichever frontier point has advanced furthest
 * (by i1 + i2 from its own corner), preferring the backward frontier on a tie.
 */
function furthestReach(
  off1: number, lim1: number, off2: number, lim2: number,
  forward: Int32Array, backward: Int32Array, bias: number,
  fmin: number, fmax: number, bmin: number, bmax: number,
): SplitPoint {
  let fbest = -1;
  let fbest1 = -1;
  for (let d = fmax; d >= fmin; d -= 2) {
    let i1 = Math.min(forward[d + bias], lim1);
    let i2 = i1 - d;
    if (lim2 < i2) {
      i1 = lim2 + d;
      i2 = lim2;
    }
    if (fbest < i1 + i2) {
      fbest = i1 + i2;
      fbest1 = i1;
    }
  }
  let bbest = UNREACHED_BACKWARD;
  let bbest1 = UNREACHED_BACKWARD;
  for (let d = bmax; d >= bmin; d -= 2) {
    let i1 = Math.max(off1, backward[d + bias]);
    let i2 = i1 - d;
    if (i2 < off2) {
      i1 = off2 + d;
      i2 = off2;
    }
    if (i1 + i2 < bbest) {
      bbest = i1 + i2;
      bbest1 = i1;
    }
  }
  if ((lim1 + lim2) - bbest < fbest - (off1 + off2)) {
    return { i1: fbest1, i2: fbest - fbest1, exactLow: true, exactHigh: false };
  }
  return { i1: bbest1, i2: bbest - bbest1, exactLow: false, exactHigh: true };
}

interface Box {
  off1: number;
  lim1: number;
  off2: number;
  lim2: number;
  exact: boolean;
}

/**
 * Marks in `file1.changed` / `file2.changed` the reference lines that the Myers search
 * finds deleted / inserted. Lines already marked by the preparation stay marked.
 */
export function markChanges(file1: DiffFile, file2: DiffFile): void {
  const ha1 = file1.refClasses;
  const ha2 = file2.refClasses;
  const diagonals = file1.refCount + file2.refCount + 3;
  const bias = file2.refCount + 1;
  const forward = new Int32Array(diagonals);
  const backward = new Int32Array(diagonals);
  const limits: SearchLimits = { maxCost: Math.max(roughSqrt(diagonals), MIN_MAX_COST) };

  const stack: Box[] = [{ off1: 0, lim1: file1.refCount, off2: 0, lim2: file2.refCount, exact: false }];
  while (stack.length > 0) {
    const box = stack.pop()!;
    let { off1, lim1, off2, lim2 } = box;
    // Shrink the box by the snakes at both of its corners.
    while (off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]) {
      off1++;
      off2++;
    }
    while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]) {
      lim1--;
      lim2--;
    }
    if (off1 === lim1) {
      for (let i = off2; i < lim2; i++) file2.changed[file2.refIndex[i] + 1] = 1;
    } else if (off2 === lim2) {
      for (let i = off1; i < lim1; i++) file1.changed[file1.refIndex[i] + 1] = 1;
    } else {
      const split = findSplit(ha1, off1, lim1, ha2, off2, lim2, forward, backward, bias, box.exact, limits);
      stack.push({ off1: split.i1, lim1, off2: split.i2, lim2, exact: split.exactHigh });
      stack.push({ off1, lim1: split.i1, off2, lim2: split.i2, exact: split.exactLow });
    }
  }
}
