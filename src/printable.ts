/**
 * Text from blueprint code on its way to a terminal: file names it generated, errors it threw, what it printed.
 * A terminal takes control characters as commands (ESC starts most: set the title, clear the screen, write the
 * clipboard), and a blueprint, a sandboxed one too, chooses that text.
 */

/** C0 and C1 control characters and DEL. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Combining marks: what sets a decomposed (NFD) name apart from the composed (NFC) one it prints the same as. */
const COMBINING = /\p{M}/gu;

/**
 * A file path safe to print: as it is, or, when it holds a control character, as a JSON string with those
 * escaped (`"x\u001b]0;title\u0007"`), as git quotes such paths. A name not in Unicode's composed form (NFC) is
 * quoted too, its combining marks escaped (`"cafe\u0301.txt"`): it is another file than the composed name
 * (`café.txt`) on most file systems and to git, yet both print alike, so a report that one was moved from the
 * other would read as a move to itself.
 */
export function printablePath(text: string): string {
  const decomposed = text.normalize('NFC') !== text;
  if (!CONTROL.test(text) && !decomposed) return text;
  const quoted = JSON.stringify(text).replace(/[\u007f-\u009f]/g, escaped);
  return decomposed ? quoted.replace(COMBINING, escaped) : quoted;
}

/**
 * A file path as a word of a command the user is told to run (`'git add "my notes.md"'`), so that the command can be
 * copied as it is: in double quotes when it holds a blank or another character a shell would read (dollar,
 * backquote, double quote and backslash escaped); a path {@link printablePath} escapes, in the shell's `$'...'`
 * quotes with the same escapes (`$'cafe\u0301.txt'`, which bash, zsh and ksh read back as the name): in double
 * quotes `\u0301` is a backslash and five letters, and the command named no file (`git diff` showed nothing).
 */
export function commandPath(text: string): string {
  if (printablePath(text) !== text) return ansiCQuoted(text);
  if (/^[\w./@%+=:,-]+$/.test(text)) return text;
  return `"${text.replace(/["$`\\]/g, '\\$&')}"`;
}

/** `text` in `$'...'`: quotes and backslashes escaped, and what {@link printablePath} escapes as `\uXXXX` (`\UXXXXXXXX`). */
function ansiCQuoted(text: string): string {
  const decomposed = text.normalize('NFC') !== text;
  let quoted = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (char === "'" || char === '\\') quoted += `\\${char}`;
    else if (CONTROL.test(char) || (decomposed && /\p{M}/u.test(char))) {
      quoted += codePoint > 0xffff ? `\\U${codePoint.toString(16).padStart(8, '0')}` : `\\u${codePoint.toString(16).padStart(4, '0')}`;
    } else quoted += char;
  }
  return `$'${quoted}'`;
}

/**
 * Lines of text safe to print: control characters escaped (`\u001b`), but for line ends (CR too), tabs and colour
 * sequences (`ESC [ 1;31 m`), which only colour what follows and which projen and test tools print.
 */
export function printableText(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(/\u001b\[[0-9;]*m|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, match => (match.length > 1 ? match : escaped(match)));
}

/** `\uXXXX` for each UTF-16 unit of `char` (two for a mark beyond the BMP, as JSON writes it). */
function escaped(char: string): string {
  return Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}
