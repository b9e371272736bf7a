import * as zlib from 'zlib';

/**
 * git's binary patch (`GIT binary patch`, as `git diff --binary` writes it): a forward hunk that turns
 * the old bytes into the new and a reverse hunk that turns them back, each the zlib-deflated content in
 * git's base85, 52 bytes to a line. Only `literal` hunks are written: git also writes `delta` hunks when
 * they are smaller, but `git apply` takes either, and a literal needs no base to be right.
 */

/** git's base85 alphabet (`base85.c`), not Ascii85's. */
const BASE85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
const BYTES_PER_LINE = 52;

/** The body after the `index` line: the marker, the forward hunk and the reverse hunk. */
export function binaryPatch(before: Buffer, after: Buffer): string {
  return `GIT binary patch\n${literalHunk(after)}${literalHunk(before)}`;
}

function literalHunk(content: Buffer): string {
  // git deflates at its default `core.compression`, zlib's best speed.
  const deflated = zlib.deflateSync(content, { level: zlib.constants.Z_BEST_SPEED });
  let text = `literal ${content.length}\n`;
  for (let offset = 0; offset < deflated.length; offset += BYTES_PER_LINE) {
    const chunk = deflated.subarray(offset, offset + BYTES_PER_LINE);
    // The line's length in one letter: A-Z for 1-26 bytes, a-z for 27-52.
    const length = chunk.length <= 26 ? String.fromCharCode(0x40 + chunk.length) : String.fromCharCode(0x60 + chunk.length - 26);
    text += `${length}${encode85(chunk)}\n`;
  }
  return `${text}\n`;
}

/** Each group of 4 bytes (the last one zero-padded) as 5 digits, most significant first. */
export function encode85(bytes: Buffer): string {
  let text = '';
  for (let offset = 0; offset < bytes.length; offset += 4) {
    let value = 0;
    for (let i = 0; i < 4; i++) value = value * 256 + (bytes[offset + i] ?? 0);
    let group = '';
    for (let i = 0; i < 5; i++) {
      group = BASE85[value % 85] + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}
