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
  const authors = git.run(['log', '--format=%an', `HEAD..refs/remotes/${taken}`]).split('\n').filter(Boolean);
  const who = authors.length ? `; ${plural(authors.length, 'commit')} on it that HEAD lacks, by ${[...new Set(authors)].join(', ')}` : '';
  return new ProjectInputError(
    `--branch ${branch}: ${taken} exists already${who} (someone's update branch?): carry on there with 'git switch ${branch}' ` +
      `(it then tracks ${taken}), or name another branch with --branch NAME; nothing changed`,
  );
}
