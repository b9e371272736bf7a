import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read } from './git-fixtures';

/** The options an update runs with when a new version turned a text option into an object with defaults. */
jest.setTimeout(300_000);

const source = (database: string, text: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { database: ${database} }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'database.txt', ${text} + '\\n');
  }
}
`;

test('a --set inside an option a new version made an object takes that object\'s other values from the new defaults, as create does', () => {
  const work = tempDir('bluesynth-options-evolve-defaults-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), source('string', 'options.database'), { 'src/defaults.json': JSON.stringify({ database: 'postgres' }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), source('{ engine: string; version: number }', "options.database.engine + ' ' + options.database.version"));
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ database: { engine: 'postgres', version: 16 } }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');

  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(read(repo, 'database.txt')).toBe('postgres\n');

  // The recorded 'postgres' is no object: the way on the refusal names is a --set, here of one key of the object.
  const refused = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(refused.stderr).toContain('blueprint update --set database=VALUE');
  expect(refused.code).toBe(2);

  const update = runCli(['update', '--to', 'v2', '--set', 'database.engine=mysql'], { cwd: repo });
  expect(update.stdout).not.toContain('warning');
  expect(update.code).toBe(0);
  expect(read(repo, 'database.txt')).toBe('mysql 16\n');
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toEqual({ database: { engine: 'mysql', version: 16 } });
  const check = runCli(['check'], { cwd: repo });
  expect(check.output).not.toContain('warning');
  expect(check.code).toBe(0);
});
