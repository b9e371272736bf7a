/**
 * The `merge` attribute of gitattributes(5), applied where an update's merge of a file conflicts, as
 * `git merge` applies it (git's `ll-merge.c`): the project says there how its file's conflicting content is
 * merged, whichever blueprint generated it.
 */
import type { BundleFile } from '../bundle/file-map';
import { isLink } from './links';
import { isBinary, mergeText, ConflictStyle, DiffAlgorithm, MarkerLabels } from './merge';
import { mergeFileVersions } from './file-merge';
import { FileReport } from './report';
import { StrategyRegistry } from './strategies/registry';

/**
 * How git merges a path's content, by its `merge` attribute:
 * - `text`: git's line merge (the attribute unspecified, set, or `merge=text`): the strategy's merge stands;
 * - `union`: both sides' lines of each conflicting hunk, the existing side's first (`merge=union`);
 * - `binary`: no merge: a conflict, the existing side's file kept (`-merge`, `merge=binary`, the `binary` macro);
 * - `driver`: a merge driver the repository's git config defines (`merge=<name>`, `merge.<name>.driver`).
 */
export type MergeAttribute =
  | { readonly kind: 'text' }
  | { readonly kind: 'union' }
  | {
    readonly kind: 'binary';
    /** How the repository wrote it: `-merge` (also what the `binary` macro sets) or `merge=binary`. */
    readonly written: string;
  }
  | {
    readonly kind: 'driver';
    /** The driver's name, as in `merge.<name>.driver`. */
    readonly name: string;
    /** Its command line, `merge.<name>.driver`. @default - none: a `merge.<name>` section without one */
    readonly command?: string;
    /**
     * Where the driver is bluesynth's own (`blueprint merge-driver`): what its command line asks. The update runs
     * that merge itself, as git would run the driver.
     * @default - another program: not run
     */
    readonly bluesynth?: BluesynthDriver;
  };

/** What the command line of bluesynth's own merge driver (`blueprint merge-driver`) asks. */
export interface BluesynthDriver {
  /** `--strategy` (default `structuredMerge`). */
  readonly strategy: string;
  /** `--style`. @default - the update's */
  readonly style?: ConflictStyle;
  /** `--diff-algorithm`. @default - the update's */
  readonly diffAlgorithm?: DiffAlgorithm;
}

/**
 * Whether the project's `merge` attribute decides a file the merge gave this report: one its strategy left
 * with conflict markers, or one whose conflicting hunks only the fallback resolved (against the project).
 * An entry whose strategy itself resolves conflicts to a side (`preferProposed`, `preferExisting` in an
 * `.ownership-file` or in code, or `--strategy`) is the blueprint's (or the user's) decision, and stands; so
 * does a `[local]` entry, which is a merge driver of its own, and the ownership-file merge, which never conflicts.
 */
export function attributeDecides(report: FileReport): boolean {
  if (report.strategy === 'local' || report.chosenBy === 'framework' || !report.present) return false;
  return report.conflicts > 0 || (report.chosenBy === 'fallback' && report.overridden > 0);
}

/** What {@link mergeByAttribute} decided. */
export interface AttributeMerge {
  /** The resolved file. */
  readonly file: BundleFile;
  /** The report, with the outcome and counts of this merge, and the attribute as written (`mergeAttribute`). */
  readonly report: FileReport;
}

/**
 * Merges a file as git merges it under `attribute`, in place of what its strategy gave (see
 * {@link attributeDecides}); undefined where the strategy's result stands: the `text` attribute, a side
 * absent (a modify/delete conflict is no content merge, so git asks no attribute), a symbolic link.
 *
 * - `union`: `git merge-file --union` over the three (a binary side makes it `binary`, as in git);
 * - `binary`: the existing file, as a conflict (git: "Cannot merge binary files"), the proposed file being
 *   the index's "theirs";
 * - `driver`: the merge driver is not run (it is a command of the repository's git config, and an update
 *   decides every file in this process): the file is left as git's line merge leaves it, with conflict
 *   markers, and `git checkout -m -- <path>` runs the driver on the three versions git records. bluesynth's own
 *   driver (`blueprint merge-driver`) is the exception: its merge is this framework's, so it runs here, with the
 *   update's labels and style, and the file is what `git merge` of the update's commit would leave.
 */
export function mergeByAttribute(
  attribute: MergeAttribute,
  versions: { ancestor?: BundleFile; existing?: BundleFile; proposed?: BundleFile; resolved?: BundleFile },
  report: FileReport,
  options: { style?: ConflictStyle; diffAlgorithm?: DiffAlgorithm; labels?: MarkerLabels; markerSize?: number } = {},
): AttributeMerge | undefined {
  const { ancestor, existing, proposed, resolved } = versions;
  if (attribute.kind === 'text' || !existing || !proposed) return undefined;
  if ([ancestor, existing, proposed].some(file => file && isLink(file.mode))) return undefined;
  const base = ancestor?.buffer ?? Buffer.alloc(0);
  const decided = (file: BundleFile, conflicts: number, bothKept: number, conflictLines: number[] = []): AttributeMerge => ({
    file,
    report: {
      path: report.path,
      strategy: report.strategy,
      chosenBy: report.chosenBy,
      ...(report.declaredAt !== undefined ? { declaredAt: report.declaredAt } : {}),
      ...(report.unknownStrategy !== undefined ? { unknownStrategy: report.unknownStrategy } : {}),
      outcome: conflicts ? 'conflict' : existing.buffer.equals(file.buffer) ? 'unchanged' : 'updated',
      present: true,
      conflicts,
      ...(conflictLines.length ? { conflictLines } : {}),
      overridden: 0,
      ...(bothKept ? { bothKept } : {}),
      mergeAttribute: written(attribute),
    },
  });
  // git's binary merge: no merge at all. git's union merge falls back to it for a binary side too (a
  // configured driver would be given the binary file; it is not run here, see above).
  if (attribute.kind === 'binary' || [base, existing.buffer, proposed.buffer].some(isBinary)) return decided(existing, 1, 0);
  // The mode as the strategy's merge gave it (git merges modes apart from content).
  const withMode = (buffer: Buffer): BundleFile => ({ ...existing, ...(resolved ? { mode: resolved.mode } : {}), buffer });
  const driver = attribute.kind === 'driver' ? attribute.bluesynth : undefined;
  const driverStrategy = driver && StrategyRegistry.create().get(driver.strategy);
  if (driver && driverStrategy) {
    const settings = { ...options, strategy: driverStrategy, ...(driver.style ? { style: driver.style } : {}), ...(driver.diffAlgorithm ? { diffAlgorithm: driver.diffAlgorithm } : {}) };
    const merged = mergeFileVersions({ ancestor: base, existing: existing.buffer, proposed: proposed.buffer, path: report.path }, settings);
    const result = decided(withMode(merged.buffer), merged.conflicts, 0, merged.conflictLines);
    return { ...result, report: { ...result.report, driverStrategy: driverStrategy.id } };
  }
  if (attribute.kind === 'union') {
    const merged = mergeText(base, existing.buffer, proposed.buffer, { favor: 'union', diffAlgorithm: options.diffAlgorithm });
    return decided(withMode(merged.buffer), 0, merged.favored.length);
  }
  // A driver: where the strategy left markers, they stay; where the fallback resolved the conflicts, they
  // are marked as git's line merge marks them, for the driver (or a person) to decide.
  if (report.outcome === 'conflict' && resolved) return { file: resolved, report: { ...report, mergeAttribute: written(attribute) } };
  const merged = mergeText(base, existing.buffer, proposed.buffer, { style: options.style, diffAlgorithm: options.diffAlgorithm, labels: options.labels, markerSize: options.markerSize });
  if (merged.conflicts.length === 0) return undefined;
  return decided(withMode(merged.buffer), merged.conflicts.length, 0, merged.conflicts.map(conflict => conflict.resultLine));
}

/** The attribute as a `.gitattributes` line would write it. */
function written(attribute: Exclude<MergeAttribute, { kind: 'text' }>): string {
  switch (attribute.kind) {
    case 'union': return 'merge=union';
    case 'binary': return attribute.written;
    case 'driver': return `merge=${attribute.name}`;
  }
}
