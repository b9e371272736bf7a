/**
 * Reading conflict markers back out of a file: the lines `format.ts` (and git) write around a conflict.
 */

/** git's default conflict marker length: the runs of `<`, `|`, `=` and `>` are this long. */
export const DEFAULT_MARKER_SIZE = 7;

/**
 * The 1-based lines of the opening markers of every complete conflict in `buffer`: a line of `markerSize` `<`,
 * then later one of `=`, then later one of `>`, each run followed by whitespace or the line's end, as git tells a
 * marker line (a longer run is not one). A lone `=======`, such as a Markdown underline, or a fenced example that
 * shows only one marker, is no conflict: all three are needed, in that order. An opening marker met before the
 * conflict it would close restarts the search there, so a conflict nested in another still counts once.
 */
export function conflictOpenings(buffer: Buffer, markerSize: number = DEFAULT_MARKER_SIZE): number[] {
  const openings: number[] = [];
  // What the scan waits for next: an opening, the separator of the conflict opened at `opened`, or its closing.
  let awaiting: '<' | '=' | '>' = '<';
  let opened = 0;
  const lines = buffer.toString('latin1').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const marker = markerOf(lines[i], markerSize);
    if (marker === '<') {
      awaiting = '=';
      opened = i + 1;
    } else if (marker !== undefined && marker === awaiting) {
      if (marker === '>') openings.push(opened);
      awaiting = marker === '=' ? '>' : '<';
    }
  }
  return openings;
}

/** The marker character a line is a marker of, or undefined. */
function markerOf(line: string, markerSize: number): string | undefined {
  const char = line[0];
  if (char !== '<' && char !== '=' && char !== '>') return undefined;
  for (let i = 1; i < markerSize; i++) if (line[i] !== char) return undefined;
  // git's rule: the run ends in whitespace (a label follows, or a CR before the newline) or at the line's end.
  const after = line[markerSize];
  return after === undefined || /\s/.test(after) ? char : undefined;
}
