import { commitTree } from './baseline';
import { GitCommandError } from './errors';
import type { Git } from './git';

/**
 * The tree of several baselines of one instantiation merged as `git merge` would merge them (`git merge-tree
 * --write-tree`, merge-ort, from their merge base: the baseline they were all generated from): the ancestor when
 * two update branches made from one baseline were both merged into the branch. Where both changed the same lines,
 * the file keeps git's conflict markers, as git's own virtual merge base does when merge bases conflict: the next
 * update then takes the project's resolution where the blueprint agrees with it, and conflicts where it does not.
 * More than two are merged one after the other, through commits that only this merge refers to. Writes objects
 * only (no ref, index or file): unreachable ones when nothing lands, which `git gc` removes.
 */
export function mergeBaselines(git: Git, baselines: readonly string[]): string {
  let [merged, ...rest] = baselines;
  let tree = git.run(['rev-parse', `${merged}^{tree}`]).trim();
  for (const [index, other] of rest.entries()) {
    const args = ['merge-tree', '--write-tree', '--no-messages', merged, other];
    const result = git.tryRun(args);
    // 0: clean; 1: conflicts, written into the tree's files with markers; anything else: git could not merge.
    if (result.status !== 0 && result.status !== 1) throw new GitCommandError(args, git.dir, result.status, result.stderr);
    tree = result.stdout.toString('utf8').split('\n')[0].trim();
    if (index < rest.length - 1) merged = commitTree(git, tree, [merged, other], 'the baselines of update branches merged into one\n', {}, false);
  }
  return tree;
}
