import { BundleFile, DEFAULT_FILE_MODE, gitMode, sameFile, SYMLINK_MODE } from '../bundle/file-map';
import { compareBundlePaths } from '../bundle/sink';
import { isBinary, mergeText } from '../resynth/merge';
import type * as Structured from '../resynth/merge/structured';
import { structuredFormatOf } from '../resynth/merge/structured/format';
import type { FileOutcome, FileReport } from '../resynth/report';
import type { RenameConflict } from './renames';
import type { FolderMoves } from './update-merge';
import { plural } from '../plural';
import { commandPath } from '../printable';

/**
 * What an update did to one file of the repository. Besides the merge's outcomes, `kept` is a file the
 * blueprint changed whose project version the merge kept (its strategy, or the project deleted it), without the
 * blueprint's change (one the project made too is no change left out): the counts never call such a file unchanged.
 */
export type UpdateOutcome = FileOutcome | 'kept';

/** One file of an update's report. */
export interface UpdateFileReport {
  /** Repository-relative path. */
  readonly path: string;
  /** What happened to it. */
  readonly outcome: UpdateOutcome;
  /** The strategy that decided it. */
  readonly strategy: string;
  /** Why it is `kept`: the project deleted it, or the strategy kept the project's version. */
  readonly note?: string;
  /** Conflict hunks: the marked blocks in the file (none in a rename/delete's, which holds the blueprint's file whole). */
  readonly conflicts: number;
  /** Hunks resolved against the project's lines. */
  readonly overridden: number;
  /** Conflict hunks resolved by keeping both sides' lines (see `FileReport.bothKept`); absent when none. */
  readonly bothKept?: number;
  /** For a file the blueprint moved: its path in the ancestor. */
  readonly renamedFrom?: string;
  /** For a generated file the project moved: the path the blueprint still generates it at, whose changes followed it. */
  readonly movedByProjectFrom?: string;
  /**
   * For a file one side added in a folder the other side moved whole: that folder's move (`''` for the top folder).
   * The file was moved with it, as `git merge` moves it: from `renamedFrom` (the project's file) or
   * `movedByProjectFrom` (the blueprint's).
   */
  readonly movedWithFolder?: { readonly from: string; readonly to: string };
  /**
   * Conflicts of values a policy decided in a JSON or YAML file (`$.dependencies.jest: removalWins: ...`):
   * each took one side's value and dropped the other's, which no hunk count shows.
   */
  readonly policyDecisions?: string[];
  /** For a JSON or YAML file the structured merge left conflicts in: their JSON paths (`$.dependencies.react`). */
  readonly conflictPaths?: string[];
  /** For a JSON or YAML file whose conflicts of values took the blueprint's side: their JSON paths, the project's values dropped. */
  readonly overriddenPaths?: string[];
  /**
   * A symbolic link that became a regular file, or the reverse (see `FileReport.typeChange`): for a `conflict`, the
   * change the blueprint's version asks for, the project's kept in the work tree (git's "distinct types").
   */
  readonly typeChange?: 'link-to-file' | 'file-to-link';
  /**
   * For a `conflict` that `git rerere` (`rerere.enabled`) resolved with a resolution recorded before: `resolved` in the
   * work tree, to check and `git add`; `staged` when `rerere.autoUpdate` added it too. Absent otherwise.
   */
  readonly rerere?: 'resolved' | 'staged';
  /**
   * For a file one side deleted and the other changed (git's modify/delete): the side that deleted it. Its
   * outcome and hunk counts alone do not say that the file is gone (`overridden` by the blueprint's deletion)
   * or that a `conflict` holds no markers (the changed version is in the work tree whole). Absent otherwise.
   */
  readonly deletedBy?: 'blueprint' | 'project';
}

/** The three generated/project versions of a path an update compares to say `kept`. */
export interface SideLookup {
  ancestor(path: string): BundleFile | undefined;
  existing(path: string): BundleFile | undefined;
  proposed(path: string): BundleFile | undefined;
  /** The merge's result. */
  resolved(path: string): BundleFile | undefined;
}

/**
 * The report of an update, from the merge's report of the repository's paths (`src/<repository>/` already
 * cut off): every path that did something, plus every path the blueprint changed but the merge kept out.
 * A rename conflict ({@link RenameConflict}) is reported by name, as git reports it: a rename/delete at the
 * blueprint's new path, as its strategy decided it (a conflict, or the project's deletion kept, or the
 * blueprint's file taken); a rename/rename as a conflict at the old path and at both new ones, whatever the
 * strategy (it merges the file's content, and no strategy says which of two names to keep).
 */
export function updateFileReports(
  files: readonly FileReport[], prefix: string, sides: SideLookup, renamedFrom: Map<string, string>,
  movedByProject = new Map<string, string>(), renameConflicts: readonly RenameConflict[] = [],
): UpdateFileReport[] {
  const reports: UpdateFileReport[] = [];
  const named = renameConflictNotes(renameConflicts);
  const deleted = new Map(renameConflicts.filter(c => c.kind === 'rename/delete').map(c => [c.to, c.from]));
  renamedFrom = new Map([...renamedFrom, ...deleted]);
  for (const file of files) {
    if (!file.path.startsWith(prefix)) continue;
    const path = file.path.slice(prefix.length);
    // In a repository a file the merge leaves out is one its developers deleted (the baseline had it): for the
    // repository nothing happens, unless the blueprint changed it (then it is `kept`, below).
    let outcome: UpdateOutcome = file.outcome === 'notAdded' ? 'unchanged' : file.outcome;
    let note: string | undefined;
    // Kept: the blueprint changed the file and the project's version, which differs from it, stayed.
    const proposed = sides.proposed(path);
    if (outcome === 'unchanged' && differ(sides.ancestor(path), proposed) && differ(sides.existing(path), proposed) &&
      !projectHoldsChange(sides.ancestor(path), sides.existing(path), proposed)) {
      outcome = 'kept';
      // Absent from the ancestor too, the file is one the blueprint adds, which the strategy does not (neverUpdate): the project never had it.
      note = file.present ? `the blueprint ${proposed ? 'changed' : 'deleted'} it; '${file.strategy}' kept the project's version`
        : sides.ancestor(path) === undefined ? `the blueprint added it; '${file.strategy}' does not add it` : 'deleted in the project; stays deleted';
    }
    // Moved by the blueprint: the repository's file changes place, whatever its content does.
    if (outcome === 'unchanged' && file.present && renamedFrom.has(path)) outcome = 'updated';
    // Replaced whole: the project had changed it, and the blueprint's version was taken as it is (alwaysUpdate):
    // the project's changes are lost, so the file counts as overridden, unless the blueprint's version holds them.
    if (outcome === 'updated' && replacedProjectChanges(path, sides.ancestor(path), sides.existing(path), proposed, sides.resolved(path))) {
      outcome = 'overridden';
      note = `the project's own changes to it were replaced by the blueprint's version ('${file.strategy}')`;
    }
    // Written again: the project had deleted a generated file, and a strategy that takes the blueprint's file
    // whole (alwaysUpdate, onlyAdd, regenerate) brought it back. Not a file the blueprint adds: what it undid is
    // the project's deletion, which git's merge would keep (or leave in conflict), so it counts as overridden.
    if (outcome === 'added' && file.present && sides.ancestor(path) && !sides.existing(path)) {
      outcome = 'overridden';
      if (!differ(sides.ancestor(path), proposed)) note = `brought back: the project had deleted it; '${file.strategy}' writes the blueprint's file, changed or not`;
    }
    // The bytes stay the project's and only the mode changes, which no diff of the content shows.
    if (outcome === 'updated' && !note) note = modeOnlyNote(sides.existing(path), sides.resolved(path));
    if (file.mergeAttribute) note = attributeNote(file.mergeAttribute, path, file.driverStrategy);
    // A generated file the project moved and the blueprint deleted: the move is the project's change, even
    // with the same bytes (git's rename/delete).
    const deletedBy = modifyDeleteSide(outcome, sides.ancestor(path), sides.existing(path), proposed)
      ?? (movedByProject.has(path) && !proposed && (outcome === 'conflict' || outcome === 'overridden') ? 'blueprint' : undefined);
    const conflict = named.get(path);
    // git's binary merge ('-merge', 'merge=binary') leaves the project's file whole: no markers to count, as in a
    // rename/delete below; a hunk count would send whoever resolves it looking for markers that are not there.
    let conflicts = outcome === 'conflict' && isBinaryMerge(file.mergeAttribute) ? 0 : file.conflicts;
    if (conflict?.kind === 'rename/rename') {
      outcome = 'conflict';
      note = conflict.note;
    } else if (conflict) {
      // The blueprint's move is the change the project's deletion meets: kept out, the file stays deleted.
      if (outcome === 'unchanged' && !file.present) outcome = 'kept';
      note = outcome === 'conflict' ? `${conflict.note}; ${RENAME_DELETE_WORK_TREE}`
        : file.present ? `${conflict.note}; '${file.strategy}' took the blueprint's file` : `${conflict.note}; '${file.strategy}' kept it deleted`;
      // As in git's rename/delete, the work tree holds the blueprint's file whole: there are no markers to count.
      if (outcome === 'conflict') conflicts = 0;
    }
    reports.push({
      path, outcome, strategy: file.strategy, ...(note ? { note } : {}), conflicts, overridden: file.overridden,
      ...(file.bothKept ? { bothKept: file.bothKept } : {}),
      ...(renamedFrom.has(path) ? { renamedFrom: renamedFrom.get(path) } : {}),
      ...(movedByProject.has(path) ? { movedByProjectFrom: movedByProject.get(path) } : {}),
      ...(file.policyDecisions?.length ? { policyDecisions: [...file.policyDecisions] } : {}),
      ...(file.conflictPaths?.length ? { conflictPaths: [...file.conflictPaths] } : {}),
      ...(file.overriddenPaths?.length ? { overriddenPaths: [...file.overriddenPaths] } : {}),
      ...(file.typeChange ? { typeChange: file.typeChange } : {}),
      ...(deletedBy && !conflict ? { deletedBy } : {}),
    });
  }
  // A rename/rename's old path is in no side's merge (each side moved it away), but git leaves it conflicted too,
  // with the ancestor's version (stage 1), beside each side's at its new path (stages 2 and 3).
  for (const conflict of renameConflicts) {
    if (conflict.kind !== 'rename/rename') continue;
    const strategy = reports.find(report => report.path === conflict.to)?.strategy ?? '';
    reports.push({ path: conflict.from, outcome: 'conflict', strategy, note: named.get(conflict.from)!.note, conflicts: 0, overridden: 0 });
  }
  return renameConflicts.some(conflict => conflict.kind === 'rename/rename') ? reports.sort((a, b) => compareBundlePaths(a.path, b.path)) : reports;
}

/** What a rename/delete conflict leaves, and git's ways to settle it (as {@link modifyDelete} says of a modify/delete). */
const RENAME_DELETE_WORK_TREE = "the blueprint's version is in the work tree ('git add' keeps it, 'git rm' keeps it deleted)";

/** Each path of a rename conflict, with the sentence that names the conflict there. */
function renameConflictNotes(conflicts: readonly RenameConflict[]): Map<string, { kind: RenameConflict['kind']; note: string }> {
  const notes = new Map<string, { kind: RenameConflict['kind']; note: string }>();
  for (const { kind, from, to, projectTo } of conflicts) {
    if (kind === 'rename/delete') {
      notes.set(to, { kind, note: `rename/delete: the blueprint moved ${from} here; the project deleted it` });
      continue;
    }
    notes.set(to, { kind, note: `rename/rename: the blueprint moved ${from} here; the project moved it to ${projectTo}` });
    notes.set(projectTo!, { kind, note: `rename/rename: the project moved ${from} here; the blueprint moved it to ${to}` });
    notes.set(from, { kind, note: `rename/rename: the blueprint moved it to ${to}, the project to ${projectTo}` });
  }
  return notes;
}

/** A change of the executable bit alone, in words, as git's diff says `new mode 100755`; undefined for any other change. */
function modeOnlyNote(existing: BundleFile | undefined, resolved: BundleFile | undefined): string | undefined {
  if (!existing || !resolved || !existing.buffer.equals(resolved.buffer)) return undefined;
  if (existing.mode === SYMLINK_MODE || resolved.mode === SYMLINK_MODE) return undefined;
  const executable = (file: BundleFile) => ((file.mode ?? DEFAULT_FILE_MODE) & 0o111) !== 0;
  if (executable(existing) === executable(resolved)) return undefined;
  return executable(resolved) ? 'the mode only: made executable (100755)' : 'the mode only: no longer executable (100644)';
}

/** What the repository's merge attribute did to a file, and what to do next where that is not obvious. */
function attributeNote(attribute: string, path: string, driverStrategy: string | undefined): string {
  if (attribute === 'merge=union') return `merged as git does for '${attribute}' (.gitattributes)`;
  if (driverStrategy) return `merged as git does for '${attribute}' (.gitattributes): bluesynth's merge driver (${driverStrategy}), run by the update itself`;
  if (isBinaryMerge(attribute)) {
    return `not merged, as git does for '${attribute}' (.gitattributes): the project's version is kept; the blueprint's is 'theirs' (git checkout --theirs -- ${commandPath(path)})`;
  }
  return `'${attribute}' (.gitattributes) names a merge driver, which blueprint update does not run: 'git checkout -m -- ${commandPath(path)}' runs it on the three versions, then 'git add'`;
}

/** Whether a merge attribute is git's binary merge, which keeps the project's file whole. */
function isBinaryMerge(attribute: string | undefined): boolean {
  return attribute === '-merge' || attribute === 'merge=binary';
}

/**
 * Whether the merge took the blueprint's version and so dropped changes the project had made: the project
 * changed the file, the result is the proposed file, and git's merge of the three would not give it (the
 * proposed file does not already hold the project's changes).
 */
function replacedProjectChanges(path: string, ancestor: BundleFile | undefined, existing: BundleFile | undefined, proposed: BundleFile | undefined, resolved: BundleFile | undefined): boolean {
  if (!existing || !proposed || !differ(ancestor, existing) || !differ(existing, proposed) || differ(resolved, proposed)) return false;
  const base = ancestor?.buffer ?? Buffer.alloc(0); // both added it: git merges against nothing
  if ([base, existing.buffer, proposed.buffer].some(isBinary)) return true;
  return !mergesCleanlyTo(base, existing.buffer, proposed.buffer, proposed.buffer) && !proposedHoldsValueChanges(path, base, existing.buffer, proposed.buffer);
}

/**
 * Whether a JSON or YAML file's proposed version already holds every value the project changed: the merge of
 * their values is clean and gives the proposed values. The line merge alone says no where the project's change
 * sits next to one of the blueprint's (`"@types/node"` set to the version the blueprint also moved to, beside
 * the blueprint's new `"typescript"`), and the file would be called overridden with nothing of the project's lost.
 */
function proposedHoldsValueChanges(path: string, ancestor: Buffer, existing: Buffer, proposed: Buffer): boolean {
  const format = structuredFormatOf(path);
  if (!format || ancestor.length === 0) return false;
  // Loaded only here: the structured merge brings the YAML parser, which an update must not load at start.
  const { mergeStructured, parseStructured, sameValue } = require('../resynth/merge/structured') as typeof Structured;
  try {
    const merged = mergeStructured(ancestor, existing, proposed, { format, diffAlgorithm: 'histogram' });
    return merged.conflicts.length === 0 &&
      sameValue(parseStructured(format, merged.buffer.toString('utf8')), parseStructured(format, proposed.toString('utf8')));
  } catch {
    return false; // a side that does not parse: the line merge's answer stands
  }
}

/**
 * Whether the project's file already holds all the blueprint changed in it (the same mode made executable, the same
 * line edited, beside edits of its own), so that keeping it drops nothing of the blueprint's: `git merge` of the
 * two leaves the project's file as it is. Such a file is not `kept` (which says the blueprint's change was left out).
 */
function projectHoldsChange(ancestor: BundleFile | undefined, existing: BundleFile | undefined, proposed: BundleFile | undefined): boolean {
  if (!ancestor || !existing || !proposed || [ancestor, existing, proposed].some(file => file.mode === SYMLINK_MODE)) return false;
  if (gitMode(proposed) !== gitMode(ancestor) && gitMode(proposed) !== gitMode(existing)) return false;
  if (ancestor.buffer.equals(proposed.buffer)) return true;
  if ([ancestor.buffer, existing.buffer, proposed.buffer].some(isBinary)) return false;
  return mergesCleanlyTo(ancestor.buffer, existing.buffer, proposed.buffer, existing.buffer);
}

/** Whether `git merge`'s line merge of the three (histogram, as git merge diffs) is clean and gives `result`'s bytes. */
function mergesCleanlyTo(ancestor: Buffer, existing: Buffer, proposed: Buffer, result: Buffer): boolean {
  const merged = mergeText(ancestor, existing, proposed, { diffAlgorithm: 'histogram' });
  return merged.conflicts.length === 0 && merged.buffer.equals(result);
}

/**
 * Which side deleted a file the other changed, for a file whose strategy took a side over the other
 * (`overridden`) or left the two in conflict; undefined for any other file. (A rename conflict is named
 * by its own note.)
 */
function modifyDeleteSide(outcome: UpdateOutcome, ancestor: BundleFile | undefined, existing: BundleFile | undefined, proposed: BundleFile | undefined): 'blueprint' | 'project' | undefined {
  if ((outcome !== 'overridden' && outcome !== 'conflict') || !ancestor) return undefined;
  if (!proposed && existing && differ(ancestor, existing)) return 'blueprint';
  if (!existing && proposed && differ(ancestor, proposed)) return 'project';
  return undefined;
}

/**
 * A modify/delete in words, with git's ways to settle a conflict (`git add` keeps the version in the work tree,
 * `git rm` deletes it); undefined for any other file.
 */
export function modifyDelete(file: Pick<UpdateFileReport, 'deletedBy' | 'outcome'>): string | undefined {
  if (!file.deletedBy) return undefined;
  if (file.outcome === 'conflict') {
    return file.deletedBy === 'blueprint'
      ? "modify/delete: the blueprint deleted it, the project changed it; the project's version is in the work tree ('git add' keeps it, 'git rm' deletes it)"
      : "modify/delete: the project deleted it, the blueprint changed it; the blueprint's version is in the work tree ('git add' keeps it, 'git rm' keeps it deleted)";
  }
  return file.deletedBy === 'blueprint' ? 'deleted: the blueprint deleted it, the project had changed it' : 'brought back: the project had deleted it, the blueprint changed it';
}

/** Whether git would see two different files (see `sameFile`: a generated read-only 0444 file is 100644 to it). */
function differ(a: BundleFile | undefined, b: BundleFile | undefined): boolean {
  if (!a || !b) return a !== b;
  return !sameFile(a, b);
}

/**
 * What a strategy dropped of the project's lines in a file, in words (`2 hunks of the project's dropped`), or the
 * project's link or file it replaced by the other kind; undefined when nothing.
 */
export function droppedHunks(file: Pick<UpdateFileReport, 'overridden' | 'typeChange' | 'outcome'>): string | undefined {
  if (file.typeChange && file.outcome !== 'conflict') return file.typeChange === 'link-to-file' ? "the project's symbolic link replaced by the blueprint's regular file" : "the project's regular file replaced by the blueprint's symbolic link";
  return file.overridden > 0 ? `${plural(file.overridden, 'hunk')} of the project's dropped` : undefined;
}

/**
 * What an update took from the project with no conflict to show it, as paragraphs for whoever reviews the merge (its
 * commit message, a fleet's pull request): the files where a strategy dropped the project's lines (`preferProposed`,
 * the SDK's fallback, among them) or replaced its changes, and the policies' decisions, which took one side's value
 * over the other's where both changed it. Empty when there is neither.
 */
export function unseenDecisions(files: readonly UpdateFileReport[]): string[] {
  const overridden = files.filter(file => file.outcome === 'overridden' || file.overridden > 0)
    .map(file => `- ${file.path} (${[file.strategy, modifyDelete(file), droppedHunks(file) ?? 'the project\'s changes replaced'].filter(Boolean).join('; ')})`);
  const decisions = files.flatMap(file => (file.policyDecisions ?? []).map(decision => `- ${file.path}: ${decision}`));
  return [
    ...(overridden.length > 0 ? [`The project's changes a strategy dropped for the blueprint's (no conflict shows them):\n${overridden.join('\n')}`] : []),
    ...(decisions.length > 0 ? [`Values both sides changed, decided by a merge policy (existing: the project; proposed: the blueprint):\n${decisions.join('\n')}`] : []),
  ];
}

/** A conflict between a link and a regular file, in words, with git's way to take either side; undefined for any other file. */
export function distinctTypes(file: Pick<UpdateFileReport, 'typeChange' | 'outcome' | 'path'>): string | undefined {
  if (!file.typeChange || file.outcome !== 'conflict') return undefined;
  const [project, blueprint] = file.typeChange === 'link-to-file' ? ['a symbolic link', 'a regular file'] : ['a regular file', 'a symbolic link'];
  return `distinct types: the project has ${project}, the blueprint ${blueprint}; the project's is in the work tree, ` +
    `'git checkout --theirs -- ${commandPath(file.path)}' takes the blueprint's`;
}

/** Counts of an update's outcomes. */
export function countOutcomes(files: readonly UpdateFileReport[]): Record<UpdateOutcome, number> {
  const counts: Record<UpdateOutcome, number> = { unchanged: 0, added: 0, updated: 0, overridden: 0, conflict: 0, deleted: 0, notAdded: 0, kept: 0 };
  for (const file of files) counts[file.outcome]++;
  return counts;
}


/**
 * The reports of the files an update moved with a folder the other side moved whole (see `FolderMoves`): each is at
 * its new path, `conflict` when git's `merge.directoryRenames` is `conflict` (its default: git merge's "CONFLICT
 * (file location)", left for whoever merges to confirm), else `updated` (the project's) or `added` (the blueprint's).
 */
export function withFolderMoves(files: readonly UpdateFileReport[], moves: FolderMoves): UpdateFileReport[] {
  const conflict = moves.setting === 'conflict';
  const confirm = (from: string, to: string) => (conflict ? ` (git merge's "CONFLICT (file location)"): 'git add ${commandPath(to)}' keeps it there; or move it back to ${from} and 'git add' both paths` : '');
  const folder = (name: string) => (name === '' ? 'the top folder' : `${name}/`);
  const notes = new Map<string, Partial<UpdateFileReport>>();
  for (const { from, to, folder: moved } of moves.project) {
    notes.set(to, {
      outcome: conflict ? 'conflict' : 'updated', renamedFrom: from, movedWithFolder: moved,
      note: `the project added it in ${folder(moved.from)}, which the blueprint moved to ${folder(moved.to)}: moved with it, as git merge moves it${confirm(from, to)}`,
    });
  }
  for (const { from, to, folder: moved } of moves.blueprint) {
    notes.set(to, {
      outcome: conflict ? 'conflict' : 'added', movedByProjectFrom: from, movedWithFolder: moved,
      note: `the blueprint adds it at ${from}, in ${folder(moved.from)}, which the project moved to ${folder(moved.to)}: put there, as git merge puts it${confirm(from, to)}`,
    });
  }
  // (One that met a file the moving side has there stays the conflict of both added, with its hunks.)
  return files.map(file => (notes.has(file.path) ? { ...file, ...notes.get(file.path), ...file.outcome === 'conflict' ? { outcome: 'conflict' as const } : {} } : file));
}
