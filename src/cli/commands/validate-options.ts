import * as path from 'path';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { Configuration, defaultsFileOf, readOptionsFile, singleConfiguration, wizardConfigurations } from '../../blueprint/options-files';
import { formatIssue } from '../../schema/validate';
import { OptionsValidationError, validateConfigurations } from '../../schema/validate-configurations';
import { Command, parseCommandArgs, UsageError } from '../command';
import { findBlueprintDir } from './build-ast';
import { plural } from '../../plural';

/** `blueprint validate-options`: the defaults and wizard configurations against the blueprint's Options. */
export const command: Command = {
  name: 'validate-options',
  summary: 'check defaults.json and every wizard configuration against the blueprint\'s Options schema',
  usage: `Usage: blueprint validate-options [--blueprint DIR] [--strict] [FILE...]
       blueprint validate-options AST DEFAULTS        (the SDK's form)

Validates DIR/src/defaults.json (a published package's lib/defaults.json) and each wizard
configuration (merged over the defaults), or each FILE (merged over the defaults), against the
blueprint's options schema (rebuilt first if the blueprint's sources changed). A value of the wrong
type, outside its choices or not matching its @validationRegex is an error; a required option that
is missing, or an option the blueprint does not declare, is a warning (an error with --strict).
Prints one line per finding:

  error: FILE: $.json.path: rule: message: @validationMessage

Exits 0 when there are no errors, 1 when there are. A syntax tree (build-ast's ast.json) is no
options file: given without the options file after it, it is refused (exit 2), as the SDK does.

  --blueprint DIR   the blueprint folder [default: .]
  --strict          warnings are errors`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      options: { blueprint: { type: 'string' }, strict: { type: 'boolean' }, verbose: { type: 'boolean' } },
      allowPositionals: true,
    });
    let blueprintDir = values.blueprint ?? '.';
    let files = positionals;
    if (values.blueprint === undefined && positionals.length === 2 && path.basename(positionals[0]) === 'ast.json') {
      // The SDK's form: AST names the blueprint (its lib/ folder), DEFAULTS the file to check.
      blueprintDir = findBlueprintDir(path.dirname(positionals[0]));
      files = [positionals[1]];
    }
    const tree = files.find(isSyntaxTree);
    if (tree !== undefined) {
      throw new UsageError(
        `'${tree}' is the blueprint's syntax tree (as build-ast writes it), not an options file: ` +
          `the SDK's spelling takes the options file after it (blueprint validate-options ${tree} OPTIONS)`,
      );
    }
    const defaultsFile = defaultsFileOf(blueprintDir);
    const configurations: Configuration[] =
      files.length > 0
        ? files.map(file => singleConfiguration(file, defaultsFile))
        : [
            { name: 'defaults', file: defaultsFile, options: readOptionsFile(defaultsFile) },
            ...wizardConfigurations(defaultsFile, path.join(blueprintDir, BlueprintFolder.WIZARD_CONFIGURATIONS)).filter(c => c.file !== defaultsFile),
          ];
    if (configurations.length === 0) throw new UsageError('nothing to validate');
    try {
      const issues = validateConfigurations(blueprintDir, configurations, { strict: values.strict, defaultsFile });
      const warnings = issues.length;
      console.log(`${plural(configurations.length, 'options file')} valid${warnings ? ` (${plural(warnings, 'warning')})` : ''}`);
      return 0;
    } catch (error) {
      if (!(error instanceof OptionsValidationError)) throw error;
      error.issues.forEach(issue => console.error(formatIssue(issue)));
      const files = new Set(error.issues.map(issue => issue.file)).size;
      console.error(`${plural(error.issues.length, 'error')} in ${files} of ${plural(configurations.length, 'options file')}`);
      return 1;
    }
  },
};

/**
 * Whether an options file holds the SDK's syntax tree (`build-ast`'s `ast.json`: a TypeScript `SourceFile`). Given
 * alone, it is the SDK's two-argument spelling with the options file forgotten, which the SDK refuses; checked as
 * options, it would pass with a warning per top-level statement.
 */
function isSyntaxTree(file: string): boolean {
  const value = readOptionsFile(file);
  return value.kind === 'SourceFile' && Array.isArray(value.statements);
}
