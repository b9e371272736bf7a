/**
 * Indentation units: a value copied from a file indented with two spaces into one indented with tabs
 * (or four spaces) is re-nested in the existing file's unit, so that the merge does not leave a block
 * laid out in another file's style. Line based, for JSON and YAML alike; YAML's block scalars keep
 * their content's own indentation, shifted as one block, since there it is part of the value.
 */

/** A comment line (`//`, `/*`, ` * ...`, `#`): it does not open a level of nesting. */
const COMMENT = /^(?:\/\/|\/\*|\*|#)/;
/** The dashes of YAML sequence items that begin a line (`- `, `- - `): each opens a level at its content. */
const DASHES = /^(?:- +)+/;
/** One such dash. */
const DASH = /^- +/;
/** A YAML block scalar header at the end of a line (`key: |`, `- >-`, `|+ # note`), capturing its indicators (only looked for in YAML). */
const BLOCK_SCALAR = /(?:^|[ \t])[|>]([-+0-9]*)[ \t]*(?:#.*)?$/;

/**
 * The text one level of nesting adds in `text` (`'\t'`, `'  '`, `'    '`): the most frequent step
 * from a line to a more indented one (measured from the content after a YAML item's dash); undefined
 * when no line is nested.
 */
export function indentUnitOf(text: string): string | undefined {
  const counts = new Map<string, number>();
  let previous: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const content = line.trimStart();
    if (content === '' || COMMENT.test(content)) continue;
    const lead = line.slice(0, line.length - content.length);
    if (previous !== undefined && lead.length > previous.length && lead.startsWith(previous)) {
      const step = lead.slice(previous.length);
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    previous = lead + ' '.repeat(DASHES.exec(content)?.[0].length ?? 0);
  }
  let unit: string | undefined;
  for (const [step, count] of counts) if (unit === undefined || count > counts.get(unit)!) unit = step;
  return unit;
}

/** A level of nesting in the snippet: its column there (relative to the snippet's first line), and its indentation in the result. */
interface Level {
  readonly column: number;
  readonly indent: string;
}

/**
 * Moves a multi-line snippet to indentation `to` and re-nests it in `unit`: each line after the first
 * is indented `to` plus one `unit` per level it is nested below the first line (`from` is the first
 * line's own indentation in its source). The first line is placed by the caller. Undefined when the
 * snippet has what cannot be re-nested safely (a YAML block scalar with an explicit indentation
 * indicator, a less indented line inside a block scalar). `blockScalars`: the snippet is YAML, whose
 * block scalars' lines are content.
 */
export function renest(snippet: string, from: string, to: string, unit: string, blockScalars = false): string | undefined {
  const lines = snippet.split('\n');
  const levels: Level[] = [{ column: 0, indent: to }];
  let scalar: { header: Level; content?: Level } | undefined;
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const content = line.trimStart();
    // Relative to the first line's indentation; a line less indented than it (it should not be) counts as level with it.
    const lead = line.startsWith(from) ? line.slice(from.length, line.length - content.length) : '';
    const column = i === 0 ? 0 : lead.length;
    if (i > 0 && (content === '' || content === '\r')) {
      out.push(line);
      continue;
    }
    if (scalar && i > 0 && column > scalar.header.column) {
      // A block scalar's content: shifted as one block, its lines' indentation past the first line's kept as written.
      scalar.content ??= { column, indent: scalar.header.indent + unit };
      if (column < scalar.content.column) return undefined;
      out.push(scalar.content.indent + lead.slice(scalar.content.column) + content);
      continue;
    }
    scalar = undefined;
    while (levels.length > 1 && levels[levels.length - 1].column > column) levels.pop();
    const top = levels[levels.length - 1];
    let level = top;
    if (column > top.column) {
      level = { column, indent: top.indent + unit };
      if (!COMMENT.test(content)) levels.push(level);
    }
    out.push(i === 0 ? line : level.indent + content);
    if (COMMENT.test(content)) continue;
    let owner = level;
    let rest = content;
    for (let dash = DASH.exec(rest); dash; dash = DASH.exec(rest)) {
      owner = level;
      level = { column: level.column + dash[0].length, indent: level.indent + ' '.repeat(dash[0].length) };
      levels.push(level);
      rest = rest.slice(dash[0].length);
    }
    const header = blockScalars ? BLOCK_SCALAR.exec(rest.replace(/\r$/, '')) : null;
    if (header) {
      if (/[0-9]/.test(header[1])) return undefined;
      // `- |`: the scalar is the item, its content only needs to be right of the dash; `key: |`: right of the key.
      scalar = { header: /^[|>]/.test(rest) ? owner : level };
    }
  }
  return out.join('\n');
}
