import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { InputError } from '../errors';
import { Runner } from './runner';

/**
 * The `fast` runner: loads the blueprint's `src/index.ts` directly and transpiles TypeScript on the fly
 * (see transpile.ts). A blueprint folder needs no build step and no tsconfig of its own.
 */
export class FastRunner implements Runner {
  readonly transpiles = true;

  async prepare(blueprintDir: string) {
    const entry = path.join(blueprintDir, BlueprintFolder.ENTRY);
    if (!fs.existsSync(entry)) {
      throw new InputError(`${entry}: not found (a blueprint exports its class 'Blueprint' from src/index.ts)`);
    }
    return { entry, transpile: true };
  }
}
