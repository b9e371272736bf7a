import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/** What check says of recorded options a new version no longer declares, or lacks, in the report a CI step keeps. */
jest.setTimeout(300_000);

const source = (options: string) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { ${options} }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'name.txt', options.name + '\\n');
  }
}
`;

test('check --json keeps the warnings of the recorded options, each with the way on, and the summary lists them', () => {
  const work = tempDir('bluesynth-options-evolve-check-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), source('name: string; lint: boolean'), { 'src/defaults.json': JSON.stringify({ name: 'svc', lint: true }) });
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  // v2 drops 'lint' and requires an 'owner' it has no default for.
  fs.writeFileSync(path.join(blueprint, 'src', 'index.ts'), source('name: string; owner: string'));
  fs.writeFileSync(path.join(blueprint, 'src', 'defaults.json'), JSON.stringify({ name: 'svc' }));
  fs.writeFileSync(path.join(blueprint, 'package.json'), JSON.stringify({ name: 'test-blueprint', version: '2.0.0' }));
  commitAll(blueprint, 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(runCli(['update', '--to', 'v2'], { cwd: repo }).code).toBe(0);

  const owner = "the recorded options (.bluesynth/instantiations.json): $.owner: required: missing required option 'owner': the blueprint runs without it; give it a value with blueprint update --set owner=VALUE";
  const lint = "the recorded options (.bluesynth/instantiations.json): $.lint: additionalProperties: unknown option 'lint' (not in the blueprint's Options): it is still passed to the blueprint";
  const json = runCli(['check', '--json'], { cwd: repo });
  expect(json.code).toBe(0);
  const [checked] = JSON.parse(json.stdout).instantiations;
  expect(checked.reproducible).toBe('yes');
  expect(checked.warnings).toEqual([owner, expect.stringContaining(lint)]);

  const text = runCli(['check'], { cwd: repo });
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(`  warning       ${owner}\n`);
  expect(text.stdout).toContain(`  warning       ${lint}`);
  expect(text.stderr).toBe('');

  // Dropped from the record as its warning says: check names the edit the next update applies, and no longer
  // tells the user to drop it (journey 73: the run that generated the baseline had it, and warned again).
  const recordFile = path.join(repo, '.bluesynth', 'instantiations.json');
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  delete record[0].options.lint;
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 2) + '\n');
  commitAll(repo, 'drop lint');
  const edited = runCli(['check', '--json'], { cwd: repo });
  expect(edited.code).toBe(1);
  const [afterEdit] = JSON.parse(edited.stdout).instantiations;
  expect(afterEdit.recordChanged.changed).toEqual(['options: lint']);
  expect(afterEdit.warnings).toEqual([owner]);
});
