/**
 * Writing the merge result, as git's `xdl_fill_merge_buffer` does: regions outside hunks
 * come from the existing side, resolved hunks from the side they resolved to, and
 * conflicts between markers.
 */
import { MergeHunk } from './hunks';
import { hasNewline, stripTerminator } from './records';
import { ConflictStyle, FavoredHunk, MergeConflict, MergeFavor } from './types';

/** End-of-line style of a file around a line, as far as it can be told. */
type EolStyle = 'crlf' | 'lf' | 'unknown';

function endsWithCrlf(record: string): boolean {
  return record.length > 1 && record.charCodeAt(record.length - 2) === 0x0d;
}

/**
 * Rule: the style of line `i` is its own terminator's; for an unterminated last line it
 * is the previous line's; a file with no lines, or a single unterminated line, has none.
 */
function eolStyleAt(records: readonly string[], i: number): EolStyle {
  const n = records.length;
  if (n === 0) return 'unknown';
  if (i < n - 1 || hasNewline(records[i])) return endsWithCrlf(records[i]) ? 'crlf' : 'lf';
  if (i === 0) return 'unknown';
  return endsWithCrlf(records[i - 1]) ? 'crlf' : 'lf';
}

/**
 * Rule (git's `is_cr_needed`): markers, and newlines added inside a conflict, use CRLF
 * only if neither the existing side (at the line before the hunk, or its first line), nor
 * the proposed side (likewise), nor the ancestor's first line says LF, and the last of
 * those consulted is known to be CRLF. So an empty ancestor means LF markers.
 */
function needsCr(ancestor: readonly string[], existing: readonly string[], proposed: readonly string[], hunk: MergeHunk): boolean {
  let style = eolStyleAt(existing, hunk.existingStart ? hunk.existingStart - 1 : 0);
  if (style !== 'lf') style = eolStyleAt(proposed, hunk.proposedStart ? hunk.proposedStart - 1 : 0);
  if (style !== 'lf') style = eolStyleAt(ancestor, 0);
  return style === 'crlf';
}

/** Accumulates output chunks and counts the lines written so far. */
class ResultWriter {
  private readonly chunks: string[] = [];
  private newlines = 0;

  /** 1-based number of the line the next byte will be on. */
  get currentLine(): number {
    return this.newlines + 1;
  }

  /** Writes records verbatim; with `terminate`, a missing final newline is added. */
  records(records: readonly string[], start: number, count: number, terminate?: { cr: boolean }): void {
    if (count < 1) return;
    for (let i = start; i < start + count; i++) {
      this.chunks.push(records[i]);
      if (hasNewline(records[i])) this.newlines++;
    }
    if (terminate && !hasNewline(records[start + count - 1])) this.text(terminate.cr ? '\r\n' : '\n');
  }

  /** Writes a marker line such as `<<<<<<< existing`. */
  marker(char: string, size: number, label: string | undefined, cr: boolean): void {
    this.text(char.repeat(size) + (label === undefined ? '' : ` ${label}`) + (cr ? '\r\n' : '\n'));
  }

  toBuffer(): Buffer {
    return Buffer.from(this.chunks.join(''), 'latin1');
  }

  private text(s: string): void {
    this.chunks.push(s);
    this.newlines++;
  }
}

/** Everything the formatter needs. */
export interface FormatInputs {
  /** The ancestor's records. */
  readonly ancestor: readonly string[];
  /** The existing side's records. */
  readonly existing: readonly string[];
  /** The proposed side's records. */
  readonly proposed: readonly string[];
  /** The merge hunks, in order. */
  readonly hunks: readonly MergeHunk[];
  /** Whether conflicts show the ancestor. */
  readonly style: ConflictStyle;
  /** Resolve conflicts to this side (or both) instead of writing markers. */
  readonly favor?: MergeFavor;
  /** Marker labels. */
  readonly labels: { readonly existing: string; readonly ancestor: string; readonly proposed: string };
  /** Length of the marker runs (already defaulted). */
  readonly markerSize: number;
}

/** What the formatter produced. */
export interface FormattedMerge {
  /** The merged bytes. */
  readonly buffer: Buffer;
  /** Conflicts written with markers. */
  readonly conflicts: MergeConflict[];
  /** Conflicts resolved by `favor`. */
  readonly favored: FavoredHunk[];
}

function lines(records: readonly string[], start: number, count: number): string[] {
  return records.slice(start, start + count).map(stripTerminator);
}

/** Writes the merge result and reports the conflicts (or favored hunks) it wrote. */
export function formatMerge(inputs: FormatInputs): FormattedMerge {
  const { ancestor, existing, proposed, labels, markerSize } = inputs;
  const out = new ResultWriter();
  const conflicts: MergeConflict[] = [];
  const favored: FavoredHunk[] = [];
  let next = 0;
  for (const hunk of inputs.hunks) {
    if (hunk.kind === 'identical') continue;
    out.records(existing, next, hunk.existingStart - next);
    next = hunk.existingStart + hunk.existingCount;
    const resultLine = out.currentLine;
    if (hunk.kind === 'conflict' && inputs.favor === undefined) {
      const cr = needsCr(ancestor, existing, proposed, hunk);
      out.marker('<', markerSize, labels.existing, cr);
      out.records(existing, hunk.existingStart, hunk.existingCount, { cr });
      if (inputs.style !== 'merge') {
        out.marker('|', markerSize, labels.ancestor, cr);
        out.records(ancestor, hunk.ancestorStart, hunk.ancestorCount, { cr });
      }
      out.marker('=', markerSize, undefined, cr);
      out.records(proposed, hunk.proposedStart, hunk.proposedCount, { cr });
      out.marker('>', markerSize, labels.proposed, cr);
      conflicts.push({
        existing: lines(existing, hunk.existingStart, hunk.existingCount),
        ancestor: lines(ancestor, hunk.ancestorStart, hunk.ancestorCount),
        proposed: lines(proposed, hunk.proposedStart, hunk.proposedCount),
        resultLine,
      });
      continue;
    }
    const take: MergeFavor = hunk.kind === 'conflict' ? inputs.favor! : hunk.kind;
    if (take === 'union') {
      // git's union writes the existing side's lines ending in a newline (as inside markers), so that the
      // proposed side's first line does not run on from its last; the proposed side's go as they are.
      out.records(existing, hunk.existingStart, hunk.existingCount, { cr: needsCr(ancestor, existing, proposed, hunk) });
      out.records(proposed, hunk.proposedStart, hunk.proposedCount);
    } else if (take === 'existing') {
      out.records(existing, hunk.existingStart, hunk.existingCount);
    } else {
      out.records(proposed, hunk.proposedStart, hunk.proposedCount);
    }
    if (hunk.kind === 'conflict') {
      favored.push({
        kept: take,
        dropped: take === 'union' ? []
          : take === 'existing' ? lines(proposed, hunk.proposedStart, hunk.proposedCount)
            : lines(existing, hunk.existingStart, hunk.existingCount),
        resultLine,
      });
    }
  }
  out.records(existing, next, existing.length - next);
  return { buffer: out.toBuffer(), conflicts, favored };
}
