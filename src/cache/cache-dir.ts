import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomically } from './atomic-write';

/**
 * The folder where bluesynth keeps what it can rebuild (transpiled sources, compiled code, `--cache`
 * builds, validation results): `BLUESYNTH_CACHE_DIR`, else `$XDG_CACHE_HOME/bluesynth`, else
 * `~/.cache/bluesynth`. Deleting it is always safe.
 */
export function cacheDir(...sub: string[]): string {
  const base =
    process.env.BLUESYNTH_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'bluesynth');
  return path.join(base, ...sub);
}

/**
 * Writes a file that can be rebuilt (a cache entry, a derived file) through a temporary file, so that a
 * reader never sees half of it. A failure (read-only folder, full disk) is ignored: it only costs speed.
 */
export function writeRebuildable(file: string, data: string | Buffer): void {
  try {
    writeFileAtomically(file, data);
  } catch {
    // see above
  }
}

/**
 * A JSON file's value, or undefined when the file is missing, unreadable or not JSON: for a cache entry
 * (rebuilt then) or a manifest that may be absent.
 */
export function readJsonIfValid<T = any>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
