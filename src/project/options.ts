import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { defaultsFileOf, isPlainObject, mergeOptions, readOptionsFile } from '../blueprint/options-files';
import { nearestName } from '../nearest-name';
import { commandPath } from '../printable';
import type { JsonSchema } from '../schema/json-schema';
import { OptionsValidationError } from '../schema/validate-configurations';
import { OptionsLayer, toJsonPath } from '../schema/validate';
import { ProjectInputError, RequestInputError } from './errors';
import { RECORD_PATH } from './instantiation-record';
import type { ResolvedSource } from './sources/blueprint-source';

/** How the options of a create or update are given on the command line. */
export interface OptionsOverrides {
  /** An options file deep-merged over the base options. @default none */
  readonly file?: string;
  /** `key.path=value` assignments applied last; a value that parses as JSON is taken as JSON, else as text. @default none */
  readonly sets?: readonly string[];
}

/**
 * The base options overridden by an options file, then by each `--set`. Neither input is changed. With the
 * blueprint's options `schema`, a `--set` must name one of its options (a typo is refused, not recorded for
 * good), and a value for a text option stays text (`--set version=22` sets `"22"`).
 */
export function applyOverrides(base: Record<string, unknown>, overrides: OptionsOverrides, schema?: JsonSchema): Record<string, unknown> {
  const file = overrides.file ? withoutBundleOutdir(readOptionsFile(overrides.file), schema) : undefined;
  // The file's keys are held to the schema as a --set's are: a typo in it is refused, not recorded for good. A key
  // that repeats the base's value is none of the file's making: the SDK's options.json of a hosted project holds
  // every default, those the blueprint's defaults.json gives beside its Options too (test-blueprint's).
  if (file && schema) for (const keys of leafKeys(file)) if (!isDeepStrictEqual(valueAt(base, keys), valueAt(file, keys))) refuseUnknownWithin(schema, optionSchema(schema, keys, overrides.file!), valueAt(file, keys), keys.join('.'), overrides.file!);
  let options = file ? mergeOptions(base, file) : { ...base };
  for (const assignment of overrides.sets ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new RequestInputError(`--set ${assignment}: expected key=value (a dotted key such as runtime.port=9090)`);
    const keys = assignment.slice(0, equals).split('.');
    if (keys.some(key => key === '' || key === '__proto__')) throw new RequestInputError(`--set ${assignment}: '${assignment.slice(0, equals)}' is not a key path`);
    const text = assignment.slice(equals + 1);
    const list = listAlong(options, schema, keys);
    // Merged into a list, `endpoints.0.path` would make it an object with a key '0': a list is one value.
    if (list) throw new RequestInputError(`--set ${assignment}: '${list}' is a list, set whole: give it as JSON (--set ${list}='[...]')`);
    const option = schema && optionSchema(schema, keys, `--set ${assignment}`);
    const value = parseValue(text);
    if (schema) refuseUnknownWithin(schema, option, value, keys.join('.'), `--set ${assignment}`);
    options = mergeOptions(options, nest(keys, typeof value !== 'string' && takesTextOnly(option) ? text : value));
  }
  return options;
}

/**
 * An options file less the top-level `outdir` that an SDK bundle's `options.json` carries (the SDK's Blueprint
 * class writes there the folder it wrote the bundle to), unless the blueprint declares an option of that name.
 * That file is what the hosted service made a project with, the options `update --add --adopt` is given: the
 * folder is no option, and a blueprint run with it would be told to write into another machine's folder.
 */
function withoutBundleOutdir(file: Record<string, unknown>, schema: JsonSchema | undefined): Record<string, unknown> {
  if (!('outdir' in file) || (schema?.properties && 'outdir' in schema.properties)) return file;
  const { outdir: _outdir, ...options } = file;
  return options;
}

/**
 * The error to raise for options the blueprint's schema refused: a {@link RequestInputError} when a finding
 * is at or under a value the overrides give (the same flags are refused the same way in every repository),
 * else `error` as it is (the recorded options' own fault). Any other error is returned as it is.
 */
export function blameOverrides(error: unknown, overrides: OptionsOverrides | undefined): unknown {
  if (!(error instanceof OptionsValidationError) || !overrides) return error;
  const given = overriddenKeys(overrides).map(keys => toJsonPath(keys));
  const theirs = error.issues.some(issue => given.some(at => issue.path === at || issue.path.startsWith(`${at}.`) || issue.path.startsWith(`${at}[`)));
  return theirs ? new RequestInputError(error.message) : error;
}

/**
 * The recorded options broke the blueprint's validation (a `create` or `update --validation warn` recorded them):
 * the refusal with every finding, since a check in CI must say which option, and the two ways on. The version
 * itself runs (under `--validation warn` it does), so this is not a version that "cannot be run again".
 * `oneLine` joins the findings with '; ' (check's note and JSON reason), else one per line (update's message).
 */
export function recordedOptionsRefused(error: OptionsValidationError, oneLine: boolean): string {
  const keys = [...new Set(error.issues.map(issue => optionKey(issue.path)).filter(key => key !== ''))];
  const sets = keys.length ? keys.map(key => `--set ${key}=VALUE`).join(' ') : '--set KEY=VALUE';
  const findings = error.issues.map(issue => `${issue.path}: ${issue.rule}: ${issue.message}${issue.validationMessage ? `: ${issue.validationMessage}` : ''}`);
  const wayOn = `to go on, give ${keys.length > 1 ? 'them values' : 'it a value'} the blueprint accepts (blueprint update ${sets}), ` +
    'or run check and update with --validation warn, which runs the recorded options as they are';
  const head = `the recorded options (${RECORD_PATH}) break the blueprint's validation`;
  return oneLine ? `${head}: ${findings.join('; ')}; ${wayOn}` : [`${head}:`, ...findings.map(line => `  ${line}`), `  ${wayOn}`].join('\n');
}

/**
 * A warning of validation about the recorded options, with the way on: an option the record holds and the
 * blueprint no longer declares can be dropped (else every update keeps it and warns again); one the blueprint
 * requires and the record lacks (a new version added it without a default) can be given; either within an item of
 * a list is mended by giving the list. Any other warning as it is.
 */
export function recordedWayOn(warning: string): string {
  const finding = recordedFinding(warning);
  if (!finding) return warning;
  const { jsonPath, rule } = finding;
  // Within a list's item (a new version changed the items' shape), the list is what to give: it is set whole.
  if (jsonPath.includes('[') && (rule === 'additionalProperties' || rule === 'required')) {
    return `${warning}: give the list a value the blueprint accepts, whole, with blueprint update --set ${optionKey(jsonPath)}='[...]'`;
  }
  if (rule === 'additionalProperties') {
    return `${warning}: it is still passed to the blueprint, which no longer declares it, and every update keeps it; to drop it, delete it from ${RECORD_PATH} and commit that file alone (the next update applies it)`;
  }
  if (rule === 'required') return `${warning}: the blueprint runs without it; give it a value with blueprint update --set ${optionKey(jsonPath)}=VALUE`;
  return warning;
}

/**
 * The option key (`runtime.arch`; a list's, for a finding within one) a warning about the recorded options names, or
 * undefined for any other warning.
 */
export function recordedFindingKey(warning: string): string | undefined {
  const finding = recordedFinding(warning);
  return finding && optionKey(finding.jsonPath);
}

/** The JSONPath and rule of a warning of validation about the recorded options, or undefined for any other warning. */
function recordedFinding(warning: string): { jsonPath: string; rule: string } | undefined {
  const recorded = `the recorded options (${RECORD_PATH}): `;
  if (!warning.startsWith(recorded)) return undefined;
  const [jsonPath, rule] = warning.slice(recorded.length).split(': ');
  return { jsonPath, rule };
}

/**
 * A warning of validation about the options a create runs (named by its defaults file, or with `--like` by the
 * recorded options, as validation shortens them for display), with the way on for an option the blueprint requires
 * and they lack (a blueprint whose defaults leave it to the user): the `--set` that gives it. A finding within a
 * list's item (given whole, by a flag or a file) and any other warning as it is.
 */
export function createWayOn(warning: string): string {
  const at = warning.indexOf(': $');
  if (at < 0) return warning;
  const [jsonPath, rule] = warning.slice(at + 2).split(': ');
  if (rule !== 'required' || jsonPath.includes('[')) return warning;
  return `${warning}: the blueprint runs without it; give it a value with --set ${optionKey(jsonPath)}=VALUE`;
}

/** The `--set` key of a finding's JSONPath: `$.code.stackName` is `code.stackName`; an array is set whole (`$.tags[2]` is `tags`). */
function optionKey(jsonPath: string): string {
  return jsonPath.replace(/^\$\.?/, '').replace(/\[.*$/, '');
}

/** The key paths the overrides give values for: each `--set`'s, and each leaf of the options file (an array is one value). */
function overriddenKeys(overrides: OptionsOverrides): string[][] {
  const keys = overrides.file ? leafKeys(readOptionsFile(overrides.file)) : [];
  for (const assignment of overrides.sets ?? []) {
    const equals = assignment.indexOf('=');
    if (equals > 0) keys.push(assignment.slice(0, equals).split('.'));
  }
  return keys;
}

/** The key path of each leaf of an options object (an array, or an empty object, is one value). */
function leafKeys(options: Record<string, unknown>): string[][] {
  const keys: string[][] = [];
  const leaves = (value: unknown, at: string[]): void => {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, inner] of Object.entries(value)) leaves(inner, [...at, key]);
    } else {
      keys.push(at);
    }
  };
  leaves(options, []);
  return keys;
}

/**
 * The schema of the option at `keys`, or undefined where the schema does not say (a record, a union);
 * throws when an object that allows no other keys has none of that name, naming `given` (the flag or file).
 */
function optionSchema(schema: JsonSchema, keys: readonly string[], given: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const [index, key] of keys.entries()) {
    if (!node?.properties) return undefined;
    if (Object.hasOwn(node.properties, key)) {
      node = node.properties[key];
    } else if (node.additionalProperties === false) {
      const under = keys.slice(0, index).join('.');
      const known = Object.keys(node.properties);
      const near = nearestName(key, known);
      throw new RequestInputError(`${given}: the blueprint has no option '${keys.slice(0, index + 1).join('.')}' (${near ? `did you mean '${near}'? ` : ''}its options${under ? ` under '${under}'` : ''}: ${known.join(', ')})`);
    } else {
      node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    }
  }
  return node;
}

/**
 * Throws, naming `given`, where a value given whole (`--set runtime='{"nodee":"22"}'`, a list of objects) holds a
 * key that its option's schema allows no other keys beside: within an object or a list's items, as at its top.
 * `at` is the option's key, to name the one at fault (`endpoints[0].methd`).
 */
function refuseUnknownWithin(root: JsonSchema, node: JsonSchema | undefined, value: unknown, at: string, given: string): void {
  const option = resolveRef(root, node);
  if (!option) return;
  if (Array.isArray(value)) {
    const items = option.items;
    if (items && typeof items === 'object' && !Array.isArray(items)) value.forEach((item, index) => refuseUnknownWithin(root, items, item, `${at}[${index}]`, given));
  } else if (isPlainObject(value) && option.properties) {
    for (const [key, inner] of Object.entries(value)) {
      if (Object.hasOwn(option.properties, key)) {
        refuseUnknownWithin(root, option.properties[key], inner, `${at}.${key}`, given);
      } else if (option.additionalProperties === false) {
        const known = Object.keys(option.properties);
        const near = nearestName(key, known);
        throw new RequestInputError(`${given}: the blueprint has no option '${at}.${key}' (${near ? `did you mean '${near}'? ` : ''}its options under '${at}': ${known.join(', ')})`);
      }
    }
  }
}

/** The value at `keys` in `options`. */
function valueAt(options: Record<string, unknown>, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((value, key) => (isPlainObject(value) ? value[key] : undefined), options);
}

/**
 * The dotted key of a list that `keys` reaches into, if any: by the schema where it declares the option's type (a
 * new version may have made a recorded list something else), else by the options as they are (an
 * `OptionsSchemaDefinition` option's schema gives its wizard type and no `type`).
 */
function listAlong(options: Record<string, unknown>, schema: JsonSchema | undefined, keys: readonly string[]): string | undefined {
  let value: unknown = options;
  let node: JsonSchema | undefined = schema;
  for (let index = 0; index < keys.length - 1; index++) {
    value = isPlainObject(value) ? value[keys[index]] : undefined;
    node = node?.properties?.[keys[index]];
    const type = schema && resolveRef(schema, node)?.type;
    if (type !== undefined ? [type].flat().includes('array') : Array.isArray(value)) return keys.slice(0, index + 1).join('.');
  }
  return undefined;
}

/** Whether an option takes text and nothing else, so that `22` or `true` given for it means the text. */
function takesTextOnly(option: JsonSchema | undefined): boolean {
  const types = option?.type === undefined ? [] : [option.type].flat();
  return types.length > 0 && types.every(type => type === 'string');
}

/**
 * Where the options of a create or update come from, for validation to name: each flag that sets values over the
 * base options (`--options FILE`, then each `--set key=value`), with the values it sets; undefined without flags.
 */
export function overridesOrigin(overrides: OptionsOverrides | undefined, schema: JsonSchema | undefined): OptionsLayer[] | undefined {
  if (!overrides?.file && !overrides?.sets?.length) return undefined;
  return [
    // The file was held to the schema over the base options already: a key repeating the base's value passed there.
    ...(overrides.file ? [{ file: overrides.file, overlay: withoutBundleOutdir(readOptionsFile(overrides.file), schema) }] : []),
    ...(overrides.sets ?? []).map(assignment => ({ file: `--set ${assignment}`, overlay: applyOverrides({}, { sets: [assignment] }, schema) })),
  ];
}

/** The blueprint's options schema when overrides (`--set`s, an options file) are to be checked against it (building it costs a compile). */
export function overridesSchema(blueprintDir: string, overrides: OptionsOverrides | undefined): JsonSchema | undefined {
  if (!overrides?.sets?.length && !overrides?.file) return undefined;
  return optionsSchema(blueprintDir);
}

/** The blueprint's options schema (cached; building it costs a compile), or undefined when it has none. */
export function optionsSchema(blueprintDir: string): JsonSchema | undefined {
  return readOptionsSchema(blueprintDir).schema;
}

/** The blueprint's options schema, or why there is none (the reason names the file at fault). */
export function readOptionsSchema(blueprintDir: string): { readonly schema?: JsonSchema; readonly reason?: string } {
  const { currentOptionsSchema } = require('../schema/schema-file') as typeof import('../schema/schema-file');
  return currentOptionsSchema(blueprintDir);
}

/**
 * The defaults with the wizard's `@defaultEntropy N` applied, as the hosted wizard applies it when a project is
 * made: each text option so tagged gets N random digits appended, so that two projects made with the same
 * defaults get different names (stacks, buckets). Recorded with the options, the value stays the same in every
 * update. `defaults` is not changed.
 */
export function withDefaultEntropy(defaults: Record<string, unknown>, schema: JsonSchema | undefined, digits = randomDigits): Record<string, unknown> {
  if (!schema) return defaults;
  const apply = (node: JsonSchema | undefined, value: Record<string, unknown>): Record<string, unknown> => {
    const properties = resolveRef(schema, node)?.properties ?? {};
    let result = value;
    for (const [key, property] of Object.entries<JsonSchema>(properties)) {
      const current = value[key];
      const entropy = resolveRef(schema, property)?.['x-defaultEntropy'];
      let next = current;
      if (typeof current === 'string' && typeof entropy === 'number' && entropy > 0) next = current + digits(entropy);
      else if (current && typeof current === 'object' && !Array.isArray(current)) next = apply(property, current as Record<string, unknown>);
      if (next !== current) result = { ...result, [key]: next };
    }
    return result;
  };
  return apply(schema, defaults);
}

/** A node, or the local definition its `$ref` names (`#/definitions/X`). */
function resolveRef(root: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  const ref = node?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref.slice(2).split('/').reduce<any>((at, key) => at?.[decodeURIComponent(key)], root) as JsonSchema | undefined;
}

function randomDigits(count: number): string {
  return Array.from({ length: count }, () => crypto.randomInt(10)).join('');
}

function nest(keys: string[], value: unknown): Record<string, unknown> {
  return keys.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The options an update starts from: the recorded ones, with every option the blueprint's (new) defaults have and
 * the record lacks added at its default (with the wizard's entropy, as at create), so that an option a new
 * version introduced is not missing. A recorded value always wins, and the recorded keys keep their order.
 */
export function recordedWithNewDefaults(recorded: Record<string, unknown>, blueprintDir: string): Record<string, unknown> {
  const defaults = defaultOptions(blueprintDir);
  if (!lacksAny(recorded, defaults)) return recorded;
  return fillMissing(recorded, withDefaultEntropy(defaults, optionsSchema(blueprintDir)));
}

/**
 * The values of `recorded` (the options an update or check runs, before {@link recordedWithNewDefaults}) that are the
 * blueprint's defaults: those it lacks, which the defaults fill in, and those it holds with the default's value (an SDK
 * options.json holds every default). As a layer named by the defaults file ({@link defaultsName}), validation blames a finding in them (a
 * default the blueprint's `Options` does not declare) on the blueprint, not on the record: deleting them from the
 * record would change nothing, since the defaults give them again. None when there are none.
 */
export function newDefaultsLayer(recorded: Record<string, unknown>, resolved: ResolvedSource): OptionsLayer[] {
  const overlay = fromDefaults(recorded, defaultOptions(resolved.blueprintDir));
  return Object.keys(overlay).length ? [{ file: defaultsName(resolved), overlay }] : [];
}

/**
 * The blueprint's defaults file as validation's findings name it: a folder source's by its path; a git or npm
 * source's blueprint is a copy in the cache, whose path says nothing to the user, so by the source as given
 * (`the defaults of npm:@scope/name@1.2.3 (lib/defaults.json)`).
 */
export function defaultsName(resolved: ResolvedSource): string {
  const file = defaultsFileOf(resolved.blueprintDir);
  // A folder source runs the folder it names; any other runs a copy of what its spec names.
  return resolved.spec === resolved.blueprintDir ? file : `the defaults of ${resolved.spec} (${path.relative(resolved.blueprintDir, file)})`;
}

/** The keys (at any depth of plain objects) of `defaults` that `options` lacks or holds with the same value. */
function fromDefaults(options: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (!(key in options) || isDeepStrictEqual(options[key], value)) found[key] = value;
    else if (isPlainObject(value) && isPlainObject(options[key])) {
      const inner = fromDefaults(options[key] as Record<string, unknown>, value);
      if (Object.keys(inner).length) found[key] = inner;
    }
  }
  return found;
}

/**
 * Where a new version renamed an option (`port` to `httpPort`), the record still holds the old name, which the
 * blueprint no longer reads, and the new one is filled in at its default: the project's value is lost from its files
 * while the update lands cleanly, and the warning of the old name alone does not say so. For each recorded top-level
 * option the new `Options` no longer declares, the options this update filled in from the new defaults with a value of
 * the same kind are named, with their default and the `--set` that gives them the project's value. `given` is the
 * recorded options with the flags applied, `options` the same with the new defaults filled in; `schema` is read only
 * where both an undeclared and a filled-in option exist.
 */
export function renamedOptionHints(given: Record<string, unknown>, options: Record<string, unknown>, schema: () => JsonSchema | undefined): string[] {
  const added = Object.keys(options).filter(key => !(key in given));
  if (added.length === 0 || Object.keys(given).length === 0) return [];
  const declared = schema()?.properties;
  if (!declared) return [];
  const hints: string[] = [];
  for (const old of Object.keys(given).filter(key => !(key in declared))) {
    const value = given[old];
    // A default equal to the project's value loses nothing: the old name's own warning says how to drop it.
    const kin = added.filter(key => key in declared && kindOf(options[key]) === kindOf(value) && !isDeepStrictEqual(options[key], value));
    if (kin.length === 0) continue;
    const setting = (key: string) => `blueprint update --set ${commandPath(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)}`;
    const named = kin.map(key => `'${key}' (filled in at its default, ${JSON.stringify(options[key])})`).join(', ');
    hints.push(`the recorded option '${old}' (${JSON.stringify(value)}) is no longer declared, and this version adds ${named}: ` +
      `the blueprint no longer reads the project's value; if ${kin.length === 1 ? `'${kin[0]}' is` : 'one of them is'} '${old}' renamed, give it the ` +
      `project's value (${kin.map(setting).join(', or ')})`);
  }
  return hints;
}

/** The JSON kind of a value: a list, an object, or `typeof`'s word. */
function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** Whether `defaults` has a key (at any depth of plain objects) that `options` does not. */
function lacksAny(options: Record<string, unknown>, defaults: Record<string, unknown>): boolean {
  return Object.entries(defaults).some(([key, value]) => !(key in options) || (isPlainObject(value) && isPlainObject(options[key]) && lacksAny(options[key] as Record<string, unknown>, value)));
}

/** `options` with the keys of `defaults` it lacks added after its own. */
function fillMissing(options: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...options };
  for (const [key, value] of Object.entries(defaults)) {
    if (!(key in result)) result[key] = value;
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = fillMissing(result[key] as Record<string, unknown>, value);
  }
  return result;
}

/** A blueprint's default options: `src/defaults.json`, or a published package's compiled `lib/defaults.json`, else none. */
export function defaultOptions(blueprintDir: string): Record<string, unknown> {
  const file = defaultsFileOf(blueprintDir);
  return fs.existsSync(file) ? readOptionsFile(file) : {};
}

/** The blueprint's package name and version, from its package.json. */
export function blueprintPackage(blueprintDir: string): { name: string; version: string } {
  const file = path.join(blueprintDir, 'package.json');
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProjectInputError(`${file}: cannot read the blueprint's package.json (${(error as Error).message})`);
  }
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new ProjectInputError(`${file}: the blueprint's package.json needs a 'name' and a 'version'`);
  }
  return { name: manifest.name, version: manifest.version };
}
