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

test.each(RUNNERS)('--runner %s gives import.meta.url its file, so a blueprint finds its own folder', runner => {
  const dir = esmBlueprint({
    'src/parts/readme.ts': `import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
// A blueprint generating ESM code writes the words "import.meta" in strings: those stay as they are.
export const readme = (name: string): string => \`# \${name} \${path.basename(here)} \${import.meta.filename === fileURLToPath(import.meta.url)} import.meta.url\\n\`;
`,
  });
  const result = synth(dir, runner);
  expect(result.output).not.toMatch(/FAIL/);
  expect(result.code).toBe(0);
  expect(readme(dir)).toBe('# app parts true import.meta.url\n');
});

const TOP_LEVEL_AWAIT: [string, RegExp] = ['const suffix = await Promise.resolve("!");\n', /src\/parts\/readme\.ts:2: top-level await: .*move it into one/];

/** Synthesizes a blueprint whose src/parts/readme.ts has `code` from its second line, and expects it refused: exit 2, nothing written. */
function expectRefused(runner: string, [code, message]: [string, RegExp]) {
  const dir = esmBlueprint({ 'src/parts/readme.ts': `// journey 35\n${code}export const readme = (name: string): string => \`# \${name}\\n\`;\n` });
  const result = synth(dir, runner);
  expect(result.output).toMatch(message);
  expect(result.stderr).not.toMatch(/\bat /); // no stack
  expect(result.code).toBe(2);
  expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
}

test.each(['fast', 'sandbox'])('--runner %s refuses a top-level await, a namespace with values and a decorator, naming the file and line, before any job (exit 2), where sucrase left or dropped them', runner => {
  expectRefused(runner, TOP_LEVEL_AWAIT);
  expectRefused(runner, ['export namespace Names {\n  export const prefix = "#";\n}\n', /src\/parts\/readme\.ts:2: namespace Names declares values: .*--cache/]);
  expectRefused(runner, ['function logged(_target: unknown, _key: string) {}\nclass Greeter { @logged hi() {} }\n', /src\/parts\/readme\.ts:3: a decorator \(@logged\): .*--cache/]);
});

test('--cache refuses a top-level await in the same words, at its line, exit 2', () => {
  expectRefused('cache', [TOP_LEVEL_AWAIT[0], /src\/parts\/readme\.ts:2: top-level await: .*move it into one/]);
});

test.each(RUNNERS)('--runner %s runs a blueprint in plain JavaScript from src/index.js, and says why its options are not validated', runner => {
  const dir = tempDir('bluesynth-esm-journey-js-');
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'js-blueprint', version: '1.0.0' }),
    'src/index.js': `const { Blueprint: ParentBlueprint, SourceFile, SourceRepository } = require('bluesynth');
const { readme } = require('./readme');
class Blueprint extends ParentBlueprint {
  constructor(options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: options.repositoryName }), 'README.md', readme(options.repositoryName));
  }
}
module.exports = { Blueprint };
`,
    'src/readme.js': 'exports.readme = name => `# ${name} (js)\\n`;\n',
    'src/defaults.json': JSON.stringify({ repositoryName: 'app' }),
  });
  const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'src/defaults.json'), '--outdir', 'out', '--runner', runner], { cwd: dir });
  expect(result.code).toBe(0);
  expect(readme(dir)).toBe('# app (js)\n');
  expect(result.stderr).toMatch(/options not validated: .*src\/index\.js: a blueprint in JavaScript declares no 'Options' type/);
});

test.each(RUNNERS)("--runner %s resolves the tsconfig's paths aliases, set in a configuration it extends from a package", runner => {
  const dir = esmBlueprint({
    // What `npm install @tsconfig/node20` puts there, and a shared base of the team's that sets the aliases.
    'node_modules/@tsconfig/node20/package.json': JSON.stringify({ name: '@tsconfig/node20', version: '20.1.4' }),
    'node_modules/@tsconfig/node20/tsconfig.json': JSON.stringify({ compilerOptions: { lib: ['es2023'], module: 'node16', target: 'es2022', strict: true } }),
    'tsconfig.base.json': '{\n  // the team\'s aliases\n  "compilerOptions": { "paths": { "@/*": ["./src/*"], "#readme": ["./src/parts/readme.ts"] }, },\n}\n',
    'tsconfig.json': JSON.stringify({ extends: ['@tsconfig/node20/tsconfig.json', './tsconfig.base.json'], compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
    'src/blueprint.ts': `import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
import { readme } from '@/parts/readme.js';
import * as same from '#readme';

export interface Options extends ParentOptions {
  repositoryName: string;
}

export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: options.repositoryName }), 'README.md', readme(options.repositoryName) + String(same.readme === readme));
  }
}
`,
  });
  const result = synth(dir, runner);
  expect(result.output).not.toMatch(/Cannot find module/);
  expect(result.code).toBe(0);
  expect(readme(dir)).toBe('# app (esm)\ntrue');
});

test('--cache builds again when the tsconfig or a configuration it extends changes, as esbuild reads aliases from them', () => {
  const dir = esmBlueprint({
    'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '#suffix': ['./src/parts/suffix.mts'] } } }),
    'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
    'src/parts/readme.ts': "import { suffix } from '#suffix';\nexport const readme = (name: string): string => `# ${name}${suffix}\\n`;\n",
    'src/parts/other.mts': "export const suffix = ' (other)';\n",
  });
  expect(synth(dir, 'cache').code).toBe(0);
  expect(readme(dir)).toBe('# app (esm)\n');
  fs.writeFileSync(path.join(dir, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { paths: { '#suffix': ['./src/parts/other.mts'] } } }));
  const again = synth(dir, 'cache');
  expect(again.code).toBe(0);
  expect(again.output).toMatch(/compiled \(tsconfig\.base\.json changed\)/);
  expect(readme(dir)).toBe('# app (other)\n');
});

test.each(RUNNERS)('--runner %s refuses a JavaScript entry that is an ES module (a compiled lib/, src/index.js), naming it and what to change, exit 2', runner => {
  for (const [entry, manifest] of [['lib/index.js', { main: 'lib/index.js' }], ['src/index.js', {}]] as const) {
    const dir = tempDir('bluesynth-esm-journey-lib-');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'esm-lib-blueprint', version: '1.0.0', type: 'module', ...manifest }),
      [entry]: "import { Blueprint as ParentBlueprint } from 'bluesynth';\nexport class Blueprint extends ParentBlueprint {}\n",
      'defaults.json': '{}',
    });
    const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'defaults.json'), '--outdir', 'out', '--runner', runner, '--validation', 'off'], { cwd: dir });
    expect(result.stderr).toContain(`${path.join(dir, entry)}: the blueprint's JavaScript entry is an ES module`);
    expect(result.stderr).toMatch(/"type": "module"\); bluesynth runs JavaScript blueprints as CommonJS, as the SDK does: write it with require\(\) and module\.exports, or compile it with "module": "commonjs"/);
    expect(result.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  }
});

test('create, then update --blueprint in its repository, run an ES module blueprint (.js specifiers, paths aliases, import.meta) in the update\'s own process', () => {
  const files = (version: string, heading: string) => ({
    'package.json': JSON.stringify({ name: 'esm-blueprint', version, type: 'module' }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', paths: { '@/*': ['./src/*'] } } }),
    'src/parts/readme.ts': `import * as path from 'node:path';
import { suffix } from '@/parts/suffix.mjs';
export const readme = (name: string): string => \`${heading} \${name}\${suffix} \${path.basename(import.meta.dirname)}\\n\`;
`,
  });
  const dir = esmBlueprint(files('1.0.0', '#'));
  const project = path.join(tempDir('bluesynth-esm-journey-project-'), 'project');
  const created = runCli(['create', '--blueprint', dir, '--options', path.join(dir, 'src/defaults.json'), project]);
  expect(created.output).not.toMatch(/Cannot find module/);
  expect(created.code).toBe(0);
  const repository = path.join(project, 'app');
  expect(fs.readFileSync(path.join(repository, 'README.md'), 'utf8')).toBe('# app (esm) parts\n');
  writeTree(dir, files('1.1.0', '##'));
  const updated = runCli(['update', '--blueprint', dir], { cwd: repository });
  expect(updated.code).toBe(0);
  expect(fs.readFileSync(path.join(repository, 'README.md'), 'utf8')).toBe('## app (esm) parts\n');
});

test("the options schema follows the tsconfig's paths aliases to the Options they export, so a wrong option is refused", () => {
  const dir = esmBlueprint({
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', paths: { '@/*': ['./src/*'] } } }),
    'src/index.ts': "export { Blueprint } from '@/blueprint.js';\nexport type { Options } from '@/blueprint.js';\n",
    'wrong.json': JSON.stringify({ repositoryName: 5 }),
  });
  const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'wrong.json'), '--outdir', 'out'], { cwd: dir });
  expect(result.output).not.toMatch(/options not validated/);
  expect(result.output).toMatch(/\$\.repositoryName: type: must be string, got number 5/);
  expect(result.code).toBe(1);
});

test.each(RUNNERS)("--runner %s keeps Node's built-in modules ahead of the tsconfig's baseUrl, as esbuild does", runner => {
  const dir = esmBlueprint({
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', baseUrl: '.' } }),
    'events.ts': "export const EventEmitter = 'the blueprint\\'s own';\n",
    'src/parts/readme.ts': "import { EventEmitter } from 'events';\nexport const readme = (name: string): string => `# ${name} ${typeof EventEmitter}\\n`;\n",
  });
  expect(synth(dir, runner).code).toBe(0);
  expect(readme(dir)).toBe('# app function\n');
});
