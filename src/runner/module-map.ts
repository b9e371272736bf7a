import * as path from 'path';
import Module from 'module';
import { FRAMEWORK_ROOT } from '../cache/framework-root';

/**
 * Packages a blueprint must share with the framework that runs it: the framework itself (a blueprint
 * imports `bluesynth`), and projen and constructs, so that projen classes a blueprint uses directly are
 * the same ones the framework's `Blueprint` extends.
 */
const SHARED = ['bluesynth', 'projen', 'constructs'];

/**
 * Node's own CommonJS module system. Under jest, `require('module')` is jest's subclass of it (its
 * `createRequire` loads through jest's transformers, and a hook assigned to it patches only the subclass),
 * so this is the root of the class chain, which is `Module` itself everywhere else.
 */
export const NodeModule: typeof Module = rootClass(Module);

/** The topmost class of `cls`'s chain that is still a module system (jest's runs in another realm, so `Function.prototype` differs). */
function rootClass<T extends Function>(cls: T): T {
  let root = cls;
  for (let parent = Object.getPrototypeOf(root); parent && Object.prototype.hasOwnProperty.call(parent, '_extensions'); parent = Object.getPrototypeOf(parent)) root = parent;
  return root;
}

/**
 * Makes `require('bluesynth')`, `require('projen')` and `require('constructs')` (and their subpaths),
 * from anywhere, resolve to the copies next to this framework, whatever the blueprint folder holds.
 * That is how a blueprint folder with no node_modules of its own runs, and why a blueprint always runs
 * against the same framework as the CLI that runs it.
 */
export function shareFrameworkModules(): void {
  const resolve = (NodeModule as any)._resolveFilename as (request: string, parent: any, ...rest: any[]) => string;
  (NodeModule as any)._resolveFilename = function (request: string, parent: any, ...rest: any[]): string {
    return resolve.call(this, request, isShared(request) ? frameworkParent() : parent, ...rest);
  };
}

/** True for a request of a package the blueprint shares with the framework. */
export function isShared(request: string): boolean {
  if (request.startsWith('.') || path.isAbsolute(request)) return false;
  return SHARED.includes(request.split('/')[0]);
}

/** Resolves a shared package's request to the file the framework itself would load. */
export function resolveShared(request: string): string {
  return (NodeModule as any)._resolveFilename(request, frameworkParent());
}

/** A module standing for the framework's package.json: requests resolved from it resolve as the framework's own. */
function frameworkParent() {
  const anchor = path.join(FRAMEWORK_ROOT, 'package.json');
  return { id: anchor, filename: anchor, paths: (NodeModule as any)._nodeModulePaths(FRAMEWORK_ROOT) };
}
