import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';
import { releasedBlueprint } from './pr-methods-fixtures';

/**
 * The project's history rewritten after an update was merged (a generated file taken out of every commit with
 * git filter-branch, as a leaked file is): the baselines are found again (their trailers survive), but the recorded
 * version no longer generates what they hold. Check says the repository is not up to date while its version is, and
 * must say why that can be and what the next update does about it.
 */
jest.setTimeout(300_000);

test('after git filter-branch took a generated file out of the history, check says why it is not reproducible and what the next update does', () => {
  const work = tempDir('bluesynth-pr-rewritten-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'team.txt'), 'ours\n');
  commitAll(repo, 'team edits');
  expect(runCli(['update', '--to', 'v3', '--branch', 'update-v3'], { cwd: repo }).code).toBe(0);
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #1', 'update-v3');
  git(repo, 'branch', '--quiet', '-D', 'update-v3');
  execGit(repo, ['filter-branch', '-f', '--index-filter', 'git rm --cached --ignore-unmatch --quiet v3.txt', '--', '--all']);
  const baseline = git(repo, 'rev-parse', 'HEAD^2^2');
  expect(git(repo, 'show', `${baseline}:README.md`)).toContain('version 3.0.0');

  const check = runCli(['check'], { cwd: repo });
  expect(check.stdout).toContain('version       up to date (newest v3)');
  expect(check.stdout).toContain('reproducible  no: 1 file differs from the baseline (v3.txt)');
  expect(check.stdout).toContain(`note          the recorded version with the recorded options generates that file otherwise than ${baseline.slice(0, 12)} holds: ` +
    'that commit was changed after it was generated (amended, or rewritten by git filter-branch or filter-repo)');
  expect(check.stdout).toContain("the next update merges the difference in as the blueprint's change ('blueprint update --dry-run' shows it)");
  expect(check.code).toBe(1);
  // As said: the next update takes the file the blueprint generates for the blueprint's.
  const dryRun = runCli(['update', '--dry-run', '--json'], { cwd: repo });
  expect(JSON.parse(dryRun.stdout).files.filter((f: any) => f.outcome !== 'unchanged').map((f: any) => [f.path, f.outcome])).toEqual([['v3.txt', 'added']]);
});

/** git with filter-branch's warning and wait turned off. */
function execGit(cwd: string, args: string[]): void {
  const saved = process.env.FILTER_BRANCH_SQUELCH_WARNING;
  process.env.FILTER_BRANCH_SQUELCH_WARNING = '1';
  try {
    git(cwd, ...args);
  } finally {
    if (saved === undefined) delete process.env.FILTER_BRANCH_SQUELCH_WARNING;
    else process.env.FILTER_BRANCH_SQUELCH_WARNING = saved;
  }
}
