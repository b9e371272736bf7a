/**
 * The three-way alignment of an array's elements by identity (`element-identity.ts`): for each element of
 * the ancestor, where each side has it (or that it removed it), and what each side inserted in each gap
 * between the ancestor's elements.
 *
 * Why not the line merge's hunks: git joins changes that merely touch into one conflict, which is right
 * for lines of text (a line is read with its neighbours) but not for elements of a parsed array: one side
 * removing an element and the other changing or inserting beside it are two separate edits of the list.
 * So here only edits of the same element, or insertions into the same gap, can conflict:
 * - an element one side removed and the other changed (by value) conflicts, and so does one side's
 *   replacement of elements (new ones in their place) with the other side's removal of one of them;
 * - two sides inserting into one gap, or one inside a run of elements the other replaced, conflict unless
 *   they made the same change (the order between the two insertions would be a guess);
 * - an identity both sides inserted (or moved) conflicts unless it went into the same gap equally.
 * Each side's alignment is the diff of identities (the line merge's diff, `../diff.ts`, over identities
 * in place of lines); a moved element is a removal and an insertion of the same identity.
 */
import { diffRecords } from '../diff';
import { elementIdentities } from './element-identity';
import { sameValue } from './values';

/** Elements one side put in place of a run of the ancestor's elements (none: a pure insertion into a gap). */
export interface SideInsertion {
  /** The first ancestor element replaced (for a pure insertion: the gap, before that element). */
  readonly ancestorStart: number;
  /** Just past the last ancestor element replaced; equal to `ancestorStart` for a pure insertion. */
  readonly ancestorEnd: number;
  /** The first of the side's elements put there. */
  readonly start: number;
  /** How many of the side's elements were put there. */
  readonly count: number;
}

/** Where one side has the ancestor's elements, and what it inserted. */
export interface SideAlignment {
  /** Per ancestor element: its index in the side, or -1 where the side removed it. */
  readonly matched: readonly number[];
  /** What the side inserted, in order. */
  readonly insertions: readonly SideInsertion[];
}

/** An alignment of both sides against the ancestor, or why the elements conflict. */
export type ElementAlignment =
  | {
    readonly kind: 'aligned';
    readonly existing: SideAlignment;
    /** The proposed side's alignment, less the insertions the existing side made too. */
    readonly proposed: SideAlignment;
  }
  /**
   * The alignment conflicts. `local`: at some elements, where diff3 hunks of elements (which can merge
   * same-shaped elements in place) decide; else the whole array, which no hunk-wise merge may resolve
   * (it would hold the element twice).
   */
  | { readonly kind: 'conflict'; readonly reason: string; readonly local: boolean };

/** Aligns the elements of the three versions of an array (see the module comment for when they conflict). */
export function alignElements(ancestor: readonly unknown[], existing: readonly unknown[], proposed: readonly unknown[]): ElementAlignment {
  const [ancestorIds, existingIds, proposedIds] = elementIdentities([ancestor, existing, proposed]);
  const sides = { existing: alignSide(ancestorIds, existingIds), proposed: alignSide(ancestorIds, proposedIds) };
  const values = { existing, proposed };

  for (let i = 0; i < ancestor.length; i++) {
    const inExisting = sides.existing.matched[i];
    const inProposed = sides.proposed.matched[i];
    if ((inExisting < 0) === (inProposed < 0)) continue;
    const [keeper, index] = inExisting < 0 ? ['proposed', inProposed] as const : ['existing', inExisting] as const;
    if (!sameValue(ancestor[i], values[keeper][index])) return { kind: 'conflict', reason: `element ${i} was removed on one side and changed on the other`, local: true };
  }

  // A run one side replaced (an item rewritten, a named element renamed: by identity, removed and inserted)
  // where the other removed an item of it: one side's new items against the other's none, as diff3 over
  // the elements (and git) sees it, unless both put the same items there.
  for (const [side, other] of [['existing', 'proposed'], ['proposed', 'existing']] as const) {
    for (const replaced of sides[side].insertions) {
      let removed = false;
      for (let i = replaced.ancestorStart; i < replaced.ancestorEnd; i++) if (sides[other].matched[i] < 0) removed = true;
      if (!removed) continue;
      const same = sides[other].insertions.find(theirs => theirs.ancestorStart === replaced.ancestorStart && theirs.ancestorEnd === replaced.ancestorEnd);
      if (same && sameValue(sliceOf(values[other], same), sliceOf(values[side], replaced))) continue;
      return { kind: 'conflict', reason: `element ${replaced.ancestorStart} was replaced on one side and removed on the other`, local: true };
    }
  }

  const proposedInsertions: SideInsertion[] = [];
  for (const theirs of sides.proposed.insertions) {
    const same = sides.existing.insertions.find(ours => ours.ancestorStart === theirs.ancestorStart && ours.ancestorEnd === theirs.ancestorEnd);
    if (same && sameValue(sliceOf(existing, same), sliceOf(proposed, theirs))) continue;
    const clash = sides.existing.insertions.find(ours => overlap(ours, theirs));
    if (clash) return { kind: 'conflict', reason: `both sides inserted different elements at element ${clash.ancestorStart}`, local: true };
    proposedInsertions.push(theirs);
  }
  const insertedIds = new Set(sides.existing.insertions.flatMap(ours => existingIds.slice(ours.start, ours.start + ours.count)));
  if (proposedInsertions.some(theirs => proposedIds.slice(theirs.start, theirs.start + theirs.count).some(id => insertedIds.has(id)))) {
    return { kind: 'conflict', reason: 'both sides inserted the same element at different places', local: false };
  }
  return { kind: 'aligned', existing: sides.existing, proposed: { matched: sides.proposed.matched, insertions: proposedInsertions } };
}

/**
 * Whether two sides' insertions leave their order open: two insertions into one gap, an insertion into
 * a run the other side replaced, or two replaced runs that share elements. A run replaced one for one
 * (elements edited in place) and an insertion at either end of it do not: the insertion goes before or
 * after the run's new elements. A run replaced by more elements than it had also inserted some, at an end
 * the alignment cannot tell: an insertion of the other side at either end is then an insertion into the
 * same gap (both sides appending to a list whose last element one of them rewrote, say).
 */
function overlap(a: SideInsertion, b: SideInsertion): boolean {
  const pure = (x: SideInsertion) => x.ancestorStart === x.ancestorEnd;
  const grew = (x: SideInsertion) => x.count > x.ancestorEnd - x.ancestorStart;
  const within = (gap: number, run: SideInsertion) => grew(run) ? run.ancestorStart <= gap && gap <= run.ancestorEnd : run.ancestorStart < gap && gap < run.ancestorEnd;
  if (pure(a) && pure(b)) return a.ancestorStart === b.ancestorStart;
  if (pure(a)) return within(a.ancestorStart, b);
  if (pure(b)) return within(b.ancestorStart, a);
  return a.ancestorStart < b.ancestorEnd && b.ancestorStart < a.ancestorEnd;
}

/**
 * The index in the existing array before which the proposed side's insertion goes: after every existing
 * element that stands for something before the end of the run it replaced (an ancestor element, or an
 * existing insertion starting earlier).
 */
export function existingIndexOf(existing: SideAlignment, insertion: SideInsertion): number {
  const end = insertion.ancestorEnd;
  let index = 0;
  for (let i = 0; i < end; i++) if (existing.matched[i] >= 0) index++;
  for (const ours of existing.insertions) if (ours.ancestorStart < end) index += ours.count;
  return index;
}

/** One side's alignment: the diff of identities read as kept elements and insertions. */
function alignSide(ancestorIds: readonly string[], sideIds: readonly string[]): SideAlignment {
  const matched = new Array<number>(ancestorIds.length).fill(-1);
  const insertions: SideInsertion[] = [];
  let a = 0;
  let s = 0;
  // Records end with a newline, as lines do: the diff's preparation expects line records.
  for (const change of diffRecords(ancestorIds.map(id => `${id}\n`), sideIds.map(id => `${id}\n`))) {
    while (a < change.oldStart) matched[a++] = s++;
    a += change.oldCount;
    if (change.newCount) {
      insertions.push({ ancestorStart: change.oldStart, ancestorEnd: change.oldStart + change.oldCount, start: change.newStart, count: change.newCount });
    }
    s = change.newStart + change.newCount;
  }
  while (a < ancestorIds.length) matched[a++] = s++;
  return { matched, insertions };
}

function sliceOf(items: readonly unknown[], insertion: SideInsertion): readonly unknown[] {
  return items.slice(insertion.start, insertion.start + insertion.count);
}
