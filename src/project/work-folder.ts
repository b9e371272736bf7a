import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runId, runStillGoing } from '../bundle/staging';
import { cacheDir } from '../cache/cache-dir';

/**
 * A folder outside every repository, for the bundles a project command synthesizes and merges;
 * {@link WorkFolder.remove} deletes it whatever happened.
 *
 * With a key (the instantiation's id) it has a fixed place in the cache folder, `work/<id>/`, so that the paths a
 * blueprint sees (a published SDK blueprint's `outdir`, `EXISTING_BUNDLE_ABS`, `DURABLE_STORAGE_ABS`) are the
 * same on every run for that instantiation on this machine: a blueprint that records them (the SDK's
 * test-blueprint writes its options and environment into files) gives the same bytes, and an update with nothing
 * new changes nothing. While another run holds that place, or without a key, it is a temporary folder.
 */
export class WorkFolder {
  /** The folder. */
  readonly dir: string;

  constructor(key?: string) {
    this.dir = (key !== undefined && claim(cacheDir('work', key))) || fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-project-'));
  }

  /** A path inside it. */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Deletes the folder and everything in it. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The file in a claimed folder that names the run holding it. */
const HOLDER = '.held-by';

/** Makes `dir` this run's (a folder left by a run that ended is emptied), or undefined when another run holds it. */
function claim(dir: string): string | undefined {
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    if (!tryMkdir(dir)) {
      const holder = readIfPresent(path.join(dir, HOLDER));
      if (holder && runStillGoing(holder)) return undefined;
      fs.rmSync(dir, { recursive: true, force: true });
      if (!tryMkdir(dir)) return undefined; // claimed by another run meanwhile
    }
    fs.writeFileSync(path.join(dir, HOLDER), runId());
    return dir;
  } catch {
    return undefined; // a cache folder that cannot be written: a temporary folder does as well
  }
}

function tryMkdir(dir: string): boolean {
  try {
    fs.mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
