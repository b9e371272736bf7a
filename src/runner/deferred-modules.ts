import * as path from 'path';
import { NodeModule } from './node-module';

/**
 * Packages that projen loads when a blueprint loads it, but that a synthesis calls only for the file types or
 * tasks that need them. projen requires each as a plain object whose members it reads when used (or imports it as a
 * namespace, which `standIn` keeps lazy too), so a stand-in can take its place (module-map.test.ts synthesizes files
 * each writes, with the projen versions we meet). Together they are most of projen's start-up (506 modules of the
 * SDK's projen index, 201 without them):
 * - `dax`, projen's task shell (0.9x and later), compiles two WebAssembly modules when it loads; a synthesis
 *   runs no task.
 * - `xmlbuilder2` (with its DOM and a YAML parser, about 170 modules) writes `XmlFile`s (Maven's pom.xml),
 *   `@iarna/toml` `TomlFile`s, `yaml` projen's `YamlFile`s (the framework writes its own YAML with its copy).
 * - `semver` (44 modules) serves projen's Node and CDK projects; `comment-json` reads JSON files with comments.
 */
const DEFERRED = ['dax', 'xmlbuilder2', '@iarna/toml', 'yaml', 'semver', 'comment-json'];

/** Where the files that require them live: projen's own code, whichever copy of projen it is. */
const PROJEN_CODE = `${path.sep}projen${path.sep}lib${path.sep}`;

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

/** True when `request`, required from the file `importer`, is a package to load on first use. */
export function isDeferred(request: string, importer: string): boolean {
  return DEFERRED.includes(request) && importer.includes(PROJEN_CODE);
}

/**
 * An object that behaves as `loadReal()`'s module, loading it on first use. (The `cache` runner's bundle
 * uses it too, in place of the module it defers.)
 */
export function standIn(loadReal: () => object): object {
  let real: any;
  const module = () => (real ??= loadReal());
  return new Proxy({}, {
    // Said to be an ES module, so that TypeScript's `__importStar` (and `__importDefault`) take the stand-in as it
    // is instead of copying every member at once, which loaded the module (projen 0.9x imports `semver` so); its
    // `default` is then what those helpers would have made it: the module itself, unless it is an ES module.
    get: (_, key) => {
      if (key === '__esModule') return true;
      const loaded = module();
      return key === 'default' && !loaded.__esModule ? loaded : loaded[key];
    },
    has: (_, key) => key in module(),
    ownKeys: () => Reflect.ownKeys(module()),
    // Reported configurable: the stand-in's own target has none of these keys, and a proxy may not say otherwise.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
