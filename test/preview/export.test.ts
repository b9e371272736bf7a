import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runCli, tempDir } from '../util';
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
  expect(result.code).toBe(0);
  const site = path.join(root, 'site');
  // Where it went as the folder was given (here absolute, never as a climb out of the working folder), and how to
  // open it: a browser refuses the requests of a page opened as a file.
  expect(result.stdout).toContain(`wrote ${site}/index.html (`);
  expect(result.stdout).toContain(`serve it over HTTP, for example: python3 -m http.server -d ${site}\n`);
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

test('--export into a folder of other files is refused before any job (exit 2, the files untouched); an earlier export is replaced whole', () => {
  const blueprint = copyFixture();
  fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
  const root = path.dirname(blueprint);
  const mine = path.join(root, 'notes');
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, 'todo.txt'), 'mine\n');
  const refused = runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--export', mine]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`--export: '${mine}' holds files that are not an exported preview`);
  expect(refused.stdout).not.toContain('synth.debug');
  expect(fs.readdirSync(mine)).toEqual(['todo.txt']);

  const site = path.join(root, 'site');
  expect(runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--export', site]).code).toBe(0);
  fs.writeFileSync(path.join(site, 'stale.txt'), 'from before\n');
  expect(runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--export', site]).code).toBe(0);
  expect(fs.existsSync(path.join(site, 'stale.txt'))).toBe(false);
  expect(fs.existsSync(path.join(site, 'api/state.json'))).toBe(true);
  expect(fs.readdirSync(root).filter(name => name.includes('.site.'))).toEqual([]);
});

/**
 * A framework checkout compiled with `tsc --build` alone has no page assets (the step that bundles them runs in
 * `prepare` and `build`): a copy of this checkout's `lib/` without them, so that the checkout's own stay in place.
 */
function frameworkWithoutAssets(): string {
  const framework = path.join(tempDir('bluesynth-unbuilt-'), 'bluesynth');
  fs.mkdirSync(framework);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(framework, 'package.json'));
  fs.cpSync(path.join(ROOT, 'lib'), path.join(framework, 'lib'), { recursive: true });
  fs.rmSync(path.join(framework, 'lib', 'preview', 'assets'), { recursive: true, force: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(framework, 'node_modules'));
  return framework;
}

test('unbuilt page assets: exit 1 before any job, naming the missing file and the command that builds it; the site is left as it was', () => {
  const framework = frameworkWithoutAssets();
  const blueprint = copyFixture();
  const root = path.dirname(blueprint);
  const site = path.join(root, 'site');
  fs.mkdirSync(site);
  fs.writeFileSync(path.join(site, 'index.html'), 'the last export\n');
  const cli = path.join(framework, 'lib', 'cli', 'main.js');
  const missing = path.join(framework, 'lib', 'preview', 'assets', 'page.js');
  const message = `blueprint preview: the preview page is not built: '${missing}' is missing; build it with 'node lib/preview/build-assets.js' (or 'yarn build') in ${framework}\n`;
  const result = runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--resynth', '--export', site], { cli });
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 1, stdout: '', stderr: message });
  expect(fs.existsSync(path.join(root, 'synth'))).toBe(false);
  expect(fs.readdirSync(site)).toEqual(['index.html']);

  // The fleet page uses the same assets: said before any repository is fetched.
  const repos = path.join(root, 'repos.txt');
  fs.writeFileSync(repos, 'remotes/app.git\n');
  const fleet = runCli(['preview', '--repos', repos, '--work-dir', path.join(root, 'work'), '--export', site], { cli });
  expect({ code: fleet.code, stdout: fleet.stdout, stderr: fleet.stderr }).toEqual({ code: 1, stdout: '', stderr: message });
  expect(fs.existsSync(path.join(root, 'work'))).toBe(false);
});

test('a configuration whose options break the schema fails as OptionsValidationError, as drive-synth names it, and the others are exported', () => {
  const blueprint = copyFixture();
  fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
  fs.writeFileSync(path.join(blueprint, 'src', 'wizard-configurations', 'bad.json'), JSON.stringify({ appName: 'Not Valid' }));
  const root = path.dirname(blueprint);
  const site = path.join(root, 'site');
  const result = runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--export', site]);
  expect(result.stderr).toMatch(/FAIL +synth\.bad .*OptionsValidationError: the options do not match/);
  expect(result.stderr).toContain('bad.json: $.appName: @validationRegex');
  const drive = runCli(['drive-synth', '--blueprint', blueprint, '--outdir', path.join(root, 'drive')]);
  expect(drive.stderr).toMatch(/FAIL +synth\.bad .*OptionsValidationError: the options do not match/);
  const state = JSON.parse(fs.readFileSync(path.join(site, 'api/state.json'), 'utf8')) as { jobs: { name: string; status: string; error?: { name: string } }[] };
  expect(state.jobs.find(job => job.name === 'synth.bad')).toMatchObject({ status: 'failed', error: { name: 'OptionsValidationError' } });
  expect(state.jobs.find(job => job.name === 'synth.debug')).toMatchObject({ status: 'ok' });
});

test('an --outdir given relative is recorded in options.json as given, byte for byte what drive-synth and drive-resynth write there', () => {
  const blueprint = copyFixture();
  fs.rmSync(path.join(blueprint, 'src', 'wizard-configurations', 'large.json'));
  const root = path.dirname(blueprint);
  // `blueprint preview` in a blueprint folder writes into the same synth/ as `yarn blueprint:synth` (README, "Preview").
  expect(runCli(['preview', '--outdir', 'synth', '--resynth', '--export', 'site'], { cwd: blueprint }).code).toBe(0);
  const options = (bundle: string) => fs.readFileSync(path.join(blueprint, 'synth', bundle, 'options.json'), 'utf8');
  const previewed = { synth: options('synth.debug/proposed-bundle'), resynth: options('resynth.debug/resolved-bundle') };
  expect(JSON.parse(previewed.synth).outdir).toBe('synth/synth.debug/proposed-bundle');
  expect(JSON.parse(previewed.resynth).outdir).toBe('synth/resynth.debug/resolved-bundle');
  expect(runCli(['drive-synth', '--outdir', 'synth'], { cwd: blueprint }).code).toBe(0);
  expect(runCli(['drive-resynth', '--outdir', 'synth'], { cwd: blueprint }).code).toBe(0);
  expect({ synth: options('synth.debug/proposed-bundle'), resynth: options('resynth.debug/resolved-bundle') }).toEqual(previewed);
  expect(fs.existsSync(path.join(root, 'synth'))).toBe(false);
});

test('--export of a published package (no src/) takes its lib/defaults.json, as synth does', () => {
  const root = tempDir('bluesynth-preview-published-');
  const blueprint = path.join(root, 'package');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: '@acme/published', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts' }),
    'lib/index.d.ts': 'export interface Options {\n  greeting: string;\n}\n',
    'lib/defaults.json': JSON.stringify({ greeting: 'hello' }),
    'lib/index.js': [
      "const { Blueprint: ParentBlueprint, SourceFile, SourceRepository } = require('bluesynth');",
      'class Blueprint extends ParentBlueprint {',
      '  constructor(options) {',
      '    super(options);',
      "    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', options.greeting + '\\n');",
      '  }',
      '}',
      'exports.Blueprint = Blueprint;',
      '',
    ].join('\n'),
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(blueprint, file)), { recursive: true });
    fs.writeFileSync(path.join(blueprint, file), text);
  }
  const site = path.join(root, 'site');
  const result = runCli(['preview', '--blueprint', blueprint, '--outdir', path.join(root, 'synth'), '--export', site]);
  expect(result.stderr).not.toContain('no such file');
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(site, 'raw/synth.defaults/proposed-bundle/src/app/hello.txt'), 'utf8')).toBe('hello\n');
  expect(JSON.parse(fs.readFileSync(path.join(site, 'api/schema.json'), 'utf8'))).toMatchObject({ defaults: { greeting: 'hello' } });
});
