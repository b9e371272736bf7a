import * as fs from 'fs';
import * as path from 'path';
import { runInProcess } from '../../src/runner/in-process';
import { NodeModule } from '../../src/runner/node-module';
import { makeBlueprint, ROOT, tempDir } from '../util';

/*
 * runInProcess loads the blueprint and the framework's own modules afresh for every call, as a job process
 * would, and puts back afterwards the modules this process had loaded: the blueprint's objects are the
 * framework's own kind to the code that runs the job, and the caller's copy of the framework never sees
 * what a blueprint changed in its copy.
 */
jest.setTimeout(120_000);

const LIB_INDEX = path.join(ROOT, 'lib', 'index.js');

const SOURCE = `
import { Blueprint as ParentBlueprint, DevEnvironment, MergeStrategies, SampleWorkspaces, SourceRepository, addPostStartEvent } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    repository.setResynthStrategies([{ identifier: 'merge_sources', strategy: MergeStrategies.threeWayMerge, globs: ['src/**'] }]);
    addPostStartEvent(SampleWorkspaces.default, { eventName: 'install', command: 'npm ci', component: 'aws-runtime' });
    new DevEnvironment(this, repository, SampleWorkspaces.default);
  }
}`;

function synth(dir: string, name: string) {
  const outdir = path.join(tempDir('bluesynth-in-process-'), 'proposed-bundle');
  fs.mkdirSync(outdir);
  return runInProcess({ kind: 'synth', name, blueprintDir: dir, entry: path.join(dir, 'src', 'index.ts'), transpile: true, options: {}, outdir, env: {} }).then(done => ({ done, outdir }));
}

test('the job runs on the blueprint\'s own copy of the framework: the built-in strategies it registered are recognised as such', async () => {
  const dir = makeBlueprint(tempDir(), SOURCE);
  for (const name of ['first', 'second']) {
    const { done } = await synth(dir, name);
    expect(done.merge?.strategies?.['src/app']).toEqual([{ identifier: 'merge_sources', globs: ['src/**'], builtin: 'threeWayMerge' }]);
  }
});

test('the copy of the framework this process loaded before is the one it finds afterwards, untouched by the blueprint', async () => {
  const cache = (NodeModule as unknown as { _cache: Record<string, NodeJS.Module> })._cache;
  const ours = NodeModule.createRequire(LIB_INDEX)(LIB_INDEX);
  const module = cache[LIB_INDEX];
  const dir = makeBlueprint(tempDir(), SOURCE);
  for (const name of ['first', 'second']) {
    const { outdir } = await synth(dir, name);
    expect(fs.readFileSync(path.join(outdir, 'src', 'app', 'devfile.yaml'), 'utf8').match(/- install$/gm)).toHaveLength(1);
  }
  expect(cache[LIB_INDEX]).toBe(module);
  expect(ours.SampleWorkspaces.default.events).toBeUndefined();
  expect(Object.keys(cache).filter(file => file.startsWith(dir + path.sep) || file.startsWith(fs.realpathSync(dir) + path.sep))).toEqual([]);
});
