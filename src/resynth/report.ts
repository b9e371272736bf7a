import type { BundleFile } from '../bundle/file-map';
import { plural } from '../plural';
/** What happened to a file, relative to the existing bundle. */
export type FileOutcome =
  /** The resolved file is the existing one (or the file is absent from both). */
  | 'unchanged'
  /** The existing bundle had no such file; the resolved bundle has it. */
  | 'added'
  /** The file changed, cleanly. */
  | 'updated'
  /** The file changed, and at least one hunk was resolved against the existing side's lines. */
  | 'overridden'
  /** The file has conflict markers. */
  | 'conflict'
  /** The existing bundle had the file; the resolved bundle does not. */
  | 'deleted'
  /**
   * The blueprint proposes the file, the existing bundle lacks it, and the resolved bundle leaves it out:
   * the merge read its absence as deleted by the project since the ancestor. Against a hand-made existing
   * bundle with the current blueprint as the ancestor, that is every file the blueprint adds.
   */
  | 'notAdded';

/** How the strategy of a file was chosen. */
export type StrategyChoice =
  /** Registered in code by the blueprint (`setResynthStrategies`). */
  | 'code'
  /** An entry of an `.ownership-file` in the existing bundle. */
  | 'ownership-file'
  /** No entry matched. */
  | 'fallback'
  /** `--strategy` / `forceStrategy`. */
  | 'forced'
  /**
   * The framework's rule for a kind of file, which no entry overrides unless it names the file: an
   * `.ownership-file` is merged entry by entry (`ownershipFileMerge`).
   */
  | 'framework'
  /** Outside `src/`: the bundle's own rule (taken from the proposed bundle; issues only when new). */
  | 'bundle';

/** A conflict hunk resolved against the existing side. */
export interface OverriddenHunk {
  /** 1-based line in the resolved file where the kept lines start. */
  readonly resultLine: number;
  /** The existing side's lines that were dropped (empty for a binary file). */
  readonly dropped: string[];
  /** Set when the whole binary file was replaced. */
  readonly binary?: true;
}

/** One file of the report. */
export interface FileReport {
  /** Bundle-relative path. */
  readonly path: string;
  /** The id of the strategy that resolved it. */
  readonly strategy: string;
  /** How that strategy was chosen. */
  readonly chosenBy: StrategyChoice;
  /** For an ownership-file entry, `file:line` of its header; for code, the folder it was registered for. */
  readonly declaredAt?: string;
  /**
   * Set when the resolved path is a symbolic link where the existing bundle has a regular file, or the
   * other way round: a change of kind is never silent. For a `conflict` between kinds (git's "distinct
   * types": both sides changed the path, one made it a link), the change the proposed side asks for.
   */
  readonly typeChange?: 'link-to-file' | 'file-to-link';
  /** The unknown strategy id the ownership-file entry named; `strategy` is what merged the file instead. */
  readonly unknownStrategy?: string;
  /** What happened, relative to the existing bundle. */
  readonly outcome: FileOutcome;
  /** Whether the resolved bundle has the file. */
  readonly present: boolean;
  /** Number of conflict hunks written with markers. */
  readonly conflicts: number;
  /** 1-based lines of the conflicts' opening markers. */
  readonly conflictLines?: number[];
  /** Number of hunks resolved against the existing side. */
  readonly overridden: number;
  /** Those hunks, with the lines that were dropped. */
  readonly overriddenHunks?: OverriddenHunk[];
  /**
   * Conflict hunks resolved by keeping both sides' lines, the existing side's first (entries of an
   * `.ownership-file` both sides changed): nothing was dropped. Absent when none.
   */
  readonly bothKept?: number;
  /**
   * Set by an update when the repository's `merge` attribute (gitattributes) decided the file's conflicts,
   * as written: `merge=union`, `-merge`, `merge=binary`, `merge=<driver>` (see `mergeByAttribute`).
   */
  readonly mergeAttribute?: string;
  /**
   * Set with `mergeAttribute` where the attribute names bluesynth's own merge driver (`blueprint merge-driver`),
   * which the update runs itself, as `git merge` would run it: the strategy it merged with.
   */
  readonly driverStrategy?: string;
  /** For a JSON or YAML file the structured merge left conflicts in: their JSON paths (`$.dependencies.react`). */
  readonly conflictPaths?: string[];
  /** For a JSON or YAML file whose conflicts of values took the proposed side: their JSON paths. */
  readonly overriddenPaths?: string[];
  /** Conflicts of values a policy decided (`$.dependencies.react: newerRange: ...`). */
  readonly policyDecisions?: string[];
  /** Set when the `regenerate` strategy took the proposed file whole: regenerate it (a lock file, say) rather than trust it. */
  readonly regenerated?: true;
}

/** Counts over all files. */
export interface ReportTotals {
  /** Files in the report. */
  readonly files: number;
  /** Files whose outcome is `unchanged`. */
  readonly unchanged: number;
  /** Files whose outcome is `added`. */
  readonly added: number;
  /** Files whose outcome is `updated`. */
  readonly updated: number;
  /** Files whose outcome is `overridden`. */
  readonly overridden: number;
  /** Files whose outcome is `conflict`. */
  readonly conflict: number;
  /** Files whose outcome is `deleted`. */
  readonly deleted: number;
  /** Files whose outcome is `notAdded`: the blueprint proposes them, the project lacks them, and they stay out. */
  readonly notAdded: number;
  /** Conflict hunks over all files. */
  readonly conflictHunks: number;
  /** Overridden hunks over all files. */
  readonly overriddenHunks: number;
}

/** What `resynthesize()` did, file by file. */
export interface ResynthReport {
  /** Every path of the three bundles, in byte order. */
  readonly files: FileReport[];
  /** Counts over {@link ResynthReport.files}. */
  readonly totals: ReportTotals;
  /** Warnings (for example an ownership-file entry with an unknown id). */
  readonly warnings: string[];
}

const OUTCOMES: readonly FileOutcome[] = ['unchanged', 'added', 'updated', 'overridden', 'conflict', 'deleted', 'notAdded'];
/** How the summary names an outcome. */
const LABELS: Partial<Record<FileOutcome, string>> = { notAdded: 'not added' };

/** Sums a report's files. */
export function totalsOf(files: readonly FileReport[]): ReportTotals {
  const counts: Record<FileOutcome, number> = { unchanged: 0, added: 0, updated: 0, overridden: 0, conflict: 0, deleted: 0, notAdded: 0 };
  let conflictHunks = 0;
  let overriddenHunks = 0;
  for (const file of files) {
    counts[file.outcome]++;
    conflictHunks += file.conflicts;
    overriddenHunks += file.overridden;
  }
  return { files: files.length, ...counts, conflictHunks, overriddenHunks };
}

/** One line for a terminal: `12 files: 1 added, 3 updated, 1 overridden (2 hunks), 1 conflict (1 hunk), 6 unchanged`. */
export function summarize(report: ResynthReport): string {
  const t = report.totals;
  const parts: string[] = [];
  for (const outcome of OUTCOMES) {
    const count = t[outcome];
    if (count === 0 && outcome !== 'conflict') continue;
    let part = `${count} ${outcome === 'conflict' && count !== 1 ? 'conflicts' : LABELS[outcome] ?? outcome}`;
    if (outcome === 'overridden') part += ` (${plural(t.overriddenHunks, 'hunk')})`;
    if (outcome === 'conflict' && count > 0) part += ` (${plural(t.conflictHunks, 'hunk')})`;
    parts.push(part);
  }
  return `${plural(t.files, 'file')}: ${parts.join(', ')}`;
}

/** The warning of a report made by {@link reportFromFolders}. */
export const FOLDERS_REPORT_WARNING = 'the blueprint\'s resynth() returned no report; outcomes come from comparing the folders';

/**
 * A report made by comparing folders, for a blueprint whose `resynth()` reports nothing (one built on the
 * CodeCatalyst SDK, whose resynth returns void): each path of the existing or merged repository folder
 * with its outcome; a merged file with conflict markers counts as a conflict. The strategy is unknown.
 */
export function reportFromFolders(existing: Map<string, BundleFile>, merged: Map<string, BundleFile>, prefix = ''): FileReport[] {
  const paths = [...new Set([...existing.keys(), ...merged.keys()])].sort();
  return paths.map(relative => {
    const before = existing.get(relative);
    const after = merged.get(relative);
    const conflicts = after ? countConflictMarkers(after.buffer) : 0;
    const outcome: FileOutcome = conflicts ? 'conflict' : !before ? (after ? 'added' : 'unchanged') : !after ? 'deleted' : before.buffer.equals(after.buffer) ? 'unchanged' : 'updated';
    return { path: prefix + relative, strategy: 'resynth()', chosenBy: 'code', outcome, present: !!after, conflicts, overridden: 0 };
  });
}

/**
 * A merge's report made true again after the blueprint's `resynth()` override changed the resolved files
 * (after `super.resynth()`, as SDK blueprints may: a file written, edited or removed). A path under the
 * compared folders (`existing` and `resolved`, by the report's paths) whose entry the resolved folder
 * contradicts (missing from the report; said to be there or gone when it is not; said unchanged when it
 * differs from the existing file, or changed when it does not) takes its outcome from the folders, as
 * {@link reportFromFolders} gives it, with the strategy marked as followed by the override. Entries the
 * folders agree with stay as the merge reported them.
 */
export function reconciledWithFolders(report: ResynthReport, existing: ReadonlyMap<string, BundleFile>, resolved: ReadonlyMap<string, BundleFile>): ResynthReport {
  const reported = new Map(report.files.map(file => [file.path, file]));
  const byFolders = new Map(reportFromFolders(new Map(existing), new Map(resolved)).map(file => [file.path, file]));
  let changed = false;
  const files = [...new Set([...reported.keys(), ...byFolders.keys()])].sort().map(filePath => {
    const entry = reported.get(filePath);
    const seen = byFolders.get(filePath);
    if (!seen) return entry!;
    if (entry && entry.present === seen.present && (entry.outcome === 'unchanged') === (seen.outcome === 'unchanged')) return entry;
    changed = true;
    return entry ? { ...entry, strategy: `${entry.strategy}, then resynth()`, outcome: seen.outcome, present: seen.present, conflicts: seen.conflicts } : seen;
  });
  return changed ? { ...report, files, totals: totalsOf(files) } : report;
}

function countConflictMarkers(buffer: Buffer): number {
  if (buffer.indexOf('<<<<<<< ') < 0) return 0;
  return buffer.toString('latin1').split('\n').filter(line => line.startsWith('<<<<<<< ')).length;
}
