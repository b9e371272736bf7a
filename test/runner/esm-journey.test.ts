import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir, writeTree } from '../util';

/**
 * Journey 35: a blueprint written as ES modules are written in TypeScript today, which the SDK's own tooling
 * (ts-node, CommonJS) never saw. Every runner must give it the same bundle.
 */
const RUNNERS = ['fast', 'cache', 'sandbox'];

/** A blueprint package with `"type": "module"`, `nodenext` resolution and the imports that resolution requires. */
function esmBlueprint(files: Record<string, string> = {}): string {
  const dir = tempDir('bluesynth-esm-journey-');
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'esm-blueprint', version: '1.0.0', type: 'module' }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, resolveJsonModule: true } }),
    'src/index.ts': "export { Blueprint } from './blueprint.js';\nexport type { Options } from './blueprint.js';\n",
    'src/blueprint.ts': `import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
import { readme } from './parts/readme.js';

export interface Options extends ParentOptions {
  repositoryName: string;
}

export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: options.repositoryName }), 'README.md', readme(options.repositoryName));
  }
}
`,
    'src/parts/readme.ts': "import { suffix } from './suffix.mjs';\nexport const readme = (name: string): string => `# ${name}${suffix}\\n`;\n",
    'src/parts/suffix.mts': "import data from './data.json' with { type: 'json' };\nexport const suffix: string = data.suffix;\n",
    'src/parts/data.json': JSON.stringify({ suffix: ' (esm)' }),
    'src/defaults.json': JSON.stringify({ repositoryName: 'app' }),
    ...files,
  });
  return dir;
}

function synth(dir: string, runner: string) {
  return runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'src/defaults.json'), '--outdir', 'out', '--runner', runner, '--validation', 'off'], { cwd: dir });
}

const readme = (dir: string) => fs.readFileSync(path.join(dir, 'out', 'synth.defaults', 'proposed-bundle', 'src', 'app', 'README.md'), 'utf8');

test.each(RUNNERS)("--runner %s follows TypeScript's './x.js' and './x.mjs' specifiers to the .ts and .mts files", runner => {
  const dir = esmBlueprint();
  const result = synth(dir, runner);
  expect(result.output).not.toMatch(/Cannot find module/);
  expect(result.code).toBe(0);
  expect(readme(dir)).toBe('# app (esm)\n');
});
