/** git looks this far into a buffer for a NUL byte (`FIRST_FEW_BYTES` in git's xdiff-interface). */
const BINARY_SNIFF_LENGTH = 8000;

/**
 * git's rule for "binary" content, which `git merge-file` refuses to merge:
 * a NUL byte within the first 8000 bytes.
 */
export function isBinary(buffer: Buffer): boolean {
  const end = Math.min(buffer.length, BINARY_SNIFF_LENGTH);
  return buffer.subarray(0, end).includes(0);
}
