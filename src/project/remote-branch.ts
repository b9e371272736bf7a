import { ProjectInputError } from './errors';
import { Git } from './git';
import type { UpdateConfig } from './repository-config';
import { plural } from '../plural';

/**
 * The refusal of an update branch whose name a remote has already (a remote-tracking `origin/<branch>`, as the last
 * fetch saw it), or undefined. Most often someone ran the same update and pushed it for review, then resolved its
 * conflicts there: a second branch of that name, unrelated to the first, could only be pushed by force (losing their
 * commits) or pulled in (merging two generated commits of one version, and resolving the same conflicts twice). The
 * fleet decides the same case on its own (a branch with commits it did not make is not overwritten).
 */
export function remoteBranchTaken(git: Git, branch: string): ProjectInputError | undefined {
  const remotes = git.run(['remote']).split('\n').filter(Boolean);
  const taken = remotes.map(remote => `${remote}/${branch}`).find(name => git.resolveCommit(`refs/remotes/${name}`));
  if (!taken) return undefined;
  // Who worked there, from what HEAD does not have: the people to ask before anything else is done.
  const lacking = commitsHeadLacks(git, `refs/remotes/${taken}`);
  const who = lacking ? `; ${lacking.commits} on it that HEAD lacks, by ${lacking.authors}` : '';
  return new ProjectInputError(
    `--branch ${branch}: ${taken} exists already${who} (someone's update branch?): carry on there with 'git switch ${branch}' ` +
      `(it then tracks ${taken}), or name another branch with --branch NAME; nothing changed; ` +
      // A pull request closed unmerged has its branch deleted on the remote, which a clone learns only when it prunes.
      `if its pull request was closed and the branch deleted, 'git fetch --prune' forgets ${taken}, which is as the last fetch saw it`,
  );
}

/**
 * The commits of `ref` that HEAD lacks, counted (`2 commits`), and their authors (`Ana, Bo`): the people to ask
 * before a branch is replaced or deleted. Undefined when HEAD has them all.
 */
export function commitsHeadLacks(git: Git, ref: string): { readonly commits: string; readonly authors: string } | undefined {
  const authors = git.run(['log', '--format=%an', `HEAD..${ref}`]).split('\n').filter(Boolean);
  return authors.length ? { commits: plural(authors.length, 'commit'), authors: [...new Set(authors)].join(', ') } : undefined;
}

/**
 * Warnings for an update landing on `branch` (`refs/heads/...`) where the way it is pulled later would lose it:
 * its upstream has commits the branch lacks (as the last fetch saw them), so the merge diverges from it, and a
 * `git pull` comes next; and `pull.rebase` (or `branch.<name>.rebase`), with which that pull replays the update's
 * generated commit onto the upstream as a copy (the next update then refuses, and `update --adopt` is needed).
 * `git merge` warns of neither, but it makes no commit that must stay a merge. Nothing when there is no upstream.
 *
 * git is asked at once, in the background (see `Git.start`), while the blueprint runs, and the settings are the
 * update's configuration's (see {@link UpdateConfig}); the returned function gives the warnings.
 */
export function startUpstreamWarnings(git: Git, branch: string, config: UpdateConfig): () => string[] {
  const tracking = git.start(['for-each-ref', '--format=%(upstream:short)%00%(upstream:track,nobracket)', branch]);
  return () => upstreamWarnings(branch, tracking.output().toString('utf8'), config);
}

function upstreamWarnings(branch: string, tracking: string, config: UpdateConfig): string[] {
  const [upstream, track] = tracking.trim().split('\0');
  if (!upstream) return [];
  const name = branch.replace(/^refs\/heads\//, '');
  const behind = /behind (\d+)/.exec(track ?? '');
  // The branch's own setting wins over pull.rebase, as in git pull; 'merges' and 'interactive' rebase too.
  const setting = [`branch.${name}.rebase`, 'pull.rebase'].map(key => ({ key, value: config.get(key)?.trim() ?? '' })).find(({ value }) => value !== '');
  const warnings: string[] = [];
  if (behind) {
    warnings.push(`${name} is ${plural(Number(behind[1]), 'commit')} behind ${upstream} (as the last fetch saw it): this update's merge diverges from it; ` +
      `pull it in with 'git pull --no-rebase' (a merge), not a rebase, which would drop the update's generated commit`);
  }
  if (setting && /^(merges|m)$/i.test(setting.value)) {
    // git rebase --rebase-merges keeps the generated commit where it is (it does not start from the upstream), and
    // makes the update's merge again with git's own merge, which knows nothing of the strategies: nothing refuses later,
    // and only check sees it, for the files owned outright (remadeMergeWarnings).
    warnings.push(`${setting.key} is set (${setting.value}), so a 'git pull' of ${upstream} rebases with --rebase-merges: until this update is pushed, ` +
      `pull with 'git pull --no-rebase', or git makes the update's merge again with its own merge, which undoes what the strategies decided ` +
      `otherwise, with no word (a file kept as the project has it, as neverUpdate keeps one, takes the blueprint's changes; only check warns of it after)`);
  } else if (setting && !/^(false|no|off|0)$/i.test(setting.value)) {
    warnings.push(`${setting.key} is set (${setting.value}), so a 'git pull' of ${upstream} rebases: until this update is pushed, pull with 'git pull --no-rebase', ` +
      `or the update's generated commit is replayed as a copy, which the next update refuses (then 'blueprint update --adopt')`);
  }
  return warnings;
}
