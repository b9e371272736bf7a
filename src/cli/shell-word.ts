/** A path as one shell word, quoted only when it needs it, so that a line the CLI prints can be pasted into a shell. */
export function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
