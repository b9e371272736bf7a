import * as fs from 'fs';
import * as path from 'path';
import { PUBLISHED_PACKAGE, tempDir, writeTree } from '../util';
import { startPreview, waitForState } from './preview-util';

/**
 * `blueprint preview` of an installed package (a published build under node_modules, no src/): saving the form's
 * options wrote src/wizard-configurations/<name>.json into the package, which then passed for a blueprint's sources
 * (its schema rebuilt into its lib/). The package is left as npm installed it; the file goes beside the bundles.
 */
jest.setTimeout(120_000);

/** With its declarations, whose Options the preview's form is made from. */
const PACKAGE = {
  ...PUBLISHED_PACKAGE,
  'package.json': JSON.stringify({ name: '@acme/published', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts' }),
  'lib/index.d.ts': 'export interface Options {\n  /** What the file says. */\n  greeting: string;\n}\n',
};

test('saving a configuration in the preview of an installed package writes it beside the bundles, not into the package', async () => {
  const dir = tempDir('bluesynth-preview-installed-');
  const blueprint = path.join(dir, 'node_modules', '@acme', 'published');
  writeTree(blueprint, PACKAGE);
  const listed = (folder: string) => fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
  const before = listed(blueprint);
  const out = path.join(dir, 'synth');
  const preview = await startPreview(['--blueprint', blueprint, '--outdir', out, '--runner', 'fast']);
  await waitForState(preview.url, state => !state.busy && state.jobs.some(job => job.name === 'synth.defaults' && job.status === 'ok'));

  const saved = await fetch(`${preview.url}api/save`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'loud', options: { greeting: 'HELLO' } }) });
  expect(saved.status).toBe(200);
  const answer = (await saved.json()) as { file: string; note?: string };
  expect(answer.file).toBe(path.join(out, 'wizard-configurations', 'loud.json'));
  expect(answer.note).toContain('is an installed package (no src/): nothing is written into it');
  expect(JSON.parse(fs.readFileSync(path.join(out, 'wizard-configurations', 'loud.json'), 'utf8'))).toEqual({ greeting: 'HELLO' });

  // Offered as a start value of the form, as a blueprint's own configurations are.
  const schema = (await (await fetch(`${preview.url}api/schema.json`)).json()) as { configurations: Record<string, unknown> };
  expect(schema.configurations).toEqual({ loud: { greeting: 'HELLO' } });
  // Saved again under the same name: refused without overwrite, naming the file.
  const again = await fetch(`${preview.url}api/save`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'loud', options: { greeting: 'hi' } }) });
  expect(again.status).toBe(409);
  expect(await again.text()).toContain(`${path.join(out, 'wizard-configurations', 'loud.json')} exists`);
  await preview.stop();

  expect(listed(blueprint)).toEqual(before);
});
