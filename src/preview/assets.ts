import * as fs from 'fs';
import * as path from 'path';
import { BluesynthError } from '../errors';
import { FRAMEWORK_ROOT } from '../cache/framework-root';

/** The page's built files, by the name the page asks for, with their content types. */
export const ASSETS: Record<string, string> = { 'page.js': 'text/javascript; charset=utf-8', 'page.css': 'text/css; charset=utf-8' };

/** Where the built page is: `lib/preview/assets/`, beside this module once compiled. */
export const ASSETS_DIR = path.join(__dirname, 'assets');

/**
 * The page's assets are missing: the framework was compiled with `tsc` alone, without the step that bundles the
 * page. Not the user's input at fault, so it exits 1, not 2.
 */
export class MissingAssetsError extends BluesynthError {
  /** @param file the first asset that is missing */
  constructor(file: string) {
    super(
      `the preview page is not built: '${file}' is missing; build it with 'node lib/preview/build-assets.js' ` +
        `(or 'yarn build') in ${FRAMEWORK_ROOT}`,
    );
  }
}

/**
 * Checks that the page's assets were built, so that a preview says so before it runs any job, rather than
 * failing with a bare ENOENT once the jobs are done and the first asset is read.
 */
export function requireBuiltAssets(assetsDir = ASSETS_DIR): void {
  const missing = Object.keys(ASSETS).map(name => path.join(assetsDir, name)).find(file => !fs.existsSync(file));
  if (missing) throw new MissingAssetsError(missing);
}
