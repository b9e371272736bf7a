import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { pathInside } from '../bundle/paths';
import { cacheDir, writeRebuildable } from '../cache/cache-dir';
import { NodeModule } from './node-module';

/** A file compiled in this process, with what its cache file needs. */
interface Compiled {
  readonly identity: string;
  readonly script: vm.Script;
  readonly cacheFile: string;
  /** Whether the cache file is missing or was rejected, and not written since. */
  stale: boolean;
}

/**
 * The files compiled in this process, newest last: a command that runs several jobs of a `--cache` build in its own
 * process compiles the bundle once and runs that compiled script again for each job. A few at most: each may hold
 * megabytes of source (a blueprint's own dependencies), and a command runs one or two builds (a resynthesis's prior
 * and current blueprint).
 */
const compiled = new Map<string, Compiled>();
const COMPILED_KEPT = 4;

/**
 * Loads one CommonJS file (the `--cache` runner's bundle) with V8's code cache kept beside it, so that a
 * warm run skips parsing and compiling the blueprint's dependencies again: V8 checks the cache against the source and
 * its own version, and ignores a cache that does not match. (The bundle is rebuilt, and its cache with it,
 * whenever an input changes, so a cache is never older than its source.) Every call runs the file afresh
 * (new module state, as in a new process) and never enters Node's module cache; a second call in the same
 * process for the same copy of the file reuses its compiled script instead of reading and compiling it again.
 *
 * `saveCache` writes a missing or rejected cache; call it when the job is done, so that the cache also
 * holds the functions compiled while the blueprint ran, not only those compiled while the file loaded.
 */
export function requireWithCodeCache(file: string): { exports: any; saveCache: () => void } {
  const entry = compile(file);
  const module = new NodeModule(file, require.main);
  module.filename = file;
  module.paths = (NodeModule as any)._nodeModulePaths(path.dirname(file));
  const require_ = (id: string) => module.require(id);
  Object.assign(require_, { resolve: (id: string) => (NodeModule as any)._resolveFilename(id, module), cache: (NodeModule as any)._cache, main: require.main });
  entry.script.runInThisContext().call(module.exports, module.exports, require_, module, file, path.dirname(file));
  module.loaded = true;
  return {
    exports: module.exports,
    saveCache: () => {
      if (!entry.stale) return;
      writeRebuildable(entry.cacheFile, entry.script.createCachedData());
      entry.stale = false;
    },
  };
}

/** `file` compiled, from this process's earlier compile of the same copy of it, or with its code cache. */
function compile(file: string): Compiled {
  const fd = fs.openSync(file, 'r');
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    // What tells this copy of the file from another written to the same path.
    const identity = `${stat.ino}-${stat.mtimeNs}`;
    const earlier = compiled.get(file);
    if (earlier?.identity === identity) return earlier;
    const source = fs.readFileSync(fd, 'utf8');
    // Named after the file it was made from, not only its path: a job still running from a build that another run
    // replaced meanwhile (a `preview` or a CI job on the same folder) saved its cache into the new build's folder,
    // and V8, which checks only the source's length, ran the old build's code from it where an edit kept the length.
    const cacheFile = codeCacheFile(file, identity);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(NodeModule.wrap(source), { filename: file, cachedData });
    const entry: Compiled = { identity, script, cacheFile, stale: cachedData === undefined || script.cachedDataRejected === true };
    compiled.delete(file);
    compiled.set(file, entry);
    if (compiled.size > COMPILED_KEPT) compiled.delete(compiled.keys().next().value!);
    return entry;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where the code cache of `file` (this copy of it: `identity`) is kept: beside a build the cache runner made, which
 * lives in the cache folder; for any other file, a published package's compiled main, in the cache folder too, named
 * after the file's path. Written beside that main, it went into the folder the user gave (a package in their
 * `node_modules`, or a `lib/` that `npm pack` would publish), one more file for each reinstall or rebuild.
 */
function codeCacheFile(file: string, identity: string): string {
  if (pathInside(cacheDir(), file)) return `${file}.${identity}.v8-cache`;
  const name = crypto.createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 32);
  return cacheDir('code-cache', `${name}.${identity}.v8-cache`);
}
