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
 * Makes `require('bluesynth')`, `require('projen')` and `require('constructs')` (and their subpaths),
 * from anywhere, resolve to the copies next to this framework, whatever the blueprint folder holds.
 * That is how a blueprint folder with no node_modules of its own runs, and why a blueprint always runs
 * against the same framework as the CLI that runs it.
 */
export function shareFrameworkModules(): void {
  const resolve = (Module as any)._resolveFilename as (request: string, parent: any, ...rest: any[]) => string;
  (Module as any)._resolveFilename = function (request: string, parent: any, ...rest: any[]): string {
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
  return (Module as any)._resolveFilename(request, frameworkParent());
}

/** A module standing for the framework's package.json: requests resolved from it resolve as the framework's own. */
function frameworkParent() {
  const anchor = path.join(FRAMEWORK_ROOT, 'package.json');
  return { id: anchor, filename: anchor, paths: (Module as any)._nodeModulePaths(FRAMEWORK_ROOT) };
}
