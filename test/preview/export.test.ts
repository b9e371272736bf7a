import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../util';
import { copyFixture } from './preview-util';

/** `blueprint preview --export`: the page and every view it asks for, as files any static host serves. */
test('--export writes the page, state, trees, raw files and the diffs of changed files', () => {
  const blueprint = copyFixture();
  fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
  const root = path.dirname(blueprint);
  // The project was made with another greeting: the resynthesis changes its README, so there is a diff.
  const prior = path.join(root, 'prior.json');
  fs.writeFileSync(prior, JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(blueprint, 'src', 'defaults.json'), 'utf8')), greeting: 'Hello, old.' }));
  const result = runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--resynth', '--prior-options', prior, '--export', path.join(root, 'site')]);
  expect(result.output).toContain('index.html');
  expect(result.code).toBe(0);
  const site = path.join(root, 'site');
  const html = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  expect(html).toContain('assets/page.js');
  expect(html).toContain('"live":false');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from elsewhere
  for (const file of ['assets/page.js', 'assets/page.css', 'api/state.json', 'api/schema.json', 'api/tree/synth.debug/proposed-bundle.json', 'raw/resynth.debug/resynth-report.json']) {
    expect(fs.existsSync(path.join(site, file))).toBe(true);
  }
  expect(fs.readFileSync(path.join(site, 'raw/synth.debug/proposed-bundle/src/demo-app/README.md'), 'utf8')).toContain('# demo-app');
  expect(fs.statSync(path.join(site, 'raw/synth.debug/proposed-bundle/src/demo-app/run.sh')).mode & 0o111).not.toBe(0);
  expect(fs.readFileSync(path.join(site, 'api/diff/resynth.debug/existing-bundle/resolved-bundle/src/demo-app/README.md'), 'utf8')).toContain('-Hello, old.');
});
