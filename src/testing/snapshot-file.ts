/**
 * A jest (29) snapshot file holding the given snapshots of strings, byte for byte as jest would write
 * it with its default snapshot format. `blueprint new` ships a project with its snapshots already
 * recorded, so that its tests pass in CI (where jest never writes a missing snapshot) from the start.
 */
export function renderJestSnapshotFile(snapshots: Record<string, string>): string {
  const keys = Object.keys(snapshots).sort(naturalCompare);
  const entries = keys.map(key => `exports[${backtick(key)}] = ${backtick(normalize(serialize(snapshots[key])))};`);
  return `// Jest Snapshot v1, https://goo.gl/fbAQLP\n\n${entries.join('\n\n')}\n`;
}

/** The key jest gives the `count`th snapshot with `hint` in the test `testName`. */
export function jestSnapshotKey(testName: string, hint: string, count = 1): string {
  return `${testName}: ${hint} ${count}`;
}

/** pretty-format of a string with `escapeString: false`, and the line breaks jest adds around a multi-line value. */
function serialize(text: string): string {
  const printed = `"${normalize(text)}"`;
  return printed.includes('\n') ? `\n${printed}\n` : printed;
}

function normalize(text: string): string {
  return text.replace(/\r\n|\r/g, '\n');
}

function backtick(text: string): string {
  return '`' + text.replace(/`|\\|\$\{/g, '\\$&') + '`';
}

/** jest's key order (natural-compare): runs of digits compare as numbers. */
function naturalCompare(a: string, b: string): number {
  const parts = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y) && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
