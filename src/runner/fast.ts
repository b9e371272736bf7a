import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { InputError } from '../errors';
import { Runner } from './runner';

/**
 * The `fast` runner: loads the blueprint's `src/index.ts` directly and transpiles TypeScript on the fly
 * (see transpile.ts). A blueprint folder needs no build step and no tsconfig of its own. A published
 * blueprint package (the SDK's included) has no `src/index.ts` but a compiled build: its package.json
 * `main` is loaded instead, as plain JavaScript.
 */
export class FastRunner implements Runner {
  readonly transpiles = true;

  async prepare(blueprintDir: string) {
    const entry = path.join(blueprintDir, BlueprintFolder.ENTRY);
    if (fs.existsSync(entry)) return { entry, transpile: true };
    const published = publishedEntry(blueprintDir);
    if (published) return { entry: published, transpile: true };
    throw new InputError(`${entry}: not found (a blueprint exports its class 'Blueprint' from src/index.ts, or a published package from its package.json 'main')`);
  }
}

/** The compiled entry of a published package: its package.json `main`, when that file exists. */
export function publishedEntry(blueprintDir: string): string | undefined {
  let main: unknown;
  try {
    main = JSON.parse(fs.readFileSync(path.join(blueprintDir, 'package.json'), 'utf8')).main;
  } catch {
    return undefined;
  }
  if (typeof main !== 'string') return undefined;
  const entry = path.resolve(blueprintDir, main);
  for (const candidate of [entry, `${entry}.js`, path.join(entry, 'index.js')]) {
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return undefined;
}
