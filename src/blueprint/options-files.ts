import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from './blueprint-folder';
import { InputError } from '../errors';
import { positionAt } from '../text-position';

/** Raised for an options file that cannot be read or is not a JSON object; names the file and line. */
export class OptionsFileError extends InputError {}

/** One set of options a blueprint is run with: a wizard configuration merged over the defaults. */
export interface Configuration {
  /** The configuration's name: its file name without `.json` (`defaults` for the defaults alone). */
  readonly name: string;
  /** The file the configuration came from. */
  readonly file: string;
  /** The merged options. */
  readonly options: Record<string, unknown>;
  /** The wizard configuration's own options, before they were merged over the defaults. @default none (the defaults alone) */
  readonly overlay?: Record<string, unknown>;
}

/**
 * Reads a JSON file that must hold an object; a syntax error names the file, line and column. A file that is
 * not a regular file (a pipe: `--options /dev/stdin`, a shell's `<(...)`) is read once per process, and later
 * reads get the text the first one got (see {@link readOptionsText}).
 */
export function readOptionsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readOptionsText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The code alone (ENOENT) is the system's word, not the user's.
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code ?? (error as Error).message;
    throw new OptionsFileError(`${file}: cannot read options (${why})`);
  }
  // A byte order mark, as Windows editors and PowerShell write one, is no part of the JSON (RFC 8259 lets a parser
  // ignore it, as Node's require() and TypeScript's JSON imports of defaults.json do).
  text = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OptionsFileError(`${file}${jsonErrorAt(text, (error as Error).message)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OptionsFileError(`${file}: options must be a JSON object${recordHint(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Where a refused options file is a list of instantiations (`.bluesynth/instantiations.json`, as `git show` gives
 * the record before a disassociation, which is where the re-adoption's options are to be found), the way on: the
 * one entry's `options` object, which is what `--options` takes. Empty for anything else.
 */
function recordHint(value: unknown): string {
  const isEntry = (entry: unknown): entry is { id: unknown; options: unknown } =>
    entry !== null && typeof entry === 'object' && 'id' in entry && 'options' in entry;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isEntry)) return '';
  const ids = value.map(entry => String(entry.id)).join(', ');
  return `; this is a list of instantiations, as .bluesynth/instantiations.json holds: give the "options" object of the one ` +
    `to apply (id ${ids}) in a file of its own`;
}

/**
 * The text of each options file read so far that is not a regular file, by absolute path. A run reads its options
 * file more than once (merged over the defaults, then again where validation names the file that set a value,
 * where create records the flags' values), but a pipe gives its text only to the first read: later reads would
 * find it empty, and "invalid JSON" at 1:1 for a file that was valid. A regular file is read afresh each time, so
 * that the preview sees a configuration edited while it runs.
 */
const pipedTexts = new Map<string, string>();

function readOptionsText(file: string): string {
  const key = path.resolve(file);
  const piped = pipedTexts.get(key);
  if (piped !== undefined) return piped;
  const fd = fs.openSync(file, 'r');
  try {
    const text = fs.readFileSync(fd, 'utf8');
    if (!fs.fstatSync(fd).isFile()) pipedTexts.set(key, text);
    return text;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `:line:column: invalid JSON: <reason>` for the first syntax error in `text`, on one line. V8's own
 * messages give a position only for some errors and quote the file's text, raw newlines included, so a
 * strict JSON scanner (loaded only on this error path) finds the position and names the error.
 */
function jsonErrorAt(text: string, v8Message: string): string {
  const { parse, printParseErrorCode } = require('jsonc-parser') as typeof import('jsonc-parser');
  const errors: import('jsonc-parser').ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length === 0) return `: invalid JSON: ${JSON.stringify(v8Message).slice(1, -1)}`;
  // 'ValueExpected' -> 'value expected'; a comment, which JSON has none of, said in those words.
  const code = printParseErrorCode(errors[0].error);
  const reason = code === 'InvalidCommentToken' ? 'a comment (JSON has no comments)' : code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const { line, column } = positionAt(text, errors[0].offset);
  return `:${line}:${column}: invalid JSON: ${reason}`;
}

/**
 * Deep-merges `overlay` over `base` as the SDK's drivers do: plain objects merge key by key,
 * everything else (arrays included) is replaced by the overlay's value. Neither input is changed.
 */
export function mergeOptions<T extends Record<string, unknown>>(base: T, overlay: Record<string, unknown>): T {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = Object.hasOwn(result, key) ? result[key] : undefined;
    const merged = isPlainObject(current) && isPlainObject(value) ? mergeOptions(current, value) : value;
    // Defined, not assigned: an options file's "__proto__" key (JSON.parse keeps it a key) stays an option that
    // validation names, where an assignment would make its value the result's prototype, its keys seeming the file's own.
    Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return result as T;
}

/** Whether `value` is an object of options (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The configuration name of an options file: its file name without `.json`. */
export function configurationName(file: string): string {
  return path.basename(file).replace(/\.json$/, '');
}

/** A wizard configuration whose file cannot be read, does not parse or holds no JSON object. */
export interface UnreadableConfiguration {
  /** The configuration's name: its file name without `.json`. */
  readonly name: string;
  /** Its file. */
  readonly file: string;
  /** Why it cannot be read, naming the file (and the line and column of a syntax error). */
  readonly error: OptionsFileError;
}

/** The wizard configurations of a blueprint, as {@link readWizardConfigurations} reads them. */
export interface WizardConfigurations {
  /** Those that can run, each merged over the defaults. */
  readonly configurations: Configuration[];
  /** Those whose file cannot be read. */
  readonly unreadable: UnreadableConfiguration[];
}

/**
 * One configuration per wizard configuration (`*.json` in `wizardDir`, in name order), each merged over the
 * defaults; or the defaults alone when the folder holds none, or is missing and was not named by the user
 * (`namedBy`, see {@link wizardFolderOption}), as the SDK does. A wizard configuration whose file cannot be read
 * is set apart with its error, so that it fails only its own job; defaults that cannot be read throw, as every
 * configuration is merged over them, and so does a folder that is missing though named, or is not a folder.
 */
export function readWizardConfigurations(defaultsFile: string, wizardDir?: string, namedBy?: string): WizardConfigurations {
  const defaults = readOptionsFile(defaultsFile);
  const files = wizardConfigurationFiles(wizardDir, namedBy);
  if (files.length === 0) {
    return { configurations: [{ name: configurationName(defaultsFile), file: defaultsFile, options: defaults }], unreadable: [] };
  }
  const configurations: Configuration[] = [];
  const unreadable: UnreadableConfiguration[] = [];
  for (const file of files) {
    try {
      const overlay = readOptionsFile(file);
      configurations.push({ name: configurationName(file), file, options: mergeOptions(defaults, overlay), overlay });
    } catch (error) {
      if (!(error instanceof OptionsFileError)) throw error;
      unreadable.push({ name: configurationName(file), file, error });
    }
  }
  return { configurations, unreadable };
}

/** The `*.json` files of a wizard configurations folder, in name order; none when it may be absent and is. */
function wizardConfigurationFiles(wizardDir: string | undefined, namedBy: string | undefined): string[] {
  if (wizardDir === undefined) return [];
  const stat = fs.statSync(wizardDir, { throwIfNoEntry: false });
  // A folder the user named and mistyped would otherwise run the defaults alone, and pass, having checked
  // none of the configurations it was meant to.
  if (stat === undefined && namedBy === undefined) return [];
  if (stat === undefined) throw new OptionsFileError(`${namedBy}: '${wizardDir}' does not exist`);
  if (!stat.isDirectory()) throw new OptionsFileError(`${namedBy ?? 'the wizard configurations folder'}: '${wizardDir}' is not a folder`);
  return fs.readdirSync(wizardDir).filter(name => name.endsWith('.json')).sort().map(name => path.join(wizardDir, name));
}

/** The wizard configurations folder of a blueprint, and who named it (see {@link wizardFolderOption}). */
export interface WizardFolder {
  /** The folder. */
  readonly dir: string;
  /** The option that named it, when the folder must exist; undefined for the blueprint's own folder. */
  readonly namedBy?: string;
}

/**
 * The wizard configurations folder an option names (`--additional-options DIR`), or the blueprint's own
 * `src/wizard-configurations` when it is not given. Only the blueprint's own folder may be absent, however it is
 * spelt: the scripts the SDK generates name it on every blueprint, and most have none.
 */
export function wizardFolderOption(blueprintDir: string, given: string | undefined, option: string): WizardFolder {
  const own = path.join(blueprintDir, BlueprintFolder.WIZARD_CONFIGURATIONS);
  if (given === undefined) return { dir: own };
  return path.resolve(given) === path.resolve(own) ? { dir: given } : { dir: given, namedBy: option };
}

/**
 * The configurations of {@link readWizardConfigurations}, for callers that need every one of them: the first
 * wizard configuration that cannot be read throws its error.
 */
export function wizardConfigurations(defaultsFile: string, wizardDir?: string, namedBy?: string): Configuration[] {
  const { configurations, unreadable } = readWizardConfigurations(defaultsFile, wizardDir, namedBy);
  if (unreadable.length > 0) throw unreadable[0].error;
  return configurations;
}

/** One options file merged over the defaults (the file itself when it is the defaults file). */
export function singleConfiguration(optionsFile: string, defaultsFile?: string): Configuration {
  const options = readOptionsFile(optionsFile);
  const merged =
    defaultsFile && fs.existsSync(defaultsFile) && path.resolve(defaultsFile) !== path.resolve(optionsFile)
      ? mergeOptions(readOptionsFile(defaultsFile), options)
      : options;
  return { name: configurationName(optionsFile), file: optionsFile, options: merged };
}

/**
 * `file`, a blueprint's own defaults file, which a run over its wizard configurations needs: missing, it is said as the
 * piece of a blueprint it is rather than as a file that cannot be read. `instead` names the option that gives another.
 */
export function requireDefaultsFile(file: string, instead?: string): string {
  if (!fs.existsSync(file)) {
    throw new OptionsFileError(`${file}: no such file: a blueprint's default options, which each wizard configuration is merged over, ` +
      `are its src/defaults.json ('{}' when every option is optional)${instead ? `; or give ${instead}` : ''}`);
  }
  return file;
}

/**
 * A blueprint folder's default options file: `src/defaults.json`, or a published package's compiled
 * `lib/defaults.json` where the package ships no sources (the first when neither exists, to name it).
 */
export function defaultsFileOf(blueprintDir: string): string {
  const source = path.join(blueprintDir, BlueprintFolder.DEFAULTS);
  const compiled = path.join(blueprintDir, 'lib', 'defaults.json');
  return !fs.existsSync(source) && fs.existsSync(compiled) ? compiled : source;
}
