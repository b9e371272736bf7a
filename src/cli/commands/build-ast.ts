import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { Command, parseCommandArgs, UsageError } from '../command';
import { buildSchema } from './build-schema';

/**
 * `blueprint build-ast`: the SDK's command, kept so that a ported project's scripts work. It writes the
 * options schema (not the SDK's AST, which nothing in bluesynth reads).
 */
export const command: Command = {
  name: 'build-ast',
  summary: 'the SDK\'s spelling of build-schema: build-ast FILE --outdir OUT',
  usage: `Usage: blueprint build-ast FILE --outdir OUT

The SDK's command, for ported projects. FILE is any file of the blueprint (the SDK passes
lib/blueprint.d.ts); the blueprint is the nearest folder above it with src/index.ts. Writes the
options schema as build-schema does, and a copy to OUT/options.schema.json.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({ args, options: { outdir: { type: 'string' }, verbose: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('expected one FILE (the blueprint\'s lib/blueprint.d.ts)');
    return buildSchema(findBlueprintDir(positionals[0]), values.outdir);
  },
};

/** The nearest folder at or above `file` that holds a blueprint (`src/index.ts`). */
export function findBlueprintDir(file: string): string {
  let dir = path.resolve(file);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  for (;;) {
    if (fs.existsSync(path.join(dir, BlueprintFolder.ENTRY))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new UsageError(`${file}: no blueprint (a folder with ${BlueprintFolder.ENTRY}) at or above it`);
    dir = parent;
  }
}
