import * as fs from 'fs';
import * as path from 'path';
import { NodeModule } from './node-module';

/** A folder whose modules load afresh (see {@link freshModulesUnder}). */
export interface FreshRoot {
  /** The folder. */
  readonly dir: string;
  /**
   * Whether the packages below a `node_modules` inside it load afresh too. A blueprint's own dependencies
   * do (one may import `bluesynth`, and must then see the blueprint's copy); the framework's do not: they
   * are the third-party code (projen above all) whose loading is most of a job's start-up, and they keep no
   * state of the blueprint's. @default false
   */
  readonly withDependencies?: boolean;
}

/** Node's module cache, by resolved file name (`require.cache` of the module system itself, also under jest). */
function moduleCache(): Record<string, unknown> {
  return (NodeModule as unknown as { _cache: Record<string, unknown> })._cache;
}

/**
 * Gives every module file under `roots` a clean slate in Node's module cache: the ones loaded before are
 * set aside, so that what loads until the returned function is called loads afresh, with fresh module state,
 * as in a new process. The returned function drops what loaded meanwhile under `roots` and puts back what
 * was set aside, so that code that loaded those files before (the test runner's or the CLI's own copy of the
 * framework) finds its own modules again. Modules elsewhere stay shared throughout.
 */
export function freshModulesUnder(roots: readonly FreshRoot[]): () => void {
  const isFresh = freshTest(roots);
  const cache = moduleCache();
  const aside = new Map<string, unknown>();
  for (const file of Object.keys(cache)) {
    if (!isFresh(file)) continue;
    aside.set(file, cache[file]);
    delete cache[file];
  }
  return () => {
    for (const file of Object.keys(cache)) if (isFresh(file)) delete cache[file];
    for (const [file, module] of aside) cache[file] = module;
  };
}

/** Whether a cached file (keyed by its real path, as Node keys them) is under one of the roots. */
function freshTest(roots: readonly FreshRoot[]): (file: string) => boolean {
  const prefixes = roots.map(root => ({ dir: realPath(root.dir) + path.sep, withDependencies: root.withDependencies ?? false }));
  const dependencies = `${path.sep}node_modules${path.sep}`;
  return file => prefixes.some(({ dir, withDependencies }) => file.startsWith(dir) && (withDependencies || !file.slice(dir.length - 1).includes(dependencies)));
}

function realPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
