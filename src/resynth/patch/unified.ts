/**
 * The hunks of a unified diff, as `git diff` writes them (xdiff's `xdl_emit_diff`): git's own line diff
 * (the one the merge uses), three lines of context, changes at most six common lines apart in one hunk,
 * and after each hunk header the function context git finds with its default rule.
 */
import { diffRecords, LineChange } from '../merge/diff';
import { hasNewline, splitRecords } from '../merge/records';

const CONTEXT = 3;
/** Changes this many common lines apart or closer share a hunk (both contexts would touch). */
const MAX_COMMON = 2 * CONTEXT;
/** git keeps at most this many bytes of a function line. */
const FUNCTION_LINE_MAX = 80;
const NO_NEWLINE = '\\ No newline at end of file\n';

/**
 * The hunks turning `before` into `after`, from the first `@@` line on; empty when they are equal.
 * Both texts and the result are latin1 strings (one character per byte).
 */
export function unifiedHunks(before: string, after: string): string {
  const oldRecords = splitRecords(before);
  const newRecords = splitRecords(after);
  const changes = diffRecords(oldRecords, newRecords);
  let text = '';
  for (let first = 0; first < changes.length; ) {
    let last = first;
    while (last + 1 < changes.length && changes[last + 1].oldStart - end(changes[last]) <= MAX_COMMON) last++;
    text += hunk(oldRecords, newRecords, changes.slice(first, last + 1));
    first = last + 1;
  }
  return text;
}

function end(change: LineChange): number {
  return change.oldStart + change.oldCount;
}

function hunk(oldRecords: readonly string[], newRecords: readonly string[], changes: readonly LineChange[]): string {
  const first = changes[0];
  const last = changes[changes.length - 1];
  const oldFrom = Math.max(first.oldStart - CONTEXT, 0);
  const newFrom = Math.max(first.newStart - CONTEXT, 0);
  const trailing = Math.min(CONTEXT, oldRecords.length - end(last), newRecords.length - (last.newStart + last.newCount));
  const oldTo = end(last) + trailing;
  const newTo = last.newStart + last.newCount + trailing;

  const functionLine = functionContext(oldRecords, oldFrom - 1);
  let text = `@@ -${range(oldFrom, oldTo - oldFrom)} +${range(newFrom, newTo - newFrom)} @@${functionLine ? ` ${functionLine}` : ''}\n`;
  let oldAt = oldFrom;
  for (const change of changes) {
    for (; oldAt < change.oldStart; oldAt++) text += line(' ', oldRecords[oldAt]);
    for (let i = 0; i < change.oldCount; i++) text += line('-', oldRecords[change.oldStart + i]);
    for (let i = 0; i < change.newCount; i++) text += line('+', newRecords[change.newStart + i]);
    oldAt = end(change);
  }
  for (; oldAt < oldTo; oldAt++) text += line(' ', oldRecords[oldAt]);
  return text;
}

function line(sign: string, record: string): string {
  return hasNewline(record) ? sign + record : `${sign}${record}\n${NO_NEWLINE}`;
}

/** `start,count` with a 1-based start; an empty range names the line before it, a count of one is left out. */
function range(from: number, count: number): string {
  return count === 0 ? `${from},0` : count === 1 ? `${from + 1}` : `${from + 1},${count}`;
}

/**
 * git's default function line (`def_ff` in xemit.c): the nearest line of the old file at or above
 * `index` that starts with an ASCII letter, `_` or `$`, cut to 80 bytes, trailing blanks removed.
 */
export function functionContext(records: readonly string[], index: number): string {
  for (let i = index; i >= 0; i--) {
    const record = records[i];
    const c = record.charCodeAt(0);
    const starts = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
    if (starts) return record.slice(0, FUNCTION_LINE_MAX).replace(/[ \t\n\r]+$/, '');
  }
  return '';
}
