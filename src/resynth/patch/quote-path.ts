/**
 * Path names in a patch, quoted the way git's `quote_c_style` does with `core.quotePath` on (its
 * default): a name holding a double quote, a backslash, a control character or any byte above 0x7f is
 * written in double quotes with C escapes, so that `git apply` reads back exactly the bytes it names.
 * Anything else is written as it is, spaces included.
 */

/** The one-letter escapes git uses; every other byte that must be quoted is written as three octal digits. */
const LETTER_ESCAPES: Record<number, string> = {
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x22: '"',
  0x5c: '\\',
};

function mustQuote(byte: number): boolean {
  return byte < 0x20 || byte === 0x22 || byte === 0x5c || byte >= 0x7f;
}

/**
 * `prefix` + `name` (`a/` + a repository path), quoted as a whole when the name needs it. The result is
 * a latin1 string: one character per byte of the UTF-8 name, as the patch is written.
 */
export function quotePatchPath(prefix: string, name: string): string {
  const bytes = Buffer.from(prefix + name, 'utf8');
  if (!bytes.some(mustQuote)) return bytes.toString('latin1');
  let quoted = '"';
  for (const byte of bytes) {
    if (!mustQuote(byte)) quoted += String.fromCharCode(byte);
    else if (LETTER_ESCAPES[byte]) quoted += `\\${LETTER_ESCAPES[byte]}`;
    else quoted += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${quoted}"`;
}
