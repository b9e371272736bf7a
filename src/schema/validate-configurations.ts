import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { BlueprintSynthesisError } from '../blueprint/errors';
import { Configuration, readOptionsFile } from '../blueprint/options-files';
import { cacheDir, writeRebuildable } from '../runner/cache-dir';
import { JsonSchema } from './json-schema';
import { currentOptionsSchema } from './schema-file';
import { compileOptionsValidator, formatIssue, OptionsIssue } from './validate';

/** Raised when options break the blueprint's schema; the CLI exits 2 and prints every finding. */
export class OptionsValidationError extends BlueprintSynthesisError {
  constructor(public readonly issues: OptionsIssue[]) {
    super({ message: ['the options do not match the blueprint\'s Options:', ...issues.map(formatIssue)].join('\n  '), name: 'InputError' });
  }
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
export function validateConfigurations(blueprintDir: string, configurations: readonly Configuration[], options: ValidateConfigurationsOptions = {}): OptionsIssue[] {
  const warn = options.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  const lookup = currentOptionsSchema(blueprintDir);
  lookup.warnings.forEach(w => warn(`warning: ${w}`));
  if (!lookup.schema) {
    warn(`warning: options not validated: ${lookup.reason}`);
    return [];
  }
  const defaultsFile = options.defaultsFile ?? path.join(blueprintDir, BlueprintFolder.DEFAULTS);
  // Loading and compiling the validator costs more than a warm job: options that passed before with the
  // same schema pass again, and their warnings are replayed from the cache.
  const passed = cacheDir('options-valid', validationKey(lookup.schema, configurations, defaultsFile, !!options.strict));
  const remembered = readCached(passed);
  if (remembered) {
    remembered.forEach(i => warn(formatIssue(i)));
    return remembered;
  }
  const validate = compileOptionsValidator(lookup.schema);
  // A value of the defaults that no configuration overrides is reported once, not once per configuration.
  const found = new Map<string, OptionsIssue>();
  for (const configuration of configurations) {
    const own = path.resolve(configuration.file) === path.resolve(defaultsFile) ? undefined : readOptionsFile(configuration.file);
    for (const issue of validate(configuration.options, { file: show(configuration.file), overlay: own, defaultsFile: show(defaultsFile) }, options.strict)) {
      found.set(formatIssue(issue), issue);
    }
  }
  const issues = [...found.values()];
  issues.filter(i => i.level === 'warning').forEach(i => warn(formatIssue(i)));
  const errors = issues.filter(i => i.level === 'error');
  if (errors.length > 0) throw new OptionsValidationError(errors);
  writeRebuildable(passed, JSON.stringify(issues));
  return issues;
}

/**
 * The errors of options about to be written as the wizard configuration `file` (the preview saving its
 * form): `overlay` is what the file will hold, `options` that merged over the defaults. None when the
 * blueprint has no schema to check them with.
 */
export function unsavedConfigurationErrors(blueprintDir: string, file: string, options: Record<string, unknown>, overlay: Record<string, unknown>): OptionsIssue[] {
  const lookup = currentOptionsSchema(blueprintDir);
  if (!lookup.schema) return [];
  const source = { file: show(file), overlay, defaultsFile: show(path.join(blueprintDir, BlueprintFolder.DEFAULTS)) };
  return compileOptionsValidator(lookup.schema)(options, source).filter(issue => issue.level === 'error');
}

function validationKey(schema: JsonSchema, configurations: readonly Configuration[], defaultsFile: string, strict: boolean): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify([schema['x-bluesynth'], strict, show(defaultsFile), process.cwd()]));
  for (const configuration of configurations) hash.update(JSON.stringify([configuration.file, configuration.options]));
  return hash.digest('hex') + '.json';
}

function readCached(file: string): OptionsIssue[] | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}


function show(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}
