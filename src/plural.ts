/** A count with its noun, in the plural unless the count is one: `plural(2, 'conflict hunk')` is "2 conflict hunks". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The first `shown` items, then how many more: `firstOf(['a', 'b', 'c'], 2)` is "a, b and 1 more". */
export function firstOf(items: readonly string[], shown: number): string {
  const listed = items.slice(0, shown).join(', ');
  return items.length > shown ? `${listed} and ${items.length - shown} more` : listed;
}
