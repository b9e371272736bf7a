import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { defaultsFileOf } from '../blueprint/options-files';
import { tsconfigFiles } from '../blueprint/tsconfig-paths';
import { pathInside } from '../bundle/paths';
import { cacheDir, readJsonIfValid, writeRebuildable } from '../cache/cache-dir';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { JsonSchema, walkSchema } from './json-schema';

/** Where a blueprint's options schema is written, relative to the blueprint folder. */
export const OPTIONS_SCHEMA_FILE = path.join('lib', 'options.schema.json');

/**
 * Bumped whenever the schema the builder writes changes shape, so that schemas written by an older
 * framework are rebuilt even when the blueprint did not change.
 */
const SCHEMA_FORMAT = 5;

/** What a schema file records about how it was made (`x-bluesynth`). */
export interface SchemaProvenance {
  /** `bluesynth@<version>/<format>`. */
  readonly generator: string;
  /** Content hash of the sources the schema was built from (see {@link sourceHash}). */
  readonly sourceHash: string;
  /** Content hash of the defaults.json whose values are the schema's `default`s. */
  readonly defaultsHash: string;
}

/** The options schema of a blueprint, or why there is none. */
export type SchemaLookup =
  | { readonly schema: JsonSchema; readonly file: string; readonly built: boolean; readonly warnings: string[] }
  | { readonly schema: undefined; readonly reason: string; readonly warnings: string[] };

/** A schema, or why there is none, kept in the cache folder for other folders with the same sources. */
interface SharedSchema {
  readonly schema?: JsonSchema;
  /** Why there is no schema, naming the files of the folder {@link dir}. */
  readonly reason?: string;
  readonly dir?: string;
  /** The hash of the defaults.json it was built with, when the sources import it: another folder's must be the same. */
  readonly defaultsHash?: string;
}

/**
 * The blueprint's options schema, from `lib/options.schema.json` (a published package's: see {@link schemaFileOf})
 * while the blueprint's sources are unchanged, else rebuilt (which loads the TypeScript compiler) and written back. A warm synthesis thus
 * costs a hash of the sources and one JSON file. A schema made from nothing but those sources and the framework
 * is also kept in the cache folder under their hash, for another folder with the same sources (a fresh clone or
 * checkout of the blueprint, the same blueprint in another project): it is copied, not rebuilt. When the blueprint
 * has no `Options` that can be turned into a schema, that answer is remembered in the cache folder too.
 */
export function currentOptionsSchema(blueprintDir: string, options: { rebuild?: boolean } = {}): SchemaLookup {
  const dir = path.resolve(blueprintDir);
  const file = schemaFileOf(dir, !!options.rebuild);
  const sources = sourceFiles(dir);
  const hash = hashOf(dir, sources);
  const shared = cacheDir('options-schema', `${hash}.json`);
  // Per folder too: every folder without sources has the same source hash, and the reason names the folder.
  const noSchemaMarker = cacheDir('options-schema', `${crypto.createHash('sha256').update(`${hash}\0${dir}`).digest('hex')}.none`);
  const defaults = readDefaults(dir);
  if (!options.rebuild) {
    const existing = readJsonIfValid<JsonSchema>(file);
    if (existing?.['x-bluesynth']?.sourceHash === hash) {
      if (existing['x-bluesynth'].defaultsHash === defaults.hash) return { schema: existing, file, built: false, warnings: [] };
      const refreshed = withDefaults(existing, defaults);
      writeSchema(file, refreshed);
      return { schema: refreshed, file, built: false, warnings: [] };
    }
    if (fs.existsSync(noSchemaMarker)) return { schema: undefined, reason: fs.readFileSync(noSchemaMarker, 'utf8'), warnings: [] };
    const copied = readJsonIfValid<SharedSchema>(shared);
    if (copied && (copied.defaultsHash === undefined || copied.defaultsHash === defaults.hash)) {
      if (copied.schema) return written(copied.schema, false);
      if (copied.reason !== undefined && copied.dir !== undefined) return { schema: undefined, reason: copied.reason.split(copied.dir).join(dir), warnings: [] };
    }
  }
  // Shared only when it could not come out otherwise elsewhere: no input beyond the hashed sources and the defaults
  // (which the blueprint may import, as the SDK's do), which must then match too.
  const defaultsFile = defaultsFileOf(dir);
  const hashed = new Set([...sources, defaultsFile]);
  const share = (inputs: string[] | undefined, entry: SharedSchema) => {
    if (inputs?.every(input => hashed.has(input))) writeRebuildable(shared, JSON.stringify({ ...entry, ...inputs.includes(defaultsFile) ? { defaultsHash: defaults.hash } : {} }));
  };
  const { buildOptionsSchema, NoOptionsSchemaError } = require('./build-schema') as typeof import('./build-schema');
  let built: ReturnType<typeof buildOptionsSchema>;
  try {
    built = buildOptionsSchema(dir);
  } catch (error) {
    if (!(error instanceof NoOptionsSchemaError)) throw error;
    writeRebuildable(noSchemaMarker, error.message);
    // The reason names this folder's files: another folder's are named on the way out.
    if (error.message.includes(dir)) share(error.inputs, { reason: error.message, dir });
    return { schema: undefined, reason: error.message, warnings: [] };
  }
  // Warnings name this folder's files, and are said where they come from.
  if (built.warnings.length === 0) share(built.inputs, { schema: built.schema });
  return written(built.schema, true, built.warnings);

  function written(schema: JsonSchema, built: boolean, warnings: string[] = []): SchemaLookup {
    const complete = withDefaults({ ...schema, 'x-bluesynth': { generator: generatorName(), sourceHash: hash, defaultsHash: '' } }, defaults);
    writeSchema(file, complete);
    return { schema: complete, file, built, warnings };
  }
}

/**
 * Where the schema of the folder is kept: its `lib/options.schema.json`, except for a package without `src/` (a
 * published build, installed in a user's `node_modules` or a `create`'s install), whose schema a synthesis keeps in
 * the cache folder, named after the folder: a command that only reads a package must not add a file to it (npm
 * would then pack it, and the folder is no longer what npm installed), as the `--cache` runner's code cache is kept
 * out of it. `build-schema` (`rebuild`) writes into `lib/` whatever the folder, as it says.
 */
function schemaFileOf(dir: string, rebuild: boolean): string {
  if (rebuild || fs.existsSync(path.join(dir, 'src'))) return path.join(dir, OPTIONS_SCHEMA_FILE);
  return cacheDir('options-schema', `${crypto.createHash('sha256').update(dir).digest('hex')}.schema.json`);
}

/**
 * A content hash of what the schema is made from: the blueprint's TypeScript and JSON under `src/` (its
 * `@inlinePolicy` files among them), without the defaults, the wizard configurations and tests, and the
 * framework's version. Reading a few files costs far less than loading the TypeScript compiler. A published
 * package without `src/` is read from its declarations, so those count instead (see {@link declarationFiles}).
 */
export function sourceHash(blueprintDir: string): string {
  return hashOf(blueprintDir, sourceFiles(blueprintDir));
}

/** The files {@link sourceHash} hashes. */
function sourceFiles(blueprintDir: string): string[] {
  const src = path.join(blueprintDir, 'src');
  // The tsconfig files too: their `paths` decide which files an alias imports the Options from.
  return [...(fs.existsSync(src) ? listSources(src) : declarationFiles(blueprintDir)), ...tsconfigFiles(blueprintDir)];
}

function hashOf(blueprintDir: string, files: string[]): string {
  const src = path.join(blueprintDir, 'src');
  const hash = crypto.createHash('sha256').update(generatorName());
  const root = fs.existsSync(src) ? src : blueprintDir;
  for (const file of files) {
    hash.update(`\0${path.relative(root, file).split(path.sep).join('/')}\0`).update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * What the schema of a package without `src/` (an SDK blueprint from a registry) is built from: its
 * package.json (whose `types` names the entry) and the `.d.ts` files of the folder that entry is in. Without
 * them in the hash, a schema left in `lib/` by another version (a package folder patched or replaced in place,
 * a tarball packed after a run) was taken as current, and its options validated against the wrong Options.
 */
function declarationFiles(blueprintDir: string): string[] {
  const manifest = path.join(blueprintDir, 'package.json');
  if (!fs.existsSync(manifest)) return [];
  let types: unknown;
  try {
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    types = parsed.types ?? parsed.typings;
  } catch {
    types = undefined;
  }
  const folder = typeof types === 'string' ? path.dirname(path.resolve(blueprintDir, types)) : undefined;
  const inside = folder !== undefined && pathInside(blueprintDir, folder) !== undefined && fs.existsSync(folder) && fs.statSync(folder).isDirectory();
  return [manifest, ...(inside ? filesUnder(folder, entry => entry.isFile() && entry.name.endsWith('.d.ts')) : [])];
}

function listSources(src: string): string[] {
  const skipped = new Set([path.join(src, 'defaults.json'), path.join(src, 'wizard-configurations')]);
  return filesUnder(src, ({ name }) => /\.(ts|json)$/.test(name) && !/\.(test|spec)\.ts$/.test(name), (absolute, name) => skipped.has(absolute) || name === '__snapshots__');
}

/** The entries below `dir` that are no folder and that `keep` takes, sorted; `node_modules` and what `skip` names are left out. */
function filesUnder(dir: string, keep: (entry: fs.Dirent) => boolean, skip: (absolute: string, name: string) => boolean = () => false): string[] {
  const files: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const absolute = path.join(folder, entry.name);
      if (entry.name === 'node_modules' || skip(absolute, entry.name)) continue;
      if (entry.isDirectory()) visit(absolute);
      else if (keep(entry)) files.push(absolute);
    }
  };
  visit(dir);
  return files.sort();
}

function generatorName(): string {
  return `bluesynth@${frameworkVersion()}/${SCHEMA_FORMAT}`;
}

let version: string | undefined;
function frameworkVersion(): string {
  version ??= JSON.parse(fs.readFileSync(path.join(FRAMEWORK_ROOT, 'package.json'), 'utf8')).version as string;
  return version;
}

interface Defaults {
  readonly hash: string;
  readonly values: Record<string, unknown>;
}

function readDefaults(dir: string): Defaults {
  const file = defaultsFileOf(dir);
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // no defaults: nothing to show as `default`
  }
  let values: Record<string, unknown> = {};
  try {
    const parsed = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed;
  } catch {
    // a broken defaults.json is reported by whoever reads it as options
  }
  return { hash: crypto.createHash('sha256').update(text).digest('hex'), values };
}

/**
 * The schema with defaults.json's values as the `default` of each property, following nested objects; a
 * `default` from a `@default` tag (kept as `x-default`) stays where defaults.json has no value.
 */
export function withDefaults(schema: JsonSchema, defaults: Defaults): JsonSchema {
  const copy: JsonSchema = JSON.parse(JSON.stringify(schema));
  walkSchema(copy, node => {
    if ('x-default' in node) node.default = node['x-default'];
    else delete node.default;
  });
  const apply = (node: JsonSchema, values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) {
      const property = node.properties?.[key];
      if (!property || typeof property !== 'object') continue;
      if (isPlainObject(value) && property.properties) apply(property, value);
      else property.default = value;
    }
  };
  apply(copy, defaults.values);
  copy['x-bluesynth'] = { ...copy['x-bluesynth'], defaultsHash: defaults.hash };
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function writeSchema(file: string, schema: JsonSchema): void {
  writeRebuildable(file, JSON.stringify(schema, null, 2) + '\n');
}
