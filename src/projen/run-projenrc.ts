import * as path from 'path';
import { shareFrameworkModules } from '../runner/module-map';
import { registerTypeScript } from '../runner/transpile';

/**
 * Runs a blueprint project's `.projenrc.ts` the way `npx projen` would, but before the project has any
 * node_modules: `bluesynth/projen`, projen and constructs resolve to this framework's copies, and the
 * TypeScript is transpiled on the fly. Post-synthesis steps (installing) are left to the author.
 * Used by `blueprint new`; run as `node run-projenrc.js DIR`.
 */
export function runProjenrc(dir: string): void {
  shareFrameworkModules();
  registerTypeScript();
  process.chdir(dir);
  process.env.PROJEN_DISABLE_POST = '1';
  require(path.join(dir, '.projenrc.ts'));
}

if (require.main === module) runProjenrc(path.resolve(process.argv[2]));
