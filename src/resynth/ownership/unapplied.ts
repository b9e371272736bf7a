import { FileMap } from '../../bundle/file-map';
import { LOCAL_STRATEGY_ID } from '../strategies/local';
import { BlueprintPackage, compileOwnerPattern } from './owner';
import { parseOwnershipFileWithLines } from './ownership-file';

/** An `.ownership-file` entry that none of the blueprints in question applies. */
export interface UnappliedEntry {
  /** `FILE:LINE` of its header. */
  readonly declaredAt: string;
  /** Its strategy id. */
  readonly identifier: string;
  /** Its owner pattern, which names none of the blueprints. */
  readonly owner: string;
}

/**
 * The entries of `ownershipFiles` whose owner names none of `blueprints` (a team's name, another blueprint's
 * package): a merge for those blueprints passes them over, as the SDK's does. `[local]` entries, whose owner
 * is a command, apply to every blueprint. A file that does not parse is left out: the merge names it.
 */
export function entriesOfOtherOwners(ownershipFiles: FileMap, blueprints: readonly BlueprintPackage[]): UnappliedEntry[] {
  const unapplied: UnappliedEntry[] = [];
  for (const [file, { buffer }] of ownershipFiles) {
    let entries: ReturnType<typeof parseOwnershipFileWithLines>;
    try {
      entries = parseOwnershipFileWithLines(buffer.toString('utf8'), file);
    } catch {
      continue;
    }
    for (const { entry, line } of entries) {
      if (entry.identifier === LOCAL_STRATEGY_ID || blueprints.some(compileOwnerPattern(entry.owner))) continue;
      unapplied.push({ declaredAt: `${file}:${line}`, identifier: entry.identifier, owner: entry.owner });
    }
  }
  return unapplied;
}

/**
 * A warning for each entry of `ownershipFiles` that the merge for `blueprint` did not apply because its owner
 * names another (see {@link entriesOfOtherOwners}): whoever wrote one to keep files expects it to, and the
 * merge gives no other sign that it did not. None without a package name (the merge warns of that itself).
 */
export function otherOwnersWarnings(ownershipFiles: FileMap, blueprint: BlueprintPackage): string[] {
  if (!blueprint.name) return [];
  return entriesOfOtherOwners(ownershipFiles, [blueprint]).map(entry =>
    `${entry.declaredAt}: [${entry.identifier}] ${entry.owner}: not applied: its owner is not the blueprint's package (${blueprint.name}), ` +
      'and a merge applies only the entries of the blueprint it merges for',
  );
}
