/**
 * Text from blueprint code on its way to a terminal: file names it generated, errors it threw, what it printed.
 * A terminal takes control characters as commands (ESC starts most: set the title, clear the screen, write the
 * clipboard), and a blueprint, a sandboxed one too, chooses that text.
 */

/** C0 and C1 control characters and DEL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A file path safe to print: as it is, or, when it holds a control character, as a JSON string with those
 * escaped (`"x\u001b]0;title\u0007"`), as git quotes such paths.
 */
export function printablePath(text: string): string {
  if (!CONTROL.test(text)) return text;
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, escaped);
}

/**
 * Lines of text safe to print: control characters escaped (`\u001b`), but for line ends (CR too), tabs and colour
 * sequences (`ESC [ 1;31 m`), which only colour what follows and which projen and test tools print.
 */
export function printableText(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(/\u001b\[[0-9;]*m|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, match => (match.length > 1 ? match : escaped(match)));
}

function escaped(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
