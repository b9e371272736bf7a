/** A path as one shell word, quoted only when it needs it, so that a line the CLI prints can be pasted into a shell. */
export function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** C0 and C1 control characters and DEL: what a terminal may take as a command (ESC starts most of them). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A file path a blueprint named, safe to print on a terminal: as it is, or, when it holds a control character,
 * as a JSON string with those escaped (`"x\u001b]0;title\u0007"`), as git quotes such paths. A name is the
 * blueprint's to choose, a sandboxed one's too, and one holding ESC would otherwise set the terminal's title,
 * clear it or write its clipboard when the CLI lists it.
 */
export function printablePath(text: string): string {
  if (!CONTROL.test(text)) return text;
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
