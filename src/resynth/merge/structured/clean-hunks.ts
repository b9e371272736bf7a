/**
 * What the line merge took cleanly survives the structured merge (issue 13: never a changed byte where git
 * was clean): the structure only decides where git conflicts. The structured merge edits git's own result
 * with every conflict taken from the existing side, so this holds by construction wherever the edits stay
 * inside the conflicting values; the check below guards it, as the re-parse guards the edited values.
 */
import { splitRecords } from '../records';

/**
 * The first of the line merge's clean hunks (each a run of latin1 records, in file order) that `result`
 * does not hold line for line, after the hunks before it; undefined when it holds them all. A hunk may sit
 * inside a conflict's markers (on the side that kept it).
 */
export function droppedCleanHunk(hunks: readonly (readonly string[])[], result: Buffer): readonly string[] | undefined {
  const lines = splitRecords(result.toString('latin1'));
  let from = 0;
  for (const hunk of hunks) {
    const at = indexOfRun(lines, hunk, from);
    if (at < 0) return hunk;
    from = at + hunk.length;
  }
  return undefined;
}

function indexOfRun(lines: readonly string[], run: readonly string[], from: number): number {
  for (let start = lines.indexOf(run[0], from); start >= 0 && start + run.length <= lines.length; start = lines.indexOf(run[0], start + 1)) {
    let k = 1;
    while (k < run.length && lines[start + k] === run[k]) k++;
    if (k === run.length) return start;
  }
  return -1;
}
