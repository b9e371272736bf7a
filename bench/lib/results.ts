import * as fs from 'fs';

const TITLE = '# Benchmark results';

/**
 * Replaces the section under `heading` (a `## ` line) of a markdown results file with `body`, keeping
 * every other section as it is, so that several benchmarks record into one file. A missing file or
 * section is created. Subsections of the old section whose `### ` heading the new body does not write
 * (hand-written notes: history, where the time goes) are kept, after the new body.
 */
export function recordSection(file: string, heading: string, body: string): void {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `${TITLE}\n`;
  const lines = existing.replace(/\n+$/, '').split('\n');
  const start = lines.findIndex(line => line.trim() === heading);
  const section = [heading, '', ...body.replace(/\n+$/, '').split('\n')];
  const written = new Set(section.filter(line => line.startsWith('### ')).map(line => line.trim()));
  if (start < 0) {
    lines.push('', ...section);
  } else {
    let end = start + 1;
    while (end < lines.length && !/^## /.test(lines[end])) end++;
    for (let i = start + 1; i < end; i++) {
      if (!lines[i].startsWith('### ') || written.has(lines[i].trim())) continue;
      let last = i + 1;
      while (last < end && !/^##+ /.test(lines[last])) last++;
      section.push('', ...trimBlankEnd(lines.slice(i, last)));
    }
    const following = end < lines.length ? [''] : [];
    lines.splice(start, end - start, ...section, ...following);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function trimBlankEnd(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  return lines.slice(0, end);
}

/** A markdown table; `align` gives `l` or `r` per column. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const sep = header.map((_, i) => ((align ?? '')[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map(row => `| ${row.join(' | ')} |`).join('\n');
}

/** The same table as aligned plain text, for the terminal. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(row => row[i].length)));
  const cell = (value: string, i: number) => ((align ?? '')[i] === 'r' ? value.padStart(widths[i]) : value.padEnd(widths[i]));
  return [header, widths.map(w => '-'.repeat(w)), ...rows].map(row => row.map(cell).join('  ').trimEnd()).join('\n');
}
