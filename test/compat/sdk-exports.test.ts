import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runCli, tempDir } from '../util';
import { typeErrors } from './port-type-check';
import { bundleFiles, portSource } from './sdk-ports';

/**
 * A blueprint written for the SDK with the names bluesynth once lacked (PullRequest, Difference and their types,
 * BLUEPRINT_OWNERSHIP_FILE, sourceRepositoryRootDirectory, SourceFileOptions, WorkflowDefinitionBuilder,
 * ActionGroupDefinitionBuilder, the sdk namespace), ported by changing its imports: it type-checks against
 * bluesynth, and gives for each wizard configuration the bundle the SDK's CLI gave, byte for byte
 * (test/fixtures/sdk-exports/README.md says how those were made).
 */
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'sdk-exports');

function port(): string {
  const dir = path.join(tempDir(), 'sdk-exports-blueprint');
  fs.cpSync(path.join(FIXTURE, 'blueprint'), dir, { recursive: true });
  for (const file of ['src/index.ts', 'src/blueprint.ts']) {
    const absolute = path.join(dir, file);
    fs.writeFileSync(absolute, portSource(fs.readFileSync(absolute, 'utf8')));
  }
  return dir;
}

const configurations = fs.readdirSync(path.join(FIXTURE, 'expected')).sort();

describe('a port of an SDK blueprint that uses PullRequest, Difference and the workflow definition builders', () => {
  const dir = port();
  // The SDK project's blueprint:synth command line, in the blueprint folder.
  const result = runCli(
    ['drive-synth', '--blueprint', './', '--outdir', './synth', '--default-options', './src/defaults.json', '--additional-options', './src/wizard-configurations'],
    { cwd: dir },
  );

  test('the fixture holds the bundles of both wizard configurations', () => {
    expect(configurations).toEqual(['00.synth.alternate.json', '00.synth.defaults.json']);
  });

  test('type-checks against bluesynth with only its imports changed', () => {
    expect(fs.readFileSync(path.join(dir, 'src', 'blueprint.ts'), 'utf8')).not.toContain('@amazon-codecatalyst');
    expect(typeErrors(dir)).toEqual([]);
  });

  test('synthesizes every configuration', () => {
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('2 of 2 synthesis jobs succeeded') });
  });

  test.each(configurations)('%s: the SDK\'s paths and bytes', sdkFolder => {
    const config = sdkFolder.replace(/^00\.synth\./, '').replace(/\.json$/, '');
    const ours = path.join(dir, 'synth', `synth.${config}`, 'proposed-bundle');
    const sdk = path.join(FIXTURE, 'expected', sdkFolder);
    expect(bundleFiles(ours)).toEqual(bundleFiles(sdk));
    for (const file of bundleFiles(sdk)) {
      const expected = fs.readFileSync(path.join(sdk, file));
      const actual = fs.readFileSync(path.join(ours, file));
      if (file === 'options.json') {
        // Where each CLI was told to write: its own job folder names.
        const { outdir: sdkOutdir, ...sdkOptions } = JSON.parse(expected.toString());
        const { outdir: ourOutdir, ...ourOptions } = JSON.parse(actual.toString());
        expect(ourOptions).toEqual(sdkOptions);
        expect([sdkOutdir, ourOutdir]).toEqual([`synth/${sdkFolder}/proposed-bundle`, `synth/synth.${config}/proposed-bundle`]);
        expect(actual.toString().replace(ourOutdir, sdkOutdir)).toBe(expected.toString());
      } else {
        const same = actual.equals(expected);
        expect({ file, same, ...(same ? {} : { content: actual.toString() }) }).toEqual({ file, same: true });
      }
    }
  });
});
