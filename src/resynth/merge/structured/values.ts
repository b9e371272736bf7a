/** Parsed JSON/YAML values: what counts as equal, and what shape a value has. */

/** A plain object (a JSON object, a YAML mapping with string keys). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The kind of container a value is, for deciding whether two values can be merged member by member. */
export function shapeOf(value: unknown): 'object' | 'array' | 'scalar' | 'absent' {
  if (value === undefined) return 'absent';
  if (Array.isArray(value)) return 'array';
  return isRecord(value) ? 'object' : 'scalar';
}

/**
 * Equality of parsed values. Key order does not count: two objects with the same members mean the
 * same to every reader of a JSON or YAML file, so reordering alone never makes a conflict.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every(key => Object.prototype.hasOwnProperty.call(b, key) && sameValue(a[key], b[key]));
  }
  // NaN and dates only come from YAML; compare them by what they print as.
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

/**
 * A deep copy of a parsed value in which no array or object is shared. `structuredClone` keeps sharing, and
 * a YAML alias's value is its anchored node's very object: an element inserted at the anchor and again at
 * each alias (the merge has a step at each path) would then be in that one list as many times. Other objects
 * (a YAML date or binary) are not edited, so they are kept as they are.
 */
export function copyValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(item => copyValue(item)) as T;
  const prototype: unknown = isRecord(value) ? Object.getPrototypeOf(value) : undefined;
  if (!isRecord(value) || (prototype !== Object.prototype && prototype !== null)) return value;
  // jsonc-parser makes objects without a prototype, the yaml package plain ones.
  const copy = Object.create(prototype as object | null) as Record<string, unknown>;
  // Defined, not assigned: a key named "__proto__" stays a member.
  for (const key of Object.keys(value)) Object.defineProperty(copy, key, { value: copyValue(value[key]), enumerable: true, writable: true, configurable: true });
  return copy as T;
}

/** The names (lower-cased) of a version number's parts where a file writes it as an object of them. */
const VERSION_PARTS = new Set(['major', 'minor', 'patch', 'micro', 'build', 'revision']);

/**
 * Whether a value is a version number written as an object of its numeric parts (`{ "Major": 2, "Minor": 158,
 * "Patch": 0 }`, as in an Azure Pipelines task.json or a .NET assembly version): at least a major and a minor part,
 * no other member, each an integer or a string of digits. Such an object is one value: two sides' changes of
 * different parts merged one by one make a version neither side wrote (a patch bump of the old minor on a new minor).
 */
export function isVersionRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const parts = Object.keys(value).map(key => key.toLowerCase());
  return parts.includes('major') && parts.includes('minor') && parts.every(part => VERSION_PARTS.has(part))
    && Object.values(value).every(part => Number.isInteger(part) || (typeof part === 'string' && /^\d+$/.test(part)));
}

/** Whether two containers of one kind have a member (same key, same value) or an element (same value) in common; two empty ones do. */
export function shareSomething(a: object, b: object): boolean {
  if (Array.isArray(a)) return a.length === 0 || (b as unknown[]).length === 0 || a.some(item => (b as unknown[]).some(other => sameValue(item, other)));
  const entries = Object.entries(a);
  const other = b as Record<string, unknown>;
  return entries.length === 0 || Object.keys(other).length === 0 || entries.some(([key, value]) => Object.prototype.hasOwnProperty.call(other, key) && sameValue(value, other[key]));
}

/** A string equal for equal values (sorted keys), used to diff arrays element by element. */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (!isRecord(member)) return member;
    const sorted: Record<string, unknown> = {};
    // Defined, not assigned: a member named "__proto__" would set the object's prototype and not be printed.
    for (const key of Object.keys(member).sort()) Object.defineProperty(sorted, key, { value: member[key], enumerable: true, writable: true, configurable: true });
    return sorted;
  }) ?? 'undefined';
}

/** The order a parsed object's keys are written in, for the objects where JavaScript lists them otherwise. */
const writtenOrder = new WeakMap<object, readonly string[]>();

/**
 * Records the order `object`'s keys are written in: a JavaScript object lists integer-like keys (`"503"`) first,
 * whatever the text says, and the merge places a new member after the key before it in its text.
 */
export function recordKeyOrder(object: Record<string, unknown>, keys: readonly string[]): void {
  const listed = Object.keys(object);
  if (listed.length !== keys.length || listed.every((key, i) => key === keys[i])) return;
  if (keys.some(key => !Object.prototype.hasOwnProperty.call(object, key))) return;
  writtenOrder.set(object, [...keys]);
}

/** An object's keys in the order its text wrote them (JavaScript's order for one that was not parsed from text). */
export function keysInOrder(object: Record<string, unknown>): string[] {
  return [...(writtenOrder.get(object) ?? Object.keys(object))];
}
