import * as path from 'path';
import { NodeModule } from './node-module';

/**
 * Modules that projen loads when a blueprint loads it, but that a synthesis calls only for the file types or
 * tasks that need them, with the projen file that requires each. Each is required as a plain object whose
 * members are read when used, so a stand-in can take its place (module-map.test.ts synthesizes the files
 * each writes with the projen versions we meet). They are most of projen's start-up:
 * - `dax`, projen's task shell (0.9x and later), compiles two WebAssembly modules when it loads; a synthesis
 *   runs no task.
 * - `xmlbuilder2` (with its DOM and a YAML parser, about 170 modules) writes `XmlFile`s (Maven's pom.xml), and
 *   `@iarna/toml` `TomlFile`s (Python's pyproject.toml): projen's index loads them for every blueprint that
 *   imports from `projen`, as the SDK's blueprints do. (projen 0.9x imports the TOML writer as a namespace,
 *   which reads its members at once: there the stand-in gains nothing and changes nothing.)
 */
const DEFERRED: ReadonlyArray<{ request: string; from: string }> = [
  { request: 'dax', from: path.join('projen', 'lib', 'util', 'dax.js') },
  { request: 'xmlbuilder2', from: path.join('projen', 'lib', 'xmlfile.js') },
  { request: '@iarna/toml', from: path.join('projen', 'lib', 'toml.js') },
  { request: '@iarna/toml', from: path.join('projen', 'lib', 'python', 'poetry.js') },
];

/**
 * Makes each deferred module load on first use instead of when it is required: the requiring module gets
 * a stand-in whose first property access loads the real module and forwards to it from then on. Returns
 * how to put back the loader that was there before.
 */
export function deferUnusedModules(): () => void {
  const load = (NodeModule as any)._load as (request: string, parent: any, isMain: boolean) => unknown;
  (NodeModule as any)._load = function (request: string, parent: any, isMain: boolean): unknown {
    return parent?.filename && isDeferred(request, parent.filename)
      ? standIn(() => load.call(this, request, parent, isMain) as object) : load.call(this, request, parent, isMain);
  };
  return () => {
    (NodeModule as any)._load = load;
  };
}

/** True when `request`, required from the file `importer`, is a module no synthesis calls. */
export function isDeferred(request: string, importer: string): boolean {
  return DEFERRED.some(entry => entry.request === request && importer.endsWith(entry.from));
}

/**
 * An object that behaves as `loadReal()`'s module, loading it on first use. (The `cache` runner's bundle
 * uses it too, in place of the module it defers.)
 */
export function standIn(loadReal: () => object): object {
  let real: any;
  const module = () => (real ??= loadReal());
  return new Proxy({}, {
    get: (_, key) => module()[key],
    has: (_, key) => key in module(),
    ownKeys: () => Reflect.ownKeys(module()),
    // Reported configurable: the stand-in's own target has none of these keys, and a proxy may not say otherwise.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
