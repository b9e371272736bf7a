import { plural } from '../plural';

// The cells of `fleet status`'s table and of the preview's fleet page, which bundles this module: no Node modules here.

/**
 * An instantiation's hand edits (as `fleet status` finds them) in a few words, for its table and the preview's fleet
 * page: how many owned files, and how many of them the next update overwrites (`alwaysUpdate`: a `blueprint check`
 * in the repository fails on those); `unknown` when no baseline tells.
 */
export function handEditsSummary(instantiation: { readonly editedByHand?: readonly { readonly drift: boolean }[] }): string {
  const edited = instantiation.editedByHand;
  if (!edited) return 'unknown';
  if (edited.length === 0) return 'none';
  const drift = edited.filter(edit => edit.drift).length;
  return `${plural(edited.length, 'file')}${drift ? ` (${drift} the next update overwrites)` : ''}`;
}

/** The files an update committed with conflict markers that still hold them, in a few words; `unknown` when no baseline tells. */
export function conflictMarkersSummary(instantiation: { readonly unresolvedConflicts?: readonly { readonly path: string }[] }): string {
  const marked = instantiation.unresolvedConflicts;
  if (!marked) return 'unknown';
  return marked.length === 0 ? 'none' : plural(marked.length, 'file');
}
