import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, writeRebuildable } from '../cache/cache-dir';
import { checkFrameworkImports } from './framework-imports';
import { commonJsSource, importMetaDeclaration } from './module-syntax';
import { NodeModule } from './node-module';

/** The extensions of the TypeScript files the fast runner transpiles. */
export const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];

/** Loaded on first use: a warm run finds every file in the cache and never needs it. */
let transform: ((code: string, file: string) => string) | undefined;

/**
 * The fast runner's TypeScript support: a require hook that strips types with sucrase (which keeps line
 * numbers, so stack traces point at the blueprint's own lines) and keeps each result on disk by content
 * hash, so that a warm run never loads the transpiler at all. Returns how to put back the hook that was
 * there before: a process that goes on after the blueprint (a test run) must not keep loading its own
 * TypeScript through this one.
 */
export function registerTypeScript(): () => void {
  const cache = cacheDir('transpiled');
  // Node's own table of loaders by extension (`require.extensions`, deprecated for users but exactly the
  // hook its CommonJS loader offers), taken from the module system itself: under jest, `require` is jest's.
  const extensions = (NodeModule as unknown as { _extensions: Record<string, unknown> })._extensions;
  const load = (module: NodeJS.Module, filename: string) => {
    const source = fs.readFileSync(filename, 'utf8');
    const code = transpiled(cache, filename, source);
    checkFrameworkImports(code, source, filename, request => module.require(request));
    (module as any)._compile(code, filename);
  };
  // `.mts` and `.cts` too: TypeScript's names for a module that is ESM or CommonJS whatever its package.json says.
  // Without a loader of their own, Node loads them as `.js`, which a `"type": "module"` package makes ESM, and refuses.
  const previous = Object.fromEntries(TYPESCRIPT_EXTENSIONS.map(extension => [extension, extensions[extension]]));
  for (const extension of TYPESCRIPT_EXTENSIONS) extensions[extension] = load;
  return () => {
    for (const extension of TYPESCRIPT_EXTENSIONS) {
      if (previous[extension] === undefined) delete extensions[extension];
      else extensions[extension] = previous[extension];
    }
  };
}

/**
 * The fast runner's check of what a TypeScript file imports from `bluesynth` ({@link checkFrameworkImports}), for
 * a runner that compiles the file another way (the `--cache` build, where a missing name would only fail where it
 * is first used): throws a `FrameworkImportError` naming the file, the line and the names.
 */
export function checkTypeScriptImports(source: string, filename: string, load: (request: string) => unknown): void {
  checkFrameworkImports(transpiled(cacheDir('transpiled'), filename, source), source, filename, load);
}

/**
 * Refuses, before any job starts, a TypeScript file under the blueprint's `src/` that uses a form CommonJS cannot run
 * (module-syntax.ts), with an `UnsupportedSyntaxError` (exit 2; the job would fail with the same message, exit 1, as
 * it still does for a file outside `src/`). A file whose transpiled entry is in the cache has passed already, so
 * a warm run only reads and hashes the sources.
 */
export function refuseUnsupportedSyntax(blueprintDir: string): void {
  const cache = cacheDir('transpiled');
  const walk = (dir: string) => {
    let children: fs.Dirent[];
    try {
      children = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const absolute = path.join(dir, child.name);
      if (child.isDirectory() && child.name !== 'node_modules') walk(absolute);
      else if (child.isFile() && /\.[mc]?ts$/.test(child.name) && !/\.d\.[mc]?ts$/.test(child.name)) {
        const source = fs.readFileSync(absolute, 'utf8');
        if (!fs.existsSync(transpiledFile(cache, absolute, source))) commonJsSource(source, absolute);
      }
    }
  };
  walk(path.join(blueprintDir, 'src'));
}

/**
 * `source` (the file `filename`) as sucrase transpiles it, from the cache folder when it has it, with `import.meta`
 * given its CommonJS meaning; what CommonJS cannot run is refused (module-syntax.ts) and never cached.
 */
function transpiled(cache: string, filename: string, source: string): string {
  const cached = transpiledFile(cache, filename, source);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const prepared = commonJsSource(source, filename);
    transform ??= loadSucrase();
    let code = transform(prepared.source, filename);
    if (prepared.importMeta) code = code.replace(/^("use strict";)?/, strict => strict + importMetaDeclaration());
    writeRebuildable(cached, code);
    return code;
  }
}

/** Where the cache folder keeps the transpiled `source` of `filename` (which need not be there yet). */
export function transpiledFile(cache: string, filename: string, source: string): string {
  const key = crypto.createHash('sha256').update(TRANSPILER_ID).update('\0').update(filename).update('\0').update(source).digest('hex');
  return path.join(cache, key.slice(0, 2), `${key}.js`);
}

/** Changes whenever the transform would give other output. */
const TRANSPILER_ID = `sucrase@${require('sucrase/package.json').version}:imports,typescript,import.meta`;

function loadSucrase(): (code: string, file: string) => string {
  const sucrase = require('sucrase') as typeof import('sucrase');
  return (code, filePath) => {
    const result = sucrase.transform(code, { transforms: ['typescript', 'imports'], filePath, sourceMapOptions: { compiledFilename: filePath } });
    const map = Buffer.from(JSON.stringify(result.sourceMap)).toString('base64');
    return `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
  };
}

