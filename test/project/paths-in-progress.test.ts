import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll } from './git-fixtures';

/**
 * An update left conflicted on files whose names a terminal would misread: `check` and `status` name them as
 * the update's report does (control characters escaped, a decomposed name quoted), and `status --json` exactly.
 */
jest.setTimeout(120_000);

// ESC ] 0 ; ... BEL sets the terminal's title: a name printed as it is would do that.
const TITLE_SETTING = 'x\u001b]0;pwned\u0007.txt';
const DECOMPOSED = 'cafe\u0301.txt';

function conflictedProject(): string {
  const work = tempDir('bluesynth-paths-in-progress-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { variant: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    for (const name of ${JSON.stringify([TITLE_SETTING, DECOMPOSED])}) new SourceFile(repository, name, 'one\\n' + options.variant + '\\nthree\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ variant: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  for (const name of [TITLE_SETTING, DECOMPOSED]) fs.writeFileSync(path.join(repo, name), 'one\nteam\nthree\n');
  commitAll(repo, 'team edit');
  expect(runCli(['update', '--set', 'variant=v2', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);
  return repo;
}

test('check and status name the conflicted files of an update in progress printably; status --json exactly', () => {
  const repo = conflictedProject();
  for (const command of ['check', 'status']) {
    const run = runCli([command], { cwd: repo });
    expect(run.output).toContain('2 conflicted files: "cafe\\u0301.txt", "x\\u001b]0;pwned\\u0007.txt"');
    expect(run.output).not.toContain('\u001b');
  }
  const json = runCli(['status', '--json'], { cwd: repo });
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout).updateInProgress.conflicted).toEqual([DECOMPOSED, TITLE_SETTING]);
});
