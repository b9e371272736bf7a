import type { ErrorObject, ValidateFunction } from 'ajv';
import { JsonSchema, walkSchema } from './json-schema';
import { parseValidationRegex } from './tags';
import { nearestName } from '../nearest-name';

/** How bad a finding is: an error stops a synthesis, a warning is printed. */
export type IssueLevel = 'error' | 'warning';

/** One thing wrong with an options file. */
export interface OptionsIssue {
  readonly level: IssueLevel;
  /** The file the value at fault comes from (a wizard configuration, or the defaults under it). */
  readonly file: string;
  /** JSONPath of the value at fault: `$.code.stackName`, `$.tags[2]`. */
  readonly path: string;
  /** The rule broken: a JSON Schema keyword (`type`, `enum`, `required`, ...) or `@validationRegex /.../`. */
  readonly rule: string;
  /** What is wrong, in words. */
  readonly message: string;
  /** The option's `@validationMessage`, when it has one. */
  readonly validationMessage?: string;
}

/** Where the values of one configuration come from, to name the right file in a finding. */
export interface OptionsSource {
  /** The configuration's own file (a wizard configuration, or the defaults themselves). */
  readonly file: string;
  /** That file's own values, before merging; undefined when it is the defaults. */
  readonly overlay?: Record<string, unknown>;
  /** The defaults file the configuration is merged over. */
  readonly defaultsFile: string;
  /**
   * Values given over the defaults one after another (a project command's `--options FILE`, then each `--set`),
   * each with where it comes from: a finding names the last one that gave its value, else the defaults; an
   * option missing from a list's item names the last one that gave the list (a list is given whole), and any
   * other missing option the defaults (a project's recorded options, which the flags override only where they
   * say). When given, `file` and `overlay` are not used. @default none
   */
  readonly layers?: readonly OptionsLayer[];
}

/** Values one flag or file gives over a project's base options, and how a finding names it. */
export interface OptionsLayer {
  /** The flag or file, as the user gave it (`--set port=1`, `overrides.json`), named as it is. */
  readonly file: string;
  /** The values it gives. */
  readonly overlay: Record<string, unknown>;
}

/**
 * Findings that are warnings unless strict: the SDK accepts defaults that leave required options out (and
 * an empty value under a @validationRegex, see checkValidationRegex).
 */
const LENIENT = new Set(['required', 'additionalProperties']);

/**
 * Compiles a schema into a function that lists every issue of one set of options. The `@validationRegex`
 * of an option applies to its string value, or to each string (and number) in its list or tuple, as the
 * SDK's own validation does, and never to a `number` option or a list of numbers, which the SDK does not
 * test (see {@link numbersOnly}). The regex is `new RegExp(body, flags)`: not in unicode mode, as in the SDK,
 * but with its flags, which the SDK's CLI leaves in the pattern (`/^a$/i` becomes `^a$/i`, matching nothing).
 */
export function compileOptionsValidator(schema: JsonSchema): (options: unknown, source: OptionsSource, strict?: boolean) => OptionsIssue[] {
  const Ajv = require('ajv').default as typeof import('ajv').default;
  // The schema gives a `Date` option the format date-time, which ajv alone does not know: it printed 'unknown format
  // "date-time" ignored in schema at path ...' on every compile. Known here and not checked, as before (the value is
  // JSON text, which reaches the blueprint as a string whatever the type says).
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, verbose: true, validateSchema: false, formats: { 'date-time': true } });
  ajv.addKeyword({ keyword: 'x-validationRegex', schemaType: 'string', errors: true, validate: checkValidationRegex });
  const { $schema: _ignored, ...body } = structuredClone(schema);
  // An option's `pattern` repeats its @validationRegex, whose own keyword reports it (toIssues skips `pattern`
  // there): left in, a regex that does not compile made ajv.compile throw 'Invalid regular expression' for the
  // whole file, naming no option, instead of the option's finding from checkValidationRegex.
  walkSchema(body, node => {
    if (typeof node['x-validationRegex'] === 'string') delete node.pattern;
  });
  const validate: ValidateFunction = ajv.compile(body);
  return (options, source, strict = false) => {
    if (validate(options)) return [];
    return toIssues(validate.errors ?? [], source, strict);
  };
}

function checkValidationRegex(this: unknown, regexText: string, data: unknown, parentSchema?: JsonSchema): boolean {
  const validationMessage = parentSchema?.['x-validationMessage'];
  const self = checkValidationRegex as unknown as { errors: Partial<ErrorObject>[] };
  if (numbersOnly(parentSchema)) return true;
  let regex: RegExp;
  try {
    const { source, flags } = parseValidationRegex(regexText);
    regex = new RegExp(source, flags);
  } catch (error) {
    self.errors = [{ keyword: 'x-validationRegex', message: `the @validationRegex itself is invalid: ${(error as Error).message}`, params: { regex: regexText, suffix: '', validationMessage } }];
    return false;
  }
  const errors: Partial<ErrorObject>[] = [];
  if (data === '' && !regex.test('')) {
    // The SDK's validation takes an empty value for one not given (a default the wizard asks to fill in): a warning.
    self.errors = [{ keyword: 'x-validationRegex', message: 'is empty (the SDK takes that for a value not given)', params: { regex: regexText, suffix: '', validationMessage, empty: true } }];
    return false;
  }
  const visit = (value: unknown, suffix: string) => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (!regex.test(String(value))) {
        errors.push({ keyword: 'x-validationRegex', message: `${JSON.stringify(value)} does not match ${regexText}`, params: { regex: regexText, suffix, validationMessage } });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${suffix}[${index}]`));
    }
  };
  visit(data, '');
  self.errors = errors;
  return errors.length === 0;
}

/**
 * Whether an option holds numbers only: a `number`, or a list of them. The SDK's validation tests only the
 * `string` options of the Options type (every value found at one's path, numbers in a mixed list among
 * them), so its CLI synthesizes a port of 8080 under `@validationRegex /^[0-9]{2}$/`, and so must we.
 */
function numbersOnly(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  const types: unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.every(type => type === 'number' || type === 'integer')) return true;
  const items = schema.items;
  return types.length === 1 && types[0] === 'array' && typeof items === 'object' && !Array.isArray(items) && numbersOnly(items);
}

function toIssues(errors: ErrorObject[], source: OptionsSource, strict: boolean): OptionsIssue[] {
  // A union's own error says enough; the errors of each of its branches would only repeat it.
  const unions = errors.filter(e => e.keyword === 'anyOf' || e.keyword === 'oneOf').map(e => e.schemaPath + '/');
  const issues: OptionsIssue[] = [];
  for (const error of errors) {
    if (unions.some(prefix => error.schemaPath.startsWith(prefix))) continue;
    if (error.keyword === 'pattern' && error.parentSchema?.['x-validationRegex'] !== undefined) continue; // reported by x-validationRegex
    if (error.keyword === 'if') continue;
    const segments = pointerSegments(error.instancePath);
    let rule = error.keyword;
    let message = error.message ?? 'is invalid';
    let validationMessage: string | undefined;
    if (error.keyword === 'required') {
      segments.push(String(error.params.missingProperty));
      message = `missing required option '${error.params.missingProperty}'`;
    } else if (error.keyword === 'additionalProperties') {
      segments.push(String(error.params.additionalProperty));
      const unknown = String(error.params.additionalProperty);
      const near = nearestName(unknown, Object.keys((error.parentSchema?.properties as object | undefined) ?? {}));
      message = `unknown option '${unknown}' (not in the blueprint's Options${near ? `; did you mean '${near}'?` : ''})`;
      // A secret's value written beside its name ends up in the bundle's options.json, the project and the package.
      if (error.parentSchema?.['x-wizardType'] === 'SecretDefinition') {
        message = `unknown option '${unknown}': a SecretDefinition holds the secret's name and description only; its value is asked when a project is made, and one written here is copied into every bundle's options.json`;
      }
    } else if (error.keyword === 'x-validationRegex') {
      rule = `@validationRegex ${error.params.regex}`;
      validationMessage = error.params.validationMessage;
    } else if (error.keyword === 'type') {
      message = `must be ${error.params.type}, got ${describe(error.data)}`;
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}, got ${describe(error.data)}`;
    } else if (error.keyword === 'const') {
      // A string literal type (`runtime: 'Python'`): the one value it allows, as `enum` lists its values.
      message = `must be ${JSON.stringify(error.params.allowedValue)}, got ${describe(error.data)}`;
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      message = `${describe(error.data)} matches none of the allowed shapes`;
    }
    const suffix = error.keyword === 'x-validationRegex' ? String(error.params.suffix ?? '') : '';
    const path = toJsonPath(segments) + suffix;
    const lenient = LENIENT.has(error.keyword) || (error.keyword === 'x-validationRegex' && error.params.empty === true);
    issues.push({
      level: lenient && !strict ? 'warning' : 'error',
      file: fileOf(segments, source, error.keyword === 'required'),
      path,
      rule,
      message,
      ...(validationMessage ? { validationMessage } : {}),
    });
  }
  return issues;
}

/**
 * The configuration's own file holds the value if it sets it (or, for a missing value, always); else the defaults.
 * With layers, the one that gave it (see {@link OptionsSource.layers}).
 */
function fileOf(segments: string[], source: OptionsSource, missing: boolean): string {
  if (source.layers) return layerOf(segments, source.layers, missing) ?? source.defaultsFile;
  if (!source.overlay || missing) return source.file;
  return holds(source.overlay, segments) ? source.file : source.defaultsFile;
}

/**
 * The last layer that gave the value at `segments`. For a missing one, the last that gave the list it is missing
 * from an item of, since a list is replaced whole (`--set endpoints='[{"path":"/a"}]'` left `method` out); objects
 * are merged key by key, so an option missing from one is missing from the base options too, whatever the layers gave.
 */
function layerOf(segments: string[], layers: readonly OptionsLayer[], missing: boolean): string | undefined {
  const item = segments.findIndex(segment => /^\d+$/.test(segment));
  const at = missing ? (item > 0 ? segments.slice(0, item) : []) : segments;
  if (at.length === 0) return undefined;
  return [...layers].reverse().find(layer => holds(layer.overlay, at))?.file;
}

/** Whether `overlay` has a value at `segments`. */
function holds(overlay: Record<string, unknown>, segments: readonly string[]): boolean {
  let value: unknown = overlay;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !(segment in (value as object))) return false;
    value = (value as Record<string, unknown>)[segment];
  }
  return true;
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSONPath of an option's keys, as findings name it: `$.code.stackName`, `$.tags[2]`, `$["a-b"]`. */
export function toJsonPath(segments: readonly string[]): string {
  return '$' + segments.map(s => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  const shown = text === undefined ? String(value) : text.length > 60 ? text.slice(0, 57) + '...' : text;
  // null is its own type and its own text: said once.
  if (value === null) return 'null';
  return `${Array.isArray(value) ? 'array' : typeof value} ${shown}`;
}

/** One line per issue: `error: FILE: $.path: rule: message (validation message)`. */
export function formatIssue(issue: OptionsIssue): string {
  const hint = issue.validationMessage ? `: ${issue.validationMessage}` : '';
  return `${issue.level}: ${issue.file}: ${issue.path}: ${issue.rule}: ${issue.message}${hint}`;
}
