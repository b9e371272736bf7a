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
  const negated = isNegated(glob);
  let pattern = negated ? glob.slice(1) : glob;
  pattern = pattern.replace(/^\.\//, '').replace(/^\/+/, '');
  if (pattern.endsWith('/')) pattern += '**/*';
  if (pattern === '') return { negated, test: () => false };
  return { negated, test: picomatch(pattern, { dot: true }) };
}

/** Whether a glob is a `!glob` exclusion (`!(a|b)` is an extglob, not one). */
export function isNegated(glob: string): boolean {
  return glob.startsWith('!') && !glob.startsWith('!(');
}

/** What a `\` may stand before in a glob: a character with a meaning there, or one it harmlessly keeps literal (`.`, `/`, `#`, a blank). */
const ESCAPABLE = new Set('*?[]{}()!+@\\/,|^$.# '.split(''));

/**
 * The first glob of an entry that can match nothing its author could mean, with why and the way on; undefined
 * when there is none. Each is a glob the SDK reads too, as a pattern that matches no file: a `\` before a letter
 * (a Windows path, `k8s\deploy.yaml`: the `\` escapes the letter, so the pattern names `k8sdeploy.yaml`), a
 * `..` (paths are matched from the ownership file's folder down), a `#` after a blank (a comment on the glob's
 * line, which makes it part of the pattern), and a `!glob` before any glob it could take back.
 */
export function globMistake(globs: readonly string[]): { readonly index: number; readonly problem: string } | undefined {
  let included = false;
  for (const [index, glob] of globs.entries()) {
    const negated = isNegated(glob);
    const pattern = negated ? glob.slice(1) : glob;
    const escapes = [...pattern.replace(/\\\\/g, '').matchAll(/\\(.|$)/g)];
    if (escapes.some(escape => !ESCAPABLE.has(escape[1]))) {
      return { index, problem: `'${glob}': a '\\' escapes the character after it, and paths are written with '/' in an ownership file, as in the SDK: write '${glob.replace(/\\/g, '/')}'` };
    }
    if (pattern.split('/').includes('..')) {
      return { index, problem: `'${glob}' can match no file: globs are matched against the paths below the ownership file's folder, which hold no '..'; an entry for other folders goes in the ownership file of a folder above them` };
    }
    if (/\s#/.test(pattern)) {
      return { index, problem: `'${glob}': a '#' comment needs a line of its own (a file name with ' #' in it is written '[ ]#')` };
    }
    if (negated && !included) {
      return { index, problem: `'${glob}' leaves out nothing: a '!glob' leaves out what the globs above it in the same entry include, and this entry has none; put it under the entry whose files it should leave out, after their globs` };
    }
    if (!negated) included = true;
  }
  return undefined;
}
