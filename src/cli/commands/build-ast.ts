import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { sdkAst } from '../../schema/sdk-ast';
import { Command, parseCommandArgs, UsageError } from '../command';
import { buildSchema } from './build-schema';

/**
 * `blueprint build-ast`: the SDK's command, kept so that a ported project's scripts work. It writes the
 * options schema, which bluesynth validates with, and the SDK's `ast.json` of FILE, which SDK blueprints read.
 */
export const command: Command = {
  name: 'build-ast',
  summary: 'the SDK\'s spelling of build-schema: build-ast FILE --outdir OUT',
  usage: `Usage: blueprint build-ast FILE --outdir OUT

The SDK's command, for ported projects. FILE is the blueprint's compiled declarations (the SDK
passes lib/blueprint.d.ts); the blueprint is the nearest folder above it with src/index.ts. Writes
the options schema as build-schema does, a copy to OUT/options.schema.json, and the SDK's syntax
tree of FILE to OUT/ast.json (where SDK blueprints read it). When FILE does not exist yet (the
blueprint is not compiled), only the schema is written, with a warning.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({ args, options: { outdir: { type: 'string' }, verbose: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('expected one FILE (the blueprint\'s lib/blueprint.d.ts)');
    const [file] = positionals;
    const blueprintDir = findBlueprintDir(file);
    const code = buildSchema(blueprintDir, values.outdir);
    if (!values.outdir) return code;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      console.error(`warning: ${file} does not exist (compile the blueprint first): ${path.join(values.outdir, 'ast.json')} not written`);
      return code;
    }
    const readPolicy = (tag: string, policy: string) => readPolicyFile(blueprintDir, file, tag, policy);
    const ast = sdkAst(fs.readFileSync(file, 'utf8'), readPolicy);
    fs.mkdirSync(values.outdir, { recursive: true });
    fs.writeFileSync(path.join(values.outdir, 'ast.json'), ast);
    console.log(`wrote ${path.join(values.outdir, 'ast.json')}`);
    return code;
  },
};

/** A policy file a `@inlinePolicy` / `@trustPolicy` tag names, relative to `src/`, as one-line JSON. */
function readPolicyFile(blueprintDir: string, declarations: string, tag: string, policy: string): string {
  const file = path.join(blueprintDir, 'src', policy);
  try {
    return JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UsageError(`${declarations}: @${tag} ${policy}: cannot read ${file} as JSON: ${(error as Error).message}`);
  }
}

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
