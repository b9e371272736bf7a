import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runCli, tempDir } from '../util';
import { typeErrors } from './port-type-check';
import { bundleFiles, portSource } from './sdk-ports';

/**
 * A blueprint written for the SDK that calls the APIs no other fixture calls (Blueprint.write and
 * writeNonSourceFile, Ownership.asString and asObject, copyStaticFiles with map, StaticAsset.findAll with glob
 * options, the workflow package's addGeneric* functions and helpers, ...), ported by changing its imports: it
 * type-checks against bluesynth, and gives the bundle the SDK's CLI gave, paths, bytes and modes
 * (test/fixtures/sdk-api/README.md says how it was made).
 */
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'sdk-api');

function port(): string {
  const dir = path.join(tempDir(), 'sdk-api-blueprint');
  fs.cpSync(path.join(FIXTURE, 'blueprint'), dir, { recursive: true });
  for (const file of ['src/index.ts', 'src/blueprint.ts']) {
    const absolute = path.join(dir, file);
    fs.writeFileSync(absolute, portSource(fs.readFileSync(absolute, 'utf8')));
  }
  return dir;
}

describe('a port of an SDK blueprint that calls the component and Blueprint APIs other fixtures leave out', () => {
  const dir = port();
  // The SDK project's blueprint:synth command line, in the blueprint folder, with the project it reads (context.project).
  const result = runCli(
    ['drive-synth', '--blueprint', './', '--outdir', './synth', '--default-options', './src/defaults.json', '--existing-bundle', path.join(FIXTURE, 'existing-bundle')],
    { cwd: dir },
  );
  const sdk = path.join(FIXTURE, 'expected', '00.synth.defaults.json');
  const ours = path.join(dir, 'synth', 'synth.defaults', 'proposed-bundle');

  test('type-checks against bluesynth with only its imports changed', () => {
    expect(fs.readFileSync(path.join(dir, 'src', 'blueprint.ts'), 'utf8')).not.toContain('@amazon-codecatalyst');
    expect(typeErrors(dir)).toEqual([]);
  });

  test('synthesizes', () => {
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('1 of 1 synthesis job succeeded') });
  });

  test('the SDK\'s paths, bytes and modes', () => {
    expect(bundleFiles(ours)).toEqual(bundleFiles(sdk));
    for (const file of bundleFiles(sdk)) {
      const expected = fs.readFileSync(path.join(sdk, file));
      const actual = fs.readFileSync(path.join(ours, file));
      const modes = [fs.statSync(path.join(ours, file)).mode & 0o777, fs.statSync(path.join(sdk, file)).mode & 0o777];
      if (file === 'options.json') {
        // Where each CLI was told to write: its own job folder names.
        const { outdir: sdkOutdir, ...sdkOptions } = JSON.parse(expected.toString());
        const { outdir: ourOutdir, ...ourOptions } = JSON.parse(actual.toString());
        expect(ourOptions).toEqual(sdkOptions);
        expect(actual.toString().replace(ourOutdir, sdkOutdir)).toBe(expected.toString());
      } else {
        const same = actual.equals(expected);
        expect({ file, same, ...(same ? {} : { content: actual.toString() }), modes }).toEqual({ file, same: true, modes: [modes[1], modes[1]] });
      }
    }
  });
});
