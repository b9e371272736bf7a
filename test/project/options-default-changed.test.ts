import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read } from './git-fixtures';

/**
 * README, "Other changes to `Options`": a version that changes an option's default (replicas from 2 to 3) leaves
 * a project made before it at the old value, since create recorded the defaults with the options; `--set` takes
 * the new one. (Journey 91: the table did not say so, and an author expecting the new default to reach every
 * project found it reached none.)
 */
jest.setTimeout(300_000);

const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { replicas: number }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'replicas.txt', options.replicas + '\\n');
  }
}
`;

test("a changed default reaches no project made before it, and --set takes it", () => {
  const work = tempDir('bluesynth-options-default-');
  const blueprint = path.join(work, 'blueprint');
  makeBlueprint(blueprint, source, { 'src/defaults.json': JSON.stringify({ replicas: 2 }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ replicas: 3 }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(JSON.parse(read(repo, '.bluesynth/instantiations.json'))[0].options).toEqual({ replicas: 2 });

  const update = runCli(['update', '--to', 'v2', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(JSON.parse(update.stdout).warnings).toEqual([]);
  expect(read(repo, 'replicas.txt')).toBe('2\n');

  expect(runCli(['update', '--set', 'replicas=3'], { cwd: repo }).code).toBe(0);
  expect(read(repo, 'replicas.txt')).toBe('3\n');
});
