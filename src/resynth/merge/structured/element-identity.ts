/**
 * Which elements of the three versions of an array are "the same element": what the array merge aligns
 * by. Objects that carry a key field (a workflow step's `name`, a component's `id`) are one element
 * however their other members change, so that a change inside one is merged member by member instead of
 * being read as one element removed and another added. Anything else is identified by its value, so a
 * list of strings is aligned string by string.
 */
import { canonicalKey, isRecord, shareSomething } from './values';

/** The members that name an object element, in the order they are preferred when elements have as many of each. */
const IDENTITY_KEYS = ['id', 'name', 'key', 'path'] as const;

/**
 * The identities of the elements of the three versions of one array, in order, unique within each
 * version (a repeated identity gets its occurrence number, so that equal strings still align one to one).
 */
export function elementIdentities(versions: readonly (readonly unknown[])[]): string[][] {
  const key = identityKeyOf(versions);
  return versions.map(items => {
    const seen = new Map<string, number>();
    return items.map(item => {
      const named = key !== undefined && isRecord(item) && isIdentityValue(item[key]);
      const base = named ? `key ${JSON.stringify((item as Record<string, unknown>)[key])}` : `value ${canonicalKey(item)}`;
      const occurrence = (seen.get(base) ?? 0) + 1;
      seen.set(base, occurrence);
      return occurrence === 1 ? base : `${base} #${occurrence}`;
    });
  });
}

/**
 * Whether `side` is still the element `ancestor` was, edited in place rather than replaced: the same name
 * where the array's objects are named by `key`; else, for an object, one that kept a member (key and value)
 * of it (a step whose every member changed is another step). Other values are the same element at the
 * same place.
 */
export function sameElement(ancestor: unknown, side: unknown, key: string | undefined): boolean {
  if (key !== undefined && isRecord(ancestor) && isIdentityValue(ancestor[key])) return isRecord(side) && side[key] === ancestor[key];
  if (isRecord(ancestor) && isRecord(side)) return shareSomething(ancestor, side);
  return true;
}

/**
 * The key field the objects of these arrays are named by: the one of {@link IDENTITY_KEYS} that the most
 * object elements carry, among those whose values are unique within every version (a field two elements
 * share names neither of them). Undefined when no element carries one.
 */
export function identityKeyOf(versions: readonly (readonly unknown[])[]): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const key of IDENTITY_KEYS) {
    let count = 0;
    let unique = true;
    for (const items of versions) {
      const values = new Set<string>();
      for (const item of items) {
        if (!isRecord(item) || !isIdentityValue(item[key])) continue;
        const value = JSON.stringify(item[key]);
        if (values.has(value)) unique = false;
        values.add(value);
        count++;
      }
    }
    if (unique && count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

function isIdentityValue(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}
