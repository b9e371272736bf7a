import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/** An `.ownership-file` the blueprint generated and the project deleted: its entries no longer apply, and the update says so. */
jest.setTimeout(300_000);

test('a generated .ownership-file the project deleted is named in a warning (summary and --json), with its entries and the way back', () => {
  const work = tempDir('bluesynth-deleted-ownership-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, BlueprintOwnershipFile, MergeStrategies, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { level: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'a.txt', '1\\n2 ' + options.level + '\\n3\\n');
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [{ identifier: 'merged', strategy: MergeStrategies.threeWayMerge, globs: ['a.txt'] }] } });
  }
}
`, { 'src/defaults.json': JSON.stringify({ level: 'v1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const baseline = git(repo, 'rev-parse', 'HEAD'); // create's commit is the baseline
  fs.writeFileSync(path.join(repo, 'a.txt'), '1\n2 team\n3\n');
  git(repo, 'rm', '--quiet', '.ownership-file');
  commitAll(repo, 'team: edit, drop the ownership file');

  const warning = `.ownership-file: the baseline has it, HEAD does not (deleted in the project), so its entries were not applied by this update ` +
    `([merged] test-blueprint: a.txt); 'git checkout ${baseline.slice(0, 12)} -- .ownership-file' and a commit bring it back for the next update`;
  const dryRun = runCli(['update', '--set', 'level=v2', '--dry-run', '--json'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(JSON.parse(dryRun.stdout).warnings).toContain(warning);
  const update = runCli(['update', '--set', 'level=v2'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain(`  warning: ${warning}`);
  expect(fs.existsSync(path.join(repo, '.ownership-file'))).toBe(false);

  // Brought back as the warning says, the entry applies again: the next change of the same line is a conflict.
  git(repo, 'checkout', baseline.slice(0, 12), '--', '.ownership-file');
  commitAll(repo, 'team: the ownership file back');
  fs.writeFileSync(path.join(repo, 'a.txt'), '1\n2 team again\n3\n');
  commitAll(repo, 'team: edit again');
  const next = runCli(['update', '--set', 'level=v3', '--json'], { cwd: repo });
  expect(next.code).toBe(1);
  expect(JSON.parse(next.stdout).warnings.join('\n')).not.toContain('.ownership-file');
  expect(JSON.parse(next.stdout).files.find((f: any) => f.path === 'a.txt')).toMatchObject({ outcome: 'conflict', strategy: 'merged' });
});
