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
    throw new InputError(`${entry}: not found (a blueprint exports its class 'Blueprint' from src/index.ts, or a published package from its package.json 'main')${staleBuildNote(blueprintDir)}`);
  }
}

/**
 * The compiled entry of a published package: its package.json `main`, when that file exists. Not for a blueprint's
 * own sources (TypeScript in `src/`, outside `node_modules`) that lack `src/index.ts`: their `main` is a build of
 * them, perhaps an old one (`src/index.ts` renamed after a `yarn build`), which would run without a word in place
 * of the sources; the caller then says `src/index.ts` is missing.
 */
export function publishedEntry(blueprintDir: string): string | undefined {
  if (typeScriptSources(blueprintDir).length > 0) return undefined;
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

/** Up to three TypeScript sources (no declaration files) in a blueprint folder's `src/`, unless it is an installed package. */
export function typeScriptSources(blueprintDir: string): string[] {
  if (path.resolve(blueprintDir).split(path.sep).includes('node_modules')) return [];
  let files: string[];
  try {
    files = fs.readdirSync(path.join(blueprintDir, 'src'), { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return files.filter(file => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.split(path.sep).includes('node_modules'))
    .sort().slice(0, 3).map(file => `src/${file.split(path.sep).join('/')}`);
}

/** For a blueprint whose sources lack `src/index.ts`: which sources there are, and that a build of them was not run. */
export function staleBuildNote(blueprintDir: string): string {
  const sources = typeScriptSources(blueprintDir);
  return sources.length === 0 ? '' : `; src/ holds the blueprint's TypeScript (${sources.join(', ')}), so its package.json 'main', a build of it, perhaps an old one, was not run`;
}
