import * as fs from 'fs';
import * as path from 'path';
import type { ResynthOptions, ResynthPullRequest } from '../blueprint/blueprint';
import { FrameworkMerge, strategiesOf } from '../blueprint/framework-merge';
import { BundleFile, FileMap, SYMLINK_MODE } from '../bundle/file-map';
import { DeferredFolder, fillDeferredFolder } from '../bundle/deferred-folder';
import { readBundle, readBundleFile } from '../bundle/read';
import { FolderSink, MemorySink } from '../bundle/sink';
import { BundleSource, FolderSource, MemorySource } from '../bundle/source';
import type { FileReport } from '../resynth/report';
import { ownershipFilesOf, resolve } from '../resynth/resolve';
import { Resynthesizer } from '../resynth/resynthesize';
import { commitTree, writeTreeFromFolder } from './baseline';
import type { MemoryBundle } from '../blueprint/job-environment';
import { wholeBundle } from '../runner/run-job';
import { BlueprintJobs } from './blueprint-jobs';
import { materialize } from './existing-bundle';
import { Git } from './git';
import { ObjectCache, GitTreeSource } from './git-tree';
import { commandFiles, DurableState, writeCommandFiles } from './durable-state';
import { DirectoryRenames, FolderFollower, folderFollowers, movedFolders, parseDirectoryRenames } from './directory-renames';
import { Instantiation, RECORD_PATH } from './instantiation-record';
import { keepOtherOwnersFiles, otherOwnersOf } from './other-owners';
import { carryRenames, detectRenames, detectTreeRenames, movedAlike, startTreeRenames, moveInFolder, Rename, RenameConflict, renameConflicts, RenamedSource, renamesToCarry } from './renames';
import { recordInProjectStyle } from './record-style';
import { blobId, objectStore, sameAsEntry, writeTreeAsGitAdds, writeTreeWith } from './object-store';
import { renormalized } from './renormalize';
import type { UpdateConfig } from './repository-config';
import { storedProposed } from './stored-source';
import type { SideLookup } from './update-report';
import { FOLDERS_REPORT_WARNING, reportFromFolders } from '../resynth/report';
import { WorkFolder } from './work-folder';

/** The three sides of an update and where it works. */
export interface UpdateSides {
  /** The repository. */
  readonly git: Git;
  /** The work folder: `existing/` (the bundle the blueprint saw as `EXISTING_BUNDLE_ABS`) and `proposed/` are in it. */
  readonly work: WorkFolder;
  /** `src/<repository>/`: where the repository is in each bundle. */
  readonly prefix: string;
  /** The old baseline, as the ancestor (the empty tree when the blueprint is added). */
  readonly ancestor: GitTreeSource;
  /** `HEAD`, as the existing side. */
  readonly existing: GitTreeSource;
  /** The commit `HEAD` was at when the existing side was read. */
  readonly head: string;
  /** The repository's object folder. */
  readonly objectsDir: string;
  /** The objects the sources share. */
  readonly cache: ObjectCache;
  /** The new record, as it is committed in the new baseline (and in the merged tree, unless the team reformatted `HEAD`'s). */
  readonly record: string;
  /** The instantiation's durable state, committed like the record once the jobs have run. */
  readonly durable: DurableState;
  /** The instantiation as the update records it: its package and version own its ownership entries. */
  readonly instantiation: Instantiation;
  /** The other instantiations of the repository, whose owned files the update leaves alone. */
  readonly others: readonly Instantiation[];
  /** The options the ancestor was generated with (its `options.json`). */
  readonly priorOptions: Record<string, unknown>;
  /** The package name the record had before this update, which the project's ownership files name until it merges. @default the instantiation's */
  readonly priorPackageName?: string;
  /** Objects only in a scratch database, nothing in the repository's. */
  readonly dryRun: boolean;
  /** The proposed bundle's files that the synthesis kept in memory (the rest are in `proposed/`). @default none */
  readonly proposedInMemory?: MemoryBundle;
  /** How the existing side's folder is written, when that was left until something reads it. @default written already */
  readonly deferredExisting?: DeferredFolder;
  /** The project is adopted (`update --add --adopt`): the merged tree is `HEAD`'s with the record and durable state, whatever the merge gave. @default false */
  readonly adopt?: boolean;
  /** The generated files the project's developers moved (from the ancestor's tree to `HEAD`'s): see {@link startProjectMoves}. */
  readonly projectMoves: () => Rename[];
  /** The repository's configuration, asked of git when the update began. */
  readonly config: UpdateConfig;
}

/**
 * The project's own moves of generated files, from the ancestor's tree to `HEAD`'s, looked for (in the
 * background: see `Git.start`) only when `HEAD` lacks a path of the ancestor's; the returned function waits for
 * the answer. Both trees are known before the blueprint runs, so git finds them while it does.
 */
export function startProjectMoves(git: Git, ancestor: GitTreeSource, existing: GitTreeSource): () => Rename[] {
  if (![...ancestor.entries.keys()].some(p => !existing.entries.has(p))) return () => [];
  return startTreeRenames(git, ancestor.treeish, existing.treeish);
}

/**
 * Starts reading (in the background: see `ObjectCache.prefetch`) the blobs of the files the project changed
 * since the ancestor, on both sides: the merge reads them for every one of those files the blueprint changed
 * too, and `HEAD`'s for the update's report. Known before the blueprint runs, they are read while it does.
 */
export function prefetchProjectChanges(cache: ObjectCache, ancestor: GitTreeSource, existing: GitTreeSource): void {
  const oids: string[] = [];
  for (const [p, entry] of existing.entries) {
    const before = ancestor.entries.get(p);
    if (before?.oid === entry.oid) continue;
    oids.push(entry.oid);
    if (before) oids.push(before.oid);
  }
  for (const [p, entry] of ancestor.entries) if (!existing.entries.has(p)) oids.push(entry.oid);
  cache.prefetch(oids);
}

/**
 * Files one side added in a folder the other side moved whole, moved into the new folder as `git merge` moves them
 * (`merge.directoryRenames`; see directory-renames.ts): the project's files in folders the blueprint moved, and
 * the blueprint's new files in folders the project moved.
 */
export interface FolderMoves {
  readonly project: readonly FolderFollower[];
  readonly blueprint: readonly FolderFollower[];
  /** `conflict` leaves each in conflict at its new path, for whoever merges to confirm; `true` moves it cleanly. */
  readonly setting: DirectoryRenames;
}

/**
 * The {@link FolderMoves} of an update, from both sides' file moves (repository-relative) and the paths the
 * blueprint generates (`generated`, bundle paths). A path another instantiation owns is never moved. git's
 * `merge.directoryRenames` is read only when a side moved a folder whole.
 */
function folderMovesOf(sides: UpdateSides, moves: readonly Rename[], projectMoves: readonly Rename[], generatedPaths: Iterable<string>): FolderMoves {
  const none: FolderMoves = { project: [], blueprint: [], setting: 'false' };
  // Most updates move no file: nothing to list then.
  if (moves.length === 0 && projectMoves.length === 0) return none;
  const { prefix } = sides;
  const inRepository = (paths: Iterable<string>) => new Set([...paths].filter(p => p.startsWith(prefix)).map(p => p.slice(prefix.length)));
  const [ancestor, existing, generated] = [sides.ancestor.entries.keys(), sides.existing.entries.keys(), generatedPaths].map(inRepository);
  const byBlueprint = movedFolders(moves, generated);
  const byProject = movedFolders(projectMoves, existing);
  if (byBlueprint.size === 0 && byProject.size === 0) return none;
  const setting = parseDirectoryRenames(sides.git.tryRun(['config', '--get', 'merge.directoryRenames']).stdout.toString('utf8') || undefined);
  if (setting === 'false') return none;
  const owners = otherOwnersOf(sides.instantiation, sides.others, sides.existing);
  const addedBy = (side: ReadonlySet<string>) => [...side].filter(p => !ancestor.has(p) && owners?.(prefix + p) === undefined);
  // In the way, as git says, is a path the ancestor or the adding side has; one only the moving side has is met there (add/add).
  const inTheWay = (side: ReadonlySet<string>) => (p: string) => ancestor.has(p) || side.has(p);
  return {
    project: folderFollowers(byBlueprint, addedBy(existing), inTheWay(existing)),
    blueprint: folderFollowers(byProject, addedBy(generated), inTheWay(generated)),
    setting,
  };
}

/** What merging the sides gave, before anything lands. */
export interface UpdateMerge {
  /** The merge's report of the repository's paths, `src/<repository>/` cut off, and its warnings. */
  readonly files: readonly FileReport[];
  readonly warnings: string[];
  /** Files the blueprint moved whose project version followed them. */
  readonly renames: Rename[];
  /** Generated files the project's developers moved, whose blueprint changes followed them to the new path. */
  readonly followed: Rename[];
  /** Files the blueprint moved that the project deleted or moved elsewhere: git's rename/delete and rename/rename conflicts. */
  readonly renameConflicts: RenameConflict[];
  /** Files one side added in a folder the other moved whole, moved with it as `git merge` moves them (see {@link FolderMoves}). */
  readonly folderMoves: FolderMoves;
  /** The three versions of a repository path (the moved ones at their new path), for the update's report. */
  readonly sides: SideLookup;
  /** Repository paths put back for another instantiation's owner, with that owner. */
  readonly keptForOthers: Map<string, string>;
  /** The blueprint's pull request for the update, when its merge said one. */
  readonly pullRequest?: ResynthPullRequest;
  /** Replaces the merge's result for a repository path (what the repository's merge attribute decided). */
  override(path: string, file: BundleFile): void;
  /** Writes the new baseline's tree and the merged tree (each with the new record and durable state) to the object database. */
  writeTrees(): { generatedTree: string; mergedTree: string };
  /** Makes a commit (no ref moves) and returns its id. */
  commit(tree: string, parents: readonly string[], message: string): string;
  /** Drops what only this merge needed (a dry run's scratch objects). */
  dispose(): void;
}

/**
 * The merge in this process, for a blueprint that leaves its merge to the framework ({@link FrameworkMerge}):
 * the resolve driver over the two git trees and the proposed folder, with the blueprint's fallback and
 * package, gives what its `resynth()` would. The new baseline's tree is written first, from the old one's
 * with only the paths the blueprint changed (renames are found between the two trees, in the object
 * database), and the merged tree from `HEAD`'s with only the paths the merge changed. Nothing else is
 * written: no ancestor or merged folder, no second job.
 */
export function mergeInProcess(sides: UpdateSides, merge: FrameworkMerge, options: ResynthOptions, pullRequest: ResynthPullRequest | undefined): UpdateMerge {
  const { git, work, prefix, ancestor, existing } = sides;
  const store = objectStore(git, sides.objectsDir, sides.dryRun, sides.head, sides.config.repository());
  try {
    // The two listed trees' objects are in the database: a new tree writes only the blobs and sub-trees that changed.
    for (const tree of [ancestor, existing]) {
      store.writer.know(tree.trees);
      store.writer.know([...tree.entries.values()].map(entry => entry.oid));
    }
    // Read whole before the record and durable state are added (they are the command's, never merged):
    // every file is hashed here and merged below, and read once for both.
    const proposed = new MemorySource(wholeBundle(work.path('proposed'), sides.proposedInMemory));
    const changed: FileMap = new Map();
    // The blob id of each generated file's bytes, by bundle path.
    const generatedIds = new Map<string, string>();
    for (const bundlePath of proposed.list()) {
      if (!bundlePath.startsWith(prefix)) continue;
      const file = proposed.read(bundlePath)!;
      const oid = blobId(store, file);
      generatedIds.set(bundlePath, oid);
      // Known by id, the old baseline's copy of a file generated again is never read from git.
      sides.cache.add(oid, file.buffer);
      if (!sameAsEntry(store, file, ancestor.entries.get(bundlePath), oid)) changed.set(ancestor.treePath(bundlePath), file);
    }
    // What the merge reads of the other two sides besides these (the ancestor's and HEAD's versions of the files
    // the blueprint changed or deleted: a side's first read of a blob not known reads all of them) is known now:
    // git reads them in the background while the new baseline's tree is written and its moves are found.
    sides.cache.prefetch([...ancestor.entries.values(), ...existing.entries.values()].map(entry => entry.oid));
    const generatedPaths = new Set(generatedIds.keys());
    const commandFiles = commandFilesOf(sides);
    for (const [p, file] of commandFiles) changed.set(p, file);
    const removed = [...ancestor.entries.keys()].filter(p => !generatedPaths.has(p)).map(p => ancestor.treePath(p));
    removed.push(...sides.durable.removedFrom(ancestor, commandFiles));
    const generated = writeTreeAsGitAdds(store, ancestor.wholeTree(), changed, removed, work.path('generated-changes'), sides.cache);
    const generatedTree = generated.tree;
    // The blueprint's side is merged as the new baseline stores it, as the ancestor and HEAD are (see storedProposed).
    const stored = generated.converted ? storedProposed(store, proposed, generatedTree, prefix, generatedIds) : proposed;

    // A move is a path gone and one added: with nothing gone, git is not asked.
    const moves = removed.length ? detectTreeRenames(git, ancestor.treeish, generatedTree, store.env) : [];
    const renames = renamesToCarry(moves, p => existing.entries.has(prefix + p));
    // And the project's own moves, as git's merge follows them: a generated file its developers moved gets
    // the blueprint's changes at its new path. Looked for only when the project lacks a generated path.
    const projectMoves = sides.projectMoves();
    // One the blueprint deleted is followed too: the move is the project's change against that deletion (git's
    // rename/delete), which the strategy decides at the new path; unfollowed, the deletion went unseen.
    const followed = projectMoves.filter(move => !generatedPaths.has(prefix + move.to) && !moves.some(r => r.from === move.from) && !renames.some(r => r.to === move.to));
    // A move of the blueprint's that the project deleted (rename/delete) is merged at the new path as a removal
    // against a change, the move being the change; one it moved elsewhere (rename/rename) is merged at both new
    // paths, each with the three versions (as git writes both), and stays a conflict (see updateFileReports).
    const conflicts = renameConflicts(moves, projectMoves, p => existing.entries.has(prefix + p), p => generatedPaths.has(prefix + p));
    const bothNames = conflicts.filter(c => c.kind === 'rename/rename').map(c => ({ ...c, projectTo: c.projectTo! }));
    // Moved by both to one path: merged there against the ancestor's file, not as a file both sides added.
    const sameMoves = movedAlike(moves, projectMoves);
    // A file one side added in a folder the other moved whole goes with it, as in git merge.
    const folderMoves = folderMovesOf(sides, moves, projectMoves, generatedPaths);
    // With merge.renormalize, all three as git would merge them then.
    const normal = renormalized(store, existing, { ancestor, existing, proposed: stored }, prefix, work.path('renormalized'));
    const ancestorView = new RenamedSource(normal.ancestor, [...renames, ...followed, ...conflicts, ...bothNames.map(c => ({ from: c.from, to: c.projectTo })), ...sameMoves], prefix);
    const existingView = new RenamedSource(normal.existing, [...renames, ...folderMoves.project], prefix, bothNames.map(c => ({ from: c.projectTo, to: c.to })));
    const proposedView = new RenamedSource(normal.proposed, [...followed, ...folderMoves.blueprint], prefix, bothNames.map(c => ({ from: c.to, to: c.projectTo })));
    // What Blueprint.resynth() does, over these sources.
    const resynthesizer = new Resynthesizer({
      existingOwnershipFiles: ownershipFilesOf(existingView),
      // A version that renamed its package still owns the entries the project has under the old name.
      owner: sides.priorPackageName && sides.priorPackageName !== merge.owner.name ? { ...merge.owner, formerName: sides.priorPackageName } : merge.owner,
      strategies: strategiesOf(merge),
      fallback: options.fallback ?? merge.fallback,
      style: options.style,
      diffAlgorithm: options.diffAlgorithm,
      labels: options.labels,
      allowLocal: options.allowLocal,
      existingBundleDir: work.path('existing'),
    });
    const sink = new MemorySink();
    const report = resolve({ ancestor: ancestorView, existing: existingView, proposed: proposedView, movedFrom: p => ancestorView.origin(p),
      existingMovedFrom: p => existingView.origin(p), proposedMovedFrom: p => proposedView.origin(p) }, resynthesizer, sink);
    const resolved: FileMap = new Map();
    for (const [bundlePath, file] of sink.files) if (bundlePath.startsWith(prefix)) resolved.set(bundlePath.slice(prefix.length), file);
    const keptForOthers = keepOtherOwnersInMap(sides, existingView, resolved);

    const sidesOf = (source: BundleSource) => (p: string) => source.read(prefix + p);
    return {
      files: report.files, warnings: report.warnings, renames, followed, renameConflicts: conflicts, folderMoves, keptForOthers, pullRequest,
      sides: { ancestor: sidesOf(ancestorView), existing: sidesOf(existingView), proposed: sidesOf(proposedView), resolved: p => resolved.get(p) },
      override: (p, file) => resolved.set(p, file),
      writeTrees() {
        // Only the files that differ from HEAD's are written.
        const changes: FileMap = new Map();
        if (!sides.adopt) for (const [p, file] of resolved) if (!sameAsEntry(store, file, existing.entries.get(prefix + p))) changes.set(p, file);
        for (const [p, file] of inProjectLayout(sides, commandFiles)) changes.set(p, file);
        const gone = sides.adopt ? [] : [...existing.entries.keys()].map(p => existing.treePath(p)).filter(p => !resolved.has(p));
        gone.push(...sides.durable.removedFrom(existing, commandFiles));
        const mergedTree = writeTreeWith(store, existing.wholeTree(), changes, gone, work.path('merged-changes'), sides.cache);
        return { generatedTree, mergedTree };
      },
      commit: store.commit,
      dispose: () => store.dispose(),
    };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

/**
 * The merge by the blueprint's own `resynth()` in a job process, for a blueprint that overrides it or
 * registered strategies in code: the SDK's API takes folders, so the ancestor and the existing side are
 * bundle folders (the existing one written for the synthesis to read, if it did not), renames are found
 * between the generated folders (`git diff --no-index`) and carried in both, and both trees are written
 * from whole folders (`git add -A`).
 */
export async function mergeInJob(sides: UpdateSides, jobs: BlueprintJobs, blueprintOptions: Record<string, unknown>, options: ResynthOptions, synthPullRequest: ResynthPullRequest | undefined): Promise<UpdateMerge> {
  const { work, prefix, ancestor, existing } = sides;
  const { git } = sides;
  const bundle = (side: string) => work.path(side);
  const repoFolder = (side: string) => path.join(bundle(side), ...prefix.split('/'));
  if (sides.deferredExisting) fillDeferredFolder(sides.deferredExisting);
  materialize(ancestor, bundle('ancestor'), sides.priorOptions);
  const moves = detectRenames(git, repoFolder('ancestor'), repoFolder('proposed'));
  const renames = carryRenames(moves, repoFolder('ancestor'), repoFolder('existing'));
  // A file the blueprint moved and the project deleted: its ancestor goes to the new path, so that the strategy
  // sees the project's removal against the blueprint's version there. (Folders hold one file per path: a
  // rename/rename is not followed here, and a move alone, with the same bytes, keeps the removal.)
  const has = (p: string) => fs.lstatSync(path.join(repoFolder('existing'), p), { throwIfNoEntry: false }) !== undefined;
  const uncarried = moves.filter(move => !renames.includes(move) && !has(move.from));
  const projectMoves = uncarried.length ? sides.projectMoves() : [];
  const generates = (p: string) => fs.lstatSync(path.join(repoFolder('proposed'), p), { throwIfNoEntry: false }) !== undefined;
  const conflicts = renameConflicts(uncarried, projectMoves, has, generates).filter(conflict => conflict.kind === 'rename/delete');
  // And a file both moved to one path is merged there against the ancestor's file.
  moveInFolder([...conflicts, ...movedAlike(uncarried, projectMoves)], repoFolder('ancestor'));
  // The project's files in a folder the blueprint moved whole go with it, as in git merge (the project's own moves are not followed here).
  const folderMoves = folderMovesOf(sides, moves, [], new FolderSource(bundle('proposed')).list());
  moveInFolder(folderMoves.project, repoFolder('existing'));
  const resolveJob = await jobs.resolve(blueprintOptions, { ancestor: bundle('ancestor'), existing: bundle('existing'), proposed: bundle('proposed') }, bundle('resolved'), options);
  // A blueprint on the CodeCatalyst SDK merges in its own resynth() and reports nothing: compare folders.
  const report = resolveJob.report ?? {
    files: reportFromFolders(readBundle(repoFolder('existing')), readBundle(repoFolder('resolved')), prefix),
    warnings: [FOLDERS_REPORT_WARNING],
  };
  const keptForOthers = keepOtherOwnersFiles(sides.instantiation, sides.others, existing, repoFolder('existing'), repoFolder('resolved'), prefix);
  const read = (side: string) => (p: string) => readIfFile(path.join(repoFolder(side), p));
  return {
    // The blueprint's resynth() sees folders: the project's own moves are not followed here.
    files: report.files, warnings: report.warnings, renames, followed: [], renameConflicts: conflicts, folderMoves, keptForOthers,
    pullRequest: resolveJob.pullRequest ?? synthPullRequest,
    sides: { ancestor: read('ancestor'), existing: read('existing'), proposed: read('proposed'), resolved: read('resolved') },
    override: (p, file) => new FolderSink(repoFolder('resolved'), { what: 'merged repository' }).write(p, file),
    writeTrees() {
      // Read now: the resolving job's blueprint may have stored state too.
      const commandFiles = commandFilesOf(sides);
      // An adopted project keeps its files: the existing side is the merged one.
      const merged = sides.adopt ? 'existing' : 'resolved';
      writeCommandFiles(repoFolder('proposed'), commandFiles);
      writeCommandFiles(repoFolder(merged), inProjectLayout(sides, commandFiles));
      // The project's submodules are no files of a folder: put back as HEAD has them, as the merge in this process keeps them.
      return { generatedTree: writeTreeFromFolder(git, repoFolder('proposed')), mergedTree: writeTreeFromFolder(git, repoFolder(merged), existing.submodules) };
    },
    commit: (tree, parents, message) => commitTree(git, tree, parents, message),
    dispose: () => {},
  };
}

/**
 * {@link keepOtherOwnersFiles} on the merged files in memory: each path another instantiation's ownership
 * entries own goes back to the project's version (or away, when the project has none).
 */
function keepOtherOwnersInMap(sides: UpdateSides, existingView: BundleSource, resolved: FileMap): Map<string, string> {
  const kept = new Map<string, string>();
  const owners = otherOwnersOf(sides.instantiation, sides.others, sides.existing);
  if (!owners) return kept;
  const { prefix, existing } = sides;
  for (const relative of new Set([...resolved.keys(), ...existing.list().map(p => existing.treePath(p))])) {
    const owner = owners(prefix + relative);
    if (!owner) continue;
    const before = existingView.read(prefix + relative);
    if (sameContent(resolved.get(relative), before)) continue;
    if (before) resolved.set(relative, before);
    else resolved.delete(relative);
    kept.set(relative, owner);
  }
  return kept;
}

/** As other-owners.ts compares files: a link by its target, a file by its bytes (not its mode). */
function sameContent(a: BundleFile | undefined, b: BundleFile | undefined): boolean {
  if (!a || !b) return !a && !b;
  const link = (file: BundleFile) => file.mode === SYMLINK_MODE;
  if (link(a) || link(b)) return link(a) && link(b) && a.buffer.equals(b.buffer);
  return a.buffer.equals(b.buffer);
}

/** The files the update commits itself: the new record and the durable state the jobs left. */
function commandFilesOf(sides: UpdateSides): FileMap {
  return commandFiles(sides.record, sides.durable.files());
}

/** The command's files as the merged tree gets them: the record in the layout of `HEAD`'s (see {@link recordInProjectStyle}). */
function inProjectLayout(sides: UpdateSides, files: FileMap): FileMap {
  const record = recordInProjectStyle(sides.existing.readExcluded(RECORD_PATH)?.buffer.toString('utf8'), sides.record);
  return record === sides.record ? files : new Map([...files, [RECORD_PATH, { buffer: Buffer.from(record) }]]);
}

function readIfFile(file: string) {
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  return stat.isSymbolicLink() ? { buffer: Buffer.from(fs.readlinkSync(file)), mode: SYMLINK_MODE } : readBundleFile(file);
}
