import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git, initRepository, read } from './git-fixtures';

/**
 * The options.json of a project the hosted service made holds every default of the blueprint, those its
 * `defaults.json` gives beside its `Options` interface too (the SDK's test-blueprint has `tupleValues.dynamicElement`).
 * `update --add --adopt --options options.json`, exactly as the README says, was refused (exit 2) for such a key,
 * "the blueprint has no option ...", though the file only repeated the blueprint's own default. A key the file gives
 * with another value than the default is still refused as a typo. Adopted, `check` then warned of that key as the
 * record's fault, telling the team to delete it from the record, which the defaults would only fill in again.
 */
jest.setTimeout(120_000);

test('update --add --adopt --options takes an SDK options.json that repeats a default the blueprint does not declare; another value for it is still refused', () => {
  const work = tempDir('bluesynth-hosted-options-file-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string; tuples?: { singles: string[] } }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', options.greeting + '\\n');
  }
}
`, {
    'package.json': JSON.stringify({ name: 'service-blueprint', version: '1.0.0' }),
    // 'tuples.dynamic' is in the defaults and not in Options, as in the SDK's test-blueprint.
    'src/defaults.json': JSON.stringify({ greeting: 'hello', tuples: { singles: ['a'], dynamic: { element: ['first', 1], description: 'd' } } }),
  });
  const repo = path.join(work, 'cc');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'README.md'), 'hi\n');
  initRepository(repo, 'Initial commit');
  const head = git(repo, 'rev-parse', 'HEAD');
  // As the SDK writes it: defaults merged with the wizard's answers, and the bundle's folder.
  const sdkOptions = { greeting: 'hi', tuples: { singles: ['a'], dynamic: { element: ['first', 1], description: 'd' } }, outdir: 'synth/00.synth.defaults.json/proposed-bundle' };

  const changed = path.join(work, 'changed.json');
  fs.writeFileSync(changed, JSON.stringify({ ...sdkOptions, tuples: { ...sdkOptions.tuples, dynamic: { element: ['second', 2], description: 'd' } } }));
  const refused = runCli(['update', '--add', '--adopt', '--blueprint', blueprint, '--options', changed], { cwd: repo });
  expect(refused.stderr).toContain(`${changed}: the blueprint has no option 'tuples.dynamic'`);
  expect(refused.code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

  const options = path.join(work, 'options.json');
  fs.writeFileSync(options, JSON.stringify(sdkOptions));
  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', blueprint, '--options', options], { cwd: repo });
  expect(adopted.stdout).toContain('adopted as made by service-blueprint@1.0.0, no file changed');
  expect(adopted.code).toBe(0);
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toEqual({ greeting: 'hi', tuples: sdkOptions.tuples });
  expect(git(repo, 'status', '--porcelain')).toBe('');

  // The record now holds that default: check blames it on the blueprint's defaults, not on the record, whose edit
  // would change nothing (the defaults give it again).
  const checked = runCli(['check'], { cwd: repo });
  expect(checked.stdout).toContain(`warning       ${path.join(blueprint, 'src', 'defaults.json')}: $.tuples.dynamic: additionalProperties`);
  expect(checked.output).not.toContain('delete it from');
  expect(checked.code).toBe(0);
});
