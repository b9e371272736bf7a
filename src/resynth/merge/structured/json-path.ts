/** A location inside a parsed document: object keys and array indices from the root. */
export type JsonPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * A path as people read it in reports: `$.dependencies["@types/node"]`, `$.jobs.build.steps[2]`
 * (JSONPath's notation; keys that are not plain identifiers are quoted as JSON strings).
 */
export function formatJsonPath(path: JsonPath): string {
  let text = '$';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (IDENTIFIER.test(part)) text += `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

/** The value at `path`, or undefined when some step of it is missing. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value) !== (typeof part === 'number')) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}
