import * as fs from 'fs';
import * as path from 'path';
import { withDefaultEntropy } from '../../src/project/options';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, read } from './git-fixtures';

/** `@defaultEntropy N`: create appends N random digits to a tagged default, as the hosted wizard does. */
jest.setTimeout(300_000);

test('each tagged text default gets its digits, nested ones and those behind a $ref too; the rest stays, the input is not changed', () => {
  const schema = {
    type: 'object',
    properties: {
      stack: { type: 'string', 'x-defaultEntropy': 3 },
      region: { type: 'string' },
      code: { type: 'object', properties: { bucket: { type: 'string', 'x-defaultEntropy': 2 }, count: { type: 'number', 'x-defaultEntropy': 2 } } },
      shared: { $ref: '#/definitions/Shared' },
    },
    definitions: { Shared: { type: 'object', properties: { name: { $ref: '#/definitions/Name' } } }, Name: { type: 'string', 'x-defaultEntropy': 1 } },
  };
  const defaults = { stack: 'Stack-', region: 'us-west-2', code: { bucket: 'b-', count: 1 }, shared: { name: 'n' } };
  let calls = 0;
  const digits = (count: number) => `${++calls}`.repeat(count);
  expect(withDefaultEntropy(defaults, schema, digits)).toEqual({ stack: 'Stack-111', region: 'us-west-2', code: { bucket: 'b-22', count: 1 }, shared: { name: 'n3' } });
  expect(defaults.stack).toBe('Stack-');
  expect(withDefaultEntropy(defaults, undefined, digits)).toBe(defaults);
});

test('create records the defaults with their digits (different per project); a value the user sets is taken as given; update keeps the recorded value', () => {
  const work = tempDir('bluesynth-project-entropy-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {
  /** @defaultEntropy 5 */
  stackName: string;
  /** The region. */
  region: string;
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'stack.txt', options.stackName + ' in ' + options.region + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ stackName: 'Stack-', region: 'eu-west-1' }) });
  const recorded = (project: string) => JSON.parse(read(path.join(work, project, 'app'), '.bluesynth/instantiations.json'))[0].options;
  for (const project of ['one', 'two']) expect(runCli(['create', '--blueprint', blueprint, path.join(work, project)], { cwd: work }).code).toBe(0);
  const one = recorded('one');
  expect(one.stackName).toMatch(/^Stack-\d{5}$/);
  expect(one.region).toBe('eu-west-1');
  expect(recorded('two').stackName).toMatch(/^Stack-\d{5}$/);
  expect(recorded('two').stackName).not.toBe(one.stackName);
  expect(read(path.join(work, 'one', 'app'), 'stack.txt')).toBe(`${one.stackName} in eu-west-1\n`);

  expect(runCli(['create', '--blueprint', blueprint, '--set', 'stackName=Mine', path.join(work, 'three')], { cwd: work }).code).toBe(0);
  expect(recorded('three').stackName).toBe('Mine');

  const repo = path.join(work, 'one', 'app');
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'ours\n');
  commitAll(repo, 'a note');
  expect(runCli(['update', '--set', 'region=us-east-1'], { cwd: repo }).code).toBe(0);
  expect(read(repo, 'stack.txt')).toBe(`${one.stackName} in us-east-1\n`);

  // A second blueprint applied with --add starts from its defaults with their digits, as create does.
  const second = makeBlueprint(path.join(work, 'second'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {
  /** @defaultEntropy 4 */
  topic: string;
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'topic.txt', options.topic + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'second-blueprint', version: '1.0.0' }), 'src/defaults.json': JSON.stringify({ topic: 'events-' }) });
  expect(runCli(['update', '--add', '--blueprint', second], { cwd: repo }).code).toBe(0);
  expect(read(repo, 'topic.txt')).toMatch(/^events-\d{4}\n$/);
});
