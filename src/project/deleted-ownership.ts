import type { BundleFile } from '../bundle/file-map';
import { ownershipFilePaths, parseOwnershipFileWithLines } from '../resynth/ownership';
import { GitTreeSource } from './git-tree';
import { commandPath } from '../printable';

/**
 * Warnings for the `.ownership-file`s the baseline has and `HEAD` does not, which the update leaves deleted: the
 * project deleted them (`git rm`; they look like noise), and with them went the entries the merge reads from the
 * existing side, so their files were merged by whatever else applies (the fallback, most often). Nobody could
 * guess that from the report alone. `resolved` is the merge's result by repository path.
 */
export function deletedOwnershipFiles(ancestor: GitTreeSource, existing: GitTreeSource, resolved: (path: string) => BundleFile | undefined, prefix: string, baseline: string | undefined): string[] {
  const warnings: string[] = [];
  for (const bundlePath of ownershipFilePaths(ancestor.list())) {
    const path = bundlePath.slice(prefix.length);
    if (!bundlePath.startsWith(prefix) || existing.entries.has(bundlePath) || resolved(path)) continue;
    const restore = baseline ? `; 'git checkout ${baseline.slice(0, 12)} -- ${commandPath(path)}' and a commit bring it back for the next update` : '';
    warnings.push(`${path}: the baseline has it, HEAD does not (deleted in the project), so its entries were not applied by this update${entriesOf(ancestor.read(bundlePath)!, path)}${restore}`);
  }
  return warnings;
}

/** The entries of a deleted ownership file, in words (` ([threeWayMerge] @acme/app: a.txt, b/**)`); nothing when it cannot be read. */
function entriesOf(file: BundleFile, path: string): string {
  try {
    const entries = parseOwnershipFileWithLines(file.buffer.toString('utf8'), path);
    return entries.length ? ` (${entries.map(({ entry }) => `[${entry.identifier}] ${entry.owner}: ${entry.globs.join(', ')}`).join('; ')})` : '';
  } catch {
    return '';
  }
}
