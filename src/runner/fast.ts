import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { InputError } from '../errors';
import { Runner } from './runner';
import { refuseUnsupportedSyntax } from './transpile';

/**
 * The `fast` runner: loads the blueprint's `src/index.ts` directly and transpiles TypeScript on the fly
 * (see transpile.ts). A blueprint folder needs no build step and no tsconfig of its own. A published
 * blueprint package (the SDK's included) has no `src/index.ts` but a compiled build: its package.json
 * `main` is loaded instead, as plain JavaScript.
 */
export class FastRunner implements Runner {
  readonly transpiles = true;

  async prepare(blueprintDir: string) {
    const { entry, published } = blueprintEntry(blueprintDir);
    if (!published) refuseUnsupportedSyntax(blueprintDir);
    return { entry, transpile: true };
  }
}

/**
 * The file a blueprint folder runs from: its `src/index.ts` (or `src/index.js`, `src/index.cjs` in plain JavaScript), else, for a published package, the compiled build its
 * package.json `main` names (`published`). Not for a blueprint's own sources (TypeScript in `src/`, outside
 * `node_modules`) that lack `src/index.ts`: their `main` is a build of them, perhaps an old one (`src/index.ts`
 * renamed after a `yarn build`), which would run without a word in place of the sources. An {@link InputError}
 * naming `src/index.ts` (and such sources) when there is neither.
 */
export function blueprintEntry(blueprintDir: string): { entry: string; published: boolean } {
  const entry = path.join(blueprintDir, BlueprintFolder.ENTRY);
  if (fs.existsSync(entry)) return { entry, published: false };
  // A blueprint written in plain JavaScript keeps its sources where a TypeScript one does.
  const javaScript = JAVASCRIPT_ENTRIES.map(file => path.join(blueprintDir, file)).find(file => fs.existsSync(file));
  if (javaScript) {
    refuseEsModule(javaScript);
    return { entry: javaScript, published: false };
  }
  const sources = typeScriptSources(blueprintDir);
  const published = sources.length === 0 ? publishedEntry(blueprintDir) : undefined;
  if (published) {
    refuseEsModule(published);
    return { entry: published, published: true };
  }
  const stale = sources.length === 0 ? '' : `; src/ holds the blueprint's TypeScript (${sources.join(', ')}), so its package.json 'main', a build of it, perhaps an old one, was not run`;
  throw new InputError(`${entry}: not found (a blueprint exports its class 'Blueprint' from src/index.ts, or src/index.js in plain JavaScript, or a published package from its package.json 'main')${stale}`);
}

/**
 * Refuses a JavaScript entry (a build, or `src/index.js`) that is an ES module (`.mjs`, or `.js` under a package.json
 * that says `"type": "module"`), naming it and what to change: JavaScript runs as it is, as CommonJS, as in the SDK,
 * and Node's ES module loader would not find `bluesynth` (which a blueprint does not install: the framework that runs
 * it maps it to itself), nor run a build under the `--cache` runner. TypeScript sources are transpiled to CommonJS
 * whatever their module syntax.
 */
function refuseEsModule(entry: string): void {
  const scope = packageScope(path.dirname(entry));
  if (!entry.endsWith('.mjs') && !(entry.endsWith('.js') && scope?.type === 'module')) return;
  const why = entry.endsWith('.mjs') ? 'an .mjs file' : `a .js file under ${scope!.file}, which says "type": "module"`;
  throw new InputError(`${entry}: the blueprint's JavaScript entry is an ES module (${why}); bluesynth runs JavaScript blueprints as CommonJS, as the SDK does: write it with require() and module.exports, or compile it with "module": "commonjs" (and no "type": "module"); TypeScript sources in src/ may use ES module syntax`);
}

/** The nearest package.json at or above `dir`, with its `type`. */
function packageScope(dir: string): { file: string; type?: unknown } | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const file = path.join(current, 'package.json');
    try {
      return { file, type: JSON.parse(fs.readFileSync(file, 'utf8')).type };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { file };
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** The entries of a blueprint whose sources are plain JavaScript, tried after `src/index.ts`. */
const JAVASCRIPT_ENTRIES = ['src/index.js', 'src/index.cjs'];

/** The compiled entry of a published package: its package.json `main`, when that file exists. */
function publishedEntry(blueprintDir: string): string | undefined {
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
function typeScriptSources(blueprintDir: string): string[] {
  if (path.resolve(blueprintDir).split(path.sep).includes('node_modules')) return [];
  const src = path.join(blueprintDir, 'src');
  let files: string[];
  try {
    // withFileTypes: without it Node 20 follows links to folders, and two links to `src/` itself list without end.
    files = fs.readdirSync(src, { recursive: true, withFileTypes: true }).filter(entry => !entry.isDirectory())
      .map(entry => path.relative(src, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)));
  } catch {
    return [];
  }
  return files.filter(file => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.split(path.sep).includes('node_modules'))
    .sort().slice(0, 3).map(file => `src/${file.split(path.sep).join('/')}`);
}
