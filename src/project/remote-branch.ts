import { ProjectInputError } from './errors';
import { Git } from './git';
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
      `(it then tracks ${taken}), or name another branch with --branch NAME; nothing changed`,
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
