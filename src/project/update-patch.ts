import type { BundleFile } from '../bundle/file-map';
import { compareBundlePaths } from '../bundle/sink';
import { filePatch } from '../resynth/patch/file-patch';
import { changedSideKept } from './land';
import type { SideLookup, UpdateFileReport } from './update-report';

/**
 * What an update would change in the project's files, as `git diff HEAD` would show it once landed: each file
 * the report names, from `HEAD`'s version to the work tree's (a conflicted file with its markers; one that a side
 * deleted and the other changed, the changed version whole, as the landing leaves it; a file the blueprint moved as
 * its deletion and its creation), binary files named only, the bytes as git writes them (a latin1 file's too).
 * The record and durable state the command writes are left out: the report's first line says the version change.
 *
 * @param head `HEAD`'s file at a repository path, as it is: not the merge's view of it, in which a moved file's
 *   project version is at its new path (the patch needs it at the old one, where `HEAD` has it and the update deletes it)
 * @param merge the merge's sides, moved files at their new paths, and its result
 */
export function updatePatch(files: readonly UpdateFileReport[], head: (path: string) => BundleFile | undefined,
  merge: Pick<SideLookup, 'existing' | 'proposed' | 'resolved'>): Buffer {
  const paths = new Set<string>();
  const conflicted = new Set<string>();
  for (const file of files) {
    if (file.outcome === 'unchanged' || file.outcome === 'kept' || file.outcome === 'notAdded') continue;
    paths.add(file.path);
    if (file.outcome === 'conflict') conflicted.add(file.path);
    if (file.renamedFrom) paths.add(file.renamedFrom);
  }
  const workTree = (p: string): BundleFile | undefined => {
    if (!conflicted.has(p)) return merge.resolved(p);
    // A modify/delete conflict: the merge wrote the changed side between markers with an empty side, but the landing
    // checks out the changed version whole, as git merge does.
    return changedSideKept(merge.existing(p), merge.proposed(p)) ?? merge.resolved(p);
  };
  const patch = [...paths].sort(compareBundlePaths).map(p => filePatch(p, head(p), workTree(p), { binary: false })).join('');
  // filePatch writes bytes as latin1 text (one char per byte).
  return Buffer.from(patch, 'latin1');
}
