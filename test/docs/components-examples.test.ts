import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT, runCli, tempDir, writeTree } from '../util';

/**
 * docs/components.md cannot go stale: its examples are read from the page, type-checked against the
 * framework's declarations, and run as one blueprint (one wizard configuration per example) by the CLI; every
 * file the page shows must be the file the example wrote, byte for byte.
 *
 * The page marks its blocks with a comment on the line before: `<!-- example: NAME -->` (a constructor
 * body), `<!-- output: NAME PATH [mode=755] -->` (a file of that example's bundle), `<!-- static-asset: PATH -->`,
 * `<!-- options-example -->` and `<!-- defaults-example -->` (a whole blueprint and its defaults), and
 * `<!-- validation-example: JSON -->` (what validate-options prints for JSON over those defaults).
 */
const PAGE = path.join(ROOT, 'docs', 'components.md');

interface Block {
  readonly kind: string;
  readonly argument: string;
  readonly text: string;
  readonly line: number;
}

function readBlocks(markdown: string): { skeleton: string; blocks: Block[] } {
  const blocks: Block[] = [];
  const pattern = /<!-- ([a-z-]+)(?::\s*(.*?))? -->\n```[a-z]*\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    blocks.push({ kind: match[1], argument: match[2] ?? '', text: match[3], line: markdown.slice(0, match.index).split('\n').length });
  }
  // The page's first TypeScript block is the blueprint every example runs in; its import names them all.
  const skeleton = /```ts\n([\s\S]*?)^```$/m.exec(markdown)![1];
  return { skeleton, blocks };
}

const { skeleton, blocks } = readBlocks(fs.readFileSync(PAGE, 'utf8'));
const examples = blocks.filter(block => block.kind === 'example');
const outputs = blocks.filter(block => block.kind === 'output');

/**
 * Type errors of a blueprint folder's `src/index.ts`, with `bluesynth` mapped to this checkout's compiled
 * declarations (lib/, which `yarn test` builds first): checking against them takes seconds, the sources a minute.
 */
function typeErrors(blueprintDir: string): string[] {
  const program = ts.createProgram([path.join(blueprintDir, 'src', 'index.ts')], {
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: blueprintDir,
    paths: { 'bluesynth': [path.join(ROOT, 'lib', 'index.d.ts')] },
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter(d => d.file?.fileName.startsWith(blueprintDir))
    .map(d => ts.formatDiagnostic(d, { getCanonicalFileName: f => f, getCurrentDirectory: () => blueprintDir, getNewLine: () => '\n' }));
}

describe('docs/components.md', () => {
  test('marks the examples and outputs the test reads', () => {
    expect(examples.map(e => e.argument)).toEqual(
      expect.arrayContaining(['repository', 'static-assets', 'ownership', 'workflow', 'environment', 'secret', 'deploy', 'issue', 'dev-environment']),
    );
    const names = new Set(examples.map(e => e.argument));
    for (const output of outputs) expect(names.has(output.argument.split(' ')[0])).toBe(true);
    for (const example of examples) expect(outputs.some(o => o.argument.startsWith(`${example.argument} `))).toBe(true);
  });

  describe('the component examples', () => {
    const dir = tempDir('bluesynth-docs-');
    const out = path.join(dir, 'synth');
    // One wizard configuration per example; the constructor runs the example it names.
    const cases = examples.map(e => `      case ${JSON.stringify(e.argument)}: {\n${indent(e.text, 8)}        break;\n      }\n`).join('');
    const importLine = /^import[\s\S]*?from 'bluesynth';$/m.exec(skeleton)![0];
    writeTree(dir, {
      // The page's ownership example shows the owner its entries get by default: the package's name.
      'package.json': JSON.stringify({ name: 'my-blueprint', version: '1.0.0' }),
      'src/index.ts':
        `${importLine}\n\nexport interface Options extends ParentOptions {\n  /** The example to run. */\n  example: string;\n}\n\n` +
        `export class Blueprint extends ParentBlueprint {\n  constructor(options: Options) {\n    super(options);\n    switch (options.example) {\n${cases}    }\n  }\n}\n`,
      'src/defaults.json': JSON.stringify({ example: examples[0].argument }),
      ...Object.fromEntries(examples.map(e => [`src/wizard-configurations/${e.argument}.json`, JSON.stringify({ example: e.argument })])),
      ...Object.fromEntries(blocks.filter(b => b.kind === 'static-asset').map(b => [`static-assets/${b.argument}`, b.text])),
    });

    test('type-check against the framework', () => {
      expect(typeErrors(dir)).toEqual([]);
    });

    test('synthesize, and write exactly the files the page shows', () => {
      const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', out]);
      expect(result.output).toContain(`${examples.length} of ${examples.length} synthesis jobs succeeded`);
      expect(result.code).toBe(0);
      for (const output of outputs) {
        const [example, file, mode] = output.argument.split(' ');
        const written = path.join(out, `synth.${example}`, 'proposed-bundle', file);
        expect({ file: `${example}: ${file}`, exists: fs.existsSync(written) }).toEqual({ file: `${example}: ${file}`, exists: true });
        expect({ line: output.line, text: fs.readFileSync(written, 'utf8') }).toEqual({ line: output.line, text: output.text });
        if (mode) expect(`mode=${(fs.statSync(written).mode & 0o777).toString(8)}`).toBe(mode);
      }
    });
  });

  test('the ownership example owns its files for whichever blueprint runs it', () => {
    // An entry whose owner is not the running blueprint's package is ignored by that blueprint's updates: an
    // example that names a fixed owner protects nothing in the reader's own blueprint, which has another name.
    const example = examples.find(e => e.argument === 'ownership')!;
    const dir = tempDir('bluesynth-docs-owner-');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: '@someone/their-blueprint', version: '1.0.0' }),
      'src/index.ts':
        `${/^import[\s\S]*?from 'bluesynth';$/m.exec(skeleton)![0]}\n\nexport interface Options extends ParentOptions {}\n\n` +
        `export class Blueprint extends ParentBlueprint {\n  constructor(options: Options) {\n    super(options);\n${indent(example.text, 4)}  }\n}\n`,
      'src/defaults.json': '{}',
    });
    const result = runCli(['synth', '--blueprint', dir, '--options', path.join(dir, 'src', 'defaults.json'), '--outdir', path.join(dir, 'synth')]);
    expect(result.output).toContain('1 of 1 synthesis job succeeded');
    const bundle = path.join(dir, 'synth', 'synth.defaults', 'proposed-bundle', 'src');
    const [repository] = fs.readdirSync(bundle);
    const owners = [...fs.readFileSync(path.join(bundle, repository, '.ownership-file'), 'utf8').matchAll(/^\[[^\]]+\] (.+)$/gm)].map(m => m[1]);
    expect(owners.length).toBeGreaterThan(0);
    expect(owners.filter(owner => owner !== '@someone/their-blueprint')).toEqual([]);
  });

  describe('the wizard options example', () => {
    const dir = tempDir('bluesynth-docs-options-');
    const options = blocks.find(b => b.kind === 'options-example')!;
    const defaults = blocks.find(b => b.kind === 'defaults-example')!;
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'docs-options', version: '1.0.0' }),
      'src/index.ts': options.text,
      'src/defaults.json': defaults.text,
    });

    test('type-checks, builds its schema, and its defaults are valid', () => {
      expect(typeErrors(dir)).toEqual([]);
      const built = runCli(['build-schema', '--blueprint', dir]);
      expect(built.stderr).toBe('');
      expect(built.code).toBe(0);
      const schema = JSON.parse(fs.readFileSync(path.join(dir, 'lib', 'options.schema.json'), 'utf8'));
      expect(Object.keys(schema.properties ?? schema.definitions?.Options?.properties ?? {})).toEqual(expect.arrayContaining(['repositoryName', 'environment', 'advanced']));
      const valid = runCli(['validate-options', '--blueprint', dir]);
      expect(valid.output).not.toMatch(/error/);
      expect(valid.code).toBe(0);
    });

    test('a bad value gives the message the page shows', () => {
      const example = blocks.find(b => b.kind === 'validation-example')!;
      writeTree(dir, { 'src/wizard-configurations/bad.json': example.argument });
      const invalid = runCli(['validate-options', '--blueprint', dir], { cwd: dir });
      expect(invalid.code).toBe(1);
      for (const line of example.text.trimEnd().split('\n')) expect(invalid.output).toContain(line);
    });
  });
});

function indent(text: string, spaces: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(spaces));
}
