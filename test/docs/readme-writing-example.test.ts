import * as fs from 'fs';
import * as path from 'path';
import { ROOT, readTree, runCli, tempDir, writeTree } from '../util';

/**
 * The README's "Writing a blueprint" example, run as its text says a new author lays it out: the blueprint
 * block under "`src/index.ts` is one line", and the defaults the README gives it (journey 77: with none shown,
 * an author's `{}` made the run fail on `options.modules is not iterable`).
 */
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test('journey 77: the README\'s first blueprint, with the defaults the README shows, synthesizes what it says', () => {
  const section = README.slice(README.indexOf('`src/index.ts` is one line'));
  const source = /```ts\n([\s\S]*?)^```$/m.exec(section)![1];
  const defaults = /<!-- writing-defaults -->\n```json\n([\s\S]*?)^```$/m.exec(section)?.[1];
  expect(defaults).toBeDefined();
  const files = synthesizedDefaults(source, defaults!);
  expect(files['src/my-project/README.md']).toBe('# my-project\n');
  expect(files['src/my-project/src/orders.ts']).toBe("export const name = 'orders';\n");
  expect(files['src/my-project/src/billing.ts']).toBe("export const name = 'billing';\n");
});

test('journey 97: the README\'s synth() override, added to that blueprint, runs after the components wrote their files', () => {
  const section = README.slice(README.indexOf('`src/index.ts` is one line'));
  const source = /```ts\n([\s\S]*?)^```$/m.exec(section)![1];
  const override = /```ts\n(override async synth[\s\S]*?)^```$/m.exec(section)?.[1];
  expect(override).toBeDefined();
  const withOverride = "import * as fs from 'fs';\nimport * as path from 'path';\n" + source.replace(/\n}\n$/, `\n${override}}\n`);
  const files = synthesizedDefaults(withOverride, JSON.stringify({ repositoryName: 'my-project', modules: ['orders'] }));
  expect(files['src/my-project/README.md']).toBe('# my-project\n\nMade by my-blueprint.\n');
});

/** The README's blueprint layout around `source` and `defaults` (its static README among it), synthesized with drive-synth: the defaults bundle's files. */
function synthesizedDefaults(source: string, defaults: string): Record<string, string> {
  const dir = tempDir();
  const blueprint = path.join(dir, 'my-blueprint');
  writeTree(blueprint, {
    'package.json': JSON.stringify({ name: 'my-blueprint', version: '0.1.0' }),
    'src/index.ts': "export * from './blueprint';\n",
    'src/blueprint.ts': source,
    'src/defaults.json': defaults,
    'static-assets/README.md': '# {{{name}}}\n',
  });
  const result = runCli(['drive-synth', '--blueprint', blueprint, '--outdir', path.join(dir, 'synth')]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readTree(path.join(dir, 'synth', 'synth.defaults', 'proposed-bundle'));
}
