import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Every CLI the tests start keeps its caches (transpiled files, compiled code, --cache builds) in one
 * temporary folder, removed at the end (see global-teardown.ts): the tests make hundreds of throw-away
 * blueprints, which must not fill the user's ~/.cache.
 */
export default function globalSetup(): void {
  process.env.BLUESYNTH_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-test-cache-'));
}
