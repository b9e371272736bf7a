import type { ResynthOptions } from '../blueprint/blueprint';
import type { ConflictStyle } from '../resynth/merge';
import { ProjectInputError } from './errors';
import { Git } from './git';

const STYLES: readonly ConflictStyle[] = ['merge', 'diff3', 'zdiff3'];

/**
 * The text merge of an update, as `git merge` would run it in this repository: the histogram diff (what its
 * `ort` strategy diffs a file's content with; `git merge-file` diffs with Myers, and on about one file in
 * twenty that both branches changed the two place a hunk differently), and the conflict style the
 * repository's git configuration sets (`merge.conflictStyle`), unless the caller names one (`--style`).
 *
 * git is asked at once, in the background, and answered when the merge needs it: `settings()` throws a
 * {@link ProjectInputError} for a style git itself refuses, before anything is written.
 */
export function gitMergeSettings(git: Git, merge: ResynthOptions = {}): { settings(): ResynthOptions } {
  const withHistogram = { ...merge, diffAlgorithm: merge.diffAlgorithm ?? 'histogram' as const };
  if (merge.style) return { settings: () => withHistogram };
  const configured = git.start(['config', '--get', 'merge.conflictStyle']);
  return {
    settings: () => {
      const result = configured.result();
      // Exit 1: not set anywhere.
      if (result.status !== 0) return withHistogram;
      const style = result.stdout.toString('utf8').trim();
      if (!STYLES.includes(style as ConflictStyle)) {
        throw new ProjectInputError(`git's merge.conflictStyle is '${style}' (git config --show-origin merge.conflictStyle says where), ` +
          `which git merge refuses too: set it to one of ${STYLES.join(', ')}, or give --style`);
      }
      return { ...withHistogram, style: style as ConflictStyle };
    },
  };
}
