import * as crypto from 'crypto';
import { chooseBaseline, landingOf } from '../project/baseline-choice';
import { sourceVersions } from '../project/check';
import { CommittedConflict, conflictsLeft } from '../project/committed-conflicts';
import { Git } from '../project/git';
import { HandEdit, handEdits, instantiationTree } from '../project/hand-edits';
import { Instantiation, parseRecord, RECORD_PATH } from '../project/instantiation-record';
import { runAll } from '../runner/synthesize';
import type { FleetOutcome, FleetRepository } from './fleet-job';
import type { Forge, PullRequestNow } from './forges';
import { readLastOutcomes } from './report';
import { mixedSources, recordedPlace } from './trusted-source';
import { UpdateBranchNow, updateBranchNow } from './update-branch';
import { fetchWorkClone, RefreshedClone } from './work-clone';

/**
 * How many repositories `fleet status` and the fleet page fetch at once by default (see `refreshWorkClones`): the work
 * is the remotes' and the network's, not this machine's cores.
 */
export const DEFAULT_STATUS_JOBS = 8;

/** One row of `fleet status`: a repository and what it records, or why it could not be read. */
export interface FleetRepositoryStatus {
  readonly name: string;
  readonly url: string;
  /** The blueprint (package name), its version and a digest of its options, per instantiation. */
  readonly instantiations: readonly {
    /** The instantiation's id. */
    readonly id: string;
    readonly blueprint: string;
    readonly version: string;
    readonly optionsDigest: string;
    /** Where its record says the blueprint comes from (`git HOST/PATH`, `npm NAME`, `folder PATH`): what a fleet update runs for it. */
    readonly source?: string;
    /** The newest version its source offers, when it could be asked. */
    readonly newest?: string;
    readonly behind: boolean;
    /** Why `behind` is false without being known: the source could not be resolved or asked (`newest` is then the cache's), as `blueprint check` says. */
    readonly behindUnknown?: string;
    /**
     * The files its ownership entries own outright that were edited by hand at the tip of the branch since its last
     * create or update landed them, as `blueprint check` lists them there (`drift` under `alwaysUpdate`: a `check`
     * in the repository fails on it). Absent when that cannot be told, and then {@link handEditsUnknown} says why.
     */
    readonly editedByHand?: readonly HandEdit[];
    /**
     * Files the last update's merge committed with conflict markers (a fleet's `--push-conflicts`, or a developer's
     * `git commit` of an unresolved merge), or generated files another commit left markers in (a rebase continued over
     * its conflicts), that still hold them at the tip of the branch, as `blueprint check` lists them; absent with
     * {@link editedByHand}.
     */
    readonly unresolvedConflicts?: readonly CommittedConflict[];
    /** Why the hand edits and conflict markers cannot be told: no baseline to compare with (a rebased or squashed update), say. */
    readonly handEditsUnknown?: string;
  }[];
  /**
   * The last fleet update's outcome in this work folder, if any: about the instantiation it names, or
   * (without one: it failed before one was picked, or was saved by an older version) the whole repository.
   */
  readonly lastUpdate?: Pick<FleetOutcome, 'state' | 'reason' | 'to' | 'branch' | 'commit' | 'instantiation' | 'warnings' | 'conflicts' | 'overridden' | 'pushed' | 'pullRequest'> & { readonly finishedAt?: string };
  /**
   * What became of the branch the last update pushed, read from the remote now: merged, unmerged (with the conflict
   * markers it still holds, and commits others added), or gone. Absent when that update pushed nothing, or the
   * repository could not be read. {@link lastUpdate} is what that run said then, which this may contradict.
   */
  readonly updateBranch?: UpdateBranchNow;
  /**
   * The last update's pull request as the forge tells it now (`fleet status --forge`): its state, `none` when the forge
   * has none for the branch, or `unknown` with why the forge could not be asked (no token, a 404, a forge down).
   * Absent without a forge, or when the last update named no branch.
   */
  readonly pullRequestNow?: PullRequestNowCell;
  /** Why the repository could not be read. */
  readonly error?: string;
}

/** What `fleet status` learnt from the forge of one update branch's pull request. */
export type PullRequestNowCell = PullRequestNow | { readonly state: 'none' } | { readonly state: 'unknown'; readonly error: string };

/**
 * Asks `forge` (or says on each row why it cannot: `forge` is then that reason) for the pull request of the branch each
 * row's last update named, one request per repository, at most `jobs` at once. A forge's failure is its row's, never
 * the whole status's: a person reads the rest.
 */
export async function withPullRequestsNow(rows: readonly FleetRepositoryStatus[], forge: Forge | string, jobs: number): Promise<FleetRepositoryStatus[]> {
  return runAll([...rows], jobs, async row => {
    const head = row.lastUpdate?.branch;
    if (!head) return row;
    return { ...row, pullRequestNow: await pullRequestNow(forge, { remote: row.url, head, base: row.updateBranch?.base }) };
  });
}

async function pullRequestNow(forge: Forge | string, query: { remote: string; head: string; base?: string }): Promise<PullRequestNowCell> {
  if (typeof forge === 'string') return { state: 'unknown', error: forge };
  try {
    return (await forge.findPullRequest!(query)) ?? { state: 'none' };
  } catch (error) {
    return { state: 'unknown', error: (error as Error).message.split('\n')[0] };
  }
}

/**
 * Reads each repository's instantiation record at the tip of its branch: from the work folder's clone when
 * there is one (a fetch brings it up to date, and nothing else of the clone changes, so a run in progress is
 * undisturbed), else from a new clone there, which a later update reuses.
 * Asks each blueprint source once for its newest version. With `refreshed` (see `refreshWorkClones`), the clones were
 * fetched beforehand, side by side, and only read here.
 */
export function fleetStatus(repositories: readonly FleetRepository[], workDir: string, refreshed?: ReadonlyMap<string, RefreshedClone>): FleetRepositoryStatus[] {
  const last = readLastOutcomes(workDir);
  const newestBySource = new Map<string, ReturnType<typeof sourceVersions>>();
  return repositories.map(repository => {
    const lastOutcome = last.get(repository.name);
    const lastUpdate = lastOutcome && {
      state: lastOutcome.state, reason: lastOutcome.reason, to: lastOutcome.to, branch: lastOutcome.branch, instantiation: lastOutcome.instantiation,
      ...(lastOutcome.commit ? { commit: lastOutcome.commit } : {}),
      ...(lastOutcome.warnings ? { warnings: lastOutcome.warnings } : {}),
      // Which files wait on a person, whether the branch is on the remote, and its pull request: what the run's own table said.
      ...(lastOutcome.conflicts ? { conflicts: lastOutcome.conflicts } : {}),
      ...(lastOutcome.overridden ? { overridden: lastOutcome.overridden } : {}),
      ...(lastOutcome.pushed !== undefined ? { pushed: lastOutcome.pushed } : {}),
      ...(lastOutcome.pullRequest ? { pullRequest: lastOutcome.pullRequest } : {}),
      finishedAt: lastOutcome.finishedAt,
    };
    const row = { name: repository.name, url: repository.url, ...(lastUpdate ? { lastUpdate } : {}) };
    try {
      const { git, base } = fetchWorkClone(repository, workDir, refreshed?.get(repository.name));
      const shown = git.tryRun(['show', `refs/remotes/origin/${base}:${RECORD_PATH}`]);
      if (shown.status !== 0) return { ...row, instantiations: [], error: `no instantiation record (${RECORD_PATH}) on ${base}` };
      const record = parseRecord(shown.stdout.toString('utf8'), `${repository.url} ${base}:${RECORD_PATH}`);
      const instantiations = record.map(instantiation => {
          // The answer depends on the source and the recorded version and commit only (a branch moves): asked once per triple.
          const key = `${instantiation.source}\0${instantiation.versionId}\0${instantiation.sourceRevision}`;
          if (!newestBySource.has(key)) newestBySource.set(key, sourceVersions(instantiation, git.dir));
          const { newest, behind, behindUnknown } = newestBySource.get(key)!;
          const source = recordedPlace(instantiation.source, git.dir);
          return {
            id: instantiation.id, blueprint: instantiation.packageName, version: instantiation.versionId, optionsDigest: optionsDigest(instantiation),
            ...(source ? { source } : {}), ...(newest ? { newest } : {}), behind, ...(behindUnknown ? { behindUnknown } : {}), ...editedAtTip(git, instantiation, record, base),
          };
        });
      const updateBranch = lastUpdate && pushedBranchNow(git, base, lastUpdate, instantiations);
      return { ...row, instantiations, ...(updateBranch ? { updateBranch } : {}) };
    } catch (error) {
      return { ...row, instantiations: [], error: (error as Error).message.split('\n')[0] };
    }
  });
}

/**
 * The state now of the branch the last update pushed (see `updateBranchNow`), or undefined when it pushed none. Whether
 * the base branch records the version it went to is read from the instantiation it was about.
 */
function pushedBranchNow(git: Git, base: string, last: NonNullable<FleetRepositoryStatus['lastUpdate']>, instantiations: FleetRepositoryStatus['instantiations']): UpdateBranchNow | undefined {
  if (!last.branch) return undefined;
  // A skipped row found the branch an earlier run pushed: it names that branch and commit too, and it is on the remote.
  const pushedNow = last.commit && (last.pushed === true || (last.pushed === undefined && last.state === 'skipped'));
  // Else the run pushed nothing (a branch holding a developer's commits is left alone): the branch an earlier run
  // pushed may still be there, and what became of it is what to act on.
  const commit = pushedNow ? last.commit : firstCommitOfBranch(git, base, last.branch);
  if (!commit) return undefined;
  const about = instantiations.filter(i => last.instantiation === undefined || i.id === last.instantiation);
  const baseRecordsTarget = last.to !== undefined && about.some(i => `${i.blueprint}@${i.version}` === last.to);
  const conflicted = (last.conflicts?.length ?? 0) > 0;
  return updateBranchNow(git, base, { branch: last.branch, commit, conflicted }, baseRecordsTarget);
}

/**
 * The first commit of the remote's `branch` off `base` along first parents: on an update branch, the update's merge
 * commit, which others' commits follow. Undefined when the remote has no such branch, or nothing on it base lacks.
 */
function firstCommitOfBranch(git: Git, base: string, branch: string): string | undefined {
  const listed = git.tryRun(['rev-list', '--first-parent', `refs/remotes/origin/${branch}`, `^refs/remotes/origin/${base}`, '--']);
  if (listed.status !== 0) return undefined;
  return listed.stdout.toString('utf8').trim().split('\n').filter(Boolean).pop();
}

/**
 * The instantiation's hand edits and the conflict markers committed unresolved (by its last update, or by any commit in
 * a file it generated), at the branch's tip: found as
 * `check` finds them, from the tip instead of `HEAD` (the work clone's checkout may be a fleet update's branch).
 */
function editedAtTip(git: Git, instantiation: Instantiation, record: readonly Instantiation[], base: string): { editedByHand: HandEdit[]; unresolvedConflicts: CommittedConflict[] } | { handEditsUnknown: string } {
  const tip = `refs/remotes/origin/${base}`;
  try {
    const choice = chooseBaseline(git, instantiation, tip);
    if (choice.refusal !== undefined) {
      // Its first clause, about the branch: the whole story (and the way on) is check's to tell, in the repository.
      const first = choice.refusal.replace(/\bthe history of HEAD\b/g, `the history of ${base}`).split(/[,:;]/)[0];
      return { handEditsUnknown: `${first} ('blueprint check' in the repository says why, and how to go on)` };
    }
    const landing = landingOf(git, choice, tip);
    const atTip = instantiationTree(git, tip, instantiation);
    const { editedByHand } = handEdits(instantiation, record, instantiationTree(git, landing.commit, instantiation), atTip);
    return { editedByHand, unresolvedConflicts: conflictsLeft(git, landing, instantiationTree(git, choice.tree, instantiation), atTip) };
  } catch (error) {
    return { handEditsUnknown: (error as Error).message.split('\n')[0] };
  }
}

/** A short digest of an instantiation's options, the same for the same options whatever their key order. */
export function optionsDigest(instantiation: Instantiation): string {
  return crypto.createHash('sha256').update(canonicalJson(instantiation.options)).digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** Whether the row of `instantiation` shows the repository's last update: the one it was about, or every row when it names none. */
export function lastUpdateConcerns(row: FleetRepositoryStatus, instantiation: FleetRepositoryStatus['instantiations'][number]): boolean {
  return row.lastUpdate !== undefined && (row.lastUpdate.instantiation === undefined || row.lastUpdate.instantiation === instantiation.id);
}

/**
 * For each blueprint whose repositories record it from more than one place, that warning (as `fleet update` says
 * it): each repository's record chooses the code a fleet update runs for it, so a record pointed elsewhere shows
 * here before any update runs it.
 */
export function mixedSourcesByBlueprint(rows: readonly FleetRepositoryStatus[]): string[] {
  const byBlueprint = new Map<string, { name: string; source?: string }[]>();
  for (const row of rows) for (const i of row.instantiations) byBlueprint.set(i.blueprint, [...byBlueprint.get(i.blueprint) ?? [], { name: row.name, source: i.source }]);
  return [...byBlueprint].flatMap(([blueprint, entries]) => {
    const mixed = mixedSources(entries);
    return mixed ? [`${blueprint}: ${mixed}`] : [];
  });
}
