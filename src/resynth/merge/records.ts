/**
 * Line records as xdiff sees them.
 *
 * A record is one line with its `\n` terminator (a CR before it is part of the line);
 * only a file's last line may lack the terminator. Two records are equal only when their
 * bytes are equal, so `a\n`, `a\r\n` and a final `a` are three different lines — which
 * is how git tells "added a final newline" or "converted to CRLF" apart from "unchanged".
 *
 * Records are latin1 strings so that every byte round-trips through a JS string.
 */

/** Splits latin1 text into records, each keeping its terminator. */
export function splitRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    records.push(text.slice(start, end));
    start = end;
  }
  return records;
}

/** Whether a record ends with its `\n` terminator (false only for a file's unterminated last line). */
export function hasNewline(record: string): boolean {
  return record.length > 0 && record.charCodeAt(record.length - 1) === 0x0a;
}

/** A record's text without its `\n` or `\r\n` terminator. */
export function stripTerminator(record: string): string {
  if (!hasNewline(record)) return record;
  const crlf = record.length > 1 && record.charCodeAt(record.length - 2) === 0x0d;
  return record.slice(0, record.length - (crlf ? 2 : 1));
}

/** Whether a record contains an ASCII letter or digit (git's `isalnum`, which ignores the locale). */
export function hasAlnum(record: string): boolean {
  for (let i = 0; i < record.length; i++) {
    const c = record.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  }
  return false;
}
