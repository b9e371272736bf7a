import * as fs from 'fs';
import { FileMap, sameFile, SYMLINK_MODE } from '../bundle/file-map';
import { BundleLayout } from '../bundle/layout';
import { isWriteRefusal, OutputNotWritableError } from '../bundle/writable';
import { wholeBundle } from '../runner/run-job';
import { backedOutVersions } from './baseline';
import { chooseBaseline, differingOptions, landingOf } from './baseline-choice';
import { CommittedConflict, conflictsLeft } from './committed-conflicts';
import { BlueprintJobs } from './blueprint-jobs';
import type { RunOptions } from '../runner/synthesize';
import { prepareExistingBundle } from './existing-bundle';
import { PromisorRemoteError } from './errors';
import { Git } from './git';
import { GitTreeSource } from './git-tree';
import { HandEdit, handEdits, instantiationTree, remadeMergeWarnings } from './hand-edits';
import { objectStore } from './object-store';
import { storedEntries } from './stored-source';
import { DurableState } from './durable-state';
import { DisassociatedInstantiation } from './disassociated';
import { Instantiation, pickInstantiation, RECORD_PATH, sdkInstantiations } from './instantiation-record';
import { blueprintPackage, newDefaultsLayer, recordedFindingKey, recordedOptionsRefused, recordedWayOn, recordedWithNewDefaults } from './options';
import { OptionsValidationError } from '../schema/validate-configurations';
import { openRepository, OperationInProgress, operationInProgress, pickRecordedInstantiation, ProjectRepository, readRecordAndDisassociated, readRecordAt } from './repository';
import { blueprintSource, BlueprintSourceKind, recordedSource, recordedVersionGone, recordedVersion } from './sources';
import { compareVersions } from './sources/semver-tags';
import { WorkFolder } from './work-folder';
import { UpdateInProgress, updateInProgress } from './update-in-progress';

/** What {@link checkRepository} found for one instantiation. */
export interface InstantiationCheck {
  /** The recorded instantiation. */
  readonly instantiation: Instantiation;
  /** Its baseline commit, if found. */
  readonly baseline?: string;
  /** The newest version the source offers, when it has versions and could be asked. */
  readonly newest?: string;
  /** Whether a newer version than the recorded one exists (one merged before and backed out since does not count: see `backedOut`). */
  readonly behind: boolean;
  /**
   * Why `behind` is false without being known: the source could not be resolved, or not asked (a git remote gone or
   * out of reach, a registry that does not answer), so a newer version may exist; `newest`, if given, is then the
   * newest the cache holds. @default absent: the source answered
   */
  readonly behindUnknown?: string;
  /**
   * The commit the recorded ref of a git source names now, when that is not the recorded commit: a branch that moved
   * on, a tag moved upstream (`git tag -f`). The repository is then behind, at the same version name.
   */
  readonly moved?: string;
  /**
   * The newest version, when it was merged before and backed out since (`git revert -m 1` of its update): the team's
   * choice, not counted as behind until a newer one comes; `update --to` it applies it again. With the commit that
   * merged it (the update's merge, or its generated commit).
   */
  readonly backedOut?: { readonly version: string; readonly merged: string };
  /**
   * Whether the recorded version with the recorded options still generates the baseline: `yes`, `no`
   * (see `differing`), or `unknown` when it cannot be run any more (see `reason`).
   */
  readonly reproducible: 'yes' | 'no' | 'unknown';
  /** Paths whose regenerated content differs from the baseline. */
  readonly differing?: string[];
  /** Why something could not be checked. */
  readonly reason?: string;
  /**
   * Why this check cannot say whether the instantiation is up to date at all: its source cannot be resolved
   * (so no newer version can be seen), or its baseline is not in the history (a shallow clone).
   */
  readonly undetermined?: string;
  /**
   * Files the blueprint owns outright (alwaysUpdate, neverUpdate, onlyAdd entries) that differ from the baseline in HEAD.
   * `drift` is true for an alwaysUpdate file, whose edits the next update overwrites; a neverUpdate or onlyAdd file is
   * the project's to edit once made, so its edits are listed but do not make the repository out of date. `deleted`
   * says the edit was to delete the file, and what the next update does about it: an alwaysUpdate or onlyAdd file
   * is written again (both add a file the project lacks), a neverUpdate file stays deleted. Absent where there is
   * no baseline to compare with (see `handEditsUnknown`): unknown is not none.
   */
  readonly editedByHand?: HandEdit[];
  /**
   * Files the last update's merge committed with conflict markers (`git add -A && git commit` on its conflicts, or
   * a fleet's `--push-conflicts`) that `HEAD` still holds markers in: the update is not finished until they are
   * resolved, so the repository is not up to date. And files the blueprint generated that another commit left
   * markers in (`afterUpdate`: a rebase continued after `git add -A` over its conflicts). Empty when none; absent,
   * as `editedByHand` is, where there is no baseline to compare with.
   */
  readonly unresolvedConflicts?: CommittedConflict[];
  /**
   * Why `editedByHand` and `unresolvedConflicts` are absent: no baseline to compare `HEAD` with (a shallow clone, a
   * rebased or squash-merged update), so which files were edited or hold markers cannot be told. @default absent: they are known
   */
  readonly handEditsUnknown?: string;
  /**
   * When the record was changed by a commit of its own, with no update (an option edited by hand): that commit and
   * what it changed (`options: policy`, `versionId`). The next update applies it: until then the repository is behind
   * its own record.
   */
  readonly recordChanged?: { readonly commit: string; readonly changed: string[] };
  /**
   * Where the instantiation's `.ownership-file` entries in `HEAD` give files another strategy than they evidently
   * mean (a glob written for every folder that matches in its own only, an entry a later one overrides for every
   * file it matches), with the way on. They do not make the repository out of date. @default none
   */
  readonly ownershipWarnings?: string[];
  /**
   * What validation and the blueprint warned of when the recorded version ran again (an option the record holds
   * that the blueprint no longer declares, one it requires that the record lacks), each with the way on as an
   * update says it: kept in the report a CI step writes, not only in its log. They do not make the repository
   * out of date. @default none
   */
  readonly warnings?: string[];
}

/** What {@link checkRepository} found. */
export interface CheckResult {
  /** The repository's root. */
  readonly repository: string;
  /** One check per instantiation. */
  readonly instantiations: InstantiationCheck[];
  /** True when every instantiation is up to date, reproducible (or unknown), unedited and without unresolved conflicts. */
  readonly upToDate: boolean;
  /**
   * True when nothing found is out of date but some instantiation could not be checked (its `undetermined`
   * says why): the answer is unknown, not "up to date".
   */
  readonly undetermined: boolean;
  /**
   * An update whose merge is not committed yet (its conflicts still open): the repository is not up to date until
   * it is, whatever `HEAD` says.
   */
  readonly updateInProgress?: UpdateInProgress;
  /**
   * A rebase, bisect, cherry-pick or other git operation stopped midway (not an update's merge: see
   * `updateInProgress`): the answer is for the commit HEAD is at, which the operation chose, not for the branch.
   */
  readonly operationInProgress?: OperationInProgress;
  /** The instantiations `blueprint disassociate` let go that the record no longer holds: not checked, nothing to follow. */
  readonly disassociated?: DisassociatedInstantiation[];
}

/** What {@link checkRepository} needs. */
export interface CheckRequest extends RunOptions {
  /** A folder inside the repository. */
  readonly repositoryDir: string;
  /** Only this instantiation: its id, or its blueprint's package name where the record holds that package once. @default every one */
  readonly instantiationId?: string;
  /** Re-run the recorded version to compare with the baseline. @default true */
  readonly reproduce?: boolean;
}

/**
 * Says, writing nothing to the repository, for each recorded instantiation: whether its source has a newer
 * version, whether re-running the recorded version with the recorded options still gives the baseline,
 * which blueprint-owned files were edited by hand since, and which files the last update's merge committed with
 * conflict markers that are still there.
 */
export async function checkRepository(request: CheckRequest): Promise<CheckResult> {
  const repository = openRepository(request.repositoryDir);
  const { record, disassociated } = readRecordAndDisassociated(repository);
  const chosen = request.instantiationId ? [pickRecordedInstantiation(repository, record, request.instantiationId)] : record;
  // Where the last instantiation was disassociated, nothing updates the repository: nothing is behind.
  if (chosen.length === 0 && disassociated.length === 0) pickInstantiation(record, undefined); // throws: the record holds none
  const checks: InstantiationCheck[] = [];
  for (const instantiation of chosen) checks.push(await checkInstantiation(repository, instantiation, record, request));
  const update = updateInProgress(repository);
  const operation = update ? undefined : operationInProgress(repository.git);
  const outOfDate = !!update || checks.some(c => c.behind || c.reproducible === 'no' || c.editedByHand?.some(edit => edit.drift) || !!c.unresolvedConflicts?.length || !!c.recordChanged);
  const undetermined = !outOfDate && checks.some(c => c.undetermined !== undefined);
  return {
    repository: repository.root, instantiations: checks, upToDate: !outOfDate && !undetermined, undetermined,
    ...(update ? { updateInProgress: update } : {}), ...(operation ? { operationInProgress: operation } : {}), ...(disassociated.length ? { disassociated } : {}),
  };
}

async function checkInstantiation(repository: ProjectRepository, instantiation: Instantiation, record: readonly Instantiation[], request: CheckRequest): Promise<InstantiationCheck> {
  const { git } = repository;
  const choice = chooseBaseline(git, instantiation);
  const { newest, behind, moved, source, reason, behindUnknown: unknown } = sourceVersions(instantiation, repository.root);
  const reasons: string[] = reason ? [reason] : [];
  const behindUnknown = unknown ? { behindUnknown: unknown } : {};
  // Against an older baseline (or a rebased copy) every change since would look like drift: say why nothing can be told
  // instead, and leave out the lists of edits and markers, which an empty list would answer as 'none'.
  if (choice.refusal !== undefined) return { instantiation, newest, behind, ...behindUnknown, ...(moved ? { moved } : {}), reproducible: 'unknown', reason: [...reasons, choice.refusal].join('; '), undetermined: choice.refusal, handEditsUnknown: `no baseline to compare with: ${choice.refusal}` };
  const { commit: baseline, recordEdited, mergedAt } = choice;
  // The newest version merged once and backed out since: the team's choice, not a version it lacks.
  const reverted = behind && newest && source ? backedOutVersions(git, instantiation.id, choice.parents, instantiation.packageName, () => true, choice.listed) : [];
  const newestPackage = reverted.length > 0 ? packageVersionAt(source!, newest!) : undefined;
  const found = reverted.find(r => r.version === newestPackage);
  const backedOut = found && { version: found.version, merged: found.merged };
  // The record asks for what no update generated yet: the next update applies it, so the repository is behind its record.
  const editedOptions = recordEdited?.fields.includes('options') ? differingOptions(recordEdited.generatedWith.options, instantiation.options) : [];
  const recordChanged = recordEdited && {
    commit: recordEdited.commit,
    changed: recordEdited.fields.map(field => (field === 'options' ? `options: ${editedOptions.join(', ')}` : field)),
  };
  if (recordChanged) reasons.push(`the record was changed in ${recordChanged.commit.slice(0, 12)} (${recordChanged.changed.join('; ')}) with no update: 'blueprint update' applies it`);
  const ancestor = instantiationTree(git, choice.tree, instantiation);
  const landing = landingOf(git, choice);
  const landed = instantiationTree(git, landing.commit, instantiation);
  const head = instantiationTree(git, 'HEAD', instantiation);
  const { editedByHand, ownershipWarnings } = handEdits(instantiation, record, landed, head);
  // Markers another commit left in a generated file (a rebase continued over its conflicts) are as unresolved.
  const unresolvedConflicts = conflictsLeft(git, landing, ancestor, head);

  const remade = landing.update
    ? remadeMergeWarnings(instantiation, record, landing.commit, landed, () => ({
      project: instantiationTree(git, `${landing.commit}^1`, instantiation), generated: instantiationTree(git, `${landing.commit}^2`, instantiation),
    }), head)
    : [];

  const warnings: string[] = [];
  let reproducible: InstantiationCheck['reproducible'] = 'unknown';
  let differing: string[] | undefined;
  let notRun: string | undefined;
  // A folder holds one version, the one it has now: another than the recorded one would be run against the old
  // baseline, and its changes taken for drift.
  if (request.reproduce !== false && source?.kind === 'folder' && newest !== instantiation.versionId) {
    notRun = `the recorded version cannot be run again: the folder holds ${newest}, not the recorded ${instantiation.versionId}`;
    reasons.push(notRun);
  } else if (request.reproduce !== false && source) {
    try {
      // A create ran once for a new project: what it generated is what it landed (the baseline, and the files it
      // writes for a new project only on top). An update saw the project: its output is the baseline.
      // The run to repeat is the one that generated the ancestor: with the record it had (not a hand edit made since), and,
      // for the merge of two update branches' baselines, with the record the merge made, seeing no project.
      const generatedWith = recordEdited?.generatedWith ?? instantiation;
      const context = mergedAt ? undefined : generationContext(repository, landing, generatedWith);
      const generated = context || mergedAt ? ancestor : landed;
      differing = await regenerate(git, repository.objectsDir, recordedVersion(source, generatedWith), source, generated, context, generatedWith, request, warnings);
      reproducible = differing.length === 0 ? 'yes' : 'no';
      // Out of date with the version up to date: say why it can be, and what the next update does about it.
      if (reproducible === 'no') reasons.push(notReproducible(differing.length, context || mergedAt ? baseline : landing.commit));
    } catch (error) {
      // Whether the project drifted from what the blueprint makes cannot be told (--no-reproduce skips the question).
      // A partial clone whose remote is out of reach lacks the baseline's files, not a version that runs.
      notRun = error instanceof OptionsValidationError ? recordedOptionsRefused(error, true)
        : error instanceof PromisorRemoteError ? error.message
        : `the recorded version cannot be run again: ${(error as Error).message.split('\n')[0]}`;
      reasons.push(notRun);
    }
  }
  const meant = [...remade, ...warnings.filter(warning => !mendedSince(warning, editedOptions)).map(recordedWayOn)];
  // A source that cannot be reached may have newer versions than the cache shows.
  const undetermined = !source || source.unreachable ? reason : notRun;
  return {
    instantiation, baseline, newest, behind: behind && !backedOut, ...behindUnknown, ...(moved ? { moved } : {}), ...(backedOut ? { backedOut } : {}), reproducible, ...(differing?.length ? { differing } : {}), ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    ...(undetermined ? { undetermined } : {}), editedByHand, unresolvedConflicts, ...(recordChanged ? { recordChanged } : {}),
    ...(ownershipWarnings.length ? { ownershipWarnings } : {}), ...(meant.length ? { warnings: meant } : {}),
  };
}

/**
 * Why the recorded version may no longer generate what it generated, and what the next update does then: the
 * difference is the ancestor's to the blueprint's new output, so it lands as the blueprint's change.
 */
function notReproducible(count: number, compared: string): string {
  return `the recorded version with the recorded options generates ${count === 1 ? 'that file' : 'those files'} otherwise than ${compared.slice(0, 12)} holds: ` +
    'that commit was changed after it was generated (amended, or rewritten by git filter-branch or filter-repo), the source changed under the ' +
    'recorded version (a moved tag), or the blueprint generates differently from run to run; the next update merges the difference in as the ' +
    "blueprint's change ('blueprint update --dry-run' shows it)";
}

/**
 * What the update that made a baseline saw, so that running the recorded version again sees it too (a blueprint
 * may generate differently for a project that exists, as the SDK's `this.context.project` lets it): the project
 * as it was before (the first parent of the merge that landed the baseline) with its record, and the
 * instantiation's id when that record already had it (not for `update --add`). Undefined for a create, which
 * ran for a new project and saw none.
 */
function generationContext(repository: ProjectRepository, landing: { commit: string; update: boolean }, instantiation: Instantiation): GenerationContext | undefined {
  if (!landing.update) return undefined;
  const before = `${landing.commit}^1`;
  // `update --add` to a repository with no record yet (a plain one, or one adopted) saw none.
  const record = repository.git.tryRun(['cat-file', '-e', `${before}:${RECORD_PATH}`]).status === 0 ? readRecordAt(repository, before) : [];
  const previous = record.find(entry => entry.id === instantiation.id);
  return { existing: instantiationTree(repository.git, before, instantiation), record, previous };
}

interface GenerationContext {
  /** The repository as the run saw it. */
  readonly existing: GitTreeSource;
  /** The record the run saw. */
  readonly record: Instantiation[];
  /** The instantiation as that record had it; none for a first application. */
  readonly previous?: Instantiation;
}

/**
 * Runs the recorded version with the recorded options, as the run that made the baseline ran (an update's
 * `context`, or none for a create), and returns the paths that differ from what that run generated. What validation
 * and the blueprint warn of is added to `warnings`.
 */
async function regenerate(git: Git, objectsDir: string, version: string | undefined, source: ReturnType<typeof blueprintSource>, generated: GitTreeSource, context: GenerationContext | undefined, instantiation: Instantiation, request: CheckRequest, warnings: string[]): Promise<string[]> {
  const resolved = source.resolve(version);
  const work = new WorkFolder(instantiation.id);
  const durable = new DurableState(instantiation.id, work.path('durable'));
  const jobs = new BlueprintJobs(resolved.blueprintDir, {
    ...(context ? { existingBundle: work.path('existing'), instantiationsFile: work.path('instantiations.json') } : {}),
    ...(context?.previous ? { instantiationId: instantiation.id } : {}),
    durableStorage: durable.dir,
  }, request, warnings);
  try {
    const prefix = `${BundleLayout.SOURCE}/${instantiation.repository}/`;
    if (context) {
      // The state the run started from, as the repository kept it then.
      durable.seed(context.existing);
      fs.writeFileSync(work.path('instantiations.json'), sdkInstantiations(context.record));
      // As in an update: the project written only if the blueprint reads it, the regenerated files kept in memory where they can be.
      const deferred = prepareExistingBundle(git, context.existing, work.path('existing'), prefix, context.previous?.options ?? {}, jobs.mayDeferExisting);
      if (deferred) jobs.deferExisting(deferred);
    }
    // The recorded version's defaults are all in the recorded options already; a source that can only give a newer
    // version (a folder) runs it as an update would, with the options it added at their defaults, not missing.
    const options = recordedWithNewDefaults(instantiation.options, resolved.blueprintDir);
    const layers = newDefaultsLayer(instantiation.options, resolved);
    const job = await jobs.synth(options, work.path('proposed'), 'PROPOSED', { inMemory: true, origin: { base: `the recorded options (${RECORD_PATH})`, ...(layers.length ? { overrides: layers } : {}) } });
    const regenerated = new Map([...wholeBundle(work.path('proposed'), job.inMemory)].filter(([p]) => p.startsWith(prefix)));
    const differing = new Set<string>();
    for (const [bundlePath, after] of regenerated) {
      const before = generated.read(bundlePath);
      if (!before || !sameFile(before, after)) differing.add(bundlePath.slice(prefix.length));
    }
    for (const bundlePath of generated.list()) if (!regenerated.has(bundlePath)) differing.add(bundlePath.slice(prefix.length));
    dropStoredAlike(git, objectsDir, generated, regenerated, differing, prefix, work.path('stored'));
    return [...differing].sort();
  } finally {
    jobs.dispose();
    work.remove();
  }
}

/**
 * Takes out of `differing` (repository paths) the regenerated files that differ from the baseline's blobs in
 * their bytes only, as `git add` converts them (line ends, a `filter=`): the baseline stores them so. Written
 * to a scratch object database only when something differs, and when no conversion applies nothing changes.
 */
function dropStoredAlike(git: Git, objectsDir: string, generated: GitTreeSource, regenerated: FileMap, differing: Set<string>, prefix: string, scratch: string): void {
  const files: FileMap = new Map();
  for (const p of differing) {
    const file = regenerated.get(prefix + p);
    if (file && file.mode !== SYMLINK_MODE && generated.entries.has(prefix + p)) files.set(p, file);
  }
  if (!files.size) return;
  const store = objectStore(git, objectsDir, true, generated.entries.get(prefix + files.keys().next().value)!.oid);
  try {
    for (const [p, entry] of storedEntries(store, generated.wholeTree(), files, scratch) ?? []) {
      const baseline = generated.entries.get(prefix + p)!;
      if (entry.oid === baseline.oid && entry.mode === baseline.mode) differing.delete(p);
    }
  } finally {
    store.dispose();
  }
}

/**
 * The package version a source's version holds: a git source's versions are its tags (`v2`), which baselines do not
 * name; undefined when it cannot be read.
 */
function packageVersionAt(source: BlueprintSourceKind, version: string): string | undefined {
  if (source.kind !== 'git') return version;
  try {
    return blueprintPackage(source.resolve(version).blueprintDir).version;
  } catch {
    return undefined;
  }
}

/**
 * Whether the instantiation's recorded source offers a newer version than the recorded one (asking the
 * source: a fetch of a git mirror, a registry query, a folder's package.json). A source that cannot be asked is a reason, not a throw,
 * and where it leaves `behind` false, `behindUnknown` says so.
 */
export function sourceVersions(instantiation: Instantiation, repositoryRoot: string): { newest?: string; behind: boolean; moved?: string; source?: BlueprintSourceKind; reason?: string; behindUnknown?: string } {
  try {
    const source = recordedSource(instantiation, repositoryRoot);
    // A folder offers no versions to choose from, but its package.json says which one it holds now.
    const newest = source.kind === 'folder' ? blueprintPackage(source.resolve(undefined).blueprintDir).version : source.newest();
    const current = source.kind === 'git' ? source.current : instantiation.versionId;
    // In semver order where both are versions: a prerelease ahead of `latest` is not behind it.
    const order = newest && current ? compareVersions(newest, current) : undefined;
    let behind = !!newest && !!current && (order !== undefined ? order > 0 : newest !== current);
    let moved: string | undefined;
    // A git version is a name for a commit: the recorded commit under another name (a second tag on it, the commit
    // recorded by its id) is not behind, and the recorded name at another commit (a branch, a tag moved) is.
    const now = newest !== undefined && instantiation.sourceRevision ? source.revisionOf?.(newest) : undefined;
    if (now === instantiation.sourceRevision) behind = false;
    else if (now && newest === current) [behind, moved] = [true, now];
    const gone = recordedVersionGone(source, newest, instantiation);
    // Going back to an older version is no update to make.
    if (gone) behind = false;
    const reason = source.unreachable ?? (gone && `${gone}: 'blueprint update' will not go back to it without --to`);
    // Not behind as far as the cache can say is no answer: a newer version may be out.
    const unknown = !behind && source.unreachable ? { behindUnknown: `source: ${source.unreachable}` } : {};
    return { newest, behind, ...(moved ? { moved } : {}), source, ...(reason ? { reason: `source: ${reason}` } : {}), ...unknown };
  } catch (error) {
    // A cache folder that cannot be written (a read-only HOME) is named as such, with the way on.
    const refused = isWriteRefusal(error) && error.path ? new OutputNotWritableError(error.path, error.code) : error as Error;
    return { behind: false, reason: `source: ${refused.message}`, behindUnknown: `source: ${refused.message}` };
  }
}

/**
 * Whether a warning of the run that generated the baseline is about an option (`editedOptions`, dotted paths) a commit of the record alone changed
 * since: that run had the options as the last update recorded them, and the next update runs the edited ones. An
 * option dropped from the record as its warning said to was otherwise warned of again, telling the user to drop it,
 * beside the note that the edit awaits an update.
 */
function mendedSince(warning: string, editedOptions: readonly string[]): boolean {
  const key = recordedFindingKey(warning);
  return key !== undefined && editedOptions.some(option => key === option || key.startsWith(`${option}.`));
}
