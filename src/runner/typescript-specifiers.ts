/**
 * TypeScript's ES module convention: a file imports its neighbour `./x.ts` as `'./x.js'` (the name of the file
 * it compiles to), `./x.mts` as `'./x.mjs'` and `./x.cts` as `'./x.cjs'`, which `module`/`moduleResolution`
 * `node16`, `nodenext` and `bundler` accept and `node16`/`nodenext` require. The fast runner loads the sources,
 * where only the TypeScript file exists, so a relative request with a JavaScript extension that Node cannot find
 * is tried again with the TypeScript one: the file as named first, as esbuild (the `--cache` runner) does.
 */
const TWINS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** The TypeScript names a relative `request` made with a JavaScript extension may stand for, in the order tried. */
export function typeScriptTwins(request: string): string[] {
  if (!request.startsWith('./') && !request.startsWith('../')) return [];
  const extension = /\.[mc]?jsx?$/.exec(request)?.[0];
  if (!extension) return [];
  return TWINS[extension].map(twin => request.slice(0, -extension.length) + twin);
}
