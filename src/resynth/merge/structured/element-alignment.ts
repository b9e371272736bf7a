/**
 * The three-way alignment of an array's elements by identity (`element-identity.ts`): for each element of
 * the ancestor, where each side has it (or that it removed it), and what each side inserted in each gap
 * between the ancestor's elements.
 *
 * Why not the line merge's hunks: git joins changes that merely touch into one conflict, which is right
 * for lines of text (a line is read with its neighbours) but not for elements of a parsed array: one side
 * removing an element and the other changing or inserting beside it are two separate edits of the list.
 * So here only edits of the same element, or insertions into the same gap, can conflict:
 * - an element one side removed and the other changed (by value) conflicts;
 * - two sides inserting into one gap conflict unless they inserted equal elements (the order between
 *   the two insertions would be a guess);
 * - an identity both sides inserted (or moved) conflicts unless it went into the same gap equally.
 * Each side's alignment is the diff of identities (the line merge's diff, `../diff.ts`, over identities
 * in place of lines); a moved element is a removal and an insertion of the same identity.
 */
import { diffRecords } from '../diff';
import { elementIdentities } from './element-identity';
import { sameValue } from './values';

/** Where one side has the ancestor's elements, and what it inserted. */
export interface SideAlignment {
  /** Per ancestor element: its index in the side, or -1 where the side removed it. */
  readonly matched: readonly number[];
  /** Per ancestor gap (gap `g` is before ancestor element `g`; the length is the end): the side's elements inserted there. */
  readonly inserted: ReadonlyMap<number, { readonly start: number; readonly count: number }>;
}

/** An alignment of both sides against the ancestor, or why the elements conflict. */
export type ElementAlignment =
  | { readonly kind: 'aligned'; readonly existing: SideAlignment; readonly proposed: SideAlignment }
  | { readonly kind: 'conflict'; readonly reason: string };

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
    if (!sameValue(ancestor[i], values[keeper][index])) return { kind: 'conflict', reason: `element ${i} was removed on one side and changed on the other` };
  }

  const insertedIds = { existing: new Set<string>(), proposed: new Set<string>() };
  for (let gap = 0; gap <= ancestor.length; gap++) {
    const slices = {
      existing: sliceOf(existing, sides.existing.inserted.get(gap)),
      proposed: sliceOf(proposed, sides.proposed.inserted.get(gap)),
    };
    if (slices.existing.length && slices.proposed.length) {
      if (!sameValue(slices.existing, slices.proposed)) return { kind: 'conflict', reason: `both sides inserted different elements before element ${gap}` };
      continue;
    }
    for (const side of ['existing', 'proposed'] as const) {
      const inserted = sides[side].inserted.get(gap);
      const ids = side === 'existing' ? existingIds : proposedIds;
      for (let k = 0; inserted && k < inserted.count; k++) insertedIds[side].add(ids[inserted.start + k]);
    }
  }
  for (const id of insertedIds.existing) {
    if (insertedIds.proposed.has(id)) return { kind: 'conflict', reason: 'both sides inserted the same element at different places' };
  }
  return { kind: 'aligned', ...sides };
}

/** The index in the existing array at which elements inserted into ancestor gap `gap` go. */
export function existingIndexOfGap(existing: SideAlignment, gap: number): number {
  let index = 0;
  for (let i = 0; i < gap; i++) {
    if (existing.matched[i] >= 0) index++;
    index += existing.inserted.get(i)?.count ?? 0;
  }
  return index;
}

/** One side's alignment: the diff of identities read as kept elements and insertions per gap. */
function alignSide(ancestorIds: readonly string[], sideIds: readonly string[]): SideAlignment {
  const matched = new Array<number>(ancestorIds.length).fill(-1);
  const inserted = new Map<number, { start: number; count: number }>();
  let a = 0;
  let s = 0;
  // Records end with a newline, as lines do: the diff's preparation expects line records.
  for (const change of diffRecords(ancestorIds.map(id => `${id}\n`), sideIds.map(id => `${id}\n`))) {
    while (a < change.oldStart) matched[a++] = s++;
    a += change.oldCount;
    // A replacement's new elements go into the gap before the ones it removed.
    if (change.newCount) inserted.set(change.oldStart, { start: change.newStart, count: change.newCount });
    s = change.newStart + change.newCount;
  }
  while (a < ancestorIds.length) matched[a++] = s++;
  return { matched, inserted };
}

function sliceOf(items: readonly unknown[], range: { start: number; count: number } | undefined): readonly unknown[] {
  return range ? items.slice(range.start, range.start + range.count) : [];
}
