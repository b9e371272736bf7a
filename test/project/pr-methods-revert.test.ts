import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';
import { releasedBlueprint } from './pr-methods-fixtures';

/**
 * An update pull request merged with a merge commit, then backed out with `git revert -m 1` (the version broke
 * something): the record goes back with the files, so check says the project is behind, and the next update merges
 * from the older baseline. An update past the backed-out version brings its changes back with its own, as asked,
 * but never without a word.
 */
jest.setTimeout(300_000);

test('after v2 is reverted, check says behind, and the update to v3 says it brings v2\'s changes back', () => {
  const work = tempDir('bluesynth-pr-revert-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'team.txt'), 'ours\n');
  commitAll(repo, 'team edits');

  expect(runCli(['update', '--to', 'v2', '--branch', 'update-v2'], { cwd: repo }).code).toBe(0);
  git(repo, 'checkout', '--quiet', 'main');
  git(repo, 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #1', 'update-v2');
  // The update's own merge, on its branch, is the one that merged the generated commit.
  const merge = git(repo, 'rev-parse', 'update-v2');
  git(repo, 'revert', '--quiet', '-m', '1', '--no-edit', 'HEAD');
  expect(fs.existsSync(path.join(repo, 'v2.txt'))).toBe(false);

  const check = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ instantiation: { versionId: '1.0.0' }, behind: true, newest: 'v3' });
  expect(check.code).toBe(1);

  const update = runCli(['update', '--to', 'v3', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  // v3 holds v2's changes: the update brings back what the team reverted, and says so.
  expect(read(repo, 'v2.txt')).toBe('v2\n');
  expect(JSON.parse(update.stdout).warnings).toEqual([
    `demo-blueprint@2.0.0 was merged before (merge ${merge.slice(0, 12)}), and HEAD's record no longer has it (backed out with 'git revert -m 1'?): ` +
      'this update to 3.0.0 applies its changes again, with its own',
  ]);
  expect(read(repo, 'team.txt')).toBe('ours\n');
});

test('a version backed out before the recorded one, or one never merged, is not named', () => {
  const work = tempDir('bluesynth-pr-revert-older-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  // v2 merged and reverted, then v2 applied again (said), then v3: v2 is in the chain of baselines again, nothing to say.
  expect(runCli(['update', '--to', 'v2'], { cwd: repo }).code).toBe(0);
  git(repo, 'revert', '--quiet', '-m', '1', '--no-edit', 'HEAD');
  const again = runCli(['update', '--to', 'v2', '--json'], { cwd: repo });
  expect(JSON.parse(again.stdout).warnings).toEqual([expect.stringContaining('this update applies it again')]);
  const v3 = runCli(['update', '--to', 'v3', '--json'], { cwd: repo });
  expect(v3.code).toBe(0);
  expect(JSON.parse(v3.stdout).warnings).toEqual([]);
});

test('the newest version backed out is the team\'s choice: check counts it as up to date until a newer one comes', () => {
  const work = tempDir('bluesynth-pr-revert-newest-');
  const blueprint = releasedBlueprint(path.join(work, 'blueprint'));
  // v3 is not released yet.
  git(blueprint, 'tag', '-d', 'v3');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(runCli(['update', '--to', 'v2'], { cwd: repo }).code).toBe(0);
  const merge = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'revert', '--quiet', '-m', '1', '--no-edit', 'HEAD');

  const check = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ instantiation: { versionId: '1.0.0' }, behind: false, newest: 'v2', backedOut: { version: '2.0.0', merged: merge } });
  expect(check.code).toBe(0);
  expect(runCli(['check'], { cwd: repo }).stdout).toContain(`up to date but for 2.0.0, the newest, merged (${merge.slice(0, 12)}) and backed out since (git revert -m 1?)`);

  // v3 released: behind again.
  git(blueprint, 'tag', 'v3');
  const later = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(later.stdout).instantiations[0]).toMatchObject({ behind: true, newest: 'v3' });
  expect(JSON.parse(later.stdout).instantiations[0].backedOut).toBeUndefined();
  expect(later.code).toBe(1);
});
