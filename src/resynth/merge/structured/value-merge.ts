/**
 * The three-way merge of parsed values: objects member by member, arrays element by element.
 *
 * Algorithm: per node, the usual three-way rule (a side equal to the ancestor takes the other side);
 * where both changed, objects recurse into their members, and arrays run diff3 over their elements
 * (the same hunk builder as the line merge, `../hunks.ts`, with elements in place of lines, after
 * S. Khanna, K. Kunal, B. C. Pierce, "A Formal Investigation of Diff3", 2007). A hunk of elements both
 * sides changed recurses element by element when all three have the same number of elements there
 * (each element replaced in place, as when two sides edit two neighbouring steps of a workflow);
 * anything else both sides changed differently is a conflict at that path.
 *
 * The result is not a value but the list of edits that turn the existing document into it, so that
 * the text editors can make exactly those changes and leave the rest of the existing text alone.
 */
import { diffRecords } from '../diff';
import { buildHunks } from '../hunks';
import { DocumentEdit, DocumentSide, SideValues } from './edits';
import { alignElements, ElementAlignment, existingIndexOf, SideInsertion } from './element-alignment';
import { JsonPath } from './json-path';
import { canonicalKey, sameValue, shapeOf } from './values';

/** A node both sides changed differently, with the edits that would make the existing document take each side's version. */
export interface ValueConflict {
  readonly path: JsonPath;
  /** The three values there (undefined: absent). For an array hunk, the elements of the hunk. */
  readonly values: SideValues;
  /** Edits of the existing document taking the proposed side's version (and the ancestor's, for diff3 markers). */
  readonly edits: Readonly<Record<'ancestor' | 'proposed', readonly DocumentEdit[]>>;
  /** Whether the conflict is a hunk of array elements rather than one member. */
  readonly elements: boolean;
}

/** What a conflict policy decided: the side whose version wins (its edits are applied). */
export interface PolicyDecision {
  readonly side: 'existing' | 'proposed';
  /** The policy's name. */
  readonly policy: string;
  /** One line saying why. */
  readonly reason: string;
}

/** Decides a conflict, or leaves it (undefined). Policies see only member conflicts, not array hunks. */
export type ConflictPolicy = (conflict: ValueConflict) => PolicyDecision | undefined;

/** One step of the merge, in the order its edits must be applied. */
export type MergeStep =
  /** The proposed side changed `path` and the existing side did not: its edits are taken. */
  | { readonly kind: 'take-proposed'; readonly path: JsonPath; readonly edits: readonly DocumentEdit[] }
  /** A conflict a policy decided. */
  | { readonly kind: 'policy'; readonly path: JsonPath; readonly edits: readonly DocumentEdit[]; readonly decision: PolicyDecision }
  /** A conflict left for the person merging (or the strategy's preferred side). */
  | { readonly kind: 'conflict'; readonly conflict: ValueConflict };

/** Merges three parsed values into the steps that edit the existing one; `policies` may decide conflicts. */
export function mergeValues(sides: SideValues, policies: readonly ConflictPolicy[] = []): MergeStep[] {
  const steps: MergeStep[] = [];
  mergeNode(sides, { ancestor: [], existing: [], proposed: [] }, { ancestor: [], proposed: [] }, sides.ancestor, sides.existing, sides.proposed, policies, steps);
  return steps;
}

/** Where the node being merged is in each document (array indices differ between them). */
type SidePaths = Readonly<Record<DocumentSide, JsonPath>>;

function mergeNode(
  sides: SideValues, paths: SidePaths, keysBefore: Record<'ancestor' | 'proposed', readonly string[]>,
  ancestor: unknown, existing: unknown, proposed: unknown,
  policies: readonly ConflictPolicy[], steps: MergeStep[],
): void {
  if (sameValue(existing, proposed) || sameValue(ancestor, proposed)) return;
  const shape = shapeOf(existing);
  // Only the proposed side changed it: a scalar is replaced, a container is descended into, so that
  // the edits touch only what changed and the existing text around them (comments too) stays.
  if (sameValue(ancestor, existing) && (shape === 'scalar' || shape === 'absent' || shape !== shapeOf(proposed) || isEmpty(existing))) {
    steps.push({ kind: 'take-proposed', path: paths.existing, edits: [replaceWith(paths, 'proposed', proposed, keysBefore.proposed)] });
    return;
  }
  // Both added (or both turned a scalar into) the same kind of container: merge it against an empty one,
  // if the two have something in common; two added containers that share nothing are two different
  // things under one name, and merging them would make a third that neither side wrote.
  const bothAdded = shapeOf(ancestor) !== shape && shape === shapeOf(proposed) && (shape === 'object' || shape === 'array');
  const base = !bothAdded ? ancestor : shape === 'object' ? {} : [];
  if (bothAdded && !shareSomething(existing as object, proposed as object)) {
    addConflict(memberConflict(paths, keysBefore, ancestor, existing, proposed), policies, steps);
    return;
  }
  if (shape === 'object' && shapeOf(proposed) === 'object') {
    mergeObject(sides, paths, base as Record<string, unknown>, existing as Record<string, unknown>, proposed as Record<string, unknown>, policies, steps);
    return;
  }
  if (shape === 'array' && shapeOf(proposed) === 'array') {
    mergeArray(sides, paths, base as unknown[], existing as unknown[], proposed as unknown[], policies, steps);
    return;
  }
  addConflict(memberConflict(paths, keysBefore, ancestor, existing, proposed), policies, steps);
}

/** The conflict of one node both sides changed differently. */
function memberConflict(
  paths: SidePaths, keysBefore: Record<'ancestor' | 'proposed', readonly string[]>,
  ancestor: unknown, existing: unknown, proposed: unknown,
): ValueConflict {
  return {
    path: paths.existing,
    values: { ancestor, existing, proposed },
    edits: {
      proposed: [replaceWith(paths, 'proposed', proposed, keysBefore.proposed)],
      ancestor: [replaceWith(paths, 'ancestor', ancestor, keysBefore.ancestor)],
    },
    elements: false,
  };
}

/** Whether two containers of one kind have a member (same key, same value) or an element (same value) in common; two empty ones do. */
function shareSomething(a: object, b: object): boolean {
  if (Array.isArray(a)) return a.length === 0 || (b as unknown[]).length === 0 || a.some(item => (b as unknown[]).some(other => sameValue(item, other)));
  const entries = Object.entries(a);
  const other = b as Record<string, unknown>;
  return entries.length === 0 || Object.keys(other).length === 0 || entries.some(([key, value]) => Object.prototype.hasOwnProperty.call(other, key) && sameValue(value, other[key]));
}

/** An empty object or array: nothing of the existing text to keep inside it, so the proposed text replaces it whole. */
function isEmpty(value: unknown): boolean {
  return Object.keys(value as object).length === 0;
}

/** The edit that makes the existing node `side`'s version of it (absent there: deleted). */
function replaceWith(paths: SidePaths, side: 'ancestor' | 'proposed', value: unknown, keysBefore: readonly string[]): DocumentEdit {
  if (value === undefined) return { kind: 'delete', path: paths.existing };
  return { kind: 'set', path: paths.existing, source: { side, path: paths[side] }, keysBefore };
}

function addConflict(conflict: ValueConflict, policies: readonly ConflictPolicy[], steps: MergeStep[]): void {
  if (!conflict.elements) {
    for (const policy of policies) {
      const decision = policy(conflict);
      if (!decision) continue;
      const edits = decision.side === 'proposed' ? conflict.edits.proposed : [];
      steps.push({ kind: 'policy', path: conflict.path, edits, decision });
      return;
    }
  }
  steps.push({ kind: 'conflict', conflict });
}

function mergeObject(
  sides: SideValues, paths: SidePaths,
  ancestor: Record<string, unknown>, existing: Record<string, unknown>, proposed: Record<string, unknown>,
  policies: readonly ConflictPolicy[], steps: MergeStep[],
): void {
  const proposedKeys = Object.keys(proposed);
  const ancestorKeys = Object.keys(ancestor);
  // Proposed order first, so that a member the proposed side added finds the members before it already in place.
  const keys = [...new Set([...proposedKeys, ...Object.keys(existing), ...ancestorKeys])];
  for (const key of keys) {
    const at = (side: DocumentSide) => [...paths[side], key];
    mergeNode(
      sides,
      { ancestor: at('ancestor'), existing: at('existing'), proposed: at('proposed') },
      { proposed: keysBeforeIn(proposedKeys, key), ancestor: keysBeforeIn(ancestorKeys, key) },
      own(ancestor, key), own(existing, key), own(proposed, key),
      policies, steps,
    );
  }
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The keys before `key` in `keys`, nearest first. */
function keysBeforeIn(keys: readonly string[], key: string): string[] {
  const index = keys.indexOf(key);
  return index < 0 ? [] : keys.slice(0, index).reverse();
}

function mergeArray(
  sides: SideValues, paths: SidePaths,
  ancestor: unknown[], existing: unknown[], proposed: unknown[],
  policies: readonly ConflictPolicy[], steps: MergeStep[],
): void {
  const alignment = alignElements(ancestor, existing, proposed);
  if (alignment.kind === 'aligned') {
    mergeAlignedArray(sides, paths, alignment, ancestor, existing, proposed, policies, steps);
  } else if (alignment.local) {
    mergeArrayHunks(sides, paths, ancestor, existing, proposed, policies, steps);
  } else {
    addConflict({
      path: paths.existing,
      values: { ancestor, existing, proposed },
      edits: {
        proposed: spliceEdits(paths.existing, 0, existing.length, 'proposed', paths.proposed, 0, proposed.length),
        ancestor: spliceEdits(paths.existing, 0, existing.length, 'ancestor', paths.ancestor, 0, ancestor.length),
      },
      elements: true,
    }, policies, steps);
  }
}

/**
 * Elements aligned by identity (`element-alignment.ts`): what only the proposed side removed or inserted
 * is removed or inserted, elements both kept are merged inside. Edits are emitted from the end of the
 * array to its start (at one index, the element's own edits before an insertion in front of it), so that
 * every edit's existing index is still valid when it is applied.
 */
function mergeAlignedArray(
  sides: SideValues, paths: SidePaths, alignment: Extract<ElementAlignment, { kind: 'aligned' }>,
  ancestor: unknown[], existing: unknown[], proposed: unknown[],
  policies: readonly ConflictPolicy[], steps: MergeStep[],
): void {
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

  const insertProposed = (index: number, start: number, count: number) => {
    const edits: DocumentEdit[] = [];
    for (let k = count - 1; k >= 0; k--) edits.push({ kind: 'insert', path: at('existing', index), source: { side: 'proposed', path: at('proposed', start + k) } });
    if (edits.length) steps.push({ kind: 'take-proposed', path: paths.existing, edits });
  };
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o];
    if (op.kind === 'insert') {
      insertProposed(op.index, op.insertion.start, op.insertion.count);
      continue;
    }
    const inProposed = alignment.proposed.matched[op.ancestorIndex];
    if (inProposed >= 0) {
      mergeNode(
        sides,
        { ancestor: at('ancestor', op.ancestorIndex), existing: at('existing', op.index), proposed: at('proposed', inProposed) },
        { ancestor: [], proposed: [] },
        ancestor[op.ancestorIndex], existing[op.index], proposed[inProposed],
        policies, steps,
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
function mergeArrayHunks(
  sides: SideValues, paths: SidePaths,
  ancestor: unknown[], existing: unknown[], proposed: unknown[],
  policies: readonly ConflictPolicy[], steps: MergeStep[],
): void {
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
        mergeNode(
          sides,
          { ancestor: at('ancestor', hunk.ancestorStart + i), existing: at('existing', hunk.existingStart + i), proposed: at('proposed', hunk.proposedStart + i) },
          { ancestor: [], proposed: [] },
          ancestor[hunk.ancestorStart + i], existing[hunk.existingStart + i], proposed[hunk.proposedStart + i],
          policies, steps,
        );
      }
      continue;
    }
    addConflict({
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
    }, policies, steps);
  }
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
