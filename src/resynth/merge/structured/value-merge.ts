/**
 * The three-way merge of parsed values: objects member by member, arrays element by element.
 *
 * Algorithm: per node, the usual three-way rule (a side equal to the ancestor takes the other side);
 * where both changed, objects recurse into their members and arrays are merged element by element
 * (`array-merge.ts`); anything else both sides changed differently is a conflict at that path, and so is
 * a version written as an object of its parts (`isVersionRecord`), which is one value.
 *
 * The result is not a value but the list of edits that turn the existing document into it, so that
 * the text editors can make exactly those changes and leave the rest of the existing text alone.
 */
import { mergeArray } from './array-merge';
import { DocumentEdit, DocumentSide, SideValues } from './edits';
import { JsonPath } from './json-path';
import { isVersionRecord, keysInOrder, sameValue, shapeOf, shareSomething } from './values';

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

/**
 * Decides a conflict, or leaves it (undefined). Policies see only member conflicts, not array hunks, and the
 * three whole documents beside them (a dependency gone from one field may be in another).
 */
export type ConflictPolicy = (conflict: ValueConflict, documents: SideValues) => PolicyDecision | undefined;

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
export type SidePaths = Readonly<Record<DocumentSide, JsonPath>>;

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
  // Both changed a version written as an object of its parts: one value, not members to merge one by one.
  const bothChangedVersion = !sameValue(ancestor, existing) && (isVersionRecord(existing) || isVersionRecord(proposed));
  if ((bothAdded && !shareSomething(existing as object, proposed as object)) || bothChangedVersion) {
    addConflict(memberConflict(paths, keysBefore, ancestor, existing, proposed), sides, policies, steps);
    return;
  }
  if (shape === 'object' && shapeOf(proposed) === 'object') {
    mergeObject(sides, paths, base as Record<string, unknown>, existing as Record<string, unknown>, proposed as Record<string, unknown>, policies, steps);
    return;
  }
  if (shape === 'array' && shapeOf(proposed) === 'array') {
    mergeArray(paths, base as unknown[], existing as unknown[], proposed as unknown[], {
      steps,
      mergeElement: (elementPaths, a, e, p) => mergeNode(sides, elementPaths, { ancestor: [], proposed: [] }, a, e, p, policies, steps),
      addConflict: conflict => addConflict(conflict, sides, policies, steps),
    });
    return;
  }
  addConflict(memberConflict(paths, keysBefore, ancestor, existing, proposed), sides, policies, steps);
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

/** An empty object or array: nothing of the existing text to keep inside it, so the proposed text replaces it whole. */
function isEmpty(value: unknown): boolean {
  return Object.keys(value as object).length === 0;
}

/** The edit that makes the existing node `side`'s version of it (absent there: deleted). */
function replaceWith(paths: SidePaths, side: 'ancestor' | 'proposed', value: unknown, keysBefore: readonly string[]): DocumentEdit {
  if (value === undefined) return { kind: 'delete', path: paths.existing };
  return { kind: 'set', path: paths.existing, source: { side, path: paths[side] }, keysBefore };
}

function addConflict(conflict: ValueConflict, sides: SideValues, policies: readonly ConflictPolicy[], steps: MergeStep[]): void {
  if (!conflict.elements) {
    for (const policy of policies) {
      const decision = policy(conflict, sides);
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
  const proposedKeys = keysInOrder(proposed);
  const ancestorKeys = keysInOrder(ancestor);
  // Proposed order first, so that a member the proposed side added finds the members before it already in place.
  const existingKeys = keysInOrder(existing);
  const keys = [...new Set([...proposedKeys, ...existingKeys, ...ancestorKeys])];
  let insertions: ExistingInsertions | undefined;
  for (const key of keys) {
    const [a, e, p] = [own(ancestor, key), own(existing, key), own(proposed, key)];
    // A member the proposed side left alone (or changed as the existing side did) needs no step. Skipped
    // here, before its keys-before lists are built: each copies the whole key list, which for every member
    // of an object of tens of thousands (a translations file) would take seconds of the file's merge.
    if (sameValue(e, p) || sameValue(a, p)) continue;
    const at = (side: DocumentSide) => [...paths[side], key];
    const proposedBefore = e === undefined ? afterExistingInsertions(insertions ??= existingInsertions(existingKeys, ancestorKeys, proposedKeys), keysBeforeIn(proposedKeys, key)) : keysBeforeIn(proposedKeys, key);
    mergeNode(
      sides,
      { ancestor: at('ancestor'), existing: at('existing'), proposed: at('proposed') },
      {
        proposed: proposedBefore,
        // A member the existing side removed and the proposed side changed is put back into the existing text in
        // both the ancestor's and the proposed side's version, to mark the conflict: at one place, or the line
        // merge reads a line removed here and another added there, and takes the proposed side's cleanly
        // (a dependency renamed in jupyterlab's resolutions, whose old name the other branch bumped).
        ancestor: e === undefined && a !== undefined ? proposedBefore : keysBeforeIn(ancestorKeys, key),
      },
      a, e, p,
      policies, steps,
    );
  }
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The existing object's keys (with their places), and the ancestor's and the proposed side's, to tell which the existing side alone added. */
interface ExistingInsertions {
  readonly keys: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly ancestor: ReadonlySet<string>;
  readonly proposed: ReadonlySet<string>;
}

function existingInsertions(existingKeys: readonly string[], ancestorKeys: readonly string[], proposedKeys: readonly string[]): ExistingInsertions {
  return { keys: existingKeys, index: new Map(existingKeys.map((key, at) => [key, at])), ancestor: new Set(ancestorKeys), proposed: new Set(proposedKeys) };
}

/**
 * The keys before a member the proposed side has and the existing one lacks (`keysBefore`: the proposed side's,
 * nearest first), with the members the existing side alone added right after the nearest of those it has (or
 * first in the object, where none preceded it) put nearest: where both sides inserted members at one place, the
 * existing side's come first, as git writes the two sides of its conflict and as people resolve it. A member
 * the proposed side added before this one was put there already, and this one goes right after it.
 */
function afterExistingInsertions(existing: ExistingInsertions, keysBefore: readonly string[]): string[] {
  let start = 0;
  if (keysBefore.length > 0) {
    const anchor = keysBefore.find(key => existing.index.has(key) || !existing.ancestor.has(key));
    if (anchor === undefined || !existing.index.has(anchor)) return [...keysBefore];
    start = existing.index.get(anchor)! + 1;
  }
  let end = start;
  const added = (key: string) => !existing.ancestor.has(key) && !existing.proposed.has(key);
  while (end < existing.keys.length && added(existing.keys[end])) end++;
  return [...existing.keys.slice(start, end).reverse(), ...keysBefore];
}

/** The keys before `key` in `keys`, nearest first. */
function keysBeforeIn(keys: readonly string[], key: string): string[] {
  const index = keys.indexOf(key);
  return index < 0 ? [] : keys.slice(0, index).reverse();
}
