import * as fs from 'fs';
import * as path from 'path';
import { ProjectInputError } from '../errors';
import { BlueprintSourceKind, ResolvedSource } from './blueprint-source';

/** A blueprint folder on this machine: run as it is now; it has no versions to choose from. */
export class FolderSource implements BlueprintSourceKind {
  readonly kind = 'folder';
  readonly current = undefined;
  /** The folder, absolute. */
  readonly dir: string;

  constructor(spec: string, baseDir: string) {
    this.dir = path.resolve(baseDir, spec);
  }

  resolve(to: string | undefined): ResolvedSource {
    if (to !== undefined) throw new ProjectInputError(`--to ${to}: the blueprint source '${this.dir}' is a folder, which has no versions (use a git repository or an npm package)`);
    if (!fs.statSync(this.dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ProjectInputError(`blueprint source '${this.dir}': no such folder`);
    }
    return { blueprintDir: this.dir, spec: this.dir, revision: this.dir };
  }

  newest(): string | undefined {
    return undefined;
  }
}
