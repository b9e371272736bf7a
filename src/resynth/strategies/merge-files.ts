import { isLink } from '../links';
import { isBinary, mergeDeleted, mergeText, MergeSide, TextMergeResult } from '../merge';
import type { StructuredMergeResult } from '../merge/structured';
import { PackagePolicyName, structuredFormatOf } from '../merge/structured/format';
import { anyFile, ContextFile, StrategyOptions } from './context-file';
import { recorderFor } from './recorder';

const EMPTY = Buffer.alloc(0);

/** What the structured merge of a JSON/YAML file may decide on its own (plain names: the merge loads only when a file needs it). */
export interface StructuredSettings {
  /** package.json policies, for files named `package.json`. */
  readonly packagePolicies: readonly PackagePolicyName[];
  /** Keys whose conflicting values are generated: the proposed value is taken. */
  readonly regenerateKeys: readonly string[];
}

/** The structured merge, loaded on the first JSON/YAML conflict only. */
function structuredModule(): typeof import('../merge/structured') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../merge/structured');
}

/** Two sides are the same when both are absent or both are present with equal bytes. */
export function sameContent(a: ContextFile | undefined, b: ContextFile | undefined): boolean {
  if (!a || !b) return a === b;
  return a.buffer === b.buffer || a.buffer.equals(b.buffer);
}

/**
 * The three-way merge behind `threeWayMerge`, `preferProposed` and `preferExisting`.
 *
 * Absent is a state of its own (not the same as empty): a side that did not change, including one that
 * stayed absent, yields the other side exactly, so a deletion by one side is kept when the other left
 * the file alone, and most files never reach the line diff at all. A deletion by one side and a change by
 * the other is a conflict of the whole file (git's modify/delete), even where the ancestor was empty or
 * the change emptied the file, which a line merge of an absent side as empty text would take cleanly. Binary files (a NUL in the first 8000
 * bytes of any side) are whole-file decisions: the changed side wins, and when both changed differently
 * `binaryPreference` does. Symbolic links (known from `options.modes`) follow the same whole-file rule:
 * a target is one name, not lines, and a link is never equal to a regular file with the same bytes.
 * A link on one side against a regular file on the other, both changed, is git's "distinct types"
 * conflict when no side is favored (`threeWayMerge`): the existing side is kept whole and a conflict recorded.
 * A side that moved the file (its path is not the ancestor's) changed it, bytes or not: against a side
 * that deleted it, that is git's rename/delete conflict, a modify/delete; so is a side that changed its mode
 * alone (made it executable, or no longer), as git's merge sees it.
 * Otherwise the line merge runs; with `favor` each conflicting hunk (not the
 * whole file) is resolved to that side; when that side had deleted the file and nothing else is left,
 * the file stays deleted. With `structured`, a JSON or YAML file the line merge leaves in conflict is
 * merged by its values (`../merge/structured`), and `favor` applies only to what still conflicts.
 */
export function mergeFiles(
  ancestor: ContextFile | undefined,
  existing: ContextFile | undefined,
  proposed: ContextFile | undefined,
  options: StrategyOptions | undefined,
  policy: { favor?: MergeSide; binaryPreference: MergeSide; structured?: StructuredSettings },
): ContextFile | undefined {
  const link = (side: 'ancestor' | 'existing' | 'proposed') => isLink(options?.modes?.[side]);
  const same = (a: ContextFile | undefined, aLink: boolean, b: ContextFile | undefined, bLink: boolean) =>
    sameContent(a, b) && (!a || aLink === bLink);
  if (same(existing, link('existing'), proposed, link('proposed'))) return existing;
  const moved = movedAgainstRemoval(ancestor, existing, proposed) ?? modeChangedAgainstRemoval(ancestor, existing, proposed, options);
  if (moved !== 'existing' && same(ancestor, link('ancestor'), existing, link('existing'))) return proposed;
  if (moved !== 'proposed' && same(ancestor, link('ancestor'), proposed, link('proposed'))) return existing;

  const recorder = recorderFor(options);
  const present = (['ancestor', 'existing', 'proposed'] as const).filter(side => ({ ancestor, existing, proposed })[side]);
  // Both changed it, and one made it a link where the other has a regular file (or the reverse): git's
  // "distinct types" conflict. Without a favored side nothing says which kind to keep: the project's version
  // stays whole in the work tree, as git leaves it, and the merge is a conflict (the blueprint's version is
  // the update's stage 3). A strategy with a favored side takes that side, reported as a change of kind.
  if (policy.favor === undefined && existing && proposed && link('existing') !== link('proposed')) {
    recorder?.record({ buffer: existing.buffer, conflicts: [{ existing: [], ancestor: [], proposed: [], resultLine: 1 }], favored: [], binary: true });
    return existing;
  }
  // A link's target is one name, not lines: like git, a link (and a link against a file) is taken whole.
  if (present.some(link) || isBinaryFile(ancestor) || isBinaryFile(existing) || isBinaryFile(proposed)) {
    // Both changed the file, differently: nothing line-wise makes sense, the strategy's side wins.
    const kept = policy.binaryPreference;
    const result = kept === 'existing' ? existing : proposed;
    recorder?.record({
      buffer: result?.buffer,
      conflicts: [],
      favored: [{ kept, dropped: [], resultLine: 1 }],
      binary: true,
    });
    return result;
  }

  const named = anyFile(existing, proposed, ancestor);
  const format = policy.structured && existing && proposed ? structuredFormatOf(named.path) : undefined;
  const textOptions = { style: options?.style, diffAlgorithm: options?.diffAlgorithm, labels: options?.labels, markerSize: options?.markerSize, favor: policy.favor };
  let structuredResult: StructuredMergeResult | undefined;
  // Past the checks above, a side without the file means the ancestor had it and the other side changed
  // it: a modify/delete conflict, whatever the lines say (an empty ancestor has none to delete).
  const deletedBySide = ancestor && (!existing || !proposed);
  const merged: TextMergeResult = format
    ? structuredResult = mergeStructuredFile(named.path, ancestor?.buffer ?? EMPTY, existing!.buffer, proposed!.buffer, { ...textOptions, format }, policy.structured!)
    : deletedBySide
      ? mergeDeleted(ancestor.buffer, existing?.buffer, proposed?.buffer, textOptions)
      : mergeText(ancestor?.buffer ?? EMPTY, existing?.buffer ?? EMPTY, proposed?.buffer ?? EMPTY, textOptions);
  const structured = structuredResult ? { structured: { stage: structuredResult.stage, conflictPaths: structuredResult.conflictPaths, decisions: structuredResult.decisions, notes: structuredResult.notes } } : {};
  // The favored side deleted the file and nothing else survived: the file stays deleted, rather than
  // coming back empty (the SDK returns an empty file here).
  const favoredAbsent = policy.favor === 'existing' ? !existing : policy.favor === 'proposed' ? !proposed : false;
  if (favoredAbsent && merged.buffer.length === 0 && merged.conflicts.length === 0) {
    recorder?.record({ buffer: undefined, conflicts: [], favored: merged.favored, binary: false, ...structured });
    return undefined;
  }
  recorder?.record({ buffer: merged.buffer, conflicts: merged.conflicts, favored: merged.favored, binary: false, ...structured });
  return { repositoryName: named.repositoryName, path: named.path, buffer: merged.buffer };
}

function mergeStructuredFile(
  filePath: string, ancestor: Buffer, existing: Buffer, proposed: Buffer,
  options: Omit<import('../merge/structured').StructuredMergeOptions, 'policies'>, settings: StructuredSettings,
): StructuredMergeResult {
  const structured = structuredModule();
  const isPackageJson = filePath === 'package.json' || filePath.endsWith('/package.json');
  const policies = [
    ...(settings.regenerateKeys.length ? [structured.regeneratePolicy(settings.regenerateKeys)] : []),
    ...(isPackageJson ? settings.packagePolicies.map(structured.packagePolicy) : []),
  ];
  return structured.mergeStructured(ancestor, existing, proposed, { ...options, policies });
}

/**
 * The side that moved a file the other side deleted (its path is not the ancestor's: the resolver names the
 * ancestor's version by the path it had), or undefined.
 */
function movedAgainstRemoval(ancestor: ContextFile | undefined, existing: ContextFile | undefined, proposed: ContextFile | undefined): MergeSide | undefined {
  if (!ancestor) return undefined;
  if (!existing && proposed && proposed.path !== ancestor.path) return 'proposed';
  if (!proposed && existing && existing.path !== ancestor.path) return 'existing';
  return undefined;
}

/**
 * The side that changed only the mode (made the file executable, or no longer) of a file the other side deleted,
 * or undefined. The bytes alone say that side left the file alone, but to git's merge a mode is part of the file:
 * a change it is, and against the deletion a modify/delete conflict, as a move is.
 */
function modeChangedAgainstRemoval(ancestor: ContextFile | undefined, existing: ContextFile | undefined, proposed: ContextFile | undefined, options: StrategyOptions | undefined): MergeSide | undefined {
  const modes = options?.modes;
  if (!ancestor || !modes || (existing === undefined) === (proposed === undefined)) return undefined;
  const side: MergeSide = existing ? 'existing' : 'proposed';
  // An absent mode is the default, 0644.
  const executable = (mode: number | undefined) => mode !== undefined && (mode & 0o111) !== 0;
  if (isLink(modes.ancestor) || isLink(modes[side])) return undefined;
  return executable(modes.ancestor) !== executable(modes[side]) ? side : undefined;
}

function isBinaryFile(file: ContextFile | undefined): boolean {
  return file !== undefined && isBinary(file.buffer);
}
