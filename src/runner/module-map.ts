import * as fs from 'fs';
import * as path from 'path';
import { readJsonIfValid } from '../cache/cache-dir';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { deferUnusedModules } from './deferred-modules';
import { NodeModule } from './node-module';
import { aliasedFiles, pathAliases } from '../blueprint/tsconfig-paths';
import { typeScriptTwins } from './typescript-specifiers';
import { missingModuleHint } from './framework-imports';

/**
 * Packages a blueprint must share with the framework that runs it: the framework itself (a blueprint
 * imports `bluesynth`), and projen and constructs, so that projen classes a blueprint uses directly are
 * the same ones the framework's `Blueprint` extends.
 */
const SHARED = ['bluesynth', 'projen', 'constructs'];

/** A module that requests are resolved from, as Node's resolver takes it. */
interface ResolveParent {
  readonly id: string;
  readonly filename: string;
  readonly paths: string[];
}

/**
 * Makes `require('bluesynth')`, `require('projen')` and `require('constructs')` (and their subpaths),
 * from anywhere (the blueprint, its dependencies, the framework itself), resolve to one copy each: the
 * framework always to itself; projen and constructs to the blueprint's own copy when it installed one
 * within the framework's peer range, else to the framework's. So a blueprint folder with no node_modules
 * runs with the framework's projen, and one that pins the SDK's projen runs with that one, the framework's
 * `Blueprint` extending that projen's `Project`. The modules projen loads but no synthesis calls load on
 * first use (`deferUnusedModules`). Returns how to put back the resolver and loader that were there before.
 */
export function shareFrameworkModules(blueprintDir?: string): () => void {
  const parents = sharedParents(blueprintDir);
  const aliases = blueprintDir ? pathAliases(blueprintDir) : undefined;
  // Node names a module by its real path: a blueprint folder reached through a link is known by both.
  const ownFolders = blueprintDir ? [...new Set([path.resolve(blueprintDir), realPathOf(blueprintDir)])].map(dir => dir + path.sep) : [];
  const resolve = (NodeModule as any)._resolveFilename as (request: string, parent: any, ...rest: any[]) => string;
  (NodeModule as any)._resolveFilename = function resolveFilename(this: unknown, request: string, parent: any, ...rest: any[]): string {
    if (isShared(request)) return resolve.call(this, request, parents[packageName(request)], ...rest);
    // The tsconfig's `paths` (tsconfig-paths.ts), for the blueprint's own TypeScript files, before node_modules as in
    // TypeScript; after Node's built-in modules, as in esbuild (a `baseUrl` file named `events.ts` is not 'events').
    const filename: unknown = parent?.filename;
    if (aliases && isTypeScript(filename) && !isRelative(request) && !NodeModule.isBuiltin(request) && ownFolders.some(dir => (filename as string).startsWith(dir)) && !(filename as string).includes(`${path.sep}node_modules${path.sep}`)) {
      for (const file of aliasedFiles(aliases, request)) {
        const relative = path.relative(path.dirname(filename as string), file).split(path.sep).join('/');
        try {
          return resolveFilename.call(this, relative.startsWith('.') ? relative : `./${relative}`, parent, ...rest);
        } catch {
          // the next substitution, else Node's own resolution
        }
      }
    }
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      // `import './x.js'` in a TypeScript file names `./x.ts` (typescript-specifiers.ts).
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      const hint = missingModuleHint(request, blueprintDir);
      // After Node's first line, before its require stack.
      if (hint) (error as Error).message = (error as Error).message.replace(/^.*/, first => `${first} (${hint})`);
      if (!isTypeScript(parent?.filename)) throw error;
      for (const twin of typeScriptTwins(request)) {
        try {
          return resolve.call(this, twin, parent, ...rest);
        } catch {
          // the next one, else the error for the request as written
        }
      }
      throw error;
    }
  };
  const undefer = deferUnusedModules();
  return () => {
    undefer();
    (NodeModule as any)._resolveFilename = resolve;
  };
}

function realPathOf(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** True for a request Node resolves from the requiring file's folder or the root (not a package or an alias). */
function isRelative(request: string): boolean {
  return request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..' || path.isAbsolute(request);
}

/** True for a TypeScript source file (not a declaration file), whose imports follow TypeScript's conventions. */
function isTypeScript(filename: unknown): boolean {
  return typeof filename === 'string' && /\.[mc]?tsx?$/.test(filename) && !/\.d\.[mc]?ts$/.test(filename);
}

/** True for a request of a package the blueprint shares with the framework. */
export function isShared(request: string): boolean {
  if (request.startsWith('.') || path.isAbsolute(request)) return false;
  return SHARED.includes(packageName(request));
}

/** Resolves a shared package's request to the file a job of the blueprint in `blueprintDir` loads. */
export function resolveShared(request: string, blueprintDir?: string): string {
  return (NodeModule as any)._resolveFilename(request, sharedParents(blueprintDir)[packageName(request)]);
}

/**
 * The `package.json` of each shared package's copy that the blueprint's jobs load (the copies {@link resolveShared}
 * resolves to), or the package's name and `(not found)` for one that no copy is found of.
 */
export function sharedPackageFiles(blueprintDir: string): string[] {
  const parents = sharedParents(blueprintDir);
  const resolve = (NodeModule as any)._resolveFilename as (request: string, parent: ResolveParent) => string;
  return SHARED.map(name => {
    try {
      return resolve(`${name}/package.json`, parents[name]);
    } catch {
      return `${name} (not found)`;
    }
  });
}

/**
 * Where each shared package resolves from for a blueprint. Its own projen or constructs is used when
 * Node finds one from the blueprint folder whose version is within the framework's peer range; a
 * blueprint inside the framework's own checkout finds the framework's copy, which is the same thing.
 */
export function sharedParents(blueprintDir?: string): Record<string, ResolveParent> {
  const framework = parentAt(FRAMEWORK_ROOT);
  const parents: Record<string, ResolveParent> = { bluesynth: framework, projen: framework, constructs: framework };
  if (!blueprintDir) return parents;
  const peers: Record<string, string> = readJsonIfValid(path.join(FRAMEWORK_ROOT, 'package.json'))?.peerDependencies ?? {};
  for (const name of ['projen', 'constructs']) {
    const own = ownCopy(name, blueprintDir);
    if (own && peers[name] && withinRange(own.version, peers[name])) parents[name] = parentAt(blueprintDir);
  }
  return parents;
}

/** Whether `version` meets `range` (no pre-releases); semver is loaded only for a blueprint with its own copy, off a job's start-up path. */
function withinRange(version: string, range: string): boolean {
  const satisfies = require('semver/functions/satisfies') as typeof import('semver/functions/satisfies');
  return satisfies(version, range);
}

/** The copy of `name` Node finds from `dir`, if any, with its version. */
function ownCopy(name: string, dir: string): { version: string } | undefined {
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`, { paths: [dir] });
  } catch {
    return undefined;
  }
  const version = readJsonIfValid(manifest)?.version;
  return typeof version === 'string' ? { version } : undefined;
}

/** A module standing for `dir`'s package.json: requests resolved from it resolve as that folder's own. */
function parentAt(dir: string): ResolveParent {
  const anchor = path.join(dir, 'package.json');
  return { id: anchor, filename: anchor, paths: (NodeModule as any)._nodeModulePaths(dir) };
}

function packageName(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
