import { isLink } from '../links';
import { isBinary } from '../merge';
import { mergeOwnershipEntries } from '../ownership/merge-entries';
import { anyFile, ContextFile, StrategyOptions } from './context-file';
import { sameContent } from './merge-files';
import { recorderFor } from './recorder';

/** The id an `.ownership-file` merged by {@link ownershipFileMerge} is reported under. */
export const OWNERSHIP_FILE_MERGE_ID = 'ownershipFileMerge';

/**
 * How the framework merges a repository's `.ownership-file`s, whatever the fallback, unless an entry names
 * the file itself: as the line merge where it is clean, else entry by entry, keeping the entries both
 * sides added (see {@link mergeOwnershipEntries}). Nothing is ever resolved against the project's lines,
 * and no markers are written. A side that is absent counts as a file without entries; a result without a
 * byte where a side had deleted the file stays deleted.
 *
 * The project's version is kept whole when the three cannot be read as text (a link, a binary file): the
 * project's ownership file is what decides its merges.
 */
export function ownershipFileMerge(
  commonAncestorFile: ContextFile | undefined,
  existingFile: ContextFile | undefined,
  proposedFile: ContextFile | undefined,
  options?: StrategyOptions,
): ContextFile | undefined {
  const sides = { ancestor: commonAncestorFile, existing: existingFile, proposed: proposedFile };
  const link = (side: Side) => isLink(options?.modes?.[side]);
  // Both absent, or both present with the same bytes and of the same kind.
  const same = (x: Side, y: Side) => sameContent(sides[x], sides[y]) && (!sides[x] || link(x) === link(y));
  if (same('existing', 'proposed')) return existingFile;
  if (same('ancestor', 'existing')) return proposedFile;
  if (same('ancestor', 'proposed')) return existingFile;

  const recorder = recorderFor(options);
  const unreadable = (['ancestor', 'existing', 'proposed'] as const).some(side => sides[side] && (link(side) || isBinary(sides[side]!.buffer)));
  if (unreadable) {
    recorder?.record({ buffer: existingFile?.buffer, conflicts: [], favored: [{ kept: 'existing', dropped: [], resultLine: 1 }], binary: true });
    return existingFile;
  }

  const empty = Buffer.alloc(0);
  const merged = mergeOwnershipEntries(commonAncestorFile?.buffer ?? empty, existingFile?.buffer ?? empty, proposedFile?.buffer ?? empty);
  // A side deleted the file and nothing of the other's is left: it stays deleted rather than coming back empty.
  const deleted = merged.buffer.length === 0 && (!existingFile || !proposedFile);
  const buffer = deleted ? undefined : merged.buffer;
  recorder?.record({ buffer, conflicts: [], favored: [], binary: false, ...(merged.byEntry ? { byEntry: { bothKept: merged.bothKept, notes: merged.notes } } : {}) });
  if (!buffer) return undefined;
  const named = anyFile(existingFile, proposedFile, commonAncestorFile);
  return { repositoryName: named.repositoryName, path: named.path, buffer };
}

type Side = 'ancestor' | 'existing' | 'proposed';
