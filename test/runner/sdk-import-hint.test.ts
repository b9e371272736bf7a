import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';

/**
 * Journey 66: a port of a community blueprint (the PDK's) that kept one import of the SDK's umbrella package
 * `@amazon-codecatalyst/blueprints` failed with Node's "Cannot find module" (esbuild's "Could not resolve" under
 * --cache) alone, which does not say that the port missed an import. Both runners now say so.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-sdk-import-hint-');
const blueprint = makeBlueprint(path.join(work, 'bp'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
import { makeEmptyWorkflow } from '@amazon-codecatalyst/blueprints';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    makeEmptyWorkflow();
  }
}
`);

test.each([['fast'], ['cache']])('an import of the SDK left in a port is named as one (%s runner)', runner => {
  const result = runCli(['drive-synth', '--runner', runner, '--blueprint', blueprint, '--outdir', path.join(work, `out-${runner}`)], { cwd: work });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/@amazon-codecatalyst\/blueprints['"] \(a package of the CodeCatalyst SDK, not installed here: a port imports its names from 'bluesynth'\)/);
  expect(result.stderr).toContain('src/index.ts');
});
