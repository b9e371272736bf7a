import { BlueprintSynthesisError, BlueprintSynthesisErrorTypes } from '../blueprint/errors';

/** The SDK's rule for issue ids and secret names: letters and digits, joined by single `-` or `_`. */
export const IDENTIFIER_PATTERN = /^[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*$/;

/** Longest part of a bad value quoted in a message; the rest is summarised by its length. */
const PREVIEW_LENGTH = 40;

/** A value as a message quotes it: JSON, cut short when long. */
export function quote(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
}

/** A `ValidationError` whose message names the component, the field and its bad value: `<what>: <field> <value> <rule>`. */
export function invalid(what: string, field: string, value: unknown, rule: string): BlueprintSynthesisError {
  return new BlueprintSynthesisError({
    message: `${what}: ${field} ${quote(value)} ${rule}`,
    type: BlueprintSynthesisErrorTypes.ValidationError,
  });
}

/** Throws unless `value` is a string of `min` to `max` characters. */
export function checkLength(what: string, field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') throw invalid(what, field, value, 'must be a string');
  if (value.length < min || value.length > max) {
    const range = min > 0 ? `${min} to ${max}` : `at most ${max}`;
    throw invalid(what, field, value, `must have ${range} characters (it has ${value.length})`);
  }
}

/** Throws unless `value` matches {@link IDENTIFIER_PATTERN}. */
export function checkIdentifier(what: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || !IDENTIFIER_PATTERN.test(value)) {
    throw invalid(what, field, value, `must be letters and digits, joined by single '-' or '_' (${IDENTIFIER_PATTERN.source})`);
  }
}
