import * as fs from 'fs';
import * as path from 'path';
import { kitchenSink } from '../schema/fixture';
import { makeBlueprint, runCli, tempDir } from '../util';

describe('blueprint build-schema', () => {
  test('writes lib/options.schema.json (and a copy to --outdir), rebuilding every time', () => {
    const dir = kitchenSink();
    const result = runCli(['build-schema', '--blueprint', '.', '--outdir', 'out'], { cwd: dir });
    expect(result.stdout).toMatch(/wrote lib\/options\.schema\.json and out\/options\.schema\.json: 31 options in [\d.]+ s/);
    expect(result.code).toBe(0);
    const schema = JSON.parse(fs.readFileSync(path.join(dir, 'lib/options.schema.json'), 'utf8'));
    expect(schema.properties.repositoryName['x-displayName']).toBe('Repository name');
    expect(fs.readFileSync(path.join(dir, 'out/options.schema.json'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'lib/options.schema.json'), 'utf8'));
  });

  test('a blueprint without an Options export is an input error', () => {
    const dir = makeBlueprint(tempDir(), `import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B {}\n`);
    const result = runCli(['build-schema', '--blueprint', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("exports no 'Options' interface or type");
  });
});
