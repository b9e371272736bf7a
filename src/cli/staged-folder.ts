import * as fs from 'fs';
import * as path from 'path';
import { createStaging, discardStaging, recoverBundle } from '../bundle/staging';

/**
 * The name, inside a folder that exists (empty), of the staging folder built for it: beside it would need its
 * parent to be writable, which an empty folder made for the purpose may not have.
 */
const INSIDE = 'bluesynth-new';

/**
 * A new folder a command fills whole or not at all (`blueprint new DIR`): its content is built in a staging
 * folder and moved into place at the end, so that a failure or an interrupt leaves `DIR` as it was (absent, or
 * empty), and a process killed outright leaves only a hidden staging folder, which the next run into `DIR`
 * removes. Where `DIR` does not exist the staging folder is its sibling (`.<DIR>.staging-<pid>-...`), renamed
 * into place; where it exists and is empty, the staging folder is inside it, and its entries move up.
 */
export class StagedFolder {
  /**
   * Whether `dir` may be filled: it does not exist, or holds nothing but the staging folders of runs that were
   * killed, which are removed.
   */
  static isFree(dir: string): boolean {
    if (!fs.existsSync(dir)) return true;
    recoverBundle(path.join(dir, INSIDE));
    return fs.readdirSync(dir).length === 0;
  }

  /** Starts building the content of `dir`, which {@link isFree} accepted, in a staging folder. */
  static begin(dir: string): StagedFolder {
    const existed = fs.existsSync(dir);
    return new StagedFolder(dir, createStaging(existed ? path.join(dir, INSIDE) : dir), existed);
  }

  /** @param building where the content is built */
  private constructor(private readonly dir: string, readonly building: string, private readonly existed: boolean) {}

  /** Moves the content into place. */
  commit(): void {
    // A plain rename: one that would replace anything (a folder made meanwhile, not empty) fails instead.
    if (!this.existed) return fs.renameSync(this.building, this.dir);
    for (const entry of fs.readdirSync(this.building)) fs.renameSync(path.join(this.building, entry), path.join(this.dir, entry));
    fs.rmdirSync(this.building);
  }

  /** Removes what was built: `DIR` is as it was. */
  discard(): void {
    discardStaging(this.building);
  }
}
