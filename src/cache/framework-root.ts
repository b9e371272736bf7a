import * as path from 'path';

/**
 * The framework's own package folder (where its `package.json` is). Caches are keyed by it, the runner
 * resolves `bluesynth`, `projen` and `constructs` from it, and the schema builder finds the framework's
 * types there.
 */
export const FRAMEWORK_ROOT = path.resolve(__dirname, '..', '..');
