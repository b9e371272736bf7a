/**
 * A pull request's body cut to the `maxLength` characters its forge takes (see `Forge.maxBodyLength`): whole lines
 * are kept from the top while they fit, and one closing line says how many lines and characters were left out and
 * `whereWhole` (a sentence: where a reviewer finds what was cut). A body that fits, or no limit, is kept as it is.
 *
 * Cut because a forge refuses a body over its limit outright (GitHub: 422 "body is too long"): an update that
 * conflicts in a few thousand files listed every one of them and got no pull request at all. The lines at the
 * top (the blueprint's description, the counts, the first conflicts) are the ones a reviewer reads first.
 */
export function fitPullRequestBody(body: string, maxLength: number | undefined, whereWhole: string): string {
  if (maxLength === undefined || body.length <= maxLength) return body;
  const lines = body.split('\n');
  const closing = (left: number, chars: number) => `\n\n_${left} more ${left === 1 ? 'line' : 'lines'} (${chars} characters) left out: the forge takes at most ${maxLength} characters. ${whereWhole}_`;
  // The closing line is made for the most lines and characters that could be left out, so what is kept fits with the real one.
  const room = maxLength - closing(lines.length, body.length).length;
  let kept = 0;
  let length = 0;
  while (kept < lines.length && length + lines[kept].length + (kept > 0 ? 1 : 0) <= room) {
    length += lines[kept].length + (kept > 0 ? 1 : 0);
    kept++;
  }
  // A table or list cut in the middle ends where it was cut; blank lines before the closing line are dropped.
  while (kept > 0 && lines[kept - 1].trim() === '') kept--;
  const top = lines.slice(0, kept).join('\n');
  const fitted = `${top}${closing(lines.length - kept, body.length - top.length)}`;
  // Only a limit shorter than the closing line itself leaves that line cut too.
  return fitted.length <= maxLength ? fitted.replace(/^\n\n/, '') : fitted.slice(0, maxLength);
}
