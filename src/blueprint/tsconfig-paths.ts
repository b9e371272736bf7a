import * as fs from 'fs';
import * as path from 'path';

/**
 * A blueprint's tsconfig `paths` aliases (`"@/*": ["src/*"]`) and `baseUrl`, which TypeScript and esbuild (the
 * `--cache` runner) resolve, so that the fast runner resolves them too: without them, `import '@/parts/x.js'`
 * type-checks and builds, and fails `Cannot find module` under `fast` and `sandbox` (and the options schema, built
 * with TypeScript, misses an `Options` exported through one). Read from the blueprint's
 * `tsconfig.json` and the configurations it `extends` (a file, or a package's such as `@tsconfig/node20`), as
 * TypeScript reads them: the nearest setting wins, `paths` are taken from `baseUrl` when there is one, else from
 * the file that sets them.
 */
export interface PathAliases {
  /** The folder a pattern's substitutions are taken from. */
  readonly base: string;
  /** Each pattern and its substitutions, exact patterns first, then wildcards by longest prefix (TypeScript's order). */
  readonly patterns: readonly (readonly [string, readonly string[]])[];
  /** `baseUrl`, absolute, when set: a bare request may name a file below it. */
  readonly baseUrl?: string;
}

/** The aliases of the blueprint in `blueprintDir`, or undefined when its tsconfig has none (or it has no tsconfig). */
export function pathAliases(blueprintDir: string): PathAliases | undefined {
  const { found } = readConfigurations(blueprintDir);
  if (!found.paths && !found.baseUrl) return undefined;
  const entries = Object.entries(found.paths?.value ?? {}).filter(([, targets]) => Array.isArray(targets));
  const prefix = (pattern: string) => (pattern.includes('*') ? pattern.indexOf('*') : Infinity);
  entries.sort(([a], [b]) => prefix(b) - prefix(a));
  return { base: found.baseUrl ?? found.paths!.dir, patterns: entries, ...(found.baseUrl ? { baseUrl: found.baseUrl } : {}) };
}

/**
 * The blueprint's `tsconfig.json` and the configurations it extends, those there: what esbuild reads besides the
 * sources (aliases, `experimentalDecorators`), so the `--cache` runner's build depends on them.
 */
export function tsconfigFiles(blueprintDir: string): string[] {
  return readConfigurations(blueprintDir).files;
}

function readConfigurations(blueprintDir: string) {
  const found: { paths?: { value: Record<string, string[]>; dir: string }; baseUrl?: string } = {};
  const files: string[] = [];
  const seen = new Set<string>();
  const read = (file: string) => {
    if (seen.has(file)) return; // an `extends` cycle: TypeScript reports it, the runner need not
    seen.add(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    files.push(file);
    // A tsconfig that names neither is read no further: the common case costs one read and no parser.
    if (!/"(extends|paths|baseUrl)"/.test(text)) return;
    const { parse } = require('jsonc-parser') as typeof import('jsonc-parser');
    const config = parse(text) ?? {};
    const dir = path.dirname(file);
    const options = config.compilerOptions ?? {};
    if (found.paths === undefined && options.paths && typeof options.paths === 'object') found.paths = { value: options.paths, dir };
    if (found.baseUrl === undefined && typeof options.baseUrl === 'string') found.baseUrl = path.resolve(dir, options.baseUrl);
    // TypeScript applies the configurations of an `extends` array in order, each later one winning: read them last first.
    const bases: unknown[] = Array.isArray(config.extends) ? config.extends : [config.extends];
    for (const base of bases.reverse()) {
      const resolved = typeof base === 'string' ? extendedFile(base, dir) : undefined;
      if (resolved) read(resolved);
    }
  };
  read(path.join(blueprintDir, 'tsconfig.json'));
  return { found, files };
}

/** The files a bare `request` may name by the aliases, in the order TypeScript tries them (absolute paths). */
export function aliasedFiles(aliases: PathAliases, request: string): string[] {
  for (const [pattern, targets] of aliases.patterns) {
    const star = pattern.indexOf('*');
    let matched: string | undefined;
    if (star < 0) matched = request === pattern ? '' : undefined;
    else if (request.startsWith(pattern.slice(0, star)) && request.endsWith(pattern.slice(star + 1)) && request.length >= pattern.length - 1) {
      matched = request.slice(star, request.length - (pattern.length - star - 1));
    }
    if (matched !== undefined) return targets.map(target => path.resolve(aliases.base, target.replace('*', matched!)));
  }
  return aliases.baseUrl ? [path.resolve(aliases.baseUrl, request)] : [];
}

/** The file an `extends` names: a path from the configuration's folder, or a package's file. */
function extendedFile(base: string, dir: string): string | undefined {
  if (base.startsWith('.') || path.isAbsolute(base)) {
    const file = path.resolve(dir, base);
    return fs.existsSync(file) || !fs.existsSync(`${file}.json`) ? file : `${file}.json`;
  }
  for (const request of [base, `${base}.json`, `${base}/tsconfig.json`]) {
    try {
      return require.resolve(request, { paths: [dir] });
    } catch {
      // the next form
    }
  }
  return undefined;
}
