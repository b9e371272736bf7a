import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from '../util';

/** Type errors of the port, with `bluesynth` mapped to this checkout's compiled declarations (as a user's install has them). */
export function typeErrors(dir: string): string[] {
  const program = ts.createProgram([path.join(dir, 'src', 'index.ts')], {
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noUnusedLocals: true,
    target: ts.ScriptTarget.ES2019,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: dir,
    paths: { bluesynth: [path.join(ROOT, 'lib', 'index.d.ts')] },
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter(d => d.file?.fileName.startsWith(dir))
    .map(d => ts.formatDiagnostic(d, { getCanonicalFileName: f => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }));
}
