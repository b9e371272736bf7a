import * as crypto from 'crypto';
import { ProjectInputError } from './errors';
import { firstOf } from '../plural';

/**
 * Where a repository records the blueprints that made it: one committed JSON file at the repository's
 * root, so that the record travels with every clone, push and fetch.
 */
export const RECORD_PATH = '.bluesynth/instantiations.json';

/**
 * One application of a blueprint to a repository: the SDK's `BlueprintInstantiation` fields (id, package
 * name, version, options), plus where the blueprint came from and which repository of its bundle this is.
 */
export interface Instantiation {
  /** Unique id; the baseline commits of this instantiation carry it in their message. */
  readonly id: string;
  /** The blueprint's package name (its package.json `name`). */
  readonly packageName: string;
  /** The blueprint's version (its package.json `version`). */
  readonly versionId: string;
  /** The options the blueprint last ran with. */
  readonly options: Record<string, unknown>;
  /** The blueprint source, as `update` resolves it again: a folder, `URL#ref`, or `npm:name@version`. */
  readonly source: string;
  /** What the source resolved to: a git commit, an npm version, a folder's path. */
  readonly sourceRevision: string;
  /** The repository of the bundle (`src/<repository>/`) this git repository holds. */
  readonly repository: string;
}

/** Reads a record file's text; every problem names the file (and `where` it came from) and the entry. */
export function parseRecord(text: string, where: string): Instantiation[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProjectInputError(`${where}: the instantiation record is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) {
    // Every build refuses a record that is no array, so a newer format that older builds must not read or rewrite
    // (they would drop what they do not know) is an object that says its format: named, with the way on.
    const format = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).format : undefined;
    if (typeof format === 'number' || typeof format === 'string') {
      throw new ProjectInputError(`${where}: the instantiation record is in format ${JSON.stringify(format)}, which a newer bluesynth writes: ` +
        'upgrade bluesynth (the CLI that runs, or the version in the project\'s devDependencies) to work on this repository');
    }
    throw new ProjectInputError(`${where}: the instantiation record must be a JSON array of instantiations`);
  }
  const seen = new Map<string, number>();
  return value.map((entry, index) => {
    const at = `${where}: entry ${index + 1}`;
    if (entry === null || typeof entry !== 'object') throw new ProjectInputError(`${at} is not an object`);
    for (const key of ['id', 'packageName', 'versionId', 'source', 'sourceRevision', 'repository'] as const) {
      if (typeof entry[key] !== 'string' || entry[key] === '') throw new ProjectInputError(`${at}: '${key}' must be a non-empty string`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(entry.id)) throw new ProjectInputError(`${at}: 'id' may hold only letters, digits, '.', '_' and '-'`);
    if (entry.options === null || typeof entry.options !== 'object' || Array.isArray(entry.options)) {
      throw new ProjectInputError(`${at}: 'options' must be a JSON object`);
    }
    // Each instantiation is found (and its baseline commit) by its id: two entries with one id are one too many.
    if (seen.has(entry.id)) throw new ProjectInputError(`${at}: the id '${entry.id}' is entry ${seen.get(entry.id)}'s too`);
    seen.set(entry.id, index + 1);
    const source = withoutUrlCredentials(entry.source);
    const parsed = { ...entry, source } as Instantiation;
    if (source !== entry.source) recordedWithCredentials.set(parsed, entry.source);
    return parsed;
  });
}

/**
 * The source as the record gives it, with the user name and token an older build recorded in it (see
 * {@link withoutUrlCredentials}): what to fetch, never to print or record.
 */
export function sourceToFetch(instantiation: Instantiation): string {
  return recordedWithCredentials.get(instantiation) ?? instantiation.source;
}

/** The entries read without the credentials their record held, and the source as it stood. */
const recordedWithCredentials = new WeakMap<Instantiation, string>();

/**
 * A git source as the record is written now: without the user name and token of an `https://user:token@host` URL,
 * which older builds recorded as given. Read as they stood, they were printed by `status` and `--json` and copied
 * into a new repository's record by `create --like`; read this way, every command sees the URL as an update records
 * it. They are still fetched with (see {@link sourceToFetch}), as before, until an update records the URL bare. A
 * tarball's URL (an npm source) is left as it is.
 */
function withoutUrlCredentials(source: string): string {
  if (/\.(tgz|tar\.gz)$/i.test(source.split('#')[0])) return source;
  return source.replace(/^(https?:\/\/)[^@/#]*@/i, '$1');
}

/** The record file's text: stable key order, one entry per instantiation. */
export function serializeRecord(instantiations: readonly Instantiation[]): string {
  const ordered = instantiations.map(i => ({
    id: i.id, packageName: i.packageName, versionId: i.versionId, source: i.source,
    sourceRevision: i.sourceRevision, repository: i.repository, options: i.options,
  }));
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** The record with `instantiation` replacing the entry of the same id, or appended. */
export function withInstantiation(record: readonly Instantiation[], instantiation: Instantiation): Instantiation[] {
  const index = record.findIndex(i => i.id === instantiation.id);
  return index < 0 ? [...record, instantiation] : record.map((i, n) => (n === index ? instantiation : i));
}

/**
 * The instantiation a command works on: the one `id` names (by its id, or by its blueprint's package name where
 * the record holds that package once), or the only one.
 */
export function pickInstantiation(record: readonly Instantiation[], id: string | undefined): Instantiation {
  const listed = (entries: readonly Instantiation[]) => entries.map(i => `${i.id} = ${i.packageName}`).join(', ');
  if (id !== undefined) {
    const found = record.find(i => i.id === id);
    if (found) return found;
    // The name a person knows the blueprint by, which the refusals list beside each id and a fleet's --blueprint takes.
    const named = record.filter(i => i.packageName === id);
    if (named.length === 1) return named[0];
    if (named.length > 1) {
      throw new ProjectInputError(`${RECORD_PATH} records ${id} ${named.length} times; choose one by its id with --instantiation ` +
        `(${named.map(i => `${i.id} = repository '${i.repository}'`).join(', ')})`);
    }
    throw new ProjectInputError(`no instantiation '${id}' in ${RECORD_PATH} (recorded: ${listed(record) || 'none'})`);
  }
  if (record.length === 1) return record[0];
  if (record.length === 0) throw new ProjectInputError(`${RECORD_PATH} records no instantiation`);
  throw new ProjectInputError(`${RECORD_PATH} records ${record.length} instantiations; choose one with --instantiation ID or NAME (${listed(record)})`);
}

/** A new instantiation id. */
export function newInstantiationId(): string {
  return crypto.randomUUID();
}

/**
 * The file a job reads as `INSTANTIATIONS_ABS`: the SDK's shape, where the hosted service stores each
 * instantiation's options as a JSON string.
 */
export function sdkInstantiations(record: readonly Instantiation[]): string {
  return JSON.stringify(record.map(i => ({ id: i.id, packageName: i.packageName, versionId: i.versionId, options: JSON.stringify(i.options) })), null, 2);
}

/**
 * What an update changes, in words, for its headline: `X@1.0.0 -> X@2.0.0`, or, when the version stays, what
 * moved instead (`X@1.0.0 with new options: region, code.port`), never the `X@1.0.0 -> X@1.0.0` that reads as nothing.
 */
export function updateChange(previous: Instantiation | undefined, next: Instantiation, arrow = '->'): string {
  const to = `${next.packageName}@${next.versionId}`;
  const from = previous ? `${previous.packageName}@${previous.versionId}` : 'nothing';
  if (!previous || from !== to) return `${from} ${arrow} ${to}`;
  const names = changedOptionKeys(previous.options, next.options);
  if (names.length > 0) return `${to} with new options: ${firstOf(names, 3)}`;
  return previous.source === next.source ? `${to} again` : `${to} from ${next.source}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The options that differ between two option sets, as `--set` spells their keys (`code.port`): SDK blueprints
 * group their options in objects (`code`, `environment`), and a headline that said only `code` would not tell
 * which one moved. An object added or removed whole, or an array, is named once, at its own key.
 */
export function changedOptionKeys(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ''): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap(key => {
    const a = before[key];
    const b = after[key];
    if (isPlainObject(a) && isPlainObject(b)) return changedOptionKeys(a, b, `${prefix}${key}.`);
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${prefix}${key}`];
  });
}
