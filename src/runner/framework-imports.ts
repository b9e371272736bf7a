import * as fs from 'fs';
import * as path from 'path';
import { displayPath } from '../bundle/paths';
import { BluesynthError } from '../errors';
import { nearestName } from '../nearest-name';
import { positionAt } from '../text-position';

/**
 * A blueprint file imports a name from `bluesynth` that the framework does not export: a port of an SDK blueprint
 * that uses something the framework does not provide (the SDK's old `generateWorkflow`), or a typo. Without this
 * check the name is `undefined` and the blueprint fails where it first uses it, with
 * "Cannot read properties of undefined (reading 'call')"; the SDK's ts-node refuses the file at compile time.
 */
export class FrameworkImportError extends BluesynthError {
  constructor(message: string) {
    super(message, { name: 'FrameworkImportError' });
  }
}

/**
 * The SDK's packages a port imports from `bluesynth` instead: its base blueprint, its components (and a module inside
 * one, `.../lib/...`), and `@amazon-codecatalyst/blueprints`, which re-exports them all.
 */
const SDK_BLUEPRINT_API = /^@amazon-codecatalyst\/(?:blueprints|blueprints\.blueprint|blueprint-component\.[a-z-]+)(?:\/|$)/;

/**
 * What to add to a failure to find `request`, when it names one of the SDK's blueprint packages: a port that kept
 * one of its imports (the SDK's umbrella `@amazon-codecatalyst/blueprints` among them) otherwise fails with Node's
 * or esbuild's words alone, which do not say that the fix is in the import.
 */
function sdkImportHint(request: string): string | undefined {
  if (!SDK_BLUEPRINT_API.test(request)) return undefined;
  return "a package of the CodeCatalyst SDK, not installed here: a port imports its names from 'bluesynth'";
}

/**
 * What to add to a failure to find `request` from the blueprint in `blueprintDir`. A package the blueprint's
 * package.json declares but nobody installed (a published package taken out of its tarball with `npm pack`, a
 * checkout before its install) is to be installed there: Node's words name neither the folder nor the command,
 * and the SDK hint would send a published package's author to change imports they cannot change. The SDK's own
 * packages that a blueprint with sources (`src/`) still imports keep {@link sdkImportHint}: a port keeps the SDK in
 * its package.json, and the fix there is the import.
 */
export function missingModuleHint(request: string, blueprintDir?: string): string | undefined {
  const sdk = sdkImportHint(request);
  if (blueprintDir === undefined || (sdk && fs.existsSync(path.join(blueprintDir, 'src')))) return sdk;
  const manifest = path.join(blueprintDir, 'package.json');
  const name = request.split('/').slice(0, request.startsWith('@') ? 2 : 1).join('/');
  let declared = false;
  try {
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    declared = ['dependencies', 'peerDependencies', 'optionalDependencies'].some(field => Object.hasOwn(parsed?.[field] ?? {}, name));
  } catch {
    // no readable package.json: nothing declared
  }
  if (!declared) return sdk;
  return `the blueprint's package.json declares it, but it is not installed: run npm install in ${path.resolve(blueprintDir)}; ` +
    'create and update install an npm:NAME@VERSION or .tgz source with its dependencies';
}

/**
 * The compiler's binding of the framework module in a file compiled to CommonJS: sucrase's `var _bluesynth =
 * require('bluesynth');`, esbuild's `var import_bluesynth2 = __toESM(require("bluesynth"));` (one per import
 * statement). A namespace import keeps the name its author gave it, and is not one of these.
 */
const FRAMEWORK_BINDING = /\bvar ((?:_|import_)bluesynth\d*) = (?:__toESM\()?require\((['"])bluesynth\2\)/g;

/** A name a blueprint file takes from `bluesynth` as a value, and where its import (or first use) is. */
export interface FrameworkImport {
  readonly name: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/**
 * The names a blueprint file takes from `bluesynth` as values. Type-only names are not among them: sucrase and esbuild
 * drop an import used only as a type, as the SDK's TypeScript does; nor are a namespace import's (`import * as b`),
 * since code may test what it has, nor `default`.
 *
 * @param code the file as sucrase or esbuild compiled it to CommonJS
 * @param source the file as the blueprint wrote it (where the imports are placed)
 */
export function frameworkImportsOf(code: string, source: string): FrameworkImport[] {
  const used = new Set<string>();
  for (const [, binding] of code.matchAll(FRAMEWORK_BINDING)) {
    const escaped = binding.replace(/\$/g, '\\$');
    // A named import used as a value (`_bluesynth.Workflow`), and a re-export (`export { X } from 'bluesynth'`:
    // sucrase's `_createNamedExportFrom`, esbuild's `X: () => import_bluesynth.X`).
    for (const [, name] of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\.([A-Za-z_$][\\w$]*)`, 'g'))) used.add(name);
    for (const [, name] of code.matchAll(new RegExp(`_createNamedExportFrom\\(${escaped}, '[^']*', '([^']*)'\\)`, 'g'))) used.add(name);
  }
  used.delete('default');
  used.delete('__esModule');
  return [...used].map(name => ({ name, ...importedAt(source, name) }));
}

/**
 * Throws a {@link FrameworkImportError} when the framework (its `exports`) lacks a name of `imports`, naming the
 * names, the file and the line of the first one's import, with the nearest export of each: else the name is
 * `undefined`, and the blueprint fails where it first uses it ("Cannot read properties of undefined (reading
 * 'call')"), where the SDK's ts-node refuses the file at compile time.
 *
 * @param filename the file's absolute path
 */
export function refuseMissingImports(imports: readonly FrameworkImport[], filename: string, exports: object): void {
  const missing = imports.filter(({ name }) => !(name in exports));
  if (missing.length === 0) return;
  const exported = Object.keys(exports);
  const { line, column } = missing[0];
  const file = displayPath(filename);
  let unmatched = false;
  const names = missing.map(({ name }) => {
    const near = nearestName(name, exported);
    unmatched ||= near === undefined;
    return `'${name}'${near ? ` (did you mean '${near}'?)` : ''}`;
  });
  // A name with no near export is an SDK function the framework lacks (its old `generateWorkflow`): the way on is
  // to write it with what the framework has, which the page its package ships lists with examples.
  const wayOn = unmatched ? `: write it with what bluesynth exports (its components, each with an example: ${displayPath(COMPONENTS_PAGE)})` : '';
  const error = new FrameworkImportError(
    `${file}:${line} imports ${names.join(', ')} from bluesynth, which does not export ${missing.length === 1 ? 'it' : 'them'}${wayOn}`,
  );
  // The failure is placed at the import, in the blueprint's own file: a job reports the first frame of the
  // blueprint's code, and every real frame here is the framework's loader.
  error.stack = `${error.name}: ${error.message}\n    at ${filename}:${line}:${column}`;
  throw error;
}

/** The framework's page of components and wizard types, in its package (from `lib/runner/` or `src/runner/`). */
const COMPONENTS_PAGE = path.join(__dirname, '..', '..', 'docs', 'components.md');

/**
 * The fast runner's check, before a transpiled blueprint file runs: {@link refuseMissingImports} of its
 * {@link frameworkImportsOf}. The framework is loaded only for a file that takes something from it.
 *
 * @param code the file as sucrase compiled it (the same lines as `source`)
 * @param source the file as the blueprint wrote it
 * @param filename its absolute path
 * @param load how the file itself would load a module (its own `require`)
 */
export function checkFrameworkImports(code: string, source: string, filename: string, load: (request: string) => unknown): void {
  const imports = frameworkImportsOf(code, source);
  if (imports.length > 0) refuseMissingImports(imports, filename, load('bluesynth') as object);
}

/** Where `source` imports (or re-exports) `name` from bluesynth: 1-based line and column; else its first use, else 1:1. */
function importedAt(source: string, name: string): { line: number; column: number } {
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  let first: number | undefined;
  for (const statement of source.matchAll(/\b(?:import|export)\s*(?:type\s+)?\{[^}]*\}\s*from\s*(['"])bluesynth\1/g)) {
    word.lastIndex = 0;
    const found = word.exec(statement[0]);
    if (found) {
      first = statement.index! + found.index;
      break;
    }
  }
  if (first === undefined) first = word.exec(source)?.index ?? 0;
  return positionAt(source, first);
}
