import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { writeRebuildable } from '../cache/cache-dir';

/**
 * Loads one CommonJS file (the `--cache` runner's bundle) with V8's code cache kept beside it, so that a
 * warm run skips parsing and compiling megabytes of JavaScript: V8 checks the cache against the source and
 * its own version, and ignores a cache that does not match. (The bundle is rebuilt, and its cache with it,
 * whenever an input changes, so a cache is never older than its source.)
 *
 * `saveCache` writes a missing or rejected cache; call it when the job is done, so that the cache also
 * holds the functions compiled while the blueprint ran, not only those compiled while the file loaded.
 */
export function requireWithCodeCache(file: string): { exports: any; saveCache: () => void } {
  const cacheFile = `${file}.v8-cache`;
  const source = fs.readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = new Module(file, require.main);
  module.filename = file;
  module.paths = (Module as any)._nodeModulePaths(path.dirname(file));
  const require_ = (id: string) => module.require(id);
  Object.assign(require_, { resolve: (id: string) => (Module as any)._resolveFilename(id, module), cache: require.cache, main: require.main });
  script.runInThisContext().call(module.exports, module.exports, require_, module, file, path.dirname(file));
  module.loaded = true;
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return { exports: module.exports, saveCache: () => stale && writeRebuildable(cacheFile, script.createCachedData()) };
}
