/**
 * Which files the structured merge reads, and the names of its package.json policies: kept apart from
 * the merge itself so that a merge of files that never conflict as JSON or YAML does not load the
 * parsers (`yaml`, `jsonc-parser`, `semver`) at all.
 */

/** The structured formats: JSON (comments and trailing commas allowed) and YAML (one document or several). */
export type StructuredFormat = 'json' | 'yaml';

/** The format a file's name says it has, if it is one the structured merge knows. */
export function structuredFormatOf(path: string): StructuredFormat | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/\.jsonc?$/.test(name)) return 'json';
  if (/\.(ya?ml)$/.test(name)) return 'yaml';
  return undefined;
}

/**
 * The package.json policies by name:
 * - `newerRange`: both sides changed a dependency's version range differently: the range whose lowest
 *   version is higher wins (equal lowest versions stay a conflict).
 * - `removalWins`: one side removed a dependency that the other only changed the range of: it is removed.
 * - `newerVersion`: both sides changed the package's own `version` differently: the higher one wins
 *   (two release lines bumped it; the merge is the newer release).
 */
export type PackagePolicyName = 'newerRange' | 'removalWins' | 'newerVersion';

/** Every package.json policy, in the order they are tried. */
export const PACKAGE_POLICIES: readonly PackagePolicyName[] = ['newerRange', 'removalWins', 'newerVersion'];
