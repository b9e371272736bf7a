import { JsonPath, valueAt } from './json-path';
import { copyValue } from './values';

/** The three versions of a structured file, by their role in the merge. */
export type DocumentSide = 'ancestor' | 'existing' | 'proposed';

/** Where an edit's new content comes from: a node of one of the three documents (its text is reused). */
export interface SourceNode {
  readonly side: DocumentSide;
  readonly path: JsonPath;
}

/**
 * One change to the existing document, addressed in the document as it is when the edit is applied
 * (edits are applied in order; a merge emits array edits from the last index down, so indices stay valid).
 */
export type DocumentEdit =
  /**
   * Replace the value at `path`, or add the member when the object has none; a new member goes after
   * the first of `keysBefore` (the keys before it in its source, nearest first, and before those the keys the
   * existing side alone added right after the first of them it has) that the object has.
   */
  | { readonly kind: 'set'; readonly path: JsonPath; readonly source: SourceNode; readonly keysBefore: readonly string[] }
  /** Insert an array element before index `path[last]` (the length appends). */
  | { readonly kind: 'insert'; readonly path: JsonPath; readonly source: SourceNode }
  /** Remove the member or element at `path`. */
  | { readonly kind: 'delete'; readonly path: JsonPath };

/** The parsed values of the three documents. */
export type SideValues = Readonly<Record<DocumentSide, unknown>>;

/**
 * Applies edits to a parsed value: what the edited text must parse to. The text editors are checked
 * against it, so a text edit that went wrong falls back to git's result instead of writing it.
 */
export function applyEditsToValue(root: unknown, edits: readonly DocumentEdit[], sides: SideValues): unknown {
  let result = copyValue(root);
  for (const edit of edits) {
    const parentPath = edit.path.slice(0, -1);
    const last = edit.path[edit.path.length - 1];
    if (edit.path.length === 0) {
      if (edit.kind !== 'set') throw new Error('only a set can replace the whole document');
      result = copyValue(valueAt(sides[edit.source.side], edit.source.path));
      continue;
    }
    const parent = valueAt(result, parentPath) as Record<string | number, unknown> | unknown[];
    const value = edit.kind === 'delete' ? undefined : copyValue(valueAt(sides[edit.source.side], edit.source.path));
    if (Array.isArray(parent)) {
      const index = last as number;
      if (edit.kind === 'insert') parent.splice(index, 0, value);
      else if (edit.kind === 'delete') parent.splice(index, 1);
      else parent[index] = value;
    } else if (edit.kind === 'delete') {
      delete parent[last];
    } else {
      // Defined, not assigned: a member named "__proto__" (a YAML mapping is a plain object) stays a member.
      Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}
