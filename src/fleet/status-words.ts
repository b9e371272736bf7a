import { plural } from '../plural';

// The cells of `fleet status`'s table and of the preview's fleet page, which bundles this module: no Node modules here.

/**
 * Whether an instantiation is behind, in words, for the table and the fleet page: `no` only when its source named a
 * newest version to compare with; a source that offers none (a tarball holds one version) or could not be asked
 * (`behindUnknown`: what the cache holds is no answer) is `unknown`, not `no`.
 */
export function behindSummary(i: { readonly behind: boolean; readonly newest?: string; readonly behindUnknown?: string }): string {
  if (i.behind) return `yes${i.newest ? ` (${i.newest})` : ''}`;
  return i.newest && !i.behindUnknown ? 'no' : 'unknown';
}

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

/**
 * What became of the last update's pushed branch (`UpdateBranchNow`, read from the remote now), in a few words for the
 * table and the fleet page: `merged`, `unmerged, as pushed`, `unmerged, 2 commits since the push, conflicts resolved`, `gone`,
 * with what the base branch says where that changes what to do (`main already records …: close it`).
 */
export function updateBranchSummary(now: {
  readonly state: 'merged' | 'unmerged' | 'gone';
  readonly commitsSincePushed?: number;
  readonly rewritten?: boolean;
  readonly conflictMarkers?: readonly { readonly path: string }[];
  readonly baseRecordsTarget: boolean;
  readonly base: string;
}): string {
  const base = now.base;
  if (now.state === 'merged') return now.baseRecordsTarget ? 'merged' : `merged, but ${base} no longer records its version (reverted?)`;
  if (now.state === 'gone') return now.baseRecordsTarget ? `gone; ${base} records its version (squash or rebase merge, or updated by hand)` : 'gone, not merged';
  const parts = ['unmerged'];
  if (now.rewritten) parts.push('rewritten since the push');
  else parts.push(now.commitsSincePushed ? `${plural(now.commitsSincePushed, 'commit')} since the push` : 'as pushed');
  if (now.conflictMarkers) parts.push(now.conflictMarkers.length ? `${plural(now.conflictMarkers.length, 'file')} still marked: ${now.conflictMarkers.map(m => m.path).join(', ')}` : 'conflicts resolved');
  const unmerged = parts.join(', ');
  return now.baseRecordsTarget ? `${unmerged}; ${base} already records its version: close it` : unmerged;
}
