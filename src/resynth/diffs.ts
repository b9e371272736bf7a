import { BundleLayout } from '../bundle/layout';
import { BundleFile, FileMap } from '../bundle/file-map';
import { filePatch, FilePatchOptions } from './patch/file-patch';

/** One changed file of a repository and its patch. */
export interface FilePatch {
  /** Repository-relative path. */
  readonly path: string;
  /** The patch, byte for byte what `git diff --binary` writes for the file. */
  readonly patch: Buffer;
}

/**
 * The patch of every file that differs between the existing and the resolved bundle, by repository
 * (`src/<repository>/`), files in byte order. Repositories without changes are left out. Pure: file
 * maps in, patches out.
 */
export function repositoryPatches(existing: FileMap, resolved: FileMap, options: FilePatchOptions = {}): Map<string, FilePatch[]> {
  const prefix = `${BundleLayout.SOURCE}/`;
  const paths = new Set<string>();
  for (const map of [existing, resolved]) {
    for (const bundlePath of map.keys()) if (bundlePath.startsWith(prefix) && bundlePath.indexOf('/', prefix.length) > 0) paths.add(bundlePath);
  }
  const patches = new Map<string, FilePatch[]>();
  for (const bundlePath of [...paths].sort()) {
    const before: BundleFile | undefined = existing.get(bundlePath);
    const after: BundleFile | undefined = resolved.get(bundlePath);
    const slash = bundlePath.indexOf('/', prefix.length);
    const path = bundlePath.slice(slash + 1);
    const text = filePatch(path, before, after, options);
    if (!text) continue;
    const repository = bundlePath.slice(prefix.length, slash);
    if (!patches.has(repository)) patches.set(repository, []);
    patches.get(repository)!.push({ path, patch: Buffer.from(text, 'latin1') });
  }
  return patches;
}

/**
 * One patch per repository, from the existing bundle to the resolved one: what a reviewer reads first,
 * and what `git apply` takes inside the repository (binary files, modes, links and names that need
 * quoting included), byte for byte what `git diff --binary` writes there.
 */
export function repositoryDiffs(existing: FileMap, resolved: FileMap, options: FilePatchOptions = {}): Map<string, Buffer> {
  const diffs = new Map<string, Buffer>();
  for (const [repository, patches] of repositoryPatches(existing, resolved, options)) {
    diffs.set(repository, Buffer.concat(patches.map(file => file.patch)));
  }
  return diffs;
}
