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
 * with what the base branch says where that changes what to do (`main already records …: close it`, unless the forge
 * says its pull request was merged: `pullRequestMerged`).
 */
export function updateBranchSummary(now: {
  readonly state: 'merged' | 'unmerged' | 'gone';
  readonly commitsSincePushed?: number;
  readonly rewritten?: boolean;
  readonly conflictMarkers?: readonly { readonly path: string }[];
  readonly baseRecordsTarget: boolean;
  readonly base: string;
}, pullRequestMerged = false): string {
  const base = now.base;
  if (now.state === 'merged') return now.baseRecordsTarget ? 'merged' : `merged, but ${base} no longer records its version (reverted?)`;
  if (now.state === 'gone') return now.baseRecordsTarget ? `gone; ${base} records its version (squash or rebase merge, or updated by hand)` : 'gone, not merged';
  const parts = ['unmerged'];
  if (now.rewritten) parts.push('rewritten since the push');
  else parts.push(now.commitsSincePushed ? `${plural(now.commitsSincePushed, 'commit')} since the push` : 'as pushed');
  if (now.conflictMarkers) parts.push(now.conflictMarkers.length ? `${plural(now.conflictMarkers.length, 'file')} still marked: ${now.conflictMarkers.map(m => m.path).join(', ')}` : 'conflicts resolved');
  const unmerged = parts.join(', ');
  if (!now.baseRecordsTarget) return unmerged;
  // Its pull request merged (the forge says so) by squash or rebase: nothing to close, the branch is left over.
  return pullRequestMerged ? `${unmerged}; ${base} records its version (squash or rebase merge)` : `${unmerged}; ${base} already records its version: close it`;
}

/**
 * The last update's pull request as the forge tells it now, in a few words for `fleet status`'s table: `open #12 URL`,
 * `draft …`, `merged …`, `closed unmerged …`, `none`, or `cannot tell: why`. A merged one whose branch git still sees
 * unmerged was merged by squash or rebase, which the update branch column cannot see: said here, where it is known.
 */
export function pullRequestSummary(now: { readonly state: string; readonly number?: number; readonly url?: string; readonly error?: string }, branchState?: string): string {
  if (now.state === 'none') return 'none';
  if (now.state === 'unknown') return `cannot tell: ${now.error}`;
  const which = [now.number !== undefined ? `#${now.number}` : '', now.url ?? ''].filter(Boolean).join(' ');
  const state = now.state === 'closed' ? 'closed unmerged' : now.state;
  const squashed = now.state === 'merged' && branchState === 'unmerged' ? ' (by squash or rebase: the branch stays unmerged)' : '';
  return `${state}${which ? ` ${which}` : ''}${squashed}`;
}
