/**
 * Where a new JSON member or element goes when the line it would follow ends in a comment.
 * jsonc-parser inserts right after the previous sibling's value, so the rest of that line (its comma
 * and its `// comment`) ends up after the new value: the comment moves to a line it was not written
 * about. Here the new value goes on a line of its own after the comment instead.
 */
import { Node } from 'jsonc-parser';
import { eolOf, indentAt, lineStart } from './text-lines';

/** Blanks and one-line block comments. */
const TRIVIA = String.raw`(?:[ \t]|/\*(?:(?!\*/)[^\r\n])*\*/)*`;
/** The rest of a sibling's line: trivia, its comma if any, trivia, a line comment if any, then the line break. */
const SIBLING_TAIL = new RegExp(String.raw`^(${TRIVIA})(,?)(${TRIVIA}(?://[^\r\n]*)?)(?=\r?\n)`);
/** The rest of an opening bracket's line. */
const BRACKET_TAIL = new RegExp(String.raw`^${TRIVIA}(?://[^\r\n]*)?(?=\r?\n)`);

/**
 * `text` with `member` (a member's `"key": value` or an element's text) inserted as child `index` of
 * `parent`, on its own line, when the line it follows (the previous sibling's, or the opening bracket's
 * for the first) ends in a comment; undefined when it does not, and jsonc-parser's placement is right.
 */
export function insertBesideComment(text: string, parent: Node, index: number, member: string): string | undefined {
  const children = parent.children ?? [];
  const eol = eolOf(text);
  if (index > 0) {
    if (children.length === 0) return undefined;
    const previous = children[Math.min(index, children.length) - 1];
    if (!startsLine(text, previous.offset)) return undefined;
    const end = previous.offset + previous.length;
    const tail = SIBLING_TAIL.exec(text.slice(end));
    if (!tail || !hasComment(tail[0])) return undefined;
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
  if (!tail || !hasComment(tail[0])) return undefined;
  const lineBreak = open + tail[0].length;
  return text.slice(0, lineBreak) + eol + indentAt(text, first.offset) + member + ',' + text.slice(lineBreak);
}

function hasComment(tail: string): boolean {
  return tail.includes('//') || tail.includes('/*');
}

/** Whether only blanks precede `offset` on its line (the new line copies that indentation). */
function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}
