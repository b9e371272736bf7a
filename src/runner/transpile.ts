import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, writeRebuildable } from '../cache/cache-dir';

/**
 * The fast runner's TypeScript support: a require hook that strips types with sucrase (which keeps line
 * numbers, so stack traces point at the blueprint's own lines) and keeps each result on disk by content
 * hash, so that a warm run never loads the transpiler at all.
 */
export function registerTypeScript(): void {
  const cache = cacheDir('transpiled');
  let transform: ((code: string, file: string) => string) | undefined;
  const compile = (code: string, file: string) => {
    transform ??= loadSucrase();
    return transform(code, file);
  };
  // require.extensions is deprecated for users but is exactly the hook Node's CommonJS loader offers.
  require.extensions['.ts'] = (module: NodeJS.Module, filename: string) => {
    const source = fs.readFileSync(filename, 'utf8');
    const key = crypto.createHash('sha256').update(TRANSPILER_ID).update('\0').update(filename).update('\0').update(source).digest('hex');
    const cached = path.join(cache, key.slice(0, 2), `${key}.js`);
    let code: string;
    try {
      code = fs.readFileSync(cached, 'utf8');
    } catch {
      code = compile(source, filename);
      writeRebuildable(cached, code);
    }
    (module as any)._compile(code, filename);
  };
}

/** Changes whenever the transform would give other output. */
const TRANSPILER_ID = `sucrase@${require('sucrase/package.json').version}:imports,typescript`;

function loadSucrase(): (code: string, file: string) => string {
  const sucrase = require('sucrase') as typeof import('sucrase');
  return (code, filePath) => {
    const result = sucrase.transform(code, { transforms: ['typescript', 'imports'], filePath, sourceMapOptions: { compiledFilename: filePath } });
    const map = Buffer.from(JSON.stringify(result.sourceMap)).toString('base64');
    return `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
  };
}

