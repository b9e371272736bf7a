import * as path from 'path';
import { transform } from 'sucrase';
import { transformSync } from 'esbuild';
import { checkFrameworkImports, FrameworkImportError, frameworkImportsOf } from '../../src/runner/framework-imports';

/** A blueprint file as the fast runner compiles it, checked against a framework that exports `exported`. */
function check(source: string, exported: Record<string, unknown> = { Blueprint: 1, SourceFile: 1, Workflow: 1 }) {
  const code = transform(source, { transforms: ['typescript', 'imports'] }).code;
  const loaded: string[] = [];
  const run = () => checkFrameworkImports(code, source, path.resolve('bp/src/index.ts'), request => (loaded.push(request), exported));
  return { run, loaded };
}

describe('checkFrameworkImports', () => {
  test('names used as values and exported pass; the framework is loaded only by a file that imports it', () => {
    const uses = check("import { Blueprint, Workflow } from 'bluesynth';\nexport class B extends Blueprint { w = Workflow; }\n");
    expect(uses.run).not.toThrow();
    expect(uses.loaded).toEqual(['bluesynth']);
    const none = check("import * as path from 'path';\nexport const p = path.sep;\n");
    expect(none.run).not.toThrow();
    expect(none.loaded).toEqual([]);
  });

  test('a missing name used as a value fails at its import line, each missing name listed with the nearest export', () => {
    const { run } = check("import { Blueprint } from 'bluesynth';\n\nimport {\n  Workflw,\n  generateWorkflow,\n} from 'bluesynth';\nexport const x = [Blueprint, Workflw, generateWorkflow()];\n");
    expect(run).toThrow(FrameworkImportError);
    expect(run).toThrow(/^bp\/src\/index\.ts:4 imports 'Workflw' \(did you mean 'Workflow'\?\), 'generateWorkflow' from bluesynth, which does not export them: write it with what bluesynth exports \(its components, each with an example: .*docs\/components\.md\)$/);
    try {
      run();
    } catch (error) {
      expect((error as Error).stack!.split('\n')[1]).toBe(`    at ${path.resolve('bp/src/index.ts')}:4:3`);
    }
  });

  test('journey 77: a name with no near export says where what bluesynth exports is shown, a typo alone does not', () => {
    const unknown = check("import { generateWorkflow } from 'bluesynth';\nexport const x = generateWorkflow();\n").run;
    expect(unknown).toThrow(`bp/src/index.ts:1 imports 'generateWorkflow' from bluesynth, which does not export it: write it with what bluesynth exports (its components, each with an example: ${path.relative(process.cwd(), path.resolve(__dirname, '../../docs/components.md'))})`);
    expect(check("import { Workflw } from 'bluesynth';\nexport const x = Workflw;\n").run).toThrow(/does not export it$/);
  });

  test('a re-export is checked; types, default and namespace imports are not', () => {
    expect(check("export { Missing } from 'bluesynth';\n").run).toThrow(/imports 'Missing' from bluesynth/);
    expect(() => checkFrameworkImports("var _bluesynth = require('bluesynth'); _bluesynth.Gone;", '', '/elsewhere/x.ts', () => ({}))).toThrow(/^\/elsewhere\/x\.ts:1 imports 'Gone'/);
    expect(check("import type { Missing } from 'bluesynth';\nimport { type Gone, Blueprint } from 'bluesynth';\nexport let a: Missing | Gone | typeof Blueprint;\n").run).not.toThrow();
    expect(check("import * as bs from 'bluesynth';\nexport const maybe = bs.Missing ?? bs.Blueprint;\n").run).not.toThrow();
    expect(check("import bs from 'bluesynth';\nexport const b = bs;\n").run).not.toThrow();
  });
});

test('esbuild\'s CommonJS (the --cache build) gives the same names, at their import lines: not types, a namespace\'s or default', () => {
  const source = [
    "import { Blueprint as P, SourceRepository, type T } from 'bluesynth';",
    "import d, { makeValidFoldr } from 'bluesynth';",
    "import * as ns from 'bluesynth';",
    "export { Workflw } from 'bluesynth';",
    'export class B extends P { x = makeValidFoldr(\'a\'); y?: T; z = ns.Q; w = d; }',
    '',
  ].join('\n');
  const byEsbuild = frameworkImportsOf(transformSync(source, { loader: 'ts', format: 'cjs' }).code, source);
  const bySucrase = frameworkImportsOf(transform(source, { transforms: ['typescript', 'imports'] }).code, source);
  const sorted = (imports: { name: string }[]) => [...imports].sort((a, b) => a.name.localeCompare(b.name));
  expect(sorted(byEsbuild)).toEqual([
    { name: 'Blueprint', line: 1, column: 10 },
    { name: 'makeValidFoldr', line: 2, column: 13 },
    { name: 'Workflw', line: 4, column: 10 },
  ]);
  expect(sorted(bySucrase)).toEqual(sorted(byEsbuild));
});
