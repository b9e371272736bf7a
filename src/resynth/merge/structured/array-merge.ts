/**
 * The three-way merge of an array's elements, as steps of the merge of values (`value-merge.ts`).
 *
 * Elements are aligned by identity (`element-alignment.ts`: objects by a key field, anything else by
 * value): what only the proposed side removed or inserted is removed or inserted, elements all three
 * have are merged inside, and only edits of one element or of one gap conflict. Where the alignment
 * conflicts at some elements, diff3 over the elements decides instead (the same hunk builder as the
 * line merge, `../hunks.ts`, with elements in place of lines, after S. Khanna, K. Kunal, B. C. Pierce,
 * "A Formal Investigation of Diff3", 2007): a hunk both sides changed is merged element by element when
 * all three have the same number of elements there (two unnamed objects edited in place), or where one side
 * also inserted elements beside the objects both edited, or removed elements there the other side left as they
 * were, else it is a conflict of those elements. An element there that one side replaced (renamed it, or rewrote an unnamed
 * object whole) and the other changed is a conflict of that element: it is not the same element to merge into.
 */
import { diffRecords } from '../diff';
import { buildHunks, MergeHunk } from '../hunks';
import { DocumentEdit, DocumentSide } from './edits';
import { alignElements, ElementAlignment, existingIndexOf, SideInsertion } from './element-alignment';
import { identityKeyOf, sameElement } from './element-identity';
import { JsonPath } from './json-path';
import { sortedOrderOf } from './sorted-keys';
import type { MergeStep, SidePaths, ValueConflict } from './value-merge';
import { canonicalKey, isRecord, sameValue } from './values';

/** What the array merge hands back to the merge of values: the steps, the merge of one element, and conflicts (policies may decide them). */
export interface ArrayMergeContext {
  readonly steps: MergeStep[];
  /** Merges one element all three sides have, at its path in each. */
  mergeElement(paths: SidePaths, ancestor: unknown, existing: unknown, proposed: unknown): void;
  addConflict(conflict: ValueConflict): void;
}

/** Merges the three versions of an array into steps (see the module comment). */
export function mergeArray(paths: SidePaths, ancestor: unknown[], existing: unknown[], proposed: unknown[], context: ArrayMergeContext): void {
  const alignment = alignElements(ancestor, existing, proposed);
  if (alignment.kind === 'aligned') {
    mergeAlignedArray(paths, editedInPlace(alignment, ancestor, existing, proposed), ancestor, existing, proposed, context);
  } else if (alignment.local) {
    mergeArrayHunks(paths, ancestor, existing, proposed, context);
  } else {
    context.addConflict({
      path: paths.existing,
      values: { ancestor, existing, proposed },
      edits: {
        proposed: spliceEdits(paths.existing, 0, existing.length, 'proposed', paths.proposed, 0, proposed.length),
        ancestor: spliceEdits(paths.existing, 0, existing.length, 'ancestor', paths.ancestor, 0, ancestor.length),
      },
      elements: true,
    });
  }
}

/**
 * The alignment with each run of unnamed elements that the proposed side rewrote one for one, and the existing
 * side kept as they were, read as those elements edited in place, where each new element kept a member of the
 * one it stands in for (as the diff3 hunks of {@link mergeArrayHunks} read them). Identity by value sees any
 * edit of an unnamed object as a new object: a document of a YAML stream (a Kubernetes manifest's `Deployment`
 * with a new image tag) would be replaced whole by the proposed side's text, which drops the project's
 * formatting of it (its indentation and quoting), where merging its members changes only what changed. The
 * value is the same either way: the existing side did not change these elements.
 */
function editedInPlace(
  alignment: Extract<ElementAlignment, { kind: 'aligned' }>, ancestor: unknown[], existing: unknown[], proposed: unknown[],
): Extract<ElementAlignment, { kind: 'aligned' }> {
  const key = identityKeyOf([ancestor, existing, proposed]);
  const matched = [...alignment.proposed.matched];
  const insertions = alignment.proposed.insertions.filter(insertion => {
    const length = insertion.ancestorEnd - insertion.ancestorStart;
    if (length === 0 || length !== insertion.count) return true;
    for (let i = 0; i < length; i++) {
      const ancestorIndex = insertion.ancestorStart + i;
      if (alignment.existing.matched[ancestorIndex] < 0 || matched[ancestorIndex] >= 0) return true;
      if (!sameElement(ancestor[ancestorIndex], proposed[insertion.start + i], key)) return true;
    }
    for (let i = 0; i < length; i++) matched[insertion.ancestorStart + i] = insertion.start + i;
    return false;
  });
  return { ...alignment, proposed: { matched, insertions } };
}

/**
 * Elements aligned by identity (`element-alignment.ts`): what only the proposed side removed or inserted
 * is removed or inserted, elements both kept are merged inside. Edits are emitted from the end of the
 * array to its start (at one index, the element's own edits before an insertion in front of it), so that
 * every edit's existing index is still valid when it is applied.
 */
function mergeAlignedArray(
  paths: SidePaths, alignment: Extract<ElementAlignment, { kind: 'aligned' }>,
  ancestor: unknown[], existing: unknown[], proposed: unknown[], context: ArrayMergeContext,
): void {
  const { steps } = context;
  const at = (side: DocumentSide, index: number) => [...paths[side], index];
  type Op =
    | { readonly kind: 'element'; readonly index: number; readonly ancestorIndex: number }
    | { readonly kind: 'insert'; readonly index: number; readonly insertion: SideInsertion };
  const ops: Op[] = [];
  alignment.existing.matched.forEach((index, ancestorIndex) => {
    if (index >= 0) ops.push({ kind: 'element', index, ancestorIndex });
  });
  for (const insertion of alignment.proposed.insertions) ops.push({ kind: 'insert', index: existingIndexOf(alignment.existing, insertion), insertion });
  const rank = (op: Op) => op.kind === 'element' ? Infinity : op.insertion.ancestorEnd;
  ops.sort((a, b) => b.index - a.index || rank(b) - rank(a));
  /**
   * Whether `insert` replaced a run of the ancestor's elements whose last one is `next`, right before it
   * in the existing array, and which the proposed side removed (the existing side left it as it was: else
   * the alignment conflicts).
   */
  const replacesElementBefore = (insert: Extract<Op, { kind: 'insert' }>, next: Op | undefined): next is Extract<Op, { kind: 'element' }> =>
    next?.kind === 'element' && next.index === insert.index - 1 && insert.insertion.count > 0
    && next.ancestorIndex === insert.insertion.ancestorEnd - 1 && insert.insertion.ancestorStart < insert.insertion.ancestorEnd
    && alignment.proposed.matched[next.ancestorIndex] < 0;

  const insertProposed = (index: number, start: number, count: number) => {
    const edits: DocumentEdit[] = [];
    for (let k = count - 1; k >= 0; k--) edits.push({ kind: 'insert', path: at('existing', index), source: { side: 'proposed', path: at('proposed', start + k) } });
    if (edits.length) steps.push({ kind: 'take-proposed', path: paths.existing, edits });
  };
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o];
    if (op.kind === 'insert') {
      const replaced = ops[o + 1];
      if (replacesElementBefore(op, replaced)) {
        // The proposed side replaced the element before (a step edited beyond what identity follows): the
        // first new element's text is swapped in place, so that the lines around the element (a comment
        // above it is about it, one below it about the next) stay where they are; the rest go after it.
        insertProposed(op.index, op.insertion.start + 1, op.insertion.count - 1);
        steps.push({ kind: 'take-proposed', path: at('existing', replaced.index), edits: [{ kind: 'set', path: at('existing', replaced.index), source: { side: 'proposed', path: at('proposed', op.insertion.start) }, keysBefore: [] }] });
        o++;
        continue;
      }
      insertProposed(op.index, op.insertion.start, op.insertion.count);
      continue;
    }
    const inProposed = alignment.proposed.matched[op.ancestorIndex];
    if (inProposed >= 0) {
      context.mergeElement(
        { ancestor: at('ancestor', op.ancestorIndex), existing: at('existing', op.index), proposed: at('proposed', inProposed) },
        ancestor[op.ancestorIndex], existing[op.index], proposed[inProposed],
      );
      continue;
    }
    const next = ops[o + 1];
    if (next?.kind === 'insert' && next.index === op.index) {
      // Removed here and replaced by new elements: the last one's text is swapped in place (a block
      // collection never passes through empty, which YAML would have to write as `[]`), the rest inserted before it.
      const last = next.insertion.start + next.insertion.count - 1;
      steps.push({ kind: 'take-proposed', path: at('existing', op.index), edits: [{ kind: 'set', path: at('existing', op.index), source: { side: 'proposed', path: at('proposed', last) }, keysBefore: [] }] });
      insertProposed(op.index, next.insertion.start, next.insertion.count - 1);
      o++;
      continue;
    }
    steps.push({ kind: 'take-proposed', path: at('existing', op.index), edits: [{ kind: 'delete', path: at('existing', op.index) }] });
  }
}

/** Where the elements cannot be aligned: diff3 hunks of elements, as the line merge makes them for lines. */
function mergeArrayHunks(paths: SidePaths, ancestor: unknown[], existing: unknown[], proposed: unknown[], context: ArrayMergeContext): void {
  const { steps } = context;
  // Elements as records of the line merge: equal values, equal strings.
  const records = (items: unknown[]) => items.map(item => `${canonicalKey(item)}\n`);
  const ancestorRecords = records(ancestor);
  const existingRecords = records(existing);
  const proposedRecords = records(proposed);
  const hunks = buildHunks({
    ancestorLength: ancestor.length,
    existing: existingRecords,
    proposed: proposedRecords,
    existingChanges: diffRecords(ancestorRecords, existingRecords),
    proposedChanges: diffRecords(ancestorRecords, proposedRecords),
  });
  const key = identityKeyOf([ancestor, existing, proposed]);
  // From the last hunk down: edits address existing indices, which later hunks' splices would shift.
  for (let h = hunks.length - 1; h >= 0; h--) {
    const hunk = hunks[h];
    if (hunk.kind === 'existing' || hunk.kind === 'identical') continue;
    const at = (side: DocumentSide, index: number) => [...paths[side], index];
    const splice = (side: 'ancestor' | 'proposed', start: number, count: number): DocumentEdit[] =>
      spliceEdits(paths.existing, hunk.existingStart, hunk.existingCount, side, paths[side], start, count);
    if (hunk.kind === 'proposed') {
      steps.push({ kind: 'take-proposed', path: paths.existing, edits: splice('proposed', hunk.proposedStart, hunk.proposedCount) });
      continue;
    }
    const proposedSlice = proposed.slice(hunk.proposedStart, hunk.proposedStart + hunk.proposedCount);
    const existingSlice = existing.slice(hunk.existingStart, hunk.existingStart + hunk.existingCount);
    if (sameValue(existingSlice, proposedSlice)) continue;
    if (hunk.ancestorCount === hunk.existingCount && hunk.existingCount === hunk.proposedCount) {
      for (let i = hunk.existingCount - 1; i >= 0; i--) {
        const [a, e, p] = [ancestor[hunk.ancestorStart + i], existing[hunk.existingStart + i], proposed[hunk.proposedStart + i]];
        const elementPaths = { ancestor: at('ancestor', hunk.ancestorStart + i), existing: at('existing', hunk.existingStart + i), proposed: at('proposed', hunk.proposedStart + i) };
        // An element a side replaced (renamed, or rewrote whole) is not the one the other side changed: the
        // two are not merged member by member into the replacement.
        const bothChanged = !sameValue(a, e) && !sameValue(a, p) && !sameValue(e, p);
        if (bothChanged && !(sameElement(a, e, key) && sameElement(a, p, key))) {
          context.addConflict({
            path: elementPaths.existing,
            values: { ancestor: [a], existing: [e], proposed: [p] },
            edits: {
              proposed: spliceEdits(paths.existing, hunk.existingStart + i, 1, 'proposed', paths.proposed, hunk.proposedStart + i, 1),
              ancestor: spliceEdits(paths.existing, hunk.existingStart + i, 1, 'ancestor', paths.ancestor, hunk.ancestorStart + i, 1),
            },
            elements: true,
          });
          continue;
        }
        context.mergeElement(elementPaths, a, e, p);
      }
      continue;
    }
    if (mergeEditedBesideInsertions(paths, hunk, ancestor, existing, proposed, key, context)) continue;
    if (mergeEditedBesideRemovals(paths, hunk, ancestor, existing, proposed, key, context)) continue;
    if (insertSorted(paths, hunk, ancestor, existing, proposed, steps)) continue;
    context.addConflict({
      path: at('existing', hunk.existingStart),
      values: {
        ancestor: ancestor.slice(hunk.ancestorStart, hunk.ancestorStart + hunk.ancestorCount),
        existing: existingSlice,
        proposed: proposedSlice,
      },
      edits: {
        proposed: splice('proposed', hunk.proposedStart, hunk.proposedCount),
        ancestor: splice('ancestor', hunk.ancestorStart, hunk.ancestorCount),
      },
      elements: true,
    });
  }
}

/**
 * A hunk in which both sides edited the same unnamed objects in place and one side also inserted new elements
 * beside them (a Kubernetes manifest's `Service` changed on both sides, one of which added a `ConfigMap` document
 * after it; a workflow step changed on both, one of which added a step after it): the longer side has as many
 * elements more as it inserted. The hunk's ancestor objects are paired with the first ones of each side, or with
 * the last ones, where every pair is an object that is the same element ({@link sameElement}: it kept a member)
 * and keeps more members of the ancestor's object than any element the pairing leaves as new (the `Service` kept
 * its `apiVersion`, `kind` and `metadata`, the new `ConfigMap` only the `apiVersion`); where both pairings hold,
 * the one whose pairs keep more. Each pair is merged member by member, and the longer side's other elements are
 * its insertions. Returns whether it did; where neither pairing
 * holds, or both keep as many members (which element is new cannot be told), the hunk is left to the checks after it.
 */
function mergeEditedBesideInsertions(
  paths: SidePaths, hunk: MergeHunk, ancestor: unknown[], existing: unknown[], proposed: unknown[], key: string | undefined, context: ArrayMergeContext,
): boolean {
  const count = hunk.ancestorCount;
  const extraExisting = hunk.existingCount - count;
  const extraProposed = hunk.proposedCount - count;
  if (count === 0 || extraExisting < 0 || extraProposed < 0 || (extraExisting > 0) === (extraProposed > 0)) return false;
  // The members `side` keeps of the ancestor's object `a`, or -1 where it is not the same element.
  const keptOf = (a: unknown, side: unknown) => (isRecord(a) && isRecord(side) && sameElement(a, side, key)
    ? Object.keys(a).filter(member => Object.prototype.hasOwnProperty.call(side, member) && sameValue(a[member], side[member])).length
    : -1);
  const longer = extraExisting > 0 ? existing.slice(hunk.existingStart, hunk.existingStart + hunk.existingCount) : proposed.slice(hunk.proposedStart, hunk.proposedStart + hunk.proposedCount);
  const shorter = extraExisting > 0 ? proposed.slice(hunk.proposedStart, hunk.proposedStart + count) : existing.slice(hunk.existingStart, hunk.existingStart + count);
  // What a pairing keeps in all, or -1 where a pair is not the same element, or an element it leaves as new keeps
  // as much of an ancestor's object as its pair does (the new one may be the edited one: which is which is unclear).
  const keptBy = (offset: number) => {
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const a = ancestor[hunk.ancestorStart + i];
      const [own, other] = [keptOf(a, longer[offset + i]), keptOf(a, shorter[i])];
      if (own < 0 || other < 0) return -1;
      const left = longer.filter((_, j) => j < offset || j >= offset + count);
      if (left.some(element => keptOf(a, element) >= own)) return -1;
      kept += own + other;
    }
    return kept;
  };
  const extra = extraExisting + extraProposed;
  const [atStart, atEnd] = [keptBy(0), keptBy(extra)];
  if (atStart === atEnd) return false;
  const first = atStart > atEnd;
  const [existingOffset, proposedOffset] = first ? [0, 0] : [extraExisting, extraProposed];
  const at = (side: DocumentSide, index: number) => [...paths[side], index];
  // Edits from the highest existing index down, so that each one's index still holds when it is applied.
  const insertProposed = (existingIndex: number) => {
    const start = hunk.proposedStart + (first ? count : 0);
    const edits: DocumentEdit[] = [];
    for (let k = extraProposed - 1; k >= 0; k--) edits.push({ kind: 'insert', path: at('existing', existingIndex), source: { side: 'proposed', path: at('proposed', start + k) } });
    context.steps.push({ kind: 'take-proposed', path: paths.existing, edits });
  };
  if (extraProposed > 0 && first) insertProposed(hunk.existingStart + count);
  for (let i = count - 1; i >= 0; i--) {
    const [a, e, p] = [hunk.ancestorStart + i, hunk.existingStart + existingOffset + i, hunk.proposedStart + proposedOffset + i];
    context.mergeElement({ ancestor: at('ancestor', a), existing: at('existing', e), proposed: at('proposed', p) }, ancestor[a], existing[e], proposed[p]);
  }
  if (extraProposed > 0 && !first) insertProposed(hunk.existingStart);
  return true;
}

/**
 * A hunk in which both sides edited the same unnamed objects in place and one side also removed elements beside
 * them that the other side left as they were (a Kubernetes manifest's `ConfigMap` changed on both sides, one of
 * which removed the `Deployment` document after it; journey 76): the shorter side has as many elements fewer as it
 * removed, the other side as many as the ancestor. The ancestor's objects are paired with the shorter side's first
 * ones or last ones, as {@link mergeEditedBesideInsertions} pairs them, where every ancestor's element the pairing
 * leaves out is one the longer side kept unchanged (else one side changed what the other removed: a conflict), and
 * none of them keeps as much of a pair's element as its pair does (which one was removed would be unclear). Each
 * pair is merged member by member, and the elements left out are removed. Returns whether it did.
 */
function mergeEditedBesideRemovals(
  paths: SidePaths, hunk: MergeHunk, ancestor: unknown[], existing: unknown[], proposed: unknown[], key: string | undefined, context: ArrayMergeContext,
): boolean {
  const count = hunk.ancestorCount;
  const existingRemoved = hunk.existingCount < count;
  const [shortCount, longCount] = existingRemoved ? [hunk.existingCount, hunk.proposedCount] : [hunk.proposedCount, hunk.existingCount];
  if (shortCount === 0 || shortCount >= count || longCount !== count) return false;
  const removed = count - shortCount;
  const keptOf = (a: unknown, side: unknown) => (isRecord(a) && isRecord(side) && sameElement(a, side, key)
    ? Object.keys(a).filter(member => Object.prototype.hasOwnProperty.call(side, member) && sameValue(a[member], side[member])).length
    : -1);
  const longer = existingRemoved ? proposed.slice(hunk.proposedStart, hunk.proposedStart + count) : existing.slice(hunk.existingStart, hunk.existingStart + count);
  const shorter = existingRemoved ? existing.slice(hunk.existingStart, hunk.existingStart + shortCount) : proposed.slice(hunk.proposedStart, hunk.proposedStart + shortCount);
  const hunkAncestor = ancestor.slice(hunk.ancestorStart, hunk.ancestorStart + count);
  // What the pairing of the shorter side's elements with the ancestor's from `offset` keeps in all, or -1 where it does not hold.
  const keptBy = (offset: number) => {
    const left = hunkAncestor.filter((_, i) => i < offset || i >= offset + shortCount);
    if (hunkAncestor.some((a, i) => (i < offset || i >= offset + shortCount) && !sameValue(a, longer[i]))) return -1;
    let kept = 0;
    for (let i = 0; i < shortCount; i++) {
      const a = hunkAncestor[offset + i];
      const [own, other] = [keptOf(a, shorter[i]), keptOf(a, longer[offset + i])];
      if (own < 0 || other < 0 || left.some(gone => keptOf(gone, shorter[i]) >= own)) return -1;
      kept += own + other;
    }
    return kept;
  };
  const [atStart, atEnd] = [keptBy(0), keptBy(removed)];
  if (atStart === atEnd) return false;
  const offset = atStart > atEnd ? 0 : removed;
  const at = (side: DocumentSide, index: number) => [...paths[side], index];
  // From the highest existing index down, so that each edit's index still holds when it is applied.
  for (let i = count - 1; i >= 0; i--) {
    const paired = i >= offset && i < offset + shortCount;
    const a = hunk.ancestorStart + i;
    if (!paired) {
      // Removed by the proposed side: removed from the existing text too (the existing side's removal is there already).
      if (!existingRemoved) context.steps.push({ kind: 'take-proposed', path: at('existing', hunk.existingStart + i), edits: [{ kind: 'delete', path: at('existing', hunk.existingStart + i) }] });
      continue;
    }
    const [e, p] = existingRemoved ? [hunk.existingStart + i - offset, hunk.proposedStart + i] : [hunk.existingStart + i, hunk.proposedStart + i - offset];
    context.mergeElement({ ancestor: at('ancestor', a), existing: at('existing', e), proposed: at('proposed', p) }, ancestor[a], existing[e], proposed[p]);
  }
  return true;
}

/** Shorter lists may be sorted by chance (one of six orders of three strings is), and their order mean something else. */
const MIN_SORTED_LIST = 5;

/**
 * Both sides inserted strings at one place of a list of strings kept sorted (a list of task names, of files): each
 * side's insertions are kept, the proposed side's each at its sorted place among the existing side's, as a person
 * merging would and as either side's order asks. The list is sorted where each side's insertions are in order between
 * the ancestor's strings either side of the place, and nine in ten of the ancestor's neighbouring strings are in that
 * order (a list sorted by hand has its slips). Returns whether it did; a hunk that replaced or removed an ancestor's
 * element, a string both inserted, or a list not so sorted (or shorter than five in the ancestor) is left a conflict.
 */
function insertSorted(
  paths: SidePaths, hunk: MergeHunk, ancestor: unknown[], existing: unknown[], proposed: unknown[], steps: MergeStep[],
): boolean {
  if (hunk.ancestorCount !== 0 || ancestor.length < MIN_SORTED_LIST) return false;
  const strings = (items: unknown[]) => items.every(item => typeof item === 'string') ? items as string[] : undefined;
  const [a, e, p] = [strings(ancestor), strings(existing), strings(proposed)];
  if (!a || !e || !p) return false;
  const inserted = e.slice(hunk.existingStart, hunk.existingStart + hunk.existingCount);
  const incoming = p.slice(hunk.proposedStart, hunk.proposedStart + hunk.proposedCount);
  const around = (items: string[]) => [...a.slice(Math.max(hunk.ancestorStart - 1, 0), hunk.ancestorStart), ...items, ...a.slice(hunk.ancestorStart, hunk.ancestorStart + 1)];
  const order = sortedOrderOf([around(inserted), around(incoming)], a);
  if (!order || incoming.some(item => inserted.includes(item))) return false;
  const edits: DocumentEdit[] = [];
  // From the last down: each goes before the existing side's first insertion after it, at existing indices.
  for (let k = incoming.length - 1; k >= 0; k--) {
    const before = inserted.filter(item => order(item, incoming[k]) < 0).length;
    edits.push({ kind: 'insert', path: [...paths.existing, hunk.existingStart + before], source: { side: 'proposed', path: [...paths.proposed, hunk.proposedStart + k] } });
  }
  steps.push({ kind: 'take-proposed', path: [...paths.existing, hunk.existingStart], edits });
  return true;
}

/**
 * Replaces `count` existing elements at `start` with `sourceCount` elements of `side` at `sourceStart`.
 * Elements are replaced in place where both have one (their text is swapped, the separators stay),
 * then the surplus is deleted or inserted, from the end so that indices stay valid.
 */
function spliceEdits(
  arrayPath: JsonPath, start: number, count: number,
  side: 'ancestor' | 'proposed', sourcePath: JsonPath, sourceStart: number, sourceCount: number,
): DocumentEdit[] {
  const edits: DocumentEdit[] = [];
  const shared = Math.min(count, sourceCount);
  for (let i = count - 1; i >= shared; i--) edits.push({ kind: 'delete', path: [...arrayPath, start + i] });
  for (let i = sourceCount - 1; i >= shared; i--) {
    edits.push({ kind: 'insert', path: [...arrayPath, start + shared], source: { side, path: [...sourcePath, sourceStart + i] } });
  }
  for (let i = shared - 1; i >= 0; i--) {
    edits.push({ kind: 'set', path: [...arrayPath, start + i], source: { side, path: [...sourcePath, sourceStart + i] }, keysBefore: [] });
  }
  return edits;
}
