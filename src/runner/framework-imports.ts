import * as path from 'path';
import { BluesynthError } from '../errors';
import { nearestName } from '../nearest-name';

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

/** sucrase's binding of a module it imports: `var _bluesynth = require('bluesynth');` (one per module and file). */
const FRAMEWORK_BINDING = /\bvar (_[\w$]+) = require\((['"])bluesynth\2\);/g;

/**
 * Checks, before a transpiled blueprint file runs, that every name it takes from `bluesynth` as a value is one the
 * framework exports; throws a {@link FrameworkImportError} naming the names, the file and the line that imports
 * them otherwise. Type-only names never reach here: sucrase drops an import used only as a type, as the SDK's
 * TypeScript does, and a namespace import (`import * as b`) is not checked, since code may test what it has.
 *
 * @param code the file as sucrase compiled it (the same lines as `source`)
 * @param source the file as the blueprint wrote it
 * @param filename its absolute path
 * @param load how the file itself would load a module (its own `require`)
 */
export function checkFrameworkImports(code: string, source: string, filename: string, load: (request: string) => unknown): void {
  const used = new Set<string>();
  for (const [, binding] of code.matchAll(FRAMEWORK_BINDING)) {
    const escaped = binding.replace(/\$/g, '\\$');
    // A named import used as a value (`_bluesynth.Workflow`), and a re-export (`export { X } from 'bluesynth'`).
    for (const [, name] of code.matchAll(new RegExp(`(?<![\\w$.])${escaped}\\.([A-Za-z_$][\\w$]*)`, 'g'))) used.add(name);
    for (const [, name] of code.matchAll(new RegExp(`_createNamedExportFrom\\(${escaped}, '[^']*', '([^']*)'\\)`, 'g'))) used.add(name);
  }
  used.delete('default');
  used.delete('__esModule');
  if (used.size === 0) return;
  const framework = load('bluesynth') as Record<string, unknown>;
  const missing = [...used].filter(name => !(name in framework));
  if (missing.length === 0) return;

  const exported = Object.keys(framework);
  const { line, column } = importedAt(source, missing[0]);
  // A job runs in the blueprint folder: its own files are named from there, as the failure's location names them.
  const relative = path.relative(process.cwd(), filename);
  const file = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filename;
  const names = missing.map(name => {
    const near = nearestName(name, exported);
    return `'${name}'${near ? ` (did you mean '${near}'?)` : ''}`;
  });
  const error = new FrameworkImportError(
    `${file}:${line} imports ${names.join(', ')} from bluesynth, which does not export ${missing.length === 1 ? 'it' : 'them'}`,
  );
  // The failure is placed at the import, in the blueprint's own file: a job reports the first frame of the
  // blueprint's code, and every real frame here is the framework's loader.
  error.stack = `${error.name}: ${error.message}\n    at ${filename}:${line}:${column}`;
  throw error;
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
  const before = source.slice(0, first).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
