import type { ResynthOptions } from '../blueprint/blueprint';
import type { ConflictStyle, MarkerLabels } from '../resynth/merge';
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

/**
 * The names `git merge` writes after an update's conflict markers: `HEAD` for the project's side, the merge base
 * for the ancestor's lines (its short id, as `git rev-parse --short` abbreviates it; `merged common ancestors`
 * when the ancestor merges several baselines, `empty tree` when there is none, as git says) and, where git names
 * the branch or commit merged, `blueprint` (the blueprint at its new version). The short id is asked of git at
 * once, in the background.
 */
export function gitMarkerLabels(git: Git, baseline: string | undefined, baselines: readonly string[], blueprint: string): { labels(): MarkerLabels } {
  const labels = (ancestor: string): MarkerLabels => ({ existing: 'HEAD', ancestor, proposed: blueprint });
  if (baselines.length > 1) return { labels: () => labels('merged common ancestors') };
  if (baseline === undefined) return { labels: () => labels('empty tree') };
  const short = git.start(['rev-parse', '--short', baseline]);
  return {
    labels: () => {
      const result = short.result();
      return labels(result.status === 0 ? result.stdout.toString('utf8').trim() : baseline);
    },
  };
}
