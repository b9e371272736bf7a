import { BaselineCommit, isPristine } from './baseline';
import type { Git } from './git';
import type { UpdateFileReport } from './update-report';
import { commandPath } from '../printable';

/**
 * What the first update from a baseline an older build's `create` made says of the files it deletes. Before create
 * ran the blueprint a second time, seeing the project it had made, its baseline held what a blueprint writes for a
 * new project only (a README it leaves alone once there is one); the first update, whose blueprint sees the project,
 * deletes such a file where nobody edited it, as one the new version no longer generates. Those baselines have no
 * parent (create's) and no Bluesynth-Repositories trailer, which came later; builds between the two rules made some
 * too, so the warning says "if". Costs one git command, only when such an update deletes a file.
 */
export function createdBeforeSecondRunWarnings(
  git: Git, ancestors: readonly string[], listed: readonly BaselineCommit[] | undefined, files: readonly UpdateFileReport[], previous: string,
): string[] {
  const deleted = files.filter(file => file.outcome === 'deleted').map(file => file.path);
  if (deleted.length === 0 || ancestors.length !== 1) return [];
  const baseline = listed?.find(entry => entry.commit === ancestors[0]);
  if (!baseline || baseline.repositories !== undefined || !isPristine(baseline)) return [];
  // "<commit>" alone: no parent, a create's (or an --add's, which has no files written for a new project only).
  if (git.run(['rev-list', '--parents', '-n', '1', baseline.commit]).trim().includes(' ')) return [];
  const them = deleted.length === 1 ? 'it' : 'them';
  return [`${deleted.length === 1 ? 'a file' : 'files'} the blueprint no longer generates ${deleted.length === 1 ? 'is' : 'are'} deleted (${deleted.map(commandPath).join(', ')}), ` +
    `and the project was created from ${previous} by an older bluesynth, whose first baseline also held what a blueprint writes for a new project only ` +
    `(a README it leaves alone once there is one): if that is why, once this update is committed, bring ${them} back with ` +
    `'git checkout HEAD^1 -- ${deleted.map(commandPath).join(' ')}' and a commit, and later updates leave ${them}`];
}
