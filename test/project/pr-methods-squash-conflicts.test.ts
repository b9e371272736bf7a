import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';
import { releasedBlueprint } from './pr-methods-fixtures';

/**
 * A conflicted update committed unresolved on its branch (`git add -A && git commit`, as a fleet's --push-conflicts
 * branch is), and the pull request squash-merged: `update --adopt` records the generated commit as merged, changing no
 * file. Check must still find the markers the squash brought into a generated file, as it does after a merge commit,
 * and leave a project file that holds a conflict on purpose alone.
 */
jest.setTimeout(300_000);

test('conflict markers committed on the update branch and squash-merged: after update --adopt, check lists them until they are resolved', () => {
  const work = tempDir('bluesynth-pr-squash-conflicts-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'README.md'), '# app\n\nversion 1.0.0, with our notes\n');
  // A guide of the project's that shows a conflict: never one to resolve.
  fs.writeFileSync(path.join(repo, 'conflicts.md'), 'A conflict looks like this:\n<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n');
  commitAll(repo, 'team edits');

  expect(runCli(['update', '--to', 'v3', '--branch', 'update-v3', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--no-edit');
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--squash', 'update-v3');
  git(repo, 'commit', '--quiet', '-m', 'Update the blueprint (#1)');

  expect(runCli(['update', '--adopt'], { cwd: repo }).code).toBe(0);
  const check = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ behind: false, reproducible: 'yes', unresolvedConflicts: [{ path: 'README.md', line: 3 }] });
  expect(check.code).toBe(1);

  fs.writeFileSync(path.join(repo, 'README.md'), '# app\n\nversion 3.0.0, with our notes\n');
  commitAll(repo, 'resolve the conflict the squash brought');
  const resolved = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(resolved.stdout).instantiations[0].unresolvedConflicts).toEqual([]);
  expect(resolved.code).toBe(0);
});
