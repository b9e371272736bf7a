/** The blueprint whose ownership-file entries apply: its package name and version. */
export interface BlueprintPackage {
  /** The package name, e.g. `@scope/my-blueprint`. @default - none: no entry matches */
  readonly name?: string;
  /** The package version, e.g. `1.2.3`. @default - none: only name patterns match */
  readonly version?: string;
}

/**
 * Compiles an owner pattern of an ownership file. It matches the package name or `name@version`;
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
    if (regex.test(pkg.name)) return true;
    return pkg.version !== undefined && pkg.version !== '' && regex.test(`${pkg.name}@${pkg.version}`);
  };
}

/** Whether an ownership file's owner pattern names this blueprint. */
export function ownerMatches(pattern: string, pkg: BlueprintPackage): boolean {
  return compileOwnerPattern(pattern)(pkg);
}
