import * as fs from 'fs';
import * as path from 'path';
import { currentOptionsSchema, OPTIONS_SCHEMA_FILE } from '../../schema/schema-file';
import { InputError } from '../../errors';
import { blueprintFolderOption, Command, parseCommandArgs } from '../command';
import { plural } from '../../plural';

/** `blueprint build-schema`: the blueprint's Options interface as JSON Schema, for wizards and validation. */
export const command: Command = {
  name: 'build-schema',
  summary: `write the JSON Schema of a blueprint's Options (with its wizard tags) to ${OPTIONS_SCHEMA_FILE}`,
  usage: `Usage: blueprint build-schema [--blueprint DIR] [--outdir OUT]

Reads the Options interface that DIR/src/index.ts exports and writes its JSON Schema (draft-07),
with the JSDoc wizard tags as annotations and the defaults as default values, to
DIR/${OPTIONS_SCHEMA_FILE}. synth and validate-options rebuild it themselves when the blueprint's
sources changed; this command always rebuilds it.

  --blueprint DIR   the blueprint folder [default: .]
  --outdir OUT      also write a copy to OUT/options.schema.json`,
  async run(args) {
    const { values } = parseCommandArgs({ args, options: { blueprint: { type: 'string' }, outdir: { type: 'string' }, verbose: { type: 'boolean' } } });
    return buildSchema(blueprintFolderOption(values.blueprint), values.outdir);
  },
};

/** Rebuilds the schema of the blueprint in `blueprintDir`, prints where it went, and returns the exit code. */
export function buildSchema(blueprintDir: string, outdir?: string): number {
  const started = Date.now();
  const lookup = currentOptionsSchema(blueprintDir, { rebuild: true });
  lookup.warnings.forEach(w => console.error(`warning: ${w}`));
  // The blueprint's sources are at fault, not the arguments: the command's usage would bury the reason.
  if (!lookup.schema) throw new InputError(lookup.reason);
  const written = [path.relative(process.cwd(), lookup.file) || lookup.file];
  if (outdir && path.resolve(outdir, 'options.schema.json') !== lookup.file) {
    fs.mkdirSync(outdir, { recursive: true });
    fs.copyFileSync(lookup.file, path.join(outdir, 'options.schema.json'));
    written.push(path.join(outdir, 'options.schema.json'));
  }
  const count = Object.keys(lookup.schema.properties ?? {}).length;
  console.log(`wrote ${written.join(' and ')}: ${plural(count, 'option')} in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}
