/**
 * The name a mistyped one most likely meant, for "did you mean" hints: the only name it starts (three characters
 * at least), else the nearest within two edits (Levenshtein distance), else none.
 */
export function nearestName(typed: string, names: readonly string[]): string | undefined {
  const prefixed = names.filter(name => name.startsWith(typed));
  if (typed.length >= 3 && prefixed.length === 1) return prefixed[0];
  const scored = names.map(name => ({ name, distance: editDistance(typed, name) })).sort((a, b) => a.distance - b.distance);
  return scored[0] && scored[0].distance <= 2 ? scored[0].name : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
