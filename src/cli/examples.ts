import * as fs from 'fs';
import * as path from 'path';
import { BlueprintFolder } from '../blueprint/blueprint-folder';
import { nearestName } from '../nearest-name';
import { UsageError } from './command';

/** A blueprint folder found under an examples folder. */
export interface ExampleBlueprint {
  /** Its folder name, which names its output folder too. */
  readonly name: string;
  /** Its folder. */
  readonly dir: string;
}

/**
 * The blueprint folders directly under `root` (those with a `src/index.ts`), in name order; with `pick`,
 * only the one of that name (or path).
 */
export function findExampleBlueprints(root: string, pick?: string): ExampleBlueprint[] {
  const all = fs
    .readdirSync(root, { withFileTypes: true })
    .filter(entry => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, BlueprintFolder.ENTRY)))
    .map(entry => ({ name: entry.name, dir: path.join(root, entry.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (pick === undefined) return all;
  const wanted = path.basename(path.resolve(pick));
  const found = all.filter(example => example.name === wanted);
  if (found.length === 0) {
    const meant = nearestName(wanted, all.map(e => e.name));
    throw new UsageError(`no blueprint '${pick}' under ${root} (${meant ? `did you mean '${meant}'? ` : ''}found: ${all.map(e => e.name).join(', ') || 'none'})`);
  }
  return found;
}
