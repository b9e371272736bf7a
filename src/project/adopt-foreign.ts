import { ProjectInputError } from './errors';
import type { SideLookup, UpdateFileReport } from './update-report';

/**
 * How `--blueprint` names the version that made a repository, said where an adoption is suggested: `SOURCE@VERSION`
 * is an npm package's spelling only, which a folder or a git source reads as part of its path.
 */
export const ADOPTED_SOURCE = 'SOURCE at the version that made it: REPOSITORY#v1.2.0 for a git source, NAME@1.2.0 for an npm package';

/**
 * Refuses `update --add --adopt` into a repository that holds none of the files the blueprint generates as it
 * generates them, and lacks most of them: one made by another blueprint (or by this one for another of its
 * repositories). Adopted anyway, every generated file would be taken for the developers' deletion or rewrite of it,
 * and the next update would keep them all out. A team may edit every file of a small blueprint, but does not delete
 * most of them: where one file matches, or most are there, the adoption goes on, and its summary lists the files
 * that differ (`kept`), as the README says.
 */
export function refuseForeignAdoption(files: readonly UpdateFileReport[], sides: SideLookup, blueprint: string, repository: string): void {
  const generated = files.filter(file => sides.proposed(file.path));
  if (generated.some(file => file.outcome === 'unchanged')) return;
  const missing = generated.filter(file => !sides.existing(file.path)).length;
  if (missing * 2 <= generated.length) return;
  throw new ProjectInputError(`--adopt: none of the ${generated.length} files ${blueprint} generates for the repository '${repository}' with these options ` +
    `is in this repository as it generates it (${missing} missing, ${generated.length - missing} different): it was not made by this blueprint, ` +
    `or not at this version or with these options. Nothing was changed. Give the blueprint and version that made it (--blueprint ${ADOPTED_SOURCE}), ` +
    'the options it was made with (--options FILE: the project\'s options.json) and, for a blueprint of several repositories, --repository NAME');
}

/** The fewest generated files for which {@link mostlyDifferentAdoptionWarnings} judges a share: fewer says little. */
const FEWEST_JUDGED = 4;

/**
 * What `update --add --adopt` says where most of the files the blueprint generates differ in the repository: the
 * adoption goes on (a team may have edited most of them), but a project its developers hardly changed that differs
 * this much was made by another version or with other options, and nothing else says so: `check` then calls the
 * project up to date, and the first update merges every difference as the developers' edit (journey 82).
 */
export function mostlyDifferentAdoptionWarnings(files: readonly UpdateFileReport[], sides: SideLookup, blueprint: string): string[] {
  const generated = files.filter(file => sides.proposed(file.path));
  const differ = generated.filter(file => file.outcome !== 'unchanged').length;
  if (generated.length < FEWEST_JUDGED || differ * 2 <= generated.length) return [];
  return [`${differ} of the ${generated.length} files ${blueprint} generates with these options differ in this repository: unless its developers ` +
    'changed most of them, it was made by another version or with other options (--blueprint SOURCE#VERSION, --options FILE); read the kept files ' +
    'above before you push, and undo a wrong adoption with git revert -m 1 <its merge commit>'];
}
