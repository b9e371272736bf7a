import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A temporary folder outside every repository, for the bundles a project command synthesizes and
 * merges; {@link WorkFolder.remove} deletes it whatever happened.
 */
export class WorkFolder {
  /** The folder. */
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bluesynth-project-'));

  /** A path inside it. */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Deletes the folder and everything in it. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
