/** A JSON Schema (draft-07) node, with the framework's `x-` annotations. */
export interface JsonSchema {
  [keyword: string]: any;
}

const SCHEMA_MAPS = ['properties', 'definitions', 'patternProperties'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];
const SCHEMA_VALUES = ['additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

/** Calls `visit` on `schema` and every schema nested in it, parents first. */
export function walkSchema(schema: JsonSchema, visit: (node: JsonSchema) => void): void {
  if (!isSchema(schema)) return;
  visit(schema);
  for (const key of SCHEMA_MAPS) for (const child of Object.values(schema[key] ?? {})) walkSchema(child as JsonSchema, visit);
  for (const key of SCHEMA_LISTS) for (const child of schema[key] ?? []) walkSchema(child, visit);
  for (const key of SCHEMA_VALUES) walkSchema(schema[key], visit);
  const items = schema.items;
  if (Array.isArray(items)) items.forEach(child => walkSchema(child, visit));
  else walkSchema(items, visit);
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
