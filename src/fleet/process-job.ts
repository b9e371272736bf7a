import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BASELINE_TRAILER } from '../project/baseline';
import { committedConflicts } from '../project/committed-conflicts';
import { describeDisassociated, disassociatedInstantiations } from '../project/disassociated';
import { BaselineRefusedError, RecordedOptionsRefusedError, RequestInputError } from '../project/errors';
import { fallbackIdentity, Git } from '../project/git';
import { Instantiation, RECORD_PATH, updateChange } from '../project/instantiation-record';
import { conflictsListedIn } from '../project/land';
import { readRecordInCleanWorkTree } from '../project/repository';
import { fetchSourcesAfter } from '../project/sources';
import { updateRepository, UpdateResult } from '../project/update';
import { unseenDecisions } from '../project/update-report';
import type { FleetJob, FleetOutcome, FleetPhaseTimes, FleetProgress } from './fleet-job';
import { createForge } from './forges';
import type { PullRequestResult } from './forges/forge';
import { ForgeRequestError } from './forges/http';
import { redactRemote } from './forges/remote-url';
import { knownOutcome, RemoteTip, remoteTips } from './known-outcome';
import { fitPullRequestBody } from './pull-request-body';
import { conflictList } from './report';
import { recordedPlace, refusedSource } from './trusted-source';
import { CloneError, prepareWorkClone } from './work-clone';

/**
 * Updates one repository of a fleet: clone or fetch it into the work folder, run `blueprint update` on a new
 * branch (the blueprint's `resynthPullRequest.originBranch`), push the branch and ask the forge for a pull
 * request. Idempotent: a branch the remote already has with the same content is not pushed again, and the
 * repository is reported `skipped`; a repository on the target version is `up-to-date`. A repository's own
 * failure (unreachable, no record, a failing blueprint) is an outcome, never a throw, so the fleet goes on.
 */
export async function processFleetJob(job: FleetJob, onProgress?: (progress: FleetProgress) => void): Promise<FleetOutcome> {
  const { repository, settings } = job;
  if (job.runStartedAt !== undefined) fetchSourcesAfter(job.runStartedAt);
  const times = { clone: 0, synthesis: 0, merge: 0, push: 0 };
  let base: Pick<FleetOutcome, 'name' | 'url' | 'worker' | 'instantiation' | 'source'> = { name: repository.name, url: repository.url, worker: `${os.hostname()}:${process.pid}` };
  const failed = (reason: string): FleetOutcome => ({ ...base, state: 'failed', reason: oneLine(reason), times });
  let started = Date.now();
  const lap = (phase: keyof FleetPhaseTimes) => {
    const now = Date.now();
    times[phase] += now - started;
    started = now;
  };

  // The forge is made here too, not only where the run started: on the queue the worker opens the pull requests,
  // with its own environment. A worker without the forge's token found that out after each push, so every
  // repository it took was pushed and then failed; now it fails before anything is touched, and, since every
  // repository would fail the same way, the run stops as for other wrong settings (journey 10).
  try {
    forgeOf(settings);
  } catch (error) {
    // Named by the process the operator started, whose environment this fleet process inherited (a `fleet worker`, or
    // the `fleet update` of a local pool): the pool's owner, this process's parent, not this process's own pid.
    const owner = `${os.hostname()}:${process.ppid}`;
    return { ...failed(`cannot use the ${settings.forge} forge on ${owner}: ${(error as Error).message}`), badSettings: true };
  }

  let clone;
  // The remote's branches, listed once if anything asks.
  let tips: Map<string, RemoteTip> | undefined;
  const remote = () => (tips ??= remoteTips(clone!.git));
  try {
    clone = prepareWorkClone(repository, settings.workDir);
  } catch (error) {
    return failed(error instanceof CloneError ? error.message : `cannot prepare the clone: ${(error as Error).message}`);
  }
  lap('clone');

  let instantiation: Instantiation;
  let result: UpdateResult;
  try {
    const project = clone.repository;
    // A record to fix is fixed on the remote's branch, as `fleet status` names it: never in the work clone.
    const recordOnRemote = `${repository.url} ${clone.base}:${RECORD_PATH}`;
    const found = fs.existsSync(path.join(project.root, RECORD_PATH)) ? readRecordInCleanWorkTree(project, recordOnRemote) : undefined;
    const letGo = disassociatedHere(clone.git, found, settings.blueprint);
    if (letGo) return { ...base, state: 'skipped', reason: letGo, times };
    const record = found ?? readRecordInCleanWorkTree(project, recordOnRemote); // no record: the error names the file
    instantiation = pickFleetInstantiation(record, settings.blueprint);
    // From here the outcome is this instantiation's, not the other blueprints' of the repository (fleet status).
    base = { ...base, instantiation: instantiation.id, source: recordedPlace(instantiation.source, project.root) };
    // Before anything runs the blueprint: the record is the repository's to change, the fleet's credentials are not.
    const refused = refusedSource(instantiation.source, project.root, settings);
    if (refused) return { ...failed(refused.reason), ...(refused.fleetWide ? { badSettings: true } : {}) };
    const known = knownOutcome(clone.git, project.head, instantiation, settings, remote);
    if (known) {
      lap('merge');
      const at = `${instantiation.packageName}@${instantiation.versionId}`;
      if (known.state === 'up-to-date') return { ...base, from: at, to: at, state: 'up-to-date', reason: `already at ${at} with these options`, times };
      // This run's own update, whose try died after its push: reported as that try would have, not as an earlier run's.
      const tryDied = madeByThisRun(clone.git, known.commit, job.runStartedAt);
      // The run that pushed it may have stopped before it asked for the pull request: make sure there is one.
      onProgress?.({ progress: 'pushed', branch: known.branch, commit: known.commit });
      let pullRequest: PullRequestResult | undefined;
      try {
        pullRequest = settings.push ? await openMissingPullRequest(clone.git, repository.url, clone.base, known, settings, tryDied) : undefined;
      } catch (error) {
        // The branch is on the remote all the same: the row says so, with its commit, as for a branch this try pushed
        // (journey 74: a forge that failed twice in a row left a row with no branch, no commit and no 'pushed').
        return {
          ...failed(`origin/${known.branch} has this update (pushed by an earlier ${tryDied ? 'try of this run' : 'run'}), but its pull request failed: ${(error as Error).message}; the next run opens it`),
          from: at, to: known.to, branch: known.branch, commit: known.commit, pushed: true, ...tokenRefused(error),
        };
      }
      lap('push');
      const conflicts = conflictsOfPushedUpdate(clone.git, known.commit);
      const pushed = { ...base, from: at, to: known.to, branch: known.branch, commit: known.commit, pushed: true, ...(pullRequest ? { pullRequest } : {}), times };
      if (tryDied) {
        return { ...pushed, state: conflicts.length ? 'conflicts' : 'updated', ...(conflicts.length ? { conflicts } : {}), reason: diedAfterPush(known.branch, conflicts, pullRequest) };
      }
      return { ...pushed, state: 'skipped', reason: alreadyPushed(known.branch, conflicts, pullRequest) };
    }
    result = await updateRepository({
      repositoryDir: clone.git.dir,
      to: settings.to,
      overrides: { sets: settings.set },
      instantiationId: instantiation.id,
      branch: '',
      // The remote's branch of that name is decided below: pushed over when it is the fleet's own, else left alone.
      remoteBranchHandled: true,
      runner: settings.runner,
      validation: settings.validation,
      // A fleet process updates one repository after another: the framework stays loaded between them.
      inProcess: true,
      // The fleet's own clone, just checked out clean: nothing to ask git again.
      opened: { repository: project, record },
      onStep: (step, ms) => {
        // The update reports its steps as it goes: the synthesis is one of them, the rest is the merge.
        if (/synthesi[sz]ed/.test(step)) times.synthesis += ms;
        else times.merge += ms;
      },
    });
  } catch (error) {
    // The fleet's own flags at fault: the run must stop, not fail every repository the same way.
    // Recorded options refused: every finding and the way on (a --set, --validation warn), which a message's first lines would cut.
    // No ancestor: the way on is taken in a clone of the operator's, not in the fleet's work clone the message names.
    if (error instanceof BaselineRefusedError) return failed(noAncestor(repository.url, clone.base, instantiation!));
    const reason = error instanceof RecordedOptionsRefusedError ? error.oneLine : (error as Error).message;
    return { ...failed(reason), ...(error instanceof RequestInputError ? { badSettings: true } : {}) };
  }
  started = Date.now();
  // The versions and what the update warned of, on every outcome from here: a fleet that downgrades says so per repository.
  const fromUpdate = {
    from: `${result.previous?.packageName}@${result.previous?.versionId}`, to: `${result.instantiation.packageName}@${result.instantiation.versionId}`,
    ...(result.warnings.length ? { warnings: result.warnings } : {}),
  };
  if (result.state === 'up-to-date') {
    return { ...base, ...fromUpdate, state: 'up-to-date', reason: `already at ${fromUpdate.to} with these options`, times };
  }
  const conflicts = result.files.filter(file => file.outcome === 'conflict').map(file => file.path);
  const branch = result.branch!;
  // The files whose project lines a strategy dropped without a conflict: the row says so, not only the pull request.
  const overridden = result.files.filter(file => file.outcome === 'overridden' || file.overridden > 0).map(file => file.path);
  const outcome = {
    ...base, ...fromUpdate, branch, totals: result.totals, ...(conflicts.length ? { conflicts } : {}), ...(overridden.length ? { overridden } : {}),
  };
  if (result.state === 'conflicts' && !settings.pushConflicts) {
    return { ...outcome, state: 'conflicts', reason: `${conflictList(conflicts)}; not pushed (--push-conflicts pushes them with markers)`, pushed: false, times };
  }
  if (result.state === 'conflicts') commitWithMarkers(clone.git);
  const conflicted = result.state === 'conflicts';
  const commit = result.commit ?? clone.git.resolveCommit('HEAD')!;
  const state = result.state === 'conflicts' ? 'conflicts' : 'updated';
  if (!settings.push) return { ...outcome, state, commit, pushed: false, times };

  let pushed: ReturnType<typeof pushBranch>;
  try {
    pushed = pushBranch(clone.git, branch, remote().get(branch)?.tip, `refs/remotes/origin/${clone.base}`);
  } catch (error) {
    return { ...failed((error as Error).message), ...fromUpdate, branch, commit, pushed: false };
  }
  const skipped = pushed === 'already';
  // What the remote has, read again: a push refused because another try pushed this update first fetched the branch
  // since the tips were listed (journey 83: the row said 'an earlier run' and named this try's commit, not the remote's).
  const onRemoteTip = skipped ? clone.git.resolveCommit(`refs/remotes/origin/${branch}`) ?? commit : commit;
  try {
    if (pushed === 'theirs') {
      lap('push');
      return {
        ...outcome, state: 'skipped', commit, pushed: false, times,
        reason: `origin/${branch} has commits this fleet did not make (someone works on the update there): not overwritten; merge or delete that branch to update again`,
      };
    }
    onProgress?.({ progress: 'pushed', branch, commit: onRemoteTip });
    const forge = forgeOf(settings);
    // The remote's commit made by a try of this run that died after its push: this run's update, as for a branch known from the records.
    const tryDied = skipped && madeByThisRun(clone.git, onRemoteTip, job.runStartedAt);
    const pullRequest = forge && result.pullRequest
      ? await forge.openPullRequest({
        remote: repository.url,
        head: branch,
        base: clone.base,
        // Pushed with its markers: it says so in its title, and waits as a draft until a person resolves them.
        title: conflicted ? saysConflicts(result.pullRequest.title) : result.pullRequest.title,
        body: fitPullRequestBody(`${result.pullRequest.description}\n\n${reportMarkdown(result, conflicts)}`, forge.maxBodyLength, wholeReport(branch)),
        ...(conflicted ? { draft: true } : {}),
        // The branch already had this update: its pull request is opened if missing, an open one left as it is
        // (people may have edited it), as for a branch known from the records alone. Not when a try of this run
        // pushed it and died: it may have died before it updated the open one, which then describes an older update.
        ...(skipped && !tryDied ? { ifMissing: true, commit: onRemoteTip } : {}),
      })
      : undefined;
    lap('push');
    return {
      ...outcome,
      state: skipped && !tryDied ? 'skipped' : state,
      ...(skipped ? { reason: tryDied ? diedAfterPush(branch, conflicts, pullRequest) : alreadyPushed(branch, conflicts, pullRequest) } : {}),
      commit: onRemoteTip, pushed: true,
      ...(pullRequest ? { pullRequest } : {}),
      times,
    };
  } catch (error) {
    // The branch is on the remote: the report must say so, and that the next run only opens the pull request.
    return {
      ...failed(`pushed origin/${branch}, but its pull request failed: ${(error as Error).message}; the next run opens it`),
      ...fromUpdate, branch, commit: onRemoteTip, pushed: true, ...tokenRefused(error),
    };
  }
}

/**
 * A forge's 401 says the token is wrong (mistyped, expired, revoked), for every repository alike: each forge answers
 * a repository the token may not see with 403 or 404 instead. Like a missing token, it is the fleet's settings at
 * fault, and the run stops (exit 2) rather than push every other branch to meet the same 401 (journey 74: a mistyped
 * token pushed the whole fleet and failed each pull request).
 */
function tokenRefused(error: unknown): Pick<FleetOutcome, 'badSettings'> {
  return error instanceof ForgeRequestError && error.status === 401 ? { badSettings: true } : {};
}

/**
 * Why a repository is skipped where 'blueprint disassociate' let the fleet's blueprint go (the record lacks it, or
 * went with it): the team's choice, not a failure. Undefined where the record holds the blueprint, or never did.
 */
function disassociatedHere(git: Git, record: readonly Instantiation[] | undefined, blueprint: string | undefined): string | undefined {
  if (record?.some(i => blueprint === undefined || i.packageName === blueprint)) return undefined;
  const [gone] = disassociatedInstantiations(git).filter(d => (blueprint === undefined || d.packageName === blueprint) && !record?.some(i => i.id === d.id));
  return gone && `${describeDisassociated(gone)}: the repository no longer follows it ('blueprint disassociate'); not updated`;
}

/**
 * The instantiation a fleet updates in one repository: the only one it records, or the one of the
 * fleet's blueprint (`--blueprint NAME`). A repository made from another blueprint is named as such.
 */
export function pickFleetInstantiation(record: readonly Instantiation[], blueprint: string | undefined): Instantiation {
  const names = [...new Set(record.map(i => i.packageName))].join(', ');
  if (blueprint === undefined) {
    if (record.length === 1) return record[0];
    throw new Error(`the repository records several blueprints (${names}); name the fleet's with --blueprint NAME`);
  }
  const matching = record.filter(i => i.packageName === blueprint);
  if (matching.length === 0) throw new Error(`the repository was made from ${names}, not ${blueprint}`);
  if (matching.length > 1) throw new Error(`the repository records ${blueprint} ${matching.length} times (${matching.map(i => i.id).join(', ')}); update it with 'blueprint update --instantiation ID'`);
  return matching[0];
}

/**
 * Asks the forge for the pull request of a branch an earlier run pushed, unless one is open: the title and
 * description are the pushed commit's message (the blueprint's pull request); that run's report is gone.
 * With `tryDied` (a try of this run pushed it, then died) an open one is updated too: that try may have died
 * between its push and its update of the pull request, which then still describes an earlier update (another version).
 */
async function openMissingPullRequest(
  git: Git, remote: string, baseBranch: string, known: { branch: string; commit: string }, settings: FleetJob['settings'], tryDied: boolean,
) {
  const forge = forgeOf(settings);
  if (!forge) return undefined;
  const [title, ...description] = git.run(['log', '-1', '--format=%B', known.commit]).trim().split('\n');
  return forge.openPullRequest({
    remote,
    head: known.branch,
    base: baseBranch,
    title,
    body: fitPullRequestBody(
      `${description.join('\n').trim()}\n\n${tryDied ? LATER_TRY_NOTE : LATER_RUN_NOTE}`,
      forge.maxBodyLength,
      wholeReport(known.branch),
    ),
    ...(tryDied ? {} : { ifMissing: true, commit: known.commit }),
    // The commit's subject says whether its conflicts were committed (see commitWithMarkers).
    ...(title.startsWith(CONFLICTS_PREFIX) ? { draft: true } : {}),
  });
}

/** The note ending a pull request that a later run opened from the pushed commit's message alone. */
const LATER_RUN_NOTE = '_Opened by a later run of the fleet: the run that pushed this branch stopped before it opened the pull request._';
/** The note ending a pull request that a later try of the same run wrote from the pushed commit's message alone. */
const LATER_TRY_NOTE = '_Written by a later try of this fleet run: the try that pushed this branch died before it reported; the run\'s report (--json) has the rest._';

/**
 * Why a repository cannot be updated when no baseline serves as the ancestor, and the way on, in a fleet's terms.
 * Most often a team merged the last update's pull request with a squash or a rebase: the base branch has the
 * record but not the generated commit. `update --adopt` puts it back without changing a file, but only where it
 * lands: in the operator's own clone, pushed to the base branch or merged with a merge commit (a squash merge of
 * it loses it again), since the fleet's work clone is reset at each run. `blueprint check` there gives the details.
 */
function noAncestor(url: string, baseBranch: string, instantiation: Instantiation): string {
  return `no ancestor for the update: ${baseBranch} records ${instantiation.packageName}@${instantiation.versionId} but not the commit ` +
    'that update generated (its pull request squash-merged or rebased?); ' +
    `in a clone of ${redactRemote(url)}, run 'blueprint update --adopt' (it changes no file) and push it to ${baseBranch}, ` +
    'or merge it by a pull request with a merge commit (a squash merge loses it again); then run the fleet again (\'blueprint check\' there says more)';
}

/**
 * Where the whole of a cut pull request body is (see fitPullRequestBody). The merge commit's message holds the
 * blueprint's description and the changes taken without a conflict (update.ts's commitMessage), not the
 * conflicts nor the warnings: those are in the fleet's report, and the files still holding markers are named by
 * 'blueprint check' in a checkout of the branch (committed-conflicts.ts).
 */
function wholeReport(branch: string): string {
  return `The merge commit's message on \`${branch}\` has the description and the changes taken without a conflict; ` +
    `'blueprint check' in a checkout of \`${branch}\` names every file still holding conflict markers; the fleet's report (--json) lists every conflict and warning.`;
}

/** The client of the fleet's forge; none for `--forge none`. */
function forgeOf(settings: FleetJob['settings']) {
  return createForge(settings.forge ?? 'none', settings.forgeOptions ?? {}, process.env);
}

/**
 * Whether `commit` is what an update commits: a merge of the project (first parent) with a new baseline
 * (second parent, a commit with the baseline trailer), clean or with its conflict markers committed.
 */
function isUpdateMerge(git: Git, commit: string): boolean {
  const parents = git.run(['rev-list', '--parents', '-n', '1', commit]).trim().split(' ').slice(1);
  return parents.length === 2 && new RegExp(`^${BASELINE_TRAILER}: `, 'm').test(git.run(['log', '-1', '--format=%B', parents[1]]));
}

/**
 * The conflicts still open in a pushed update whose merge commit is its branch's tip: the files holding markers, and,
 * while the commit is as the fleet made it, every path its message lists, which names those a modify/delete conflict
 * brought back whole (no markers to find). A developer who amended a resolution into it rewrote it: then the markers alone.
 */
function conflictsOfPushedUpdate(git: Git, commit: string): string[] {
  const marked = committedConflicts(git, commit, commit).map(conflict => conflict.path);
  if (rewritten(git, commit)) return marked;
  return [...new Set([...marked, ...conflictsListedIn(git.run(['log', '-1', '--format=%B', commit]))])].sort();
}

/**
 * Whether `commit` was rewritten after it was made: the fleet commits an update with one date for author and
 * committer, and `git commit --amend`, a rebase or a cherry-pick keep the author's date but give the commit a
 * new committer date. A developer who resolves the conflicts of a pushed update by amending its merge commit
 * leaves it with two parents and the baseline, as the fleet made it: only the dates tell it from the fleet's.
 */
function rewritten(git: Git, commit: string): boolean {
  const { authored, committed } = commitDates(git, commit);
  return authored !== committed;
}

/** A commit's author and committer dates, raw (`SECONDS ZONE`). */
function commitDates(git: Git, commit: string): { authored: string; committed: string } {
  const [authored, committed] = git.run(['log', '-1', '--format=%ad%n%cd', '--date=raw', commit]).trim().split('\n');
  return { authored, committed };
}

/**
 * How the subject of an update's commit, and its pull request's title, begin when the update was pushed with its
 * conflicts (`--push-conflicts`): a list of pull requests or of commits then tells them from clean updates,
 * which can be merged as they are.
 */
const CONFLICTS_PREFIX = '[conflicts] ';

/** Why a repository is `skipped` when its remote already has this update, an earlier run's. */
function alreadyPushed(branch: string, conflicts: readonly string[], pullRequest?: PullRequestResult): string {
  return `already pushed by an earlier run: ${onRemote(branch, conflicts, pullRequest)}`;
}

/**
 * Why a repository this run updated says so from a later try: the process of the try that pushed it died (a pool
 * process killed, a queue worker lost) or lost its job (a queue lock expired) before it reported, and the try after
 * found the update on the remote.
 */
function diedAfterPush(branch: string, conflicts: readonly string[], pullRequest?: PullRequestResult): string {
  return `pushed by an earlier try in this run, whose process died or lost the job before it reported: ${onRemote(branch, conflicts, pullRequest)}`;
}

/**
 * Whether `commit`, an update found on the remote, is this run's own: the fleet dates its commits as it makes them,
 * so one dated after the run's start (and not rewritten since) was made by a try of this run. Dates are whole
 * seconds: one in the second the run started in may be the run before's, which a re-run at once finds, so it is not counted.
 */
function madeByThisRun(git: Git, commit: string | undefined, runStartedAt: number | undefined): boolean {
  if (commit === undefined || runStartedAt === undefined) return false;
  const { authored, committed } = commitDates(git, commit);
  return authored === committed && Number(committed.split(' ')[0]) * 1000 > runStartedAt;
}

/**
 * What the remote has of a pushed update: its pull request, and the conflicts still to resolve there. An update
 * pushed with its markers (`--push-conflicts`) still waits on a person while `conflicts` is not empty: a re-run's
 * row and `fleet status` must say so, or the repositories waiting on conflicts vanish from the report as soon as
 * the command is run again.
 */
function onRemote(branch: string, conflicts: readonly string[], pullRequest?: PullRequestResult): string {
  // A team that closed the pull request said no to this update: the row says why none is open, and how to be asked again.
  if (pullRequest?.action === 'closed') {
    return `origin/${branch} has this update, whose pull request${pullRequest.url ? ` ${pullRequest.url}` : ''} was closed without merging: ` +
      'not opened again (a new version, new options or a new commit on the base branch propose a new update; delete the branch to have this one proposed again)';
  }
  // The run's table and `fleet status` show this reason alone: without the pull request in it, a re-run would hide which one waits.
  const inPullRequest = pullRequest?.url && pullRequest.action === 'found' ? `, in the open pull request ${pullRequest.url}`
    : pullRequest?.url && pullRequest.action === 'opened' ? `, in the pull request ${pullRequest.url}, opened now`
      // A try of this run died between its push and its pull request: the later try updated the open one.
      : pullRequest?.url && pullRequest.action === 'updated' ? `, in the pull request ${pullRequest.url}, updated now` : '';
  const waiting = conflicts.length ? `, with its conflicts committed (${conflictList(conflicts)}): resolve them there` : '';
  return `origin/${branch} has this update${inPullRequest}${waiting}`;
}

/** `subject`, saying that the update has conflicts (once, however often it is said). */
function saysConflicts(subject: string): string {
  return subject.startsWith(CONFLICTS_PREFIX) ? subject : `${CONFLICTS_PREFIX}${subject}`;
}

/**
 * Commits git's merge state as it is, conflict markers and all (`--push-conflicts`), with the merge's own message,
 * its subject saying that it has conflicts.
 */
function commitWithMarkers(git: Git): void {
  const [mergeMsg] = git.gitPaths('MERGE_MSG');
  const [subject, ...rest] = fs.readFileSync(mergeMsg, 'utf8').split('\n');
  fs.writeFileSync(mergeMsg, [saysConflicts(subject), ...rest].join('\n'));
  git.run(['add', '--all']);
  git.run(['commit', '--quiet', '--no-verify', '--no-edit'], { env: fallbackIdentity(git) });
}

/**
 * Pushes HEAD to the remote's `branch` (whose tip the clone fetched is `remote`). The branch is the update's
 * own, so a newer update replaces it, but only while it holds nothing else: a tip that is not an update's
 * merge commit as the fleet committed it (a developer resolved the conflicts there, in a commit of their own or
 * amended into the merge, or built on the update) is left alone (`theirs`), and the push goes through only if
 * the remote still has what this clone fetched (`--force-with-lease`), so a push by someone else in between is
 * never overwritten either. Returns `already` when the remote has the same content, found before the push or
 * pushed by someone else since the fetch. A branch the base branch (`baseRef`) already holds is replaced whatever it
 * has: everything on it is on the base branch, and merging it again would do nothing.
 */
function pushBranch(git: Git, branch: string, remote: string | undefined, baseRef: string): 'pushed' | 'already' | 'theirs' {
  // Merged, then reverted on the base branch (journey 87): the same update made again has the very tree the merged
  // branch has, and 'already' left the operator a branch, and a pull request, whose merge changes nothing.
  const merged = remote !== undefined && git.tryRun(['merge-base', '--is-ancestor', remote, baseRef]).status === 0;
  if (remote && !merged && git.run(['rev-parse', `${remote}^{tree}`]) === git.run(['rev-parse', 'HEAD^{tree}'])) return 'already';
  if (remote && !merged && !(isUpdateMerge(git, remote) && !rewritten(git, remote)) && git.tryRun(['merge-base', '--is-ancestor', remote, 'HEAD']).status !== 0) return 'theirs';
  const result = git.tryRun(['push', '--quiet', '--porcelain', `--force-with-lease=refs/heads/${branch}:${remote ?? ''}`, 'origin', `HEAD:refs/heads/${branch}`]);
  if (result.status === 0) return 'pushed';
  const stdout = result.stdout.toString('utf8');
  // Refused because the branch moved since this clone fetched (`[rejected] (stale info)`, or `cannot lock ref`
  // when the two pushes met): most often another worker pushed this very update, two workers that raced on
  // one job (a lock lost on a busy machine, a killed worker's process that finished its job). The branch then
  // has this content, and this repository is done, not failed.
  const fetched = git.tryRun(['fetch', '--quiet', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]).status === 0;
  if (fetched && git.run(['rev-parse', `refs/remotes/origin/${branch}^{tree}`]) === git.run(['rev-parse', 'HEAD^{tree}'])) return 'already';
  // No exit status (or a shell's 128 + signal, where git runs through the helper's shell; git's own worst is 128):
  // git was killed (a signal, the OOM killer) before the remote answered, which then refused nothing.
  if (result.status === null || result.status > 128) {
    // A branch the remote lacks fails the fetch above: ls-remote's exit 2 tells that from a remote not reached.
    const lacks = fetched || git.tryRun(['ls-remote', '--exit-code', 'origin', `refs/heads/${branch}`]).status === 2;
    throw new Error(`push to origin/${branch} did not finish: git push was killed before the remote answered${lacks ? ', and the remote does not have this update' : ''}; the next run pushes it`);
  }
  throw new Error(`push to origin/${branch} refused: ${pushRefusal(stdout, result.stderr.toString())}`);
}

/**
 * Why the remote refused a push, from what an operator acts on: the ref's status in git's porcelain output
 * (`[remote rejected] (pre-receive hook declined)`, `[rejected] (stale info)`) and what the remote's hooks
 * said (`remote:` lines), or git's own `fatal:` line when the remote was not reached; not the command line.
 */
function pushRefusal(stdout: string, stderr: string): string {
  const status = /^!\t\S+\t(.*)$/m.exec(stdout)?.[1].trim();
  const said = stderr.split('\n').filter(line => line.startsWith('remote:')).map(line => line.replace(/^remote:\s*/, '').trim()).filter(Boolean);
  const fatal = stderr.split('\n').find(line => /^fatal: /.test(line))?.replace(/^fatal: /, '').trim();
  const stale = status?.includes('stale info') ? ' (the branch moved on the remote since this run fetched it; the next run fetches it again)' : '';
  return [status ? `${status}${stale}` : fatal ?? (stderr.trim() || 'git push failed'), ...said].join('; ');
}

/** The update's report, appended to the blueprint's pull request description. */
function reportMarkdown(result: UpdateResult, conflicts: readonly string[]): string {
  const counts = Object.entries(result.totals).filter(([, n]) => n > 0).map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  const lines = ['### Update report', '', `${updateChange(result.previous, result.instantiation, '→')}: ${counts || 'no file changed'}.`];
  // A reviewer merging a downgrade, or an update that left files alone, must see it where they decide.
  if (result.warnings.length) lines.push('', 'Warnings of the update:', ...result.warnings.map(warning => `- ${warning}`));
  if (conflicts.length) lines.push('', 'Conflicts, committed with markers to resolve in this branch:', ...conflicts.map(p => `- \`${p}\``));
  // What the merge commit's message says of the project's changes taken out without a conflict: the reviewer reads it here.
  for (const section of unseenDecisions(result.files)) lines.push('', section);
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.split('\n').map(line => line.trim()).filter(Boolean).slice(0, 2).join(' — ');
}
