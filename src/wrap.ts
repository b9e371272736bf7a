/** The widest a line of the CLI's own text is: a command's help, a listing such as `blueprint fleet forges` (test/cli/help-columns.test.ts checks the help). */
export const HELP_WIDTH = 120;

/**
 * `text` broken at blanks into lines of at most {@link HELP_WIDTH} columns, each after the first indented by
 * `indent` (the column the first line's text starts at). A word longer than the line stays whole.
 */
export function wrapped(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join(`\n${indent}`);
}
