import { BundleSource } from '../bundle/source';
import { PathBelowLinkError } from '../errors';
import { ProjectInputError } from './errors';
import { ResynthInputError } from '../resynth/strategies/errors';
import { entriesOfOtherOwners } from '../resynth/ownership/unapplied';
import { ownershipFilesOf } from '../resynth/resolve';
import type { Instantiation } from './instantiation-record';

/**
 * A message of the merge in the repository's terms: the merge names files by bundle path
 * (`src/<repository>/.ownership-file:20`), which is not where they are in the repository a user looks at.
 */
export function inRepositoryTerms(text: string, prefix: string): string {
  return text.replace(new RegExp(`(?<![\\w./-])${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g'), '');
}

/**
 * An error of the merge (an `.ownership-file` that does not parse, a merged file below a link) in the repository's
 * terms; any other as it is.
 */
export function errorInRepositoryTerms(error: unknown, prefix: string): unknown {
  if (error instanceof PathBelowLinkError && error.link.startsWith(prefix)) {
    // The project made a generated folder a symbolic link (to a folder it moved the files to), and the blueprint writes there.
    const [file, link] = [error.offending, error.link].map(p => inRepositoryTerms(p, prefix));
    return new ProjectInputError(`'${file}': the update would write it below '${link}', which is a symbolic link in the project, and git keeps ` +
      `no file below a link; nothing changed. Make '${link}' a folder again, or leave '${link}/**' to the project with an .ownership-file entry ([neverUpdate] <blueprint package>)`);
  }
  return error instanceof ResynthInputError ? new ResynthInputError(inRepositoryTerms(error.message, prefix)) : error;
}

/**
 * Warnings for `.ownership-file` entries whose owner names none of the blueprints recorded in the repository:
 * no update applies them, which a team that wrote one to protect its files would not guess. `[local]` entries,
 * whose owner is a command, apply to every blueprint. `formerName`, the package name an update's blueprint had
 * before it renamed its package, is one of them: that update applies its entries (see `BlueprintPackage.formerName`).
 */
export function unownedEntries(existing: BundleSource, record: readonly Instantiation[], prefix: string, formerName?: string): string[] {
  const blueprints = [...record.map(instantiation => ({ name: instantiation.packageName, version: instantiation.versionId })), ...formerName ? [{ name: formerName }] : []];
  return entriesOfOtherOwners(ownershipFilesOf(existing), blueprints).map(entry =>
    `${inRepositoryTerms(entry.declaredAt, prefix)}: [${entry.identifier}] ${entry.owner}: the owner names no blueprint of this repository ` +
      `(recorded: ${record.map(i => i.packageName).join(', ')}), so no update applies the entry; name the blueprint's package as its owner`,
  );
}
