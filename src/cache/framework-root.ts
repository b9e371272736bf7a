import * as path from 'path';

/**
 * The framework's own package folder (where its `package.json` is). Caches are keyed by it, the runner
 * resolves `bluesynth`, `projen` and `constructs` from it, and the schema builder finds the framework's
 * types there.
 */
export const FRAMEWORK_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The folders the framework runs from: its own, and those its projen and constructs were installed into
 * (beside it when hoisted, else inside it). A sandboxed job may read them.
 */
export function frameworkFolders(): string[] {
  const installedIn = (name: string) => path.dirname(path.dirname(require.resolve(`${name}/package.json`, { paths: [FRAMEWORK_ROOT] })));
  return [FRAMEWORK_ROOT, installedIn('projen'), installedIn('constructs')];
}
