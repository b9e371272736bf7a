import { compareBundlePaths } from '../bundle/sink';
import { filePatch } from '../resynth/patch/file-patch';
import type { SideLookup, UpdateFileReport } from './update-report';

/**
 * What an update would change in the project's files, as `git diff HEAD` would show it once landed: each file
 * the report names, from `HEAD`'s version to the merge's (a conflicted file with its markers, as the work tree
 * would hold it; a file the blueprint moved as its deletion and its creation), binary files named only. The
 * record and durable state the command writes are left out: the report's first line says the version change.
 * `sides.existing` is `HEAD` as it is, not the merge's view of it, in which a moved file's project version is
 * at its new path: the patch needs it at the old one, where `HEAD` has it and the update deletes it.
 */
export function updatePatch(files: readonly UpdateFileReport[], sides: Pick<SideLookup, 'existing' | 'resolved'>): string {
  const paths = new Set<string>();
  for (const file of files) {
    if (file.outcome === 'unchanged' || file.outcome === 'kept' || file.outcome === 'notAdded') continue;
    paths.add(file.path);
    if (file.renamedFrom) paths.add(file.renamedFrom);
  }
  const patch = [...paths].sort(compareBundlePaths).map(p => filePatch(p, sides.existing(p), sides.resolved(p), { binary: false })).join('');
  // filePatch writes bytes as latin1 text; the report is text for a terminal or JSON.
  return Buffer.from(patch, 'latin1').toString('utf8');
}
