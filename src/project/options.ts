import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { mergeOptions, readOptionsFile } from '../blueprint/options-files';
import { ProjectInputError } from './errors';

/** How the options of a create or update are given on the command line. */
export interface OptionsOverrides {
  /** An options file deep-merged over the base options. @default none */
  readonly file?: string;
  /** `key.path=value` assignments applied last; a value that parses as JSON is taken as JSON, else as text. @default none */
  readonly sets?: readonly string[];
}

/** The base options overridden by an options file, then by each `--set`. Neither input is changed. */
export function applyOverrides(base: Record<string, unknown>, overrides: OptionsOverrides): Record<string, unknown> {
  let options = overrides.file ? mergeOptions(base, readOptionsFile(overrides.file)) : { ...base };
  for (const assignment of overrides.sets ?? []) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new ProjectInputError(`--set ${assignment}: expected key=value (a dotted key such as runtime.port=9090)`);
    const keys = assignment.slice(0, equals).split('.');
    if (keys.some(key => key === '' || key === '__proto__')) throw new ProjectInputError(`--set ${assignment}: '${assignment.slice(0, equals)}' is not a key path`);
    options = mergeOptions(options, nest(keys, parseValue(assignment.slice(equals + 1))));
  }
  return options;
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

/** A blueprint's default options: `src/defaults.json`, or a published package's compiled `lib/defaults.json`, else none. */
export function defaultOptions(blueprintDir: string): Record<string, unknown> {
  for (const candidate of [BlueprintFolder.DEFAULTS, path.join('lib', 'defaults.json')]) {
    const file = path.join(blueprintDir, candidate);
    if (fs.existsSync(file)) return readOptionsFile(file);
  }
  return {};
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
