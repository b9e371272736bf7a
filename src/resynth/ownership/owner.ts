/** The blueprint whose ownership-file entries apply: its package name and version. */
export interface BlueprintPackage {
  /** The package name, e.g. `@scope/my-blueprint`. @default - none: no entry matches */
  readonly name?: string;
  /** The package version, e.g. `1.2.3`. @default - none: only name patterns match */
  readonly version?: string;
  /**
   * The name the blueprint's previous version had, when this version renamed its package: the project's
   * ownership files name it until the update that brings the new name has merged, and its entries are still
   * the blueprint's own. @default - none: the package was not renamed
   */
  readonly formerName?: string;
}

/**
 * Compiles an owner pattern of an ownership file. It matches the package name or `name@version` (or the
 * package's former name, see {@link BlueprintPackage.formerName});
 * `*` matches any run of characters (`@scope/*`, `my-blueprint@1.*.*`), everything else is literal.
 */
export function compileOwnerPattern(pattern: string): (pkg: BlueprintPackage) => boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return pkg => {
    if (!pkg.name) return false;
    if (regex.test(pkg.name) || (pkg.formerName !== undefined && regex.test(pkg.formerName))) return true;
    return pkg.version !== undefined && pkg.version !== '' && regex.test(`${pkg.name}@${pkg.version}`);
  };
}

/** Whether an ownership file's owner pattern names this blueprint. */
export function ownerMatches(pattern: string, pkg: BlueprintPackage): boolean {
  return compileOwnerPattern(pattern)(pkg);
}
