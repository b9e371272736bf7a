import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../errors';
import { Configuration, defaultsFileOf, readOptionsFile } from '../blueprint/options-files';
import { cacheDir, writeRebuildable } from '../cache/cache-dir';
import { JsonSchema } from './json-schema';
import { currentOptionsSchema } from './schema-file';
import { compileOptionsValidator, formatIssue, OptionsIssue, OptionsLayer, OptionsSource } from './validate';
import { displayPath } from '../bundle/paths';

/** Raised when options break the blueprint's schema; the CLI exits 2 and prints every finding. */
export class OptionsValidationError extends InputError {
  constructor(public readonly issues: OptionsIssue[]) {
    // Named for itself (InputError would name it 'InputError'), as a failed job names it in every command's output.
    super(['the options do not match the blueprint\'s Options:', ...issues.map(formatIssue)].join('\n  '), { name: 'OptionsValidationError' });
  }
}

/**
 * What a run does with options that break the blueprint's schema: `error` fails that configuration's job
 * (the others run), `warn` prints the errors as warnings and runs every job, `off` does not validate.
 */
export type ValidationMode = 'error' | 'warn' | 'off';

/** The values of {@link ValidationMode}, for the CLI's `--validation`. */
export const VALIDATION_MODES: readonly ValidationMode[] = ['error', 'warn', 'off'];

/**
 * A configuration to validate. Its `file` is where its values come from; when they come from somewhere else
 * than a file (a command's `--set` flags), `overlay` holds them and `file` says where, in words.
 */
export interface ValidatedConfiguration extends Configuration {
  /** The values the configuration sets over the defaults, when `file` is not a file to read them from. @default read from `file` */
  readonly overlay?: Record<string, unknown>;
  /** The flags and files that give its values over the defaults one after another, each named on its own (see {@link OptionsSource.layers}); `file` and `overlay` are then not read. @default none */
  readonly layers?: readonly OptionsLayer[];
}

/** How {@link validateConfigurations} reports. */
export interface ValidateConfigurationsOptions {
  /** Missing required options and unknown options are errors too. @default false */
  readonly strict?: boolean;
  /** The defaults file the configurations were merged over. @default DIR/src/defaults.json */
  readonly defaultsFile?: string;
  /** Where warnings go. @default stderr */
  readonly warn?: (line: string) => void;
}

/**
 * Validates each configuration (its merged options) against the blueprint's options schema before any
 * job runs. Warnings are printed; errors are thrown together as one {@link OptionsValidationError}.
 * A blueprint without an `Options` that makes a schema is said so once and not validated.
 * Resolves to every finding.
 */
export function validateConfigurations(blueprintDir: string, configurations: readonly ValidatedConfiguration[], options: ValidateConfigurationsOptions = {}): OptionsIssue[] {
  const found = findIssues(blueprintDir, configurations, options);
  const errors = uniqueIssues(found.flat().filter(i => i.level === 'error'));
  if (errors.length > 0) throw new OptionsValidationError(errors);
  return uniqueIssues(found.flat());
}

/**
 * Validates each configuration for a run in `mode` and returns, in the configurations' order, the errors
 * that fail each one's job (always none unless `mode` is `error`). Warnings are printed once each; in
 * `warn` mode the errors are printed as warnings too.
 */
export function validateForRun(blueprintDir: string, configurations: readonly ValidatedConfiguration[], mode: ValidationMode = 'error', options: ValidateConfigurationsOptions = {}): OptionsIssue[][] {
  return findingsForRun(blueprintDir, configurations, mode, options).map(findings => findings.refused);
}

/** What validation found in one configuration's options for a run (see {@link findingsForRun}). */
export interface RunFindings {
  /** The errors that fail its job without running the blueprint (none unless the mode is `error`). */
  readonly refused: OptionsIssue[];
  /**
   * What was only said, each as a warning: the likely cause when its job then fails (a required option the defaults
   * lack is a warning, as the SDK accepts it, and the blueprint fails on reading it), so a failure repeats them.
   */
  readonly warned: OptionsIssue[];
}

/** The warnings of {@link RunFindings.warned} as a failed job repeats them: `FILE: $.path: rule: message`, without `warning: `. */
export function warnedLines(findings: RunFindings): string[] {
  return findings.warned.map(issue => formatIssue(issue).replace(/^warning: /, ''));
}

/** {@link validateForRun}, with what each configuration was warned of beside what refuses it. */
export function findingsForRun(blueprintDir: string, configurations: readonly ValidatedConfiguration[], mode: ValidationMode = 'error', options: ValidateConfigurationsOptions = {}): RunFindings[] {
  if (mode === 'off') return configurations.map(() => ({ refused: [], warned: [] }));
  const warn = options.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  const found = findIssues(blueprintDir, configurations, { ...options, warn });
  const asWarning = (issue: OptionsIssue): OptionsIssue => ({ ...issue, level: 'warning' });
  if (mode === 'warn') {
    uniqueIssues(found.flat().filter(i => i.level === 'error')).forEach(i => warn(formatIssue(asWarning(i))));
    return found.map(issues => ({ refused: [], warned: issues.map(asWarning) }));
  }
  return found.map(issues => ({ refused: issues.filter(i => i.level === 'error'), warned: issues.filter(i => i.level === 'warning') }));
}

/** Every issue of each configuration, in their order; warnings printed once each (errors are the caller's). */
function findIssues(blueprintDir: string, configurations: readonly ValidatedConfiguration[], options: ValidateConfigurationsOptions): OptionsIssue[][] {
  const warn = options.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  const lookup = currentOptionsSchema(blueprintDir);
  lookup.warnings.forEach(w => warn(`warning: ${w}`));
  if (!lookup.schema) {
    warn(`warning: options not validated: ${lookup.reason}`);
    return configurations.map(() => []);
  }
  const defaultsFile = options.defaultsFile ?? defaultsFileOf(blueprintDir);
  // Loading and compiling the validator costs more than a warm job: the same options with the same schema give
  // the same findings, so each configuration's findings are kept, errors too (a run with --validation warn, or
  // one whose other configurations run, must not pay for the validator again).
  const cached = cacheDir('options-issues', validationKey(lookup.schema, configurations, defaultsFile, !!options.strict));
  let found = readCached(cached, configurations.length);
  if (!found) {
    found = validateEach(lookup.schema, configurations, defaultsFile, options.strict);
    writeRebuildable(cached, JSON.stringify(found));
  }
  // A value of the defaults that no configuration overrides is reported once, not once per configuration.
  uniqueIssues(found.flat().filter(i => i.level === 'warning')).forEach(i => warn(formatIssue(i)));
  return found;
}

function validateEach(schema: JsonSchema, configurations: readonly ValidatedConfiguration[], defaultsFile: string, strict?: boolean): OptionsIssue[][] {
  const validate = compileOptionsValidator(schema);
  return configurations.map(configuration => {
    const base = { file: displayPath(configuration.file), defaultsFile: displayPath(defaultsFile) };
    let source: OptionsSource;
    if (configuration.layers) {
      source = { ...base, layers: configuration.layers };
    } else {
      source = { ...base, overlay: configuration.overlay ?? (path.resolve(configuration.file) === path.resolve(defaultsFile) ? undefined : readOptionsFile(configuration.file)) };
    }
    return validate(configuration.options, source, strict);
  });
}

function uniqueIssues(issues: OptionsIssue[]): OptionsIssue[] {
  return [...new Map(issues.map(i => [formatIssue(i), i])).values()];
}

/**
 * The errors of options about to be written as the wizard configuration `file` (the preview saving its
 * form): `overlay` is what the file will hold, `options` that merged over the defaults. None when the
 * blueprint has no schema to check them with.
 */
export function unsavedConfigurationErrors(blueprintDir: string, file: string, options: Record<string, unknown>, overlay: Record<string, unknown>): OptionsIssue[] {
  const lookup = currentOptionsSchema(blueprintDir);
  if (!lookup.schema) return [];
  const source = { file: displayPath(file), overlay, defaultsFile: displayPath(defaultsFileOf(blueprintDir)) };
  return compileOptionsValidator(lookup.schema)(options, source).filter(issue => issue.level === 'error');
}

function validationKey(schema: JsonSchema, configurations: readonly ValidatedConfiguration[], defaultsFile: string, strict: boolean): string {
  // The findings name files as displayPath gives them, so the key holds those names, not the working folder:
  // a fleet's clones (or any two folders that name the files alike) share the entry.
  const hash = crypto.createHash('sha256').update(JSON.stringify([schema['x-bluesynth'], strict, displayPath(defaultsFile)]));
  for (const configuration of configurations) hash.update(JSON.stringify([displayPath(configuration.file), configuration.options, configuration.overlay ?? null, configuration.layers ?? null]));
  return hash.digest('hex') + '.json';
}

function readCached(file: string, count: number): OptionsIssue[][] | undefined {
  try {
    const found = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(found) && found.length === count && found.every(Array.isArray) ? found : undefined;
  } catch {
    return undefined;
  }
}

