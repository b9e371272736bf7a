import * as fs from 'fs';

/**
 * Removes the test run's cache folder (see global-setup.ts). A folder that cannot be removed (a job process
 * still writing into it, a file a test made immutable) is left in the temporary folder with a warning: the
 * tests have all run by now, and a throw here would fail a run whose every test passed.
 */
export default function globalTeardown(): void {
  const dir = process.env.BLUESYNTH_CACHE_DIR;
  if (!dir || !dir.includes('bluesynth-test-cache-')) return;
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    console.warn(`warning: could not remove the test cache folder ${dir}: ${(error as Error).message}`);
  }
}
