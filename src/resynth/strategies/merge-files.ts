import { isLink } from '../links';
import { isBinary, mergeText, MergeSide } from '../merge';
import { anyFile, ContextFile, StrategyOptions } from './context-file';
import { recorderFor } from './recorder';

const EMPTY = Buffer.alloc(0);

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
 * the file alone, and most files never reach the line diff at all. Binary files (a NUL in the first 8000
 * bytes of any side) are whole-file decisions: the changed side wins, and when both changed differently
 * `binaryPreference` does. Symbolic links (known from `options.modes`) follow the same whole-file rule:
 * a target is one name, not lines, and a link is never equal to a regular file with the same bytes.
 * Otherwise the line merge runs; with `favor` each conflicting hunk (not the
 * whole file) is resolved to that side; when that side had deleted the file and nothing else is left,
 * the file stays deleted.
 */
export function mergeFiles(
  ancestor: ContextFile | undefined,
  existing: ContextFile | undefined,
  proposed: ContextFile | undefined,
  options: StrategyOptions | undefined,
  policy: { favor?: MergeSide; binaryPreference: MergeSide },
): ContextFile | undefined {
  const link = (side: 'ancestor' | 'existing' | 'proposed') => isLink(options?.modes?.[side]);
  const same = (a: ContextFile | undefined, aLink: boolean, b: ContextFile | undefined, bLink: boolean) =>
    sameContent(a, b) && (!a || aLink === bLink);
  if (same(existing, link('existing'), proposed, link('proposed'))) return existing;
  if (same(ancestor, link('ancestor'), existing, link('existing'))) return proposed;
  if (same(ancestor, link('ancestor'), proposed, link('proposed'))) return existing;

  const recorder = recorderFor(options);
  const present = (['ancestor', 'existing', 'proposed'] as const).filter(side => ({ ancestor, existing, proposed })[side]);
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

  const merged = mergeText(ancestor?.buffer ?? EMPTY, existing?.buffer ?? EMPTY, proposed?.buffer ?? EMPTY, {
    style: options?.style,
    labels: options?.labels,
    markerSize: options?.markerSize,
    favor: policy.favor,
  });
  // The favored side deleted the file and nothing else survived: the file stays deleted, rather than
  // coming back empty (the SDK returns an empty file here).
  const favoredAbsent = policy.favor === 'existing' ? !existing : policy.favor === 'proposed' ? !proposed : false;
  if (favoredAbsent && merged.buffer.length === 0 && merged.conflicts.length === 0) {
    recorder?.record({ buffer: undefined, conflicts: [], favored: merged.favored, binary: false });
    return undefined;
  }
  recorder?.record({ buffer: merged.buffer, conflicts: merged.conflicts, favored: merged.favored, binary: false });
  const named = anyFile(existing, proposed, ancestor);
  return { repositoryName: named.repositoryName, path: named.path, buffer: merged.buffer };
}

function isBinaryFile(file: ContextFile | undefined): boolean {
  return file !== undefined && isBinary(file.buffer);
}
