import * as fs from 'fs';

/** Removes the test run's cache folder (see global-setup.ts). */
export default function globalTeardown(): void {
  const dir = process.env.BLUESYNTH_CACHE_DIR;
  if (dir && dir.includes('bluesynth-test-cache-')) fs.rmSync(dir, { recursive: true, force: true });
}
