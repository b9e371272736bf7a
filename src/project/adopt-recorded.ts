import { commitTree, isPristine, listBaselines } from './baseline';
import { chooseBaseline, generatedOutsideHistory } from './baseline-choice';
import { ProjectInputError } from './errors';
import type { Git } from './git';
import type { Instantiation } from './instantiation-record';
import { landMerge } from './land';
import type { ProjectRepository } from './repository';

/**
 * `update --adopt` for an instantiation the repository records already: the project holds what the recorded version
 * generates with the recorded options, but no baseline in the history of `HEAD` records it (an update squash-merged,
 * or rebased, and its generated commit gone). Its way on is one of:
 *
 * - `recorded`: a pristine generated commit recording that entry is still in the repository (another branch, a
 *   remote's branch, a reflog), and is merged as it is, the project's tree unchanged (what `git merge -s ours` does);
 * - `parents`: none is, so the recorded version runs once and what it generates is committed as the baseline, a child
 *   of the newest pristine baseline in the history (as an update's would be), and merged with no file of the project
 *   changed (as `update --add --adopt` does for a repository made elsewhere).
 *
 * Either way the next update finds the baseline and merges from it. Replaying the record's step instead (the record
 * put back as an older baseline has it, or a record edit applied as a hand edit) would run the update again over
 * what the project did with it since.
 */
export type Readoption = { readonly recorded: string; readonly parents?: undefined } | { readonly recorded?: undefined; readonly parents: readonly string[] };

/**
 * Which {@link Readoption} serves `instantiation` (as `HEAD`'s record has it). Refused when its baseline is found
 * (nothing to adopt), and in a shallow clone, which may lack the baseline and whatever else could serve.
 */
export function readoption(git: Git, instantiation: Instantiation): Readoption {
  if (git.tryRun(['rev-parse', '--is-shallow-repository']).stdout.toString().trim() === 'true') {
    throw new ProjectInputError('--adopt: this is a shallow clone, which may lack the baseline: fetch the whole history first (git fetch --unshallow; in CI, fetch-depth: 0)');
  }
  const choice = chooseBaseline(git, instantiation);
  // A hand edit of options found its baseline too, but may be a squashed update that changed options only: the
  // user who says so (by asking to adopt) is taken at their word.
  if (choice.refusal === undefined && !choice.recordEdited) {
    throw new ProjectInputError(
      `--adopt: the baseline ${choice.commit.slice(0, 12)} records ${instantiation.packageName}@${instantiation.versionId} with the recorded options already; ` +
        'there is nothing to adopt (blueprint update merges from it)',
    );
  }
  const recorded = generatedOutsideHistory(git, instantiation);
  if (recorded) return { recorded };
  const pristine = listBaselines(git, instantiation.id).find(isPristine);
  return { parents: pristine ? [pristine.commit] : [] };
}

/** Refuses to adopt what a source gives when it is not the recorded version (a folder holds one version: the one it has now). */
export function assertRecordedVersion(instantiation: Instantiation, version: string): void {
  if (version === instantiation.versionId) return;
  throw new ProjectInputError(
    `--adopt runs the recorded version, ${instantiation.packageName}@${instantiation.versionId}, but its source (${instantiation.source}) gives ${version} now: ` +
      'nothing changed (a folder holds one version: put the recorded one there, or adopt from a source that still has it)',
  );
}

/**
 * Lands the pristine generated commit {@link readoption} found outside the history as merged into `HEAD` (or a new
 * `branch` made there), the project's tree unchanged; returns the merge commit.
 */
export function landRecorded(repository: ProjectRepository, instantiation: Instantiation, generated: string, branch?: string): string {
  const { git } = repository;
  const landing = landMerge({
    git, objectsDir: repository.objectsDir, head: repository.head, generated, mergedTree: repository.headTree, conflicts: [], branch,
    message: readoptionMessage(instantiation, generated),
    commit: (tree, parents, message) => commitTree(git, tree, parents, message),
  });
  if (landing.state !== 'committed') throw new Error('a merge with no conflicted path left conflicts'); // landMerge conflicts only on conflicted paths
  return landing.commit;
}

/** The message of a re-adoption's merge: which baseline it records and why; no file of the project changes. */
export function readoptionMessage(instantiation: Instantiation, found?: string): string {
  const what = `${instantiation.packageName}@${instantiation.versionId}`;
  const how = found
    ? `Records the generated commit ${found.slice(0, 12)}, found outside this history, as merged`
    : `Records what ${what} (${instantiation.source}) generates with the recorded options, generated again, as the baseline`;
  return `Adopt ${instantiation.packageName} at ${instantiation.versionId} again\n\n${how}: the record names ${what}, ` +
    'but the generated commit of the update to it was not in the history (squash-merged or rebased), and the project already holds its changes; ' +
    'no file of the project changes. The next update merges from this baseline.\n';
}
