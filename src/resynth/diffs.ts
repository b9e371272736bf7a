import { structuredPatch } from 'diff';
import { BundleLayout } from '../bundle/layout';
import { BundleFile, FileMap, gitMode, sameFile } from '../bundle/file-map';
import { isBinary } from './merge';

/**
 * One unified diff per repository, from the existing bundle to the resolved one: what a reviewer reads
 * first. The format is git's (`diff --git` headers, mode lines, `/dev/null` for added and deleted files,
 * "Binary files differ"), so `git apply` takes it inside the repository. Repositories without changes
 * get no diff. Pure: file maps in, text out.
 */
export function repositoryDiffs(existing: FileMap, resolved: FileMap): Map<string, string> {
  const prefix = `${BundleLayout.SOURCE}/`;
  const paths = new Set<string>();
  for (const map of [existing, resolved]) {
    for (const bundlePath of map.keys()) if (bundlePath.startsWith(prefix) && bundlePath.indexOf('/', prefix.length) > 0) paths.add(bundlePath);
  }
  const diffs = new Map<string, string[]>();
  for (const bundlePath of [...paths].sort()) {
    const before = existing.get(bundlePath);
    const after = resolved.get(bundlePath);
    if (before && after && sameFile(before, after)) continue;
    const slash = bundlePath.indexOf('/', prefix.length);
    const repository = bundlePath.slice(prefix.length, slash);
    const text = fileDiff(bundlePath.slice(slash + 1), before, after);
    if (!diffs.has(repository)) diffs.set(repository, []);
    diffs.get(repository)!.push(text);
  }
  return new Map([...diffs].map(([repository, parts]) => [repository, parts.join('')]));
}

function fileDiff(path: string, before: BundleFile | undefined, after: BundleFile | undefined): string {
  const lines = [`diff --git a/${path} b/${path}`];
  const beforeMode = modeOf(before);
  const afterMode = modeOf(after);
  if (!before) lines.push(`new file mode ${afterMode}`);
  else if (!after) lines.push(`deleted file mode ${beforeMode}`);
  else if (beforeMode !== afterMode) lines.push(`old mode ${beforeMode}`, `new mode ${afterMode}`);
  const oldName = before ? `a/${path}` : '/dev/null';
  const newName = after ? `b/${path}` : '/dev/null';
  const oldBuffer = before?.buffer ?? Buffer.alloc(0);
  const newBuffer = after?.buffer ?? Buffer.alloc(0);
  if (oldBuffer.equals(newBuffer)) return lines.join('\n') + '\n'; // a mode change only
  if (isBinary(oldBuffer) || isBinary(newBuffer)) {
    lines.push(`Binary files ${oldName} and ${newName} differ`);
    return lines.join('\n') + '\n';
  }
  lines.push(`--- ${oldName}`, `+++ ${newName}`);
  const patch = structuredPatch(oldName, newName, oldBuffer.toString('utf8'), newBuffer.toString('utf8'), '', '', { context: 3 });
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return lines.join('\n') + '\n';
}

/** An empty side names the line before it (`-0,0` for an empty file); a count of one is left out, as git does. */
function range(start: number, count: number): string {
  return count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`;
}

function modeOf(file: BundleFile | undefined): string {
  return gitMode(file ?? { buffer: Buffer.alloc(0) }).toString(8);
}
