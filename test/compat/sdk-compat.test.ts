import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ROOT, runCli, tempDir } from '../util';
import { bundleFiles } from './sdk-ports';

/**
 * The compatibility promise: a blueprint written for the CodeCatalyst SDK, with only its imports changed to
 * `bluesynth`, gives the bundle the SDK's own CLI gave (test/fixtures/sdk-compat/README.md says how that
 * was made). Same paths; same bytes, with YAML and JSON compared as data; the deliberate differences
 * are listed below and checked too.
 */
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'sdk-compat');

/** The port: every `@amazon-codecatalyst/...` import becomes `bluesynth`; nothing else changes. */
function port(): string {
  const dir = path.join(tempDir(), 'compat-blueprint');
  fs.cpSync(path.join(FIXTURE, 'blueprint'), dir, { recursive: true });
  for (const file of ['src/index.ts', 'src/blueprint.ts']) {
    const absolute = path.join(dir, file);
    fs.writeFileSync(absolute, fs.readFileSync(absolute, 'utf8').replace(/'@amazon-codecatalyst\/[a-z.-]+'/g, "'bluesynth'"));
  }
  return dir;
}

const asData = (file: string, content: string) => (file.endsWith('.json') ? JSON.parse(content) : YAML.parse(content));

describe.each([
  ['defaults', '00.synth.defaults.json', false],
  ['alternate', '00.synth.alternate.json', true],
])('the SDK compatibility blueprint, configuration %s', (config, sdkFolder, withWizard) => {
  const blueprint = port();
  const args = ['drive-synth', '--blueprint', blueprint, '--outdir', path.join(blueprint, 'synth'), '--default-options', path.join(blueprint, 'src/defaults.json')];
  // Without wizard configurations (an empty folder) the SDK's drive-synth runs the defaults alone.
  if (!withWizard) fs.mkdirSync(path.join(blueprint, 'no-configurations'));
  args.push('--additional-options', path.join(blueprint, withWizard ? 'src/wizard-configurations' : 'no-configurations'));
  const result = runCli(args);
  const ours = path.join(blueprint, 'synth', `synth.${config}`, 'proposed-bundle');
  const sdk = path.join(FIXTURE, 'expected', sdkFolder);

  test('synthesizes', () => {
    expect(result.output).toContain(`synth.${config}`);
    expect(result.code).toBe(0);
  });

  test('writes the same paths (durable state lives outside the bundle)', () => {
    const sdkFiles = bundleFiles(sdk).filter(file => !file.startsWith('durable-storage/'));
    expect(bundleFiles(ours)).toEqual(sdkFiles);
    // The SDK keeps durable state inside the bundle; ours keeps it beside, where a rewrite cannot wipe it.
    const durable = path.join(blueprint, 'synth', '.durable-storage', config, 'durable-storage');
    for (const file of bundleFiles(sdk).filter(f => f.startsWith('durable-storage/'))) {
      expect(fs.readFileSync(path.join(durable, file.slice('durable-storage/'.length)), 'utf8')).toBe(fs.readFileSync(path.join(sdk, file), 'utf8'));
    }
  });

  test('writes the same bytes, YAML and JSON equal as data', () => {
    for (const file of bundleFiles(sdk).filter(f => !f.startsWith('durable-storage/'))) {
      const expected = fs.readFileSync(path.join(sdk, file));
      const actual = fs.readFileSync(path.join(ours, file));
      if (file === 'options.json') {
        // outdir records where each CLI was told to write; the rest is the same data.
        const { outdir: sdkOutdir, ...sdkOptions } = JSON.parse(expected.toString());
        const { outdir: ourOutdir, ...ourOptions } = JSON.parse(actual.toString());
        expect({ file, ...ourOptions }).toEqual({ file, ...sdkOptions });
        expect(sdkOutdir).toBe(`synth/${sdkFolder}/proposed-bundle`);
        expect(ourOutdir).toBe(path.join(blueprint, 'synth', `synth.${config}`, 'proposed-bundle'));
      } else if (/\.(ya?ml|json)$/.test(file)) {
        expect({ file, data: asData(file, actual.toString()) }).toEqual({ file, data: asData(file, expected.toString()) });
        // Beyond the promise: today even the serializations agree byte for byte.
        expect({ file, content: actual.toString() }).toEqual({ file, content: expected.toString() });
      } else {
        expect({ file, content: actual.toString('base64') }).toEqual({ file, content: expected.toString('base64') });
      }
    }
  });

  test('keeps file modes the SDK drops: executable static assets stay executable', () => {
    for (const file of bundleFiles(ours)) {
      const mode = fs.statSync(path.join(ours, file)).mode & 0o777;
      const assetMode = file.endsWith('run.sh') ? 0o755 : 0o644;
      expect({ file, mode: mode.toString(8) }).toEqual({ file, mode: assetMode.toString(8) });
    }
  });
});
