import picomatch from 'picomatch';

/** Tests a path, relative to the folder the globs belong to. */
export type GlobTest = (relativePath: string) => boolean;

/**
 * Compiles the globs of one strategy entry into one test. Globs are minimatch-style with dot files
 * included (`*` one path level, `**` any depth). A `!glob` excludes what earlier globs included, so the
 * last glob that matches a path decides (a lone `!glob` matches nothing). A leading `/` or `./` anchors
 * at the folder, which every glob already is; a trailing `/` means everything below that folder.
 */
export function compileGlobs(globs: readonly string[]): GlobTest {
  const compiled = globs.map(compileOne).reverse();
  if (compiled.length === 0) return () => false;
  return relativePath => {
    for (const { negated, test } of compiled) {
      if (test(relativePath)) return !negated;
    }
    return false;
  };
}

function compileOne(glob: string): { negated: boolean; test: (path: string) => boolean } {
  // `!(a|b)` is an extglob, not a negation of the glob `(a|b)`.
  const negated = glob.startsWith('!') && !glob.startsWith('!(');
  let pattern = negated ? glob.slice(1) : glob;
  pattern = pattern.replace(/^\.\//, '').replace(/^\/+/, '');
  if (pattern.endsWith('/')) pattern += '**/*';
  if (pattern === '') return { negated, test: () => false };
  return { negated, test: picomatch(pattern, { dot: true }) };
}
