import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cacheDir } from './cache-dir';

/**
 * The environment for an npm command bluesynth runs (an install of a blueprint's package or dependencies, a
 * registry query). npm keeps its own cache, `~/.npm`, apart from bluesynth's: where that cannot be written (a CI
 * job's read-only or unset HOME, the case README answers with `BLUESYNTH_CACHE_DIR`) and no setting names another
 * (`npm_config_cache`), npm is given `npm/` in bluesynth's cache folder, which failed the install with npm's own
 * advice to `sudo chown` the folder; so is one whose HOME is empty or relative.
 */
export function npmEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.npm_config_cache || env.NPM_CONFIG_CACHE) return env;
  const home = os.homedir();
  const own = process.platform === 'win32'
    ? path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'npm-cache')
    : path.join(home, '.npm');
  // An empty or relative HOME (a CI variable given from one that is not set) would make npm's a `.npm` in whichever
  // folder npm runs in: no home of npm's own, as cacheDir says of bluesynth's.
  return path.isAbsolute(own) && canMakeFolder(own) ? env : { ...env, npm_config_cache: cacheDir('npm') };
}

/** Whether `dir` is a folder this process may write, or could be made as one: its nearest existing ancestor is. */
function canMakeFolder(dir: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR: below a file, which the walk up finds next.
    }
    if (stat) {
      if (!stat.isDirectory()) return false;
      try {
        fs.accessSync(at, fs.constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
    if (path.dirname(at) === at) return false;
  }
}
