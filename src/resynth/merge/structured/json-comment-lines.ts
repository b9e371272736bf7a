/**
 * Comments beside JSON members and elements, which are about the line they end or the member they precede.
 * A new member or element goes on a line of its own after the line it follows, as the text writes it:
 * jsonc-parser inserts right after the previous sibling's value, so the rest of that line (its comma and a
 * `// comment`) would end up after the new value, the comment on a line it was not written about; and it
 * lays out that whole line anew, so a one-line value there (`"max-params": [0, 3]`) came out on four lines
 * though no side had changed it. And what a removed member takes along: its own lines, and the comment lines
 * right above it, but not the comment at the end of the line before.
 */
import { Node } from 'jsonc-parser';
import { eolOf, indentAt, lineEnd, lineStart } from './text-lines';

/** Blanks and one-line block comments. */
const TRIVIA = String.raw`(?:[ \t]|/\*(?:(?!\*/)[^\r\n])*\*/)*`;
/** The rest of a sibling's line: trivia, its comma if any, trivia, a line comment if any, then the line break. */
const SIBLING_TAIL = new RegExp(String.raw`^(${TRIVIA})(,?)(${TRIVIA}(?://[^\r\n]*)?)(?=\r?\n)`);
/** The rest of an opening bracket's line. */
const BRACKET_TAIL = new RegExp(String.raw`^${TRIVIA}(?://[^\r\n]*)?(?=\r?\n)`);

/**
 * `text` with `member` (a member's `"key": value` or an element's text) inserted as child `index` of
 * `parent`, on a line of its own after the line it follows (the previous sibling's, or the opening
 * bracket's for the first), which keeps its text, comment and all; undefined when that line holds more
 * than the sibling (or the bracket), its comma and a comment, and jsonc-parser places it.
 */
export function insertOnOwnLine(text: string, parent: Node, index: number, member: string): string | undefined {
  const children = parent.children ?? [];
  const eol = eolOf(text);
  if (index > 0) {
    if (children.length === 0) return undefined;
    const previous = children[Math.min(index, children.length) - 1];
    if (!startsLine(text, previous.offset)) return undefined;
    const end = previous.offset + previous.length;
    const tail = SIBLING_TAIL.exec(text.slice(end));
    if (!tail) return undefined;
    const hasComma = tail[2] === ',';
    const lineBreak = end + tail[0].length;
    // With a comma, the previous sibling had one after it, or the file puts one after every last member: the new one takes one too.
    const line = eol + indentAt(text, previous.offset) + member + (hasComma ? ',' : '');
    return text.slice(0, end) + (hasComma ? '' : ',') + text.slice(end, lineBreak) + line + text.slice(lineBreak);
  }
  const first = children[0];
  if (!first || !startsLine(text, first.offset)) return undefined;
  const open = parent.offset + 1;
  const tail = BRACKET_TAIL.exec(text.slice(open));
  if (!tail) return undefined;
  const lineBreak = open + tail[0].length;
  return text.slice(0, lineBreak) + eol + indentAt(text, first.offset) + member + ',' + text.slice(lineBreak);
}

/** Whether only blanks precede `offset` on its line (the new line copies that indentation). */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** A whole comment line: a line comment, or a line of a block comment (its opening, a line starting with `*`, its end). */
const COMMENT_LINE = /^[ \t]*(?:\/\/|\/\*|\*)/;

/**
 * Where the block comment that ends the line from `from` to `to` begins, when it began on a line of its own
 * at or after `floor` (its middle and last lines need not start with an asterisk, as in a comment opened on
 * `b is` and closed after `legacy` on the next line): the start of that line; undefined when the line does
 * not end a block comment. Between `floor` and a member only blanks, commas and comments are written, so no
 * string can hold the comment marks found.
 */
function blockCommentEndingOn(text: string, from: number, to: number, floor: number): number | undefined {
  const line = text.slice(from, to).trimEnd();
  if (!line.endsWith('*/')) return undefined;
  const close = from + line.length - 2;
  // The comment begins at the first `/*` after the comment closed before it (a `/*` inside a comment opens nothing).
  const closedBefore = text.lastIndexOf('*/', close - 1);
  const open = text.indexOf('/*', Math.max(floor, closedBefore < 0 ? floor : closedBefore + 2));
  if (open < 0 || open >= close || !startsLine(text, open)) return undefined;
  return lineStart(text, open);
}

/**
 * Where the whole comment lines right above child `index` of `parent` (which begins its line) begin: they are
 * about it. The start of its own line when there are none.
 */
export function commentLinesAbove(text: string, parent: Node, index: number): number {
  const children = parent.children ?? [];
  const node = children[index];
  const previous = index > 0 ? children[index - 1] : undefined;
  // Not past the sibling before (it may share the line where this one's comments would begin).
  const floor = previous ? lineEnd(text, previous.offset + previous.length) : parent.offset + 1;
  let start = lineStart(text, node.offset);
  while (start > floor) {
    const above = lineStart(text, start - 1);
    if (above < floor) break;
    // A line that ends a block comment first: its last line (`*/`) reads as a comment line too, and the lines
    // above it inside the comment (not starting with an asterisk) would not.
    const opening = blockCommentEndingOn(text, above, start, floor);
    if (opening !== undefined) {
      start = opening;
      continue;
    }
    if (!COMMENT_LINE.test(text.slice(above, start))) break;
    start = above;
  }
  return start;
}

/**
 * Where the blocks of whole comment lines set apart by blank lines above child `index` of `parent` (and above
 * the comment lines right above it, which begin at `start`) begin, up to the sibling before: notes about none of
 * the members (a commented-out option between two members). `start` when there are none.
 */
export function commentBlocksAbove(text: string, parent: Node, index: number, start: number): number {
  const children = parent.children ?? [];
  const previous = index > 0 ? children[index - 1] : undefined;
  const floor = previous ? lineEnd(text, previous.offset + previous.length) : parent.offset + 1;
  let at = start;
  let widened = start;
  while (at > floor) {
    const above = lineStart(text, at - 1);
    if (above < floor) break;
    const line = text.slice(above, at);
    if (line.trim() !== '') {
      if (!COMMENT_LINE.test(line)) break;
      widened = above;
    }
    at = above;
  }
  return widened;
}

/**
 * `text` without child `index` of `parent` (a member, or an element), when it has lines of its own (it
 * begins its line and its line ends after it, its comma and a comment): those lines go, with the comment
 * lines right above it (they are about it; unless `keepComments`: a heading of what follows), and the comma of
 * the sibling before when it was the last and had none itself. Undefined when it shares a line with a sibling (a one-line object): the caller removes
 * it within the line.
 */
export function deleteOwnLines(text: string, parent: Node, index: number, keepComments = false): string | undefined {
  const children = parent.children ?? [];
  const node = children[index];
  if (!node || !startsLine(text, node.offset)) return undefined;
  const end = node.offset + node.length;
  const tail = SIBLING_TAIL.exec(text.slice(end));
  if (!tail) return undefined;
  const previous = index > 0 ? children[index - 1] : undefined;
  const start = keepComments ? lineStart(text, node.offset) : commentLinesAbove(text, parent, index);
  let edited = text.slice(0, start) + text.slice(lineEnd(text, end + tail[0].length));
  if (previous && index === children.length - 1 && tail[2] !== ',') {
    // The sibling before is the last one now: its comma goes (a comment after it stays on its line).
    const previousEnd = previous.offset + previous.length;
    const previousTail = SIBLING_TAIL.exec(edited.slice(previousEnd));
    if (previousTail?.[2] === ',') {
      const comma = previousEnd + previousTail[1].length;
      edited = edited.slice(0, comma) + edited.slice(comma + 1);
    }
  }
  return edited;
}
