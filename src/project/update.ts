import * as fs from 'fs';
import * as path from 'path';
import type { ResynthOptions, ResynthPullRequest } from '../blueprint/blueprint';
import { isDeferredFolderFilled } from '../bundle/deferred-folder';
import { BundleLayout } from '../bundle/layout';
import { FolderSink, writeAll } from '../bundle/sink';
import type { MemoryBundle } from '../blueprint/job-environment';
import { ADOPTED_SOURCE, mostlyDifferentAdoptionWarnings, refuseForeignAdoption } from './adopt-foreign';
import { assertRecordedVersion, landRecorded, readoption, Readoption, readoptionMessage } from './adopt-recorded';
import { appliedBefore, BaselineCommit, baselineMessage } from './baseline';
import { chooseBaseline } from './baseline-choice';
import { errorInRepositoryTerms, inRepositoryTerms, unownedEntries } from './repository-terms';
import { compareVersions } from './sources/semver-tags';
import { BlueprintJobError, BlueprintJobs } from './blueprint-jobs';
import type { RunOptions } from '../runner/synthesize';
import { BaselineRefusedError, ProjectInputError, RecordedOptionsRefusedError } from './errors';
import { folderAdoptionWarnings } from './adopt-folder';
import { emptyTree, Git, missingIdentityWayOn } from './git';
import { ObjectCache, GitTreeSource, TreeEntry } from './git-tree';
import { COMMAND_PATHS, DurableState } from './durable-state';
import { updatePatch } from './update-patch';
import { changedOptionKeys, Instantiation, newInstantiationId, parseRecord, RECORD_PATH, sdkInstantiations, serializeRecord, withInstantiation } from './instantiation-record';
import { branchExists, ConflictedPath, hiddenChangesRefusal, landMerge } from './land';
import { remoteBranchTaken, startUpstreamWarnings } from './remote-branch';
import { withRerere } from './rerere';
import { deletedOwnershipFiles } from './deleted-ownership';
import { createdBeforeSecondRunWarnings } from './first-baseline';
import { optionsElsewhereWarnings, repositoryChangeWarnings } from './generated-repositories';
import { landedOwnershipWarnings } from './landed-ownership';
import { applyOverrides, blameOverrides, blueprintPackage, defaultOptions, optionsSchema, OptionsOverrides, newDefaultsLayer, overridesOrigin, recordedWayOn, recordedOptionsRefused, recordedWithNewDefaults, overridesSchema, renamedOptionHints, withDefaultEntropy } from './options';
import { OptionsValidationError } from '../schema/validate-configurations';
import { Rename, RenameConflict } from './renames';
import { assertReadyForUpdate, openRepository, pickRecordedInstantiation, ProjectRepository, readRecordAt, readRecordTextAt, refuseDetachedHead } from './repository';
import { blueprintSource, newestToUpdateTo, recordedSource, recordedVersion, ResolvedSource, resolveRequested } from './sources';
import { prepareExistingBundle } from './existing-bundle';
import { UpdateConfig } from './repository-config';
import { decideByMergeAttributes } from './merge-attributes';
import { gitMarkerLabels, gitMergeSettings } from './merge-settings';
import { mergeInJob, mergeInProcess, prefetchProjectChanges, startProjectMoves, UpdateMerge, UpdateSides } from './update-merge';
import { countOutcomes, UpdateFileReport, updateFileReports, UpdateOutcome, unseenDecisions, withFolderMoves } from './update-report';
import { describePathsInTheWay, untrackedInTheWay } from './untracked';
import { describeUpdateInProgress, UpdateInProgress, updateInProgress } from './update-in-progress';
import { WorkFolder } from './work-folder';
import { firstOf } from '../plural';

/** What {@link updateRepository} needs. */
export interface UpdateRequest extends RunOptions {
  /** A folder inside the repository. */
  readonly repositoryDir: string;
  /** The version of the recorded source to update to (a tag, an npm version). @default the newest */
  readonly to?: string;
  /** Another blueprint source than the recorded one. @default the recorded source */
  readonly source?: string;
  /** Options over the recorded ones. @default the recorded options */
  readonly overrides?: OptionsOverrides;
  /** Which instantiation, when the repository records several: its id, or its blueprint's package name where the record holds that package once. @default the only one */
  readonly instantiationId?: string;
  /** Compute and report, write nothing. @default false */
  readonly dryRun?: boolean;
  /** With `dryRun`: the result's `patch` shows what the update would change in the project's files. @default false */
  readonly patch?: boolean;
  /** Put the update on its own branch: this name, or '' for the blueprint's `resynthPullRequest.originBranch`. @default the current branch */
  readonly branch?: string;
  /** Apply `source` to the repository as a new instantiation (its ancestor is empty). @default false */
  readonly add?: boolean;
  /**
   * With `add`: the repository was made by this blueprint (at this version, with these options) elsewhere, by the
   * hosted service: what it generates is recorded as the first baseline and the project's files are left exactly as
   * they are (the merged tree is `HEAD`'s plus the record), so that the next update merges from what the project was
   * made from, instead of from nothing. Without `add`: the project holds what the recorded version generates with
   * the recorded options, but no baseline records it (an update squash-merged): the same, for the recorded
   * instantiation, or the generated commit still in the repository merged as it is (see {@link readoption}). @default false
   */
  readonly adopt?: boolean;
  /** With `add`: the repository of the blueprint's bundle this git repository holds. @default the only one it generates */
  readonly repository?: string;
  /** Called after each step with its name and milliseconds (for `--verbose`). @default nothing */
  readonly onStep?: (step: string, ms: number) => void;
  /**
   * Runs the landing (synchronous: git writing the branch, the index, the work tree and the merge state), so that
   * the caller can keep it from being cut midway: the CLI holds SIGINT and SIGTERM meanwhile (`holdingSignals`).
   * @default the landing runs as it is
   */
  readonly guardLanding?: <T>(land: () => T) => Promise<T>;
  /** The merge flags (fallback strategy, conflict style, local strategies). @default none */
  readonly merge?: ResynthOptions;
  /**
   * The repository as the caller has just opened it, with its record, when it knows the work tree is clean
   * (a fleet's own clone, just checked out): git is not asked again. @default opened and checked here
   */
  readonly opened?: { readonly repository: ProjectRepository; readonly record: Instantiation[] };
  /**
   * With `branch`: a remote-tracking branch of that name is the caller's to handle (the fleet pushes over its own
   * branch, and leaves one with others' commits alone). @default an update branch a remote has is refused
   */
  readonly remoteBranchHandled?: boolean;
}

/** What {@link updateRepository} did. */
export interface UpdateResult {
  /** `committed`: a merge commit; `conflicts`: git's merge state left to resolve; `up-to-date`: nothing to do; `dry-run`: nothing written. */
  readonly state: 'committed' | 'conflicts' | 'up-to-date' | 'dry-run';
  /** The instantiation before the update (none when it was added). */
  readonly previous?: Instantiation;
  /** The instantiation as the update records it. */
  readonly instantiation: Instantiation;
  /** The baseline the update merged from (the ancestor; none when the blueprint was added). */
  readonly baseline?: string;
  /** The new baseline commit (not made in a dry run). */
  readonly generated?: string;
  /** The merge commit, when clean. */
  readonly commit?: string;
  /** The branch the update landed on. */
  readonly branch?: string;
  /** Every file the update touched or kept out, with its outcome and strategy. */
  readonly files: UpdateFileReport[];
  /** Counts per outcome. */
  readonly totals: Record<UpdateOutcome, number>;
  /** Files the blueprint moved, whose project edits went to the new path. */
  readonly renames: Rename[];
  /** Generated files the project's developers had moved, which the blueprint's changes followed. */
  readonly followed: Rename[];
  /** Files the blueprint moved that the project had deleted (rename/delete) or moved elsewhere (rename/rename). */
  readonly renameConflicts: RenameConflict[];
  /** Warnings of the merge. */
  readonly warnings: string[];
  /** The blueprint's pull request for this update (SDK API). */
  readonly pullRequest?: ResynthPullRequest;
  /** With `adopt` on a recorded instantiation: the generated commit found outside the history and merged as it is (nothing was generated). */
  readonly recordedAsMerged?: string;
  /**
   * A dry run's `patch`: what the update would change in the project's files, the bytes `git diff` writes (see
   * {@link updatePatch}); not text: a file's bytes that are not UTF-8 stay as they are.
   */
  readonly patch?: Buffer;
}

/**
 * Updates one instantiation of the repository to a new blueprint version or new options, as a git merge:
 *
 * 1. the recorded baseline (the generated commit the record describes, found in history: see
 *    {@link chooseBaseline}) is the ancestor and `HEAD` the existing side; both are read with one `ls-tree` and one `cat-file --batch`;
 * 2. the blueprint runs with the new version and options (`RESYNTH_PHASE=PROPOSED`, the repository as
 *    `EXISTING_BUNDLE_ABS`, written when the blueprint first reads it, the record as `INSTANTIATIONS_ABS`, `CUR_INSTANTIATION_ID`) into a temporary
 *    folder, and its output plus the new record is committed as the new baseline, child of the old one;
 * 3. files the blueprint moved take the project's edits along, and the three sides are merged with the
 *    blueprint's strategies and the repository's `.ownership-file`s: in this process over the git trees when
 *    the blueprint leaves its merge to the framework (see {@link mergeInProcess}), else by its own
 *    `resynth()` in a job process over folders (see {@link mergeInJob});
 * 4. the result lands as a merge of the new baseline into `HEAD` (see {@link landMerge}).
 * Paths only the project has are never touched. Bad input fails before anything is written.
 */
export async function updateRepository(request: UpdateRequest): Promise<UpdateResult> {
  let last = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    request.onStep?.(name, now - last);
    last = now;
  };
  const repository = request.opened?.repository ?? openRepository(request.repositoryDir);
  const { git, head } = repository;
  if (request.dryRun && request.branch === undefined) refuseDetachedHead(repository);
  if (request.branch) checkNewBranch(git, request.branch, !request.remoteBranchHandled);
  // Read by git now, beside what comes next: the merge's settings, whether this process may write the objects.
  const config = new UpdateConfig(git);
  const mergeSettings = gitMergeSettings(git, request.merge, config);
  // A fleet's own clone, or a new branch, has no upstream to diverge from (see upstreamWarnings).
  const upstreamOfBranch = request.opened || request.branch !== undefined || !repository.branch ? undefined : startUpstreamWarnings(git, repository.branch, config);

  // Adding a blueprint is an update from nothing: an empty ancestor, a baseline with no parent.
  let record: Instantiation[];
  let previous: Instantiation | undefined;
  let baseline: string | undefined;
  let baselineTree: string | undefined;
  // The baselines the new one descends from: the ancestor's, or each one its tree merges (see chooseBaseline).
  let baselineParents: readonly string[] = [];
  // The baselines in HEAD's history, when choosing the ancestor listed them: read again for appliedBefore otherwise.
  let listedBaselines: readonly BaselineCommit[] | undefined;
  let resolved: ResolvedSource;
  // Why the source's own answer was missing, when cached copies answered: said as `check` says it.
  let unreachable: string | undefined;
  // On its own, --adopt gives the recorded instantiation its baseline back: the recorded version and options, nothing else.
  const readopt = !!request.adopt && !request.add;
  if (readopt && (request.to || request.source || request.overrides?.file || request.overrides?.sets?.length)) {
    throw new ProjectInputError('--adopt goes with --add when it names a blueprint, a version or options (blueprint update --add --adopt --blueprint SOURCE --options FILE ' +
      `for a repository made elsewhere, ${ADOPTED_SOURCE}); on its own, it adopts the recorded version with the recorded options, and takes no --to, --blueprint, --options or --set`);
  }
  let adoption: Readoption | undefined;
  // HEAD's record as read here, where it was (the merged tree's record is written in its layout: not read twice).
  let headRecord: Buffer | undefined;
  if (request.add) {
    if (!request.source) throw new ProjectInputError('--add needs the blueprint to add: --blueprint SOURCE');
    record = git.tryRun(['cat-file', '-e', `HEAD:${RECORD_PATH}`]).status === 0 ? readRecordAt(repository) : [];
    const source = blueprintSource(request.source, process.cwd());
    resolved = source.resolve(request.to);
    if (request.adopt && source.kind === 'folder') resolved = { ...resolved, warnings: [...resolved.warnings ?? [], ...folderAdoptionWarnings(resolved.blueprintDir)] };
  } else {
    if (request.opened) record = request.opened.record;
    else ({ record, bytes: headRecord } = readRecordTextAt(repository));
    previous = pickRecordedInstantiation(repository, record, request.instantiationId);
    if (readopt) {
      // The baseline an update's open merge brings is found: "nothing to adopt" would hide the merge to finish.
      const open = updateInProgress(repository);
      if (open) throw openUpdateRefusal(repository, open);
      adoption = readoption(git, previous);
      if (adoption.recorded) return landFound(repository, previous, adoption.recorded, request);
    }
    ({ resolved, unreachable } = resolveUpdateSource(previous, request, repository.root, readopt));
  }
  const pkg = blueprintPackage(resolved.blueprintDir);
  if (readopt) assertRecordedVersion(previous!, pkg.version);
  // Adopted again (an adoption script run twice), or added again (after its files were deleted by hand), the
  // repository would record the blueprint twice over the same files, and every later update would need its id
  // and run once per record.
  const recorded = request.add ? record.find(i => i.packageName === pkg.name && (!request.repository || i.repository === request.repository)) : undefined;
  if (recorded) {
    const update = `blueprint update --instantiation ${pkg.name} (--to VERSION, --options FILE, --set key=value)`;
    throw new ProjectInputError(`--add${request.adopt ? ' --adopt' : ''}: ${RECORD_PATH} already records ${pkg.name}@${recorded.versionId} (instantiation ${recorded.id}, repository '${recorded.repository}'): ` +
      (request.adopt ? `the repository is adopted; update it with ${update}; nothing changed` : `update it with ${update} instead; nothing changed`));
  }
  // A blueprint applied for the first time (--add) starts from its defaults with the wizard's entropy, as create does.
  const schema = previous ? overridesSchema(resolved.blueprintDir, request.overrides) : optionsSchema(resolved.blueprintDir);
  // The new defaults fill in what the recorded options overridden by the flags lack: an object a flag made where the
  // record held text (`--set database.engine=mysql` once `database` became an object) takes its other values from them.
  const given = previous ? applyOverrides(previous.options, request.overrides ?? {}, schema) : undefined;
  const options = given
    ? recordedWithNewDefaults(given, resolved.blueprintDir)
    : applyOverrides(withDefaultEntropy(defaultOptions(resolved.blueprintDir), schema), request.overrides ?? {}, schema);
  let repositoryName = previous?.repository ?? request.repository ?? path.basename(repository.root);

  const id = previous?.id ?? newInstantiationId();
  const work = new WorkFolder(id);
  const bundle = (side: string) => work.path(side);
  // What validation and the blueprint warn of is the update's to report: a fleet's row and --json carry it.
  const jobWarnings: string[] = [];
  const jobs = new BlueprintJobs(resolved.blueprintDir, {
    existingBundle: bundle('existing'),
    instantiationsFile: work.path('instantiations.json'),
    instantiationId: previous?.id,
    durableStorage: work.path('durable'),
  }, request, jobWarnings);
  let merged: UpdateMerge | undefined;
  try {
    // The job process boots and loads the framework while the rest is checked and the sides are listed.
    jobs.start();
    // The work tree's changes are looked for while the blueprint runs (see assertReadyForUpdate).
    const changes = request.dryRun ? Promise.resolve(undefined) : readyForUpdate(repository, request);
    // A dry run changes nothing, so a dirty tree is no reason to refuse it; but it says that the update would refuse.
    const wouldRefuse = request.dryRun ? refusalOf(() => readyForUpdate(repository, request)) : Promise.resolve(undefined);
    if (adoption) {
      // Generated again from nothing, as a create's baseline is, and recorded as a child of the newest pristine one.
      baselineParents = adoption.parents ?? [];
    } else if (previous) {
      const choice = chooseBaseline(git, previous);
      if (choice.refusal !== undefined) throw new BaselineRefusedError(repository.root, choice.refusal);
      ({ commit: baseline, tree: baselineTree, parents: baselineParents, listed: listedBaselines } = choice);
    }
    const markerLabels = gitMarkerLabels(git, baseline, baselineParents, `${pkg.name}@${pkg.version}`);
    const durable = new DurableState(id, work.path('durable'));
    fs.writeFileSync(work.path('instantiations.json'), sdkInstantiations(record));
    // One cache for every side: a blob the sides share is read once, and one the blueprint generated again is never read.
    const cache = new ObjectCache(git);
    // Listed by tree id: an ancestor with HEAD's tree is listed once.
    const existingView = (name: string) => new GitTreeSource(git, repository.headTree, `${BundleLayout.SOURCE}/${name}/`, COMMAND_PATHS, cache);
    const priorOptions = previous?.options ?? {};
    let existing = existingView(repositoryName);
    const recordEntry = existing.excluded.get(RECORD_PATH);
    if (headRecord && recordEntry) cache.seed(recordEntry.oid, headRecord);
    // Written when the blueprint first reads it, where it can start git; an added blueprint's repository may still be renamed below.
    let deferredExisting = prepareExistingBundle(git, existing, bundle('existing'), `${BundleLayout.SOURCE}/${repositoryName}/`, priorOptions, jobs.mayDeferExisting);
    if (deferredExisting) jobs.deferExisting(deferredExisting);
    // The blueprint finds what it stored on earlier runs, as the project has it now.
    durable.seed(existing);
    // The old baseline's side, and what git can tell of the project's side before the blueprint runs, started
    // now: the synthesis holds this thread, and git answers on the other core meanwhile.
    const baselineSide = baselineTree === undefined ? undefined : new GitTreeSource(git, baselineTree, `${BundleLayout.SOURCE}/${repositoryName}/`, COMMAND_PATHS, cache);
    const projectMoves = baselineSide ? startProjectMoves(git, baselineSide, existing) : () => [];
    if (baselineSide) prefetchProjectChanges(cache, baselineSide, existing);
    step(deferredExisting ? 'checks, source, durable state read' : 'checks, source, existing side written, durable state read');
    // The components' files stay in memory when the blueprint allows it: the merge here would only read them back.
    // (Not when a blueprint is added: which repository it generates is read from the folder below.)
    // What the blueprint's defaults give (added to the record, or as the record has them) is named by its defaults file.
    const layers = [...given ? newDefaultsLayer(given, resolved) : [], ...overridesOrigin(request.overrides, schema) ?? []];
    // Said after validation's warnings, the old name's among them, and with a blueprint that failed too: where a version
    // both renamed an option and added a required one, the `--set` that fixes the failure would otherwise land the
    // update with the new name at its default, and only then name the rename.
    const renameHints = () => (given ? renamedOptionHints(given, options, () => optionsSchema(resolved.blueprintDir)) : []);
    const origin = { ...(previous ? { base: `the recorded options (${RECORD_PATH})` } : {}), ...(layers.length ? { overrides: layers } : {}) };
    // Options the schema refuses because of a flag fail every repository given that flag: said so (a fleet stops).
    const synthJob = await jobs.synth(options, bundle('proposed'), 'PROPOSED', { origin, inMemory: !request.add })
      .catch(async error => { throw (await changes) ?? withWarningsBefore(recordedOrOverridesFault(blameOverrides(error, request.overrides), previous), [...jobWarnings, ...renameHints()]); });
    const refusal = await changes;
    if (refusal) throw refusal;
    step('proposed synthesized');
    // A blueprint that leaves its merge to the framework is merged here, over git trees; any other by its own resynth(), over folders.
    const here = !!synthJob.merge && !request.merge?.allowLocal;
    let proposedInMemory = synthJob.inMemory;
    if (proposedInMemory && !here) {
      writeInMemoryBundle(bundle('proposed'), proposedInMemory);
      proposedInMemory = undefined;
    }
    const repositories = generatedRepositories(bundle('proposed'), proposedInMemory);
    if (!request.add) refuseLostRepository(repositoryName, repositories);
    // Named by --repository and not generated, the added instantiation would record a repository the blueprint never
    // writes: nothing adopted or added now, and every later update refused as a lost repository.
    if (request.add && request.repository && !repositories.includes(repositoryName)) {
      throw new ProjectInputError(`--repository ${repositoryName}: the blueprint, at this version with these options, generates no repository of that name ` +
        `(it generates: ${repositories.join(', ') || '(none)'}); nothing changed`);
    }
    if (request.add && !request.repository) {
      // The repository of the added blueprint's bundle: the one it generates, whatever this folder is called.
      if (!repositories.includes(repositoryName) && repositories.length === 1) {
        const folderName = repositoryName;
        repositoryName = repositories[0];
        if (deferredExisting && !isDeferredFolderFilled(deferredExisting)) {
          // Nothing read it yet: deferred again, below the repository's name, rather than written to be moved.
          fs.rmSync(bundle('existing'), { recursive: true, force: true });
          existing = existingView(repositoryName);
          deferredExisting = prepareExistingBundle(git, existing, bundle('existing'), `${BundleLayout.SOURCE}/${repositoryName}/`, priorOptions, true);
          jobs.deferExisting(deferredExisting!);
        } else {
          fs.renameSync(path.join(bundle('existing'), BundleLayout.SOURCE, folderName), path.join(bundle('existing'), BundleLayout.SOURCE, repositoryName));
          existing = existingView(repositoryName);
        }
      } else if (!repositories.includes(repositoryName)) {
        throw new ProjectInputError(`--add: the blueprint generates the repositories ${repositories.join(', ') || '(none)'}; choose one with --repository`);
      }
    }
    const prefix = `${BundleLayout.SOURCE}/${repositoryName}/`;
    // Adopted again, the record stays as it is: the new baseline must record what HEAD's record does, to be found.
    const next: Instantiation = readopt ? previous! : { id, packageName: pkg.name, versionId: pkg.version, options, source: resolved.spec, sourceRevision: resolved.revision, repository: repositoryName };
    // An added blueprint's ancestor is empty (and its repository's name known only now).
    const ancestor = baselineSide ?? new GitTreeSource(git, emptyTree(git), prefix, COMMAND_PATHS, cache);
    const sides: UpdateSides = {
      git, head, objectsDir: repository.objectsDir, work, prefix, ancestor, existing, cache, priorOptions, durable, dryRun: !!request.dryRun, deferredExisting, proposedInMemory, adopt: !!request.adopt, projectMoves, config,
      record: serializeRecord(withInstantiation(record, next)),
      instantiation: next,
      priorPackageName: previous?.packageName,
      others: record.filter(i => i.id !== id),
    };
    const merge = { ...mergeSettings.settings(), labels: request.merge?.labels ?? markerLabels.labels() };
    try {
      merged = here
        ? mergeInProcess(sides, synthJob.merge!, merge, synthJob.pullRequest)
        : await mergeInJob(sides, jobs, options, merge, synthJob.pullRequest);
    } catch (error) {
      throw errorInRepositoryTerms(error, prefix);
    }
    step(here ? 'new baseline tree written, renames found, merged in this process' : 'ancestor side written, renames found, merged by resynth()');
    const { renames, followed, renameConflicts, keptForOthers, pullRequest } = merged;
    // Where the merge conflicted, the repository's merge attribute (gitattributes) decides, as in git merge.
    const decided = decideByMergeAttributes(git, merged, prefix, merge, config);
    let files = withFolderMoves(updateFileReports(decided, prefix, merged.sides, new Map(renames.map(r => [r.to, r.from])), new Map(followed.map(r => [r.to, r.from])), renameConflicts), merged.folderMoves)
      .map(file => (keptForOthers.has(file.path) ? {
        ...file, outcome: 'kept' as const, conflicts: 0, overridden: 0,
        note: `owned by ${keptForOthers.get(file.path)}; ${merged!.sides.existing(file.path) ? 'left as the project has it' : 'not added'}`,
      } : file))
      .map(file => {
        // Not "deleted in the project": the project put a submodule there.
        const submodule = file.outcome === 'kept' ? existing.submoduleHolding(file.path) : undefined;
        return submodule ? { ...file, note: `the project has a submodule at '${submodule}'; the blueprint's version is not written` } : file;
      });
    // Adopted: every file stays as the project has it; where the blueprint generates it otherwise, the next update
    // merges that difference as the project's edit. What the merge would have done to the file (JSON paths
    // overridden or conflicted, policy decisions, a move) did not happen, so none of it is reported.
    if (request.adopt) {
      files = files.map(file => (file.outcome === 'unchanged' ? file : {
        path: file.path, strategy: file.strategy, outcome: 'kept' as const, conflicts: 0, overridden: 0,
        note: merged!.sides.existing(file.path) ? 'adopted as the project has it (the blueprint generates it otherwise)' : 'the blueprint generates it; the project has none, and keeps none',
      }));
    }
    if (request.adopt && request.add) refuseForeignAdoption(files, merged.sides, `${pkg.name}@${pkg.version}`, repositoryName);
    if (!request.adopt) refuseWritesInSubmodules(existing, files, merged.sides.resolved, pkg.name, repository.root);
    step('report');
    // Allowed (a bad release is rolled back so), but never by surprise.
    const downgrade = previous && (compareVersions(pkg.version, previous.versionId) ?? 0) < 0
      ? [`${pkg.version} is older than the recorded ${previous.versionId}: this update is a downgrade`] : [];
    // A version backed out (git revert -m 1) and applied again, itself or within a newer one: allowed, as the revert is undone so, but never by surprise.
    const again = previous && baseline && !readopt && pkg.version !== previous.versionId
      ? appliedBefore(git, id, baselineParents, pkg.name, pkg.version, previous.versionId, listedBaselines) : [];
    const warnings = [...unreachable ? [`source: ${unreachable}`] : [], ...resolved.warnings ?? [], ...jobWarnings.map(recordedWayOn), ...renameHints(), ...downgrade, ...again, ...merged.warnings.map(warning => inRepositoryTerms(warning, prefix)), ...unownedEntries(existing, withInstantiation(record, next), prefix, previous?.packageName),
      ...deletedOwnershipFiles(ancestor, existing, merged.sides.resolved, prefix, baseline),
      ...landedOwnershipWarnings(existing, merged.sides.resolved, files, prefix, { name: pkg.name, version: pkg.version }),
      ...previous ? repositoryChangeWarnings(git, repositoryName, repositories, baselineParents, listedBaselines, `${previous.packageName}@${previous.versionId}`) : [],
      ...previous && given && !request.opened && !request.adopt ? optionsElsewhereWarnings(repositoryName, repositories, changedOptionKeys(previous.options, given)) : [],
      ...previous && !request.adopt ? createdBeforeSecondRunWarnings(git, baselineParents, listedBaselines, files, `${previous.packageName}@${previous.versionId}`) : [],
      ...!previous || changedOptionKeys(previous.options, options).length > 0 ? outsideRepositoriesWarnings(bundle('proposed'), proposedInMemory) : [],
      ...request.adopt && request.add ? mostlyDifferentAdoptionWarnings(files, merged.sides, `${pkg.name}@${pkg.version}`) : []];
    warnings.push(...refuseUntrackedInTheWay(repository, existing, request.adopt ? [] : files, merged.sides.resolved, [RECORD_PATH, ...durable.files().keys()], !!request.dryRun));
    // The landing refuses them (read-tree does); a dry run alone pays for looking, to say so.
    if (request.dryRun && !request.adopt) {
      const headTree = existing.wholeTree().entries;
      const hidden = hiddenChangesRefusal(git, new Set(files.filter(f => headTree.has(f.path) && f.outcome !== 'unchanged' && f.outcome !== 'kept').map(f => f.path)));
      if (hidden) warnings.push(`the update would be refused: ${hidden.message}`);
    }
    // `--branch` alone names the blueprint's branch, known only now: a dry run says what the update would refuse.
    const newBranch = request.branch === undefined ? undefined : request.branch || pullRequest?.originBranch;
    if (request.branch !== undefined && !newBranch) throw new ProjectInputError('--branch: the blueprint names no resynthPullRequest.originBranch; give a branch name');
    const branchRefused = newBranch === undefined ? undefined : newBranchRefusal(git, newBranch, !request.remoteBranchHandled);
    if (branchRefused && request.dryRun) warnings.push(`the update would be refused, unless it finds nothing to change: ${branchRefused.message}`);
    // Said only when the update lands something.
    const upstream = () => upstreamOfBranch?.() ?? [];
    if (request.dryRun) warnings.push(...upstream());
    const refused = await wouldRefuse;
    if (refused) warnings.push(`the update would be refused: ${refused.message}`);
    const result = { previous, instantiation: next, baseline, files, totals: countOutcomes(files), renames, followed, renameConflicts, warnings, pullRequest };
    if (request.dryRun) return { ...result, state: 'dry-run', ...request.patch ? { patch: updatePatch(files, p => existing.read(prefix + p), merged.sides) } : {} };

    // The new baseline: the pristine generated content and the new record, child of the old baseline.
    const { generatedTree, mergedTree } = merged.writeTrees();
    if (mergedTree === repository.headTree && baselineTree !== undefined && (generatedTree === baselineTree || sameButOthersEntries(cache, generatedTree, baselineTree, id))) {
      return { ...result, state: 'up-to-date' };
    }
    warnings.push(...upstream());
    const generated = merged.commit(generatedTree, baselineParents, baselineMessage(pkg.name, pkg.version, id, repositories));
    step('new baseline and merged tree written');

    if (branchRefused) throw branchRefused;
    const branch = newBranch ?? repository.branch?.replace(/^refs\/heads\//, '');
    // The trees written here are listed from memory (see writeTreeWith); others by git.
    const conflicts = conflictedPaths(files, ancestor, existing, () => cache.list(generatedTree).entries, prefix, () => cache.list(mergedTree).entries, renameConflicts);
    const land = () => landMerge({ git, objectsDir: repository.objectsDir, head, generated, mergedTree, conflicts, message: readopt ? readoptionMessage(next) : request.adopt ? adoptionMessage(next) : commitMessage(previous, next, pullRequest, files), branch: newBranch, commit: merged!.commit, list: tree => cache.list(tree), config });
    const landing = request.guardLanding ? await request.guardLanding(land) : land();
    step('landed');
    // Not in a fleet's own clone (opened), whose conflicts are resolved elsewhere.
    const identity = landing.state === 'committed' || request.opened ? undefined : missingIdentityWayOn(git);
    if (identity) warnings.push(identity);
    return landing.state === 'committed'
      ? { ...result, state: 'committed', generated, commit: landing.commit, branch }
      : { ...result, files: withRerere(files, landing.rerere), state: 'conflicts', generated, branch };
  } finally {
    merged?.dispose();
    jobs.dispose();
    work.remove();
  }
}

/**
 * Refuses an update whose blueprint no longer generates this repository (an option that names it changed,
 * or a version that renamed it): its merge would delete every generated file of the repository.
 */
function refuseLostRepository(repositoryName: string, repositories: readonly string[]): void {
  if (repositories.includes(repositoryName)) return;
  throw new ProjectInputError(
    `the blueprint, at this version with these options, no longer generates the repository '${repositoryName}' that this one holds ` +
      `(it generates: ${repositories.join(', ') || 'none'}): the update would delete every generated file; nothing changed ` +
      "(a repository renamed by an option or a new version is not followed); to keep the files and stop following the blueprint here: blueprint disassociate",
  );
}

/** The repositories a proposed bundle generates, sorted: its `src/` folders on disk and in memory. */
function generatedRepositories(proposedDir: string, inMemory: MemoryBundle | undefined): string[] {
  const generated = new Set<string>();
  const source = path.join(proposedDir, BundleLayout.SOURCE);
  if (fs.existsSync(source)) for (const name of fs.readdirSync(source)) generated.add(name);
  for (const bundlePath of [...(inMemory?.files.keys() ?? []), ...(inMemory?.folders ?? [])]) {
    const [top, name] = bundlePath.split('/');
    if (top === BundleLayout.SOURCE && name) generated.add(name);
  }
  return [...generated].sort();
}

/**
 * What an update that added the blueprint, or gave it new options, says of the files of its bundle outside any
 * repository (environments, account connections, secrets, issues): the update changes repositories only, so an
 * environment a workflow it wrote now names would otherwise be neither applied nor mentioned.
 */
function outsideRepositoriesWarnings(proposedDir: string, inMemory: MemoryBundle | undefined): string[] {
  const kinds: string[] = [BundleLayout.ENVIRONMENTS, BundleLayout.ACCOUNT_CONNECTIONS, BundleLayout.SECRETS, BundleLayout.ISSUES];
  const found = new Set<string>();
  for (const kind of kinds) {
    const folder = path.join(proposedDir, kind);
    if (fs.existsSync(folder)) for (const name of fs.readdirSync(folder)) found.add(`${kind}/${name}`);
  }
  for (const bundlePath of inMemory?.files.keys() ?? []) {
    if (kinds.includes(bundlePath.split('/')[0])) found.add(bundlePath);
  }
  if (found.size === 0) return [];
  return [`the blueprint's bundle also holds ${firstOf([...found].sort(), 4)}, outside any repository: an update changes repositories only and applies ` +
    "none of them ('blueprint synth' with the options 'blueprint status' prints writes them)"];
}

/**
 * Refuses an update that would write a file at or under one of the project's submodules (a generated
 * folder the project replaced by one, whose files the blueprint changed or added): a submodule is one
 * entry of the tree, so the file would drop it, and checked out it would land in the submodule's own work
 * tree. Files there the merge leaves out (the strategy keeps the project's side, where the submodule hides
 * them) are no reason. The way on is named: an `.ownership-file` entry that leaves the path to the project.
 */
function refuseWritesInSubmodules(existing: GitTreeSource, files: readonly UpdateFileReport[], resolved: (path: string) => unknown, packageName: string, root: string): void {
  if (existing.submodules.size === 0) return;
  const written = new Map<string, string[]>();
  for (const file of files) {
    const submodule = existing.submoduleHolding(file.path);
    if (submodule && resolved(file.path)) written.set(submodule, [...written.get(submodule) ?? [], file.path]);
  }
  if (written.size === 0) return;
  const [submodule, paths] = [...written][0];
  const where = paths[0] === submodule ? 'in its place' : 'in it';
  const more = paths.length > 1 ? ` (and ${paths.length - 1} more)` : '';
  const others = written.size > 1 ? `; likewise in ${[...written.keys()].slice(1).map(s => `'${s}'`).join(', ')}` : '';
  throw new ProjectInputError(
    `${root}: '${submodule}' is a submodule of the project, and the update would write '${paths[0]}' ${where}${more}${others}: ` +
      `the blueprint still generates files there. Nothing was written. To keep the submodule, leave its path to the project with an .ownership-file entry ` +
      `('[neverUpdate] ${packageName}' with the glob '${submodule}/**'${paths.includes(submodule) ? ` and '${submodule}'` : ''})`,
  );
}

/**
 * Refuses an update that would write over files git does not track (see {@link untrackedInTheWay}): untracked
 * ones, as `git merge` refuses them, and ignored ones, which `git merge` would overwrite (a `.env` holding the
 * user's secrets, where a new blueprint version adds one). The paths written are those of the merge's result
 * that `HEAD` lacks, and the command's own files. A dry run gets the refusal as a warning.
 */
function refuseUntrackedInTheWay(
  repository: ProjectRepository, existing: GitTreeSource, files: readonly UpdateFileReport[], resolved: (path: string) => unknown,
  commandPaths: readonly string[], dryRun: boolean,
): string[] {
  const headTree = existing.wholeTree().entries;
  const written = [...files.map(file => file.path).filter(p => !headTree.has(p) && resolved(p)), ...commandPaths];
  const inTheWay = untrackedInTheWay(repository.git, repository.root, headTree, written);
  if (inTheWay.length === 0) return [];
  if (dryRun) return [`the update would refuse to write over files git does not track: ${describePathsInTheWay(inTheWay)}; move them away first`];
  throw new ProjectInputError(`${repository.root}: the update would write over files git does not track: ${describePathsInTheWay(inTheWay)}; move them away and run again (nothing changed)`);
}

/**
 * Whether the new baseline's tree is the old one's but for the record's entries of other instantiations. The
 * baseline holds the whole record as `HEAD` has it, so another blueprint's update since changed it: no change of
 * this one's, where taking it for one made an update with nothing to do a new baseline and a merge that changed no file.
 */
function sameButOthersEntries(cache: ObjectCache, generatedTree: string, baselineTree: string, id: string): boolean {
  const now = cache.list(generatedTree).entries;
  const before = cache.list(baselineTree).entries;
  if (now.size !== before.size) return false;
  for (const [file, entry] of now) {
    const old = before.get(file);
    if (!old || old.mode !== entry.mode || (file !== RECORD_PATH && old.oid !== entry.oid)) return false;
  }
  const records = [now, before].map(entries => entries.get(RECORD_PATH)!.oid);
  cache.load(records);
  const [mine, was] = records.map(oid => parseRecord(cache.get(oid)!.toString('utf8'), RECORD_PATH).find(i => i.id === id));
  return mine !== undefined && was !== undefined && serializeRecord([mine]) === serializeRecord([was]);
}

/**
 * {@link assertReadyForUpdate}, where the merge in progress is an update's (this instantiation's or another's of the
 * repository): named as status names it, with its blueprint, its conflicted files and how to finish it, where
 * "a merge is in progress" left the user to find out whose, with several blueprints recorded.
 */
function readyForUpdate(repository: ProjectRepository, request: UpdateRequest): Promise<Error | undefined> {
  try {
    return assertReadyForUpdate(repository, request.opened !== undefined, request.branch !== undefined);
  } catch (error) {
    const open = error instanceof ProjectInputError ? updateInProgress(repository) : undefined;
    if (open) throw openUpdateRefusal(repository, open);
    throw error;
  }
}

/** The refusal of an update while another's merge is open: whose, its conflicted files, and how to finish it. */
function openUpdateRefusal(repository: ProjectRepository, open: UpdateInProgress): ProjectInputError {
  return new ProjectInputError(`${repository.root}: a merge is in progress (MERGE_HEAD): ${describeUpdateInProgress(open)}; then update again`);
}

/** The refusal `ready` throws or resolves to, as a value: a dry run reports it instead. */
function refusalOf(ready: () => Promise<Error | undefined>): Promise<Error | undefined> {
  try {
    return ready();
  } catch (error) {
    return Promise.resolve(error as Error);
  }
}

/**
 * `update --adopt` where the generated commit the record describes is still in the repository outside the history:
 * merged as it is, nothing run or generated, after the same checks as any update.
 */
async function landFound(repository: ProjectRepository, instantiation: Instantiation, found: string, request: UpdateRequest): Promise<UpdateResult> {
  if (request.branch === '') throw new ProjectInputError('--branch: nothing is generated, so the blueprint names no branch; give a branch name');
  if (!request.dryRun) {
    const refusal = await readyForUpdate(repository, request);
    if (refusal) throw refusal;
  }
  const result = {
    previous: instantiation, instantiation, files: [], totals: countOutcomes([]), renames: [], followed: [], renameConflicts: [], warnings: [], recordedAsMerged: found,
  };
  if (request.dryRun) return { ...result, state: 'dry-run' };
  const land = () => landRecorded(repository, instantiation, found, request.branch);
  const commit = request.guardLanding ? await request.guardLanding(land) : land();
  return { ...result, state: 'committed', generated: found, commit, branch: request.branch ?? repository.branch?.replace(/^refs\/heads\//, '') };
}

/** Refuses a branch name git does not take, or one that exists (here, or on a remote unless the caller handles that): before anything is written. */
function checkNewBranch(git: Git, branch: string, remotesToo: boolean): void {
  const refused = newBranchRefusal(git, branch, remotesToo);
  if (refused) throw refused;
}

/** Why a new update branch of this name cannot be made (see {@link checkNewBranch}), or undefined. */
function newBranchRefusal(git: Git, branch: string, remotesToo: boolean): ProjectInputError | undefined {
  if (git.tryRun(['check-ref-format', '--branch', branch]).status !== 0) return new ProjectInputError(`--branch ${branch}: not a valid branch name`);
  if (git.resolveCommit(`refs/heads/${branch}`)) return branchExists(git, branch);
  const clash = branchFolderClash(git, branch);
  if (clash) {
    return new ProjectInputError(`--branch ${branch}: git cannot make it, since the branch ${clash} exists, and a branch name cannot also be ` +
      'a folder of branches (refs/heads/a and refs/heads/a/b); name another with --branch NAME; nothing changed');
  }
  return remotesToo ? remoteBranchTaken(git, branch) : undefined;
}

/**
 * A branch whose name is a folder of `branch`'s (`chore` for `chore/update`), or has `branch` as one (`feature/x` for
 * `feature`), which git's refs cannot hold beside it: found late, 'git checkout -b' refused after it had written the
 * update into the index and work tree, leaving them changed on the old branch. One for-each-ref: a pattern matches the
 * ref it names and those below it.
 */
function branchFolderClash(git: Git, branch: string): string | undefined {
  const parts = branch.split('/');
  const folders = parts.slice(0, -1).map((_, index) => `refs/heads/${parts.slice(0, index + 1).join('/')}`);
  const listed = git.tryRun(['for-each-ref', '--format=%(refname)', ...folders, `refs/heads/${branch}/`]).stdout.toString('utf8').split('\n').filter(Boolean);
  const clash = listed.find(ref => folders.includes(ref) || ref.startsWith(`refs/heads/${branch}/`));
  return clash?.slice('refs/heads/'.length);
}

/**
 * The blueprint the update runs: `--blueprint` or the recorded source; at `--to`, else (for the recorded
 * source) its newest version, else the version the spec names; `recorded`: the recorded version.
 */
function resolveUpdateSource(previous: Instantiation, request: UpdateRequest, root: string, recorded = false): { resolved: ResolvedSource; unreachable?: string } {
  const source = request.source ? blueprintSource(request.source, process.cwd()) : recordedSource(previous, root);
  if (recorded) return { resolved: source.resolve(recordedVersion(source, previous)), unreachable: source.unreachable };
  const resolved = resolveRequested(source, request.to, request.source ? undefined : () => newestToUpdateTo(source, previous));
  return { resolved, unreachable: source.unreachable };
}

/** Writes what a synthesis kept in memory into its bundle folder, beside what projen wrote there. */
function writeInMemoryBundle(dir: string, inMemory: MemoryBundle): void {
  const sink = new FolderSink(dir, { what: 'proposed bundle' });
  for (const folder of inMemory.folders) sink.folder(folder);
  writeAll(sink, inMemory.files);
}

/** Each conflicted file with its three versions' blobs (the ancestor's and the project's at the old path of a moved file). */
function conflictedPaths(
  files: UpdateFileReport[], ancestor: GitTreeSource, existing: GitTreeSource, listGenerated: () => Map<string, TreeEntry>, prefix: string,
  listMerged: () => Map<string, TreeEntry>, renameConflicts: readonly RenameConflict[],
): ConflictedPath[] {
  const conflicted = files.filter(f => f.outcome === 'conflict');
  // The generated tree is listed only when something conflicts: a clean update saves the process.
  const generated = conflicted.length ? listGenerated() : new Map<string, TreeEntry>();
  // A rename/rename's new paths each hold the merge of both sides' edits, and so does git's one stage there:
  // 2 at the project's path, 3 at the blueprint's (the ancestor's stage 1 is at the old path).
  const bothNames = new Map(renameConflicts.filter(c => c.kind === 'rename/rename').flatMap(c => [[c.projectTo!, 'existing'], [c.to, 'proposed']] as const));
  const merged = bothNames.size && conflicted.length ? listMerged() : new Map<string, TreeEntry>();
  return conflicted.map(file => {
    const side = bothNames.get(file.path);
    if (side) return { path: file.path, [side]: merged.get(file.path) };
    // A file the blueprint moved: the ancestor and the project have it at the old path; one the project
    // moved: the ancestor and the blueprint have it at the old path.
    const from = prefix + (file.renamedFrom ?? file.movedByProjectFrom ?? file.path);
    const existingPath = file.movedByProjectFrom ? prefix + file.path : from;
    const proposedPath = file.movedByProjectFrom ?? file.path;
    return { path: file.path, ancestor: ancestor.entries.get(from), existing: existing.entries.get(existingPath), proposed: generated.get(proposedPath) };
  });
}

/**
 * What the update changed, in the headline's words, with every option it changed where the version changed too: the
 * SDK's title and description read the same for a new version and for new options (they name the version, and list
 * every option whatever moved), so without it `git log` could not tell one update of a project from the next.
 */
function changeInWords(previous: Instantiation, next: Instantiation): string | undefined {
  const [from, to] = [`${previous.packageName}@${previous.versionId}`, `${next.packageName}@${next.versionId}`];
  const options = changedOptionKeys(previous.options, next.options);
  const withOptions = options.length > 0 ? ` with new options: ${options.join(', ')}` : '';
  if (from !== to) return `${from} -> ${to}${withOptions && `,${withOptions}`}`;
  // The same version with the same options (a moved tag, another source of it) adds nothing to the title.
  return withOptions ? `${to}${withOptions}` : undefined;
}

/** The merge's message: the blueprint's pull request (SDK API) when it has one, what changed, then {@link unseenDecisions}. */
function commitMessage(previous: Instantiation | undefined, next: Instantiation, pullRequest: ResynthPullRequest | undefined, files: readonly UpdateFileReport[]): string {
  const subject = pullRequest?.title ?? `${previous ? 'Update' : 'Add'} ${next.packageName} ${previous ? 'to' : 'at'} ${next.versionId}`;
  const body = pullRequest?.description ?? `${previous ? `From ${previous.packageName}@${previous.versionId} (${previous.source}) to` : 'Applies'} ${next.packageName}@${next.versionId} (${next.source}).`;
  const change = previous && changeInWords(previous, next);
  const sections = [...change ? [`Update: ${change}`] : [], ...unseenDecisions(files)];
  if (sections.length === 0) return `${subject}\n\n${body}\n`;
  return [`${subject}\n\n${body.trimEnd()}`, ...sections].join('\n\n') + '\n';
}

/** Options the schema refused, not because of a flag: the recorded ones (see {@link recordedOptionsRefused}), with the way on. */
function recordedOrOverridesFault(error: unknown, previous: Instantiation | undefined): unknown {
  return previous && error instanceof OptionsValidationError ? new RecordedOptionsRefusedError(recordedOptionsRefused(error, false), recordedOptionsRefused(error, true)) : error;
}

/**
 * A failed blueprint job, with what validation warned of before it ran. A required option that the recorded
 * options lack (a new version added it, its defaults.json gives no value) is a warning, as the SDK accepts it,
 * and the blueprint then fails on the missing value (`Cannot read properties of undefined`): without the
 * warnings, which the report of a finished update would have carried, the failure named no option.
 */
function withWarningsBefore(error: unknown, warnings: readonly string[]): unknown {
  if (!(error instanceof BlueprintJobError) || warnings.length === 0) return error;
  // In place of validation's findings as the jobs said them (see withWarnedBefore): the update's list has the way on for each, and the rename hints.
  return new BlueprintJobError({ ...error.result, error: { ...(error.result.error ?? { name: 'Error', message: 'the job failed' }), warnedBefore: warnings.map(recordedWayOn) } });
}

/** The message of an adoption's merge: it records a baseline and changes no file of the project. */
function adoptionMessage(next: Instantiation): string {
  return `Adopt ${next.packageName} at ${next.versionId}\n\nRecords what ${next.packageName}@${next.versionId} (${next.source}) generates with the recorded options as the baseline ` +
    'of this repository, made by that blueprint elsewhere; no file of the project changes. The next update merges from this baseline.\n';
}
