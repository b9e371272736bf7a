import * as os from 'os';
import * as path from 'path';

/**
 * The folder where bluesynth keeps what it can rebuild (transpiled sources, `--cache` builds):
 * `BLUESYNTH_CACHE_DIR`, else `$XDG_CACHE_HOME/bluesynth`, else `~/.cache/bluesynth`.
 */
export function cacheDir(...sub: string[]): string {
  const base =
    process.env.BLUESYNTH_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'bluesynth');
  return path.join(base, ...sub);
}
