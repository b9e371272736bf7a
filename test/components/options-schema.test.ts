import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/** A blueprint with one dynamic wizard section, as the SDK's test-blueprint has. */
const blueprint = (identifier: string) => `import { Blueprint as ParentBlueprint, Options as ParentOptions, OptionsSchema, KVSchema } from 'bluesynth';
export interface Options extends ParentOptions {}
const inputs: KVSchema = [{ key: 'region', value: 'us-west-2', displayType: 'region' }, { key: 'size', value: 3, displayType: 'number' }];
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new OptionsSchema(this, ${JSON.stringify(identifier)}, inputs);
  }
}
`;

const EXPECTED = '[{"key":"region","value":"us-west-2","displayType":"region"},{"key":"size","value":3,"displayType":"number"}]';

describe('OptionsSchema', () => {
  test("writes its inputs as compact JSON to the bundle's options/<identifier>", () => {
    const dir = makeBlueprint(tempDir(), blueprint('deployment'));
    const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'out')]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/synth.defaults/proposed-bundle/options/deployment'), 'utf8')).toBe(EXPECTED);
  });

  test('writes into WIZARD_OPTIONS_ABS when it is set', () => {
    const dir = makeBlueprint(tempDir(), blueprint('deployment'));
    const elsewhere = path.join(tempDir(), 'wizard');
    const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'out')], { env: { WIZARD_OPTIONS_ABS: elsewhere } });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(elsewhere, 'deployment'), 'utf8')).toBe(EXPECTED);
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults/proposed-bundle/options'))).toBe(false);
  });

  test('an identifier that would climb out of the folder fails the job, naming the component', () => {
    const dir = makeBlueprint(tempDir(), blueprint('../escape'));
    const result = runCli(['drive-synth', '--blueprint', dir, '--outdir', path.join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("OptionsSchema '../escape'");
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults/proposed-bundle'))).toBe(false);
  });
});
