/**
 * Merging the three versions of an `.ownership-file` entry by entry, so that no side's entries are lost.
 *
 * An ownership file is a list of sections (`[strategy_id] owner` and the lines under it). When the project
 * and the blueprint both append an entry, the line merge sees two insertions at the same place and
 * conflicts, and a fallback that prefers one side would drop the other side's entry: the files that entry
 * protected then lose their protection at the next update, without a word. Merging by entry, as mergiraf
 * merges by syntax where lines conflict, keeps both.
 */
import { mergeText } from '../merge';
import { splitRecords } from '../merge/records';
import { ownershipHeaderOf } from './ownership-file';

/** What {@link mergeOwnershipEntries} gives. */
export interface OwnershipEntriesMerge {
  /** The merged file. */
  readonly buffer: Buffer;
  /** Whether the line merge conflicted, so that the file was merged entry by entry. */
  readonly byEntry: boolean;
  /**
   * Conflict hunks inside one entry (or before the first), written with both sides' lines, the existing
   * side's first: the lines of an entry both sides changed, or of an entry both added.
   */
  readonly bothKept: number;
  /** What was decided that a person should hear of: an entry one side removed while the other changed it. */
  readonly notes: string[];
}

/**
 * Merges three versions of an ownership file (absent: empty). Where the line merge is clean its result
 * stands, byte for byte `git merge-file`'s. Where it conflicts, the file is cut into entries, each from its
 * header to the next header (the lines before the first header are one more part), and entries are
 * matched by header (`[id] owner`, the n-th of a repeated one with the n-th):
 *
 * - an entry on both sides is merged line by line; a conflict inside it keeps both sides' lines, the
 *   existing side's first (git's `merge=union`): both sides' globs apply;
 * - an entry only one side added is kept; the existing side's stay in their order, and the proposed side's
 *   go after the entry they follow in the proposed file (so the project's later entries, which beat
 *   earlier ones, still come later);
 * - an entry one side removed is removed when the other left it as the ancestor had it. When the other
 *   side changed it, the project's side stands (the project's version is kept, or stays removed), and a
 *   note says so: an entry re-imposed on the project could hand its files to a strategy it removed.
 *
 * The result never has conflict markers: an ownership file with markers could not be read by the next update.
 */
export function mergeOwnershipEntries(ancestor: Buffer, existing: Buffer, proposed: Buffer): OwnershipEntriesMerge {
  const lineMerge = mergeText(ancestor, existing, proposed);
  if (lineMerge.conflicts.length === 0) return { buffer: lineMerge.buffer, byEntry: false, bothKept: 0, notes: [] };

  const [a, e, p] = [ancestor, existing, proposed].map(splitEntries);
  const notes: string[] = [];
  let bothKept = 0;
  const mergeParts = (base: Part | undefined, ours: Part, theirs: Part): Part => {
    // The header is the key: written as the existing side has it, so that blanks alone never make two.
    const text = (part: Part | undefined) => joined(part ? part.lines.map(line => (line === part.header ? ours.header! : line)) : []);
    const merged = mergeText(text(base), text(ours), text(theirs), { favor: 'union' });
    bothKept += merged.favored.length;
    return { ...ours, lines: splitRecords(merged.buffer.toString('latin1')) };
  };

  const preamble = mergeParts(a.preamble, e.preamble, p.preamble);
  // The existing side's entries, in its order.
  const result: Placed[] = [];
  for (const ours of e.entries) {
    const base = a.byKey.get(ours.key);
    const theirs = p.byKey.get(ours.key);
    if (theirs) result.push({ part: mergeParts(base, ours, theirs), from: 'existing' });
    else if (!base) result.push({ part: ours, from: 'existing' });
    else if (!samePart(base, ours)) {
      result.push({ part: ours, from: 'existing' });
      notes.push(`the blueprint removed the entry '${ours.key}', which the project changed: the project's entry is kept`);
    }
  }
  // The entries the proposed side added, each after the entry it follows there.
  p.entries.forEach((theirs, index) => {
    if (e.byKey.has(theirs.key)) return;
    const base = a.byKey.get(theirs.key);
    if (base) {
      if (!samePart(base, theirs)) notes.push(`the project removed the entry '${theirs.key}', which the blueprint changed: it stays removed`);
      return;
    }
    result.splice(insertionPoint(result, p.entries, index), 0, { part: theirs, from: 'proposed' });
  });

  return { buffer: render(preamble, result, { existing: e, proposed: p }), byEntry: true, bothKept, notes };
}

/**
 * One entry of an ownership file, or the lines before the first. Records are latin1, with their terminators.
 * An entry runs from the comment lines right above its header (they are about it) to the next entry; the
 * blank lines at its end are the gap before the next one, kept apart so that an entry merged away from
 * its neighbour does not carry its blank line into its body.
 */
interface Part {
  /** `[id] owner`, with `#n` for the n-th repeat of a header in one file; `''` for the lines before the first entry. */
  readonly key: string;
  /** The header line; none before the first entry. */
  readonly header?: string;
  /** The entry's lines (comments above the header, the header, the lines under it), without the gap. */
  readonly lines: string[];
  /** The blank lines after it. */
  readonly gap: string[];
}

interface SplitFile {
  readonly preamble: Part;
  readonly entries: Part[];
  readonly byKey: Map<string, Part>;
  /** The file's line break: CRLF when its lines end so. */
  readonly eol: string;
}

/** An entry of the result, with the side whose order placed it. */
interface Placed {
  readonly part: Part;
  readonly from: 'existing' | 'proposed';
}

function splitEntries(buffer: Buffer): SplitFile {
  const records = splitRecords(buffer.toString('latin1'));
  const headers: { at: number; key: string }[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, at) => {
    // Headers are read as the parser reads them (UTF-8); the records stay bytes, so that they are written back as they were.
    const header = ownershipHeaderOf(Buffer.from(record, 'latin1').toString('utf8').trim());
    if (!header) return;
    const name = `[${header.identifier}] ${header.owner}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    headers.push({ at, key: n === 1 ? name : `${name} #${n}` });
  });
  // Each entry starts at the comments right above its header (no blank line between), after the previous header.
  const starts = headers.map(({ at }, i) => {
    let start = at;
    const floor = i > 0 ? headers[i - 1].at + 1 : 0;
    while (start > floor && isComment(records[start - 1])) start--;
    return start;
  });
  const part = (key: string, from: number, to: number, header: string): Part => {
    let end = to;
    while (end > from && isBlank(records[end - 1])) end--;
    return { key, header, lines: records.slice(from, end), gap: records.slice(end, to) };
  };
  const entries = headers.map(({ at, key }, i) => part(key, starts[i], i + 1 < headers.length ? starts[i + 1] : records.length, records[at]));
  const first = starts.length ? starts[0] : records.length;
  return {
    // The lines before the first entry keep their blank lines: nothing is ever placed between them and it.
    preamble: { key: '', lines: records.slice(0, first), gap: [] },
    entries,
    byKey: new Map(entries.map(entry => [entry.key, entry])),
    eol: records.some(record => record.endsWith('\r\n')) ? '\r\n' : '\n',
  };
}

/**
 * Where a proposed entry goes: after the nearest entry before it in the proposed file that the result has,
 * else before the nearest one after it, else at the end.
 */
function insertionPoint(result: readonly Placed[], proposed: readonly Part[], index: number): number {
  const at = (key: string) => result.findIndex(placed => placed.part.key === key);
  for (let i = index - 1; i >= 0; i--) {
    const found = at(proposed[i].key);
    if (found >= 0) return found + 1;
  }
  for (let i = index + 1; i < proposed.length; i++) {
    const found = at(proposed[i].key);
    if (found >= 0) return found;
  }
  return result.length;
}

/**
 * Writes the parts in order, each entry followed by its gap. An entry that ended its own side's file has
 * none: where another follows it, it gets one blank line, as the serializer separates entries. Each part
 * but the last ends with a line break.
 */
function render(preamble: Part, result: readonly Placed[], sides: { existing: SplitFile; proposed: SplitFile }): Buffer {
  const eol = sides.existing.entries.length || sides.existing.preamble.lines.length ? sides.existing.eol : sides.proposed.eol;
  const out: string[] = [...preamble.lines];
  const terminate = () => {
    const last = out.length - 1;
    if (last >= 0 && !out[last].endsWith('\n')) out[last] += eol;
  };
  result.forEach(({ part }, i) => {
    if (i > 0) {
      const previous = result[i - 1].part;
      terminate();
      out.push(...(previous.gap.length ? previous.gap : [eol]));
    }
    terminate();
    out.push(...part.lines);
  });
  // The file's own trailing blank lines, when its last entry is still last.
  const last = result[result.length - 1];
  const ownEntries = last ? sides[last.from].entries : [];
  if (last && ownEntries[ownEntries.length - 1]?.key === last.part.key) out.push(...last.part.gap);
  return Buffer.from(out.join(''), 'latin1');
}

function samePart(a: Part, b: Part): boolean {
  return joined(a.lines).equals(joined(b.lines));
}

function joined(records: readonly string[]): Buffer {
  return Buffer.from(records.join(''), 'latin1');
}

function isBlank(record: string): boolean {
  return record.trim() === '';
}

function isComment(record: string): boolean {
  return record.trimStart().startsWith('#');
}
