/** Line arithmetic shared by the JSON and YAML text editors. */

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the end of the line holding `offset` (past its `\n`, or the text's end). */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** The leading blanks of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/**
 * Moves a multi-line snippet from one indentation to another: every line after the first loses
 * `from` (where it has it) and gains `to`. The first line is placed by the caller.
 */
export function reindent(snippet: string, from: string, to: string): string {
  if (from === to || !snippet.includes('\n')) return snippet;
  return snippet.split('\n').map((line, i) => {
    if (i === 0 || line.trim() === '') return line;
    return to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart());
  }).join('\n');
}

/**
 * Whether two comments that end a value's line (each with the blanks before it, `''` for none) say the same:
 * the blanks are a formatter's (yamllint's two before `#`, prettier's one before `//`), no change of the comment.
 */
export function sameComment(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim() === b.trim();
}

/** Whether two runs of comment lines say the same, whatever their indentation and line ends (both empty: no). */
export function sameCommentLines(a: string, b: string): boolean {
  const lines = (text: string) => text.split(/\r?\n/).map(line => line.trim()).filter(line => line !== '');
  const [x, y] = [lines(a), lines(b)];
  return x.length > 0 && x.length === y.length && x.every((line, i) => line === y[i]);
}

/** The comment `taken` (with the blanks before it) spaced as the `existing` side spaces its own; as it is where either is none. */
export function spacedAs(taken: string, existing: string): string {
  return existing === '' || taken === '' ? taken : /^[ \t]*/.exec(existing)![0] + taken.trimStart();
}

/** The line terminator a text uses (CRLF if any line has one), for text the editors add. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** A structured edit the text editor cannot make faithfully; the merge then keeps git's result. */
export class UnsupportedEdit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedEdit';
  }
}
