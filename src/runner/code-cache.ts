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
  const { source, identity } = readWithIdentity(file);
  // Named after the file it was made from, not only its path: a job still running from a build that another run
  // replaced meanwhile (a `preview` or a CI job on the same folder) saved its cache into the new build's folder,
  // and V8, which checks only the source's length, ran the old build's code from it where an edit kept the length.
  const cacheFile = `${file}.${identity}.v8-cache`;
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

/** A file's text and what tells this copy of it from another written to the same path (inode and modification time). */
function readWithIdentity(file: string): { source: string; identity: string } {
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    return { source: fs.readFileSync(fd, 'utf8'), identity: `${stat.ino}-${stat.mtimeNs}` };
  } finally {
    fs.closeSync(fd);
  }
}
