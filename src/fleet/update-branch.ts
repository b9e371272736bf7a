import { CommittedConflict, committedConflicts } from '../project/committed-conflicts';
import { Git } from '../project/git';

/**
 * What became of the branch a fleet update pushed, read from the remote now (the work clone just fetched it, pruned):
 * the last run's outcome is history, this is what an operator acts on. `merged`: the base branch holds the pushed
 * commit (a merge commit, or a fast-forward); `unmerged`: the branch is on the remote, unmerged; `gone`: neither.
 */
export interface UpdateBranchNow {
  readonly state: 'merged' | 'unmerged' | 'gone';
  /** The update branch's name. */
  readonly branch: string;
  /** The base branch it was made on, which the states are read against. */
  readonly base: string;
  /** `unmerged`: its tip now. */
  readonly tip?: string;
  /** `unmerged`: how many commits others added on top of the commit the fleet pushed. */
  readonly commitsSincePushed?: number;
  /** `unmerged`: the branch no longer holds the commit the fleet pushed (force-pushed over, rebased). */
  readonly rewritten?: boolean;
  /**
   * `unmerged`, when the update was pushed with its conflicts: the files that commit marked that still hold markers at
   * the tip (none: a developer resolved them there).
   */
  readonly conflictMarkers?: readonly CommittedConflict[];
  /**
   * Whether the base branch records the version the update went to: an `unmerged` or `gone` branch whose version
   * the base branch has anyway (updated by hand, or merged by a squash or a rebase), or a `merged` one that the
   * base branch no longer records (reverted).
   */
  readonly baseRecordsTarget: boolean;
}

/**
 * The pushed update branch's state now (see {@link UpdateBranchNow}), from the work clone's remote-tracking refs.
 * `commit` is what the fleet pushed; `conflicted` whether it was pushed with its conflicts committed.
 */
export function updateBranchNow(git: Git, base: string, pushed: { branch: string; commit: string; conflicted: boolean }, baseRecordsTarget: boolean): UpdateBranchNow {
  const { branch, commit } = pushed;
  const baseRef = `refs/remotes/origin/${base}`;
  // A commit the clone lacks (fetched away with a pruned branch and never merged) is merged nowhere.
  const known = git.resolveCommit(commit) !== undefined;
  if (known && git.tryRun(['merge-base', '--is-ancestor', commit, baseRef]).status === 0) return { state: 'merged', branch, base, baseRecordsTarget };
  const tip = git.resolveCommit(`refs/remotes/origin/${branch}`);
  if (!tip) return { state: 'gone', branch, base, baseRecordsTarget };
  const holds = known && git.tryRun(['merge-base', '--is-ancestor', commit, tip]).status === 0;
  const commitsSincePushed = holds ? Number(git.run(['rev-list', '--count', `${commit}..${tip}`])) : undefined;
  return {
    state: 'unmerged', branch, base, tip, baseRecordsTarget,
    ...(holds ? { commitsSincePushed } : { rewritten: true }),
    ...(pushed.conflicted && known ? { conflictMarkers: committedConflicts(git, commit, tip) } : {}),
  };
}
