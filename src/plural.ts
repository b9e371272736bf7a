/** A count with its noun, in the plural unless the count is one: `plural(2, 'conflict hunk')` is "2 conflict hunks". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
