import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomically } from './atomic-write';

/**
 * The folder where bluesynth keeps what it can rebuild (transpiled sources, compiled code, `--cache`
 * builds, validation results): `BLUESYNTH_CACHE_DIR`, else `$XDG_CACHE_HOME/bluesynth`, else
 * `~/.cache/bluesynth` (the home folder: see {@link homeFolder}). Deleting it is always safe.
 */
export function cacheDir(...sub: string[]): string {
  // An empty value (a CI variable given from one that is not set) is no setting: it named the folder each process
  // runs in, the project's work tree for update and check. A relative XDG_CACHE_HOME is ignored, as its spec says.
  const given = process.env.BLUESYNTH_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = given ? path.resolve(given) : path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homeFolder(), '.cache'), 'bluesynth');
  return path.join(base, ...sub);
}

/**
 * The user's home folder: `HOME` when it is an absolute path, else the one the system's user database gives. Node
 * takes any `HOME`, and an empty one (a CI or container variable given from one that is not set) made the cache
 * folder `.cache/bluesynth` relative to each process's working folder: the command wrote a `.cache` folder into the
 * folder it ran in, and a `--cache` job, which runs in the blueprint's folder, did not find the build made for it.
 */
function homeFolder(): string {
  const home = os.homedir();
  if (path.isAbsolute(home)) return home;
  let known: string | undefined;
  try {
    known = os.userInfo().homedir;
  } catch {
    known = undefined; // a user id with no entry in the user database (a container run as an arbitrary user)
  }
  if (known && path.isAbsolute(known)) return known;
  throw new Error(`HOME is ${home ? `'${home}', not an absolute path` : 'empty'}, and the user database gives no home folder: `
    + 'set BLUESYNTH_CACHE_DIR to a folder for bluesynth\'s cache');
}

/**
 * Makes a relative `BLUESYNTH_CACHE_DIR` absolute, from the folder the command started in, for this process and
 * the job processes it starts, which run in other folders (a blueprint's): each would have had a cache of its own,
 * and paths into the command's cache (a blueprint source's tree) named nothing there. Called once, at the start.
 */
export function pinCacheDir(): void {
  const given = process.env.BLUESYNTH_CACHE_DIR;
  if (given === '') delete process.env.BLUESYNTH_CACHE_DIR;
  else if (given !== undefined && !path.isAbsolute(given)) process.env.BLUESYNTH_CACHE_DIR = path.resolve(given);
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
