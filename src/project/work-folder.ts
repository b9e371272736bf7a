import * as crypto from 'crypto';
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
    if (key !== undefined) sweepAbandoned(cacheDir('work'));
    this.dir = (key !== undefined && claim(cacheDir('work', key))) || fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-project-'));
  }

  /** A path inside it. */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Deletes the folder and everything in it. */
  remove(): void {
    removeFolder(this.dir);
  }
}

/** The file in a claimed folder that names the run holding it. */
const HOLDER = '.held-by';

/**
 * Makes `dir` this run's, or gives undefined when another run holds it. Two runs may want one place at once (a
 * fleet's repositories made from one template share their instantiation's id), so the folder appears whole: made
 * aside with its holder inside, then renamed into place, which fails while the place is taken. A place whose
 * holder ended is removed and claimed again; one with no holder is one being removed (see {@link removeFolder})
 * or claimed this instant, so the claim is tried again.
 */
function claim(dir: string): string | undefined {
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = fs.mkdtempSync(`${dir}.claim-`);
      fs.writeFileSync(path.join(fresh, HOLDER), runId());
      try {
        fs.renameSync(fresh, dir);
        return dir;
      } catch (error) {
        fs.rmSync(fresh, { recursive: true, force: true });
        if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code!)) throw error;
      }
      const holder = readIfPresent(path.join(dir, HOLDER));
      if (holder === undefined) continue;
      if (runStillGoing(holder)) return undefined;
      removeFolder(dir, holder);
    }
    return undefined;
  } catch {
    return undefined; // a cache folder that cannot be written: a temporary folder does as well
  }
}

/**
 * Removes the work folders that runs which ended left (killed: SIGKILL, a second Ctrl-C, the machine going down),
 * and what they left half-claimed or half-removed. An update's place is emptied by the next update of the same
 * instantiation, but a killed create's is named by an id that no later run has: it stayed in the cache for good,
 * with the bundles it had synthesized. A folder with no holder yet is being claimed this instant, and is left.
 */
function sweepAbandoned(parent: string): void {
  try {
    for (const name of fs.readdirSync(parent)) {
      const dir = path.join(parent, name);
      const removing = /\.removing-(\d+-[0-9x]+)-[0-9a-f]+$/.exec(name)?.[1];
      const holder = removing ?? readIfPresent(path.join(dir, HOLDER));
      if (holder === undefined || runStillGoing(holder)) continue;
      if (removing) fs.rmSync(dir, { recursive: true, force: true });
      else removeFolder(dir, holder);
    }
  } catch {
    // A cache folder that cannot be read or written: what was left there only costs space.
  }
}

/**
 * Removes `dir`, renamed aside first: a run that claims the same place meanwhile (see {@link claim}) never finds it
 * half-removed, and never has its own new folder emptied under it (`rmSync` of the place itself would end in
 * ENOTEMPTY, or remove the newcomer's files). With `holder` (a folder a run that ended left), only a folder that
 * run still holds is removed: one that another run took over meanwhile is put back.
 */
function removeFolder(dir: string, holder?: string): void {
  const aside = `${dir}.removing-${runId()}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (holder !== undefined && readIfPresent(path.join(aside, HOLDER)) !== holder) {
    try {
      fs.renameSync(aside, dir);
      return;
    } catch {
      // The place was claimed again meanwhile: the folder taken aside is removed below.
    }
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
