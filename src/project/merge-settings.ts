import type { ResynthOptions } from '../blueprint/blueprint';
import type { ConflictStyle, MarkerLabels } from '../resynth/merge';
import { CONFLICT_STYLES, isConflictStyle } from '../resynth/merge/types';
import { ProjectInputError } from './errors';
import { Git } from './git';
import type { UpdateConfig } from './repository-config';

/**
 * The text merge of an update, as `git merge` would run it in this repository: the histogram diff (what its
 * `ort` strategy diffs a file's content with; `git merge-file` diffs with Myers, and on about one file in
 * twenty that both branches changed the two place a hunk differently), and the conflict style the
 * repository's git configuration sets (`merge.conflictStyle`), unless the caller names one (`--style`).
 *
 * git is asked at once, in the background, and answered when the merge needs it: `settings()` throws a
 * {@link ProjectInputError} for a style git itself refuses, before anything is written.
 */
export function gitMergeSettings(git: Git, merge: ResynthOptions = {}, config?: UpdateConfig): { settings(): ResynthOptions } {
  const withHistogram = { ...merge, diffAlgorithm: merge.diffAlgorithm ?? 'histogram' as const };
  if (merge.style) return { settings: () => withHistogram };
  // Where the update's configuration is read already, taken from it: the last value, as --get gives ('' set without one).
  const started = config ? undefined : git.start(['config', '--get', 'merge.conflictStyle']);
  const configured = (): string | undefined => {
    if (config) return config.get('merge.conflictstyle')?.trim();
    const result = started!.result();
    // Exit 1: not set anywhere.
    return result.status === 0 ? result.stdout.toString('utf8').trim() : undefined;
  };
  return {
    settings: () => {
      const style = configured();
      if (style === undefined) return withHistogram;
      if (!isConflictStyle(style)) {
        throw new ProjectInputError(`git's merge.conflictStyle is '${style}' (git config --show-origin merge.conflictStyle says where), ` +
          `which git merge refuses too: set it to one of ${CONFLICT_STYLES.join(', ')}, or give --style`);
      }
      return { ...withHistogram, style };
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

/**
 * The labels a merge driver (`blueprint merge-driver`) writes, as git would: `%S %X %Y` (`given`: ancestor,
 * current, other) as git gives them. git before 2.44 leaves them unreplaced; then as its own merge writes them:
 * `HEAD` for the current side, for the other side the name `git merge` was given (it leaves
 * `GITHEAD_<commit>=<name>` in the driver's environment) with the merge base's short id for the ancestor (asked of
 * git only where the style shows it), and `theirs` and `base` where git says nothing (a rebase, a cherry-pick).
 * In the inner merge of a criss-cross merge (`innerDepth` > 0: git merging its several merge bases into one
 * ancestor) the sides are not HEAD and the branch but the merge bases, which git calls `Temporary merge branch 1`
 * and `2`; their markers stay in the ancestor, where diff3 shows them to whoever resolves the outer conflict.
 */
export function driverMarkerLabels(git: Git, given: readonly string[], style: ConflictStyle, innerDepth = 0): MarkerLabels {
  const [ancestor, existing, proposed] = [0, 1, 2].map(index => given[index] === undefined || /^%[SXY]$/.test(given[index]) ? undefined : given[index]);
  const merged = Object.entries(process.env).filter(([name]) => /^GITHEAD_[0-9a-f]{40,64}$/.test(name));
  const other = merged.length === 1 ? merged[0] : undefined;
  const inner = innerDepth > 0;
  const ancestorLabel = () => {
    if (style === 'merge' || !other) return undefined;
    const commit = other[0].slice('GITHEAD_'.length);
    return inner ? innerMergeBaseLabel(git, commit, innerDepth) : mergeBaseLabel(git, 'HEAD', commit);
  };
  return {
    existing: existing ?? (inner ? 'Temporary merge branch 1' : 'HEAD'),
    proposed: proposed ?? (inner ? 'Temporary merge branch 2' : other?.[1] ?? 'theirs'),
    ancestor: ancestor ?? ancestorLabel() ?? 'base',
  };
}

/**
 * How deep in git's inner merges a driver runs, from the marker size git gave it (`%L`): git adds 2 for each level
 * of a criss-cross merge's merge of merge bases to the size the path's `conflict-marker-size` attribute sets
 * (7 where none does), so the inner markers never read as the outer ones.
 */
export function innerMergeDepth(git: Git, path: string, markerSize: number | undefined): number {
  if (markerSize === undefined) return 0;
  const outer = conflictMarkerSize(git, path);
  // Outside a repository (a run by hand) no git merge is under way: the size is the one asked for.
  if (outer === undefined) return 0;
  const extra = markerSize - outer;
  return extra > 0 && extra % 2 === 0 ? extra / 2 : 0;
}

/**
 * The marker size git merges `path` with: what its `conflict-marker-size` attribute sets, else git's 7 (a size
 * that is not positive too, as git reads it); undefined where git cannot say (not in a repository).
 */
export function conflictMarkerSize(git: Git, path: string): number | undefined {
  const attribute = git.tryRun(['check-attr', 'conflict-marker-size', '--', path]);
  if (attribute.status !== 0) return undefined;
  const set = /: conflict-marker-size: (\d+)$/.exec(attribute.stdout.toString('utf8').trim());
  return set && Number(set[1]) > 0 ? Number(set[1]) : 7;
}

/** The name git gives the ancestor of a merge of `commit` into `head`: the base's short id, or `merged common ancestors`. */
function mergeBaseLabel(git: Git, head: string, commit: string): string | undefined {
  const bases = mergeBases(git, head, commit);
  if (bases === undefined) return undefined;
  if (bases.length !== 1) return bases.length ? 'merged common ancestors' : undefined;
  const short = git.tryRun(['rev-parse', '--short', bases[0]]);
  return short.status === 0 ? short.stdout.toString('utf8').trim() : undefined;
}

/**
 * The ancestor's name in the inner merge of HEAD and `commit`'s two merge bases: theirs, as git names it. Three or
 * more bases are merged one after another into commits that exist only in git's memory: no name can be asked for.
 */
function innerMergeBaseLabel(git: Git, commit: string, depth: number): string | undefined {
  const bases = mergeBases(git, 'HEAD', commit);
  if (depth !== 1 || bases?.length !== 2) return 'merged common ancestors';
  return mergeBaseLabel(git, bases[0], bases[1]);
}

function mergeBases(git: Git, one: string, other: string): string[] | undefined {
  const bases = git.tryRun(['merge-base', '--all', one, other]);
  if (bases.status !== 0) return undefined;
  return bases.stdout.toString('utf8').trim().split('\n').filter(Boolean);
}
