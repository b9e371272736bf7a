/**
 * The line and column (both from 1, the column counted in UTF-16 code units) of `offset` in `text`, as an
 * editor, a stack frame and a parser's error name a place.
 */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** `line L, column C` of `offset` in `text` (see {@link positionAt}), as a message names a place in a file. */
export function linePlace(text: string, offset: number): string {
  const { line, column } = positionAt(text, offset);
  return `line ${line}, column ${column}`;
}
