import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';

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

/**
 * Journey 96: a published SDK blueprint taken out of its tarball (`npm pack`, then `tar x`) has no node_modules; its
 * compiled main failed with "Cannot find module 'globule'" alone, or, for one of the SDK's packages, with the port's
 * hint above, which tells its user to change imports in a package they did not write. Its package.json declares
 * both: the way on is to install them.
 */
test.each([['fast'], ['sandbox'], ['cache']])('a dependency a published package declares but nobody installed is named with the install (%s runner)', runner => {
  const dir = path.join(tempDir('bluesynth-uninstalled-'), 'package');
  writeTree(dir, {
    'package.json': JSON.stringify({
      name: '@acme/published', version: '1.0.0', main: 'lib/index.js',
      dependencies: { '@amazon-codecatalyst/blueprint-component.source-repositories': '*', '@amazon-codecatalyst/blueprints.blueprint': '*' },
    }),
    'lib/defaults.json': '{}',
    'lib/index.js': "const { SourceRepository } = require('@amazon-codecatalyst/blueprint-component.source-repositories');\nexports.Blueprint = class {};\n",
  });
  const result = runCli(['synth', '--runner', runner, '--blueprint', dir, '--options', path.join(dir, 'lib/defaults.json'), '--outdir', path.join(dir, '..', `out-${runner}`)], { cwd: work });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`the blueprint's package.json declares it, but it is not installed: run npm install in ${dir}`);
  expect(result.stderr).not.toContain('a port imports its names');
});

test('a port whose package.json still declares the SDK keeps the port\'s hint: its fix is the import', () => {
  const port = makeBlueprint(path.join(work, 'port'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions } from 'bluesynth';
import { SourceRepository } from '@amazon-codecatalyst/blueprint-component.source-repositories';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'x' });
  }
}
`, { 'package.json': JSON.stringify({ name: 'port', version: '1.0.0', dependencies: { '@amazon-codecatalyst/blueprint-component.source-repositories': '*' } }) });
  const result = runCli(['drive-synth', '--blueprint', port, '--outdir', path.join(work, 'out-port')], { cwd: work });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("a port imports its names from 'bluesynth'");
});
