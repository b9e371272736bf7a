import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { makeFleet } from './fleet-fixture';

/**
 * Which branch a fleet update starts from on a first clone: the one the repositories file names, else the
 * remote's default branch; a remote whose HEAD names no branch needs one named.
 */
jest.setTimeout(300_000);

/** Pushes `branch` to `remote`, one commit ahead of its default branch that adds `file`, made in a scratch clone. */
function pushBranchAhead(work: string, remote: string, branch: string, file: string, text: string): void {
  const scratch = fs.mkdtempSync(path.join(work, 'scratch-'));
  git(work, 'clone', '--quiet', remote, scratch);
  fs.writeFileSync(path.join(scratch, file), text);
  git(scratch, 'add', file);
  git(scratch, 'commit', '--quiet', '-m', `add ${file}`);
  git(scratch, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
}

test('a first clone starts from the branch the file names, or the remote default; a remote HEAD that names nothing is reported by name', () => {
  const work = tempDir('bluesynth-fleet-branches-');
  const fleet = makeFleet(work, 3, { seeds: 1 });
  const [named, dangling, danglingNamed] = fleet.remotes;
  const defaultBranch = git(named, 'symbolic-ref', '--short', 'HEAD');

  // A release branch one commit ahead of the default branch, with a file of the project's own.
  pushBranchAhead(work, named, 'release', 'RELEASE.md', 'release notes\n');
  const releaseTip = git(named, 'rev-parse', 'refs/heads/release');
  // Two remotes whose HEAD names a branch they do not have.
  for (const remote of [dangling, danglingNamed]) git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/gone');

  const reposFile = path.join(work, 'branches.txt');
  fs.writeFileSync(reposFile, `${named}#release\n${dangling}\n${danglingNamed}#${defaultBranch}\n`);
  const run = runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work });
  const report = JSON.parse(run.stdout);
  const byUrl = new Map<string, any>(report.repositories.map((r: any) => [r.url, r]));

  const release = byUrl.get(named);
  expect(release).toMatchObject({ state: 'updated', pushed: true });
  const parents = git(named, 'rev-list', '--parents', '-n', '1', release.commit).split(' ').slice(1);
  expect(parents[0]).toBe(releaseTip);
  expect(git(named, 'show', `${release.commit}:RELEASE.md`)).toBe('release notes');

  expect(byUrl.get(dangling)).toMatchObject({ state: 'failed' });
  expect(byUrl.get(dangling).reason).toContain('cannot tell its default branch');

  const rescued = byUrl.get(danglingNamed);
  expect(rescued).toMatchObject({ state: 'updated', pushed: true });
  expect(git(danglingNamed, 'rev-list', '--parents', '-n', '1', rescued.commit).split(' ')[1]).toBe(git(danglingNamed, 'rev-parse', `refs/heads/${defaultBranch}`));
  expect(run.code).toBe(1);
});

test("a later run starts from the remote's default branch as it is now, not as it was when the clone was made", () => {
  const work = tempDir('bluesynth-fleet-default-moved-');
  const fleet = makeFleet(work, 1, { seeds: 1 });
  const [remote] = fleet.remotes;
  const clones = path.join(work, 'clones');
  const update = () => JSON.parse(runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: work }).stdout).repositories[0];
  const first = update();
  expect(first).toMatchObject({ state: 'updated', pushed: true });
  expect(git(remote, 'rev-list', '--parents', '-n', '1', first.commit).split(' ')[1]).toBe(git(remote, 'rev-parse', 'HEAD'));

  // The team moves its default branch to 'trunk', one commit ahead.
  pushBranchAhead(work, remote, 'trunk', 'TRUNK.md', 'trunk-based from now on\n');
  git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/trunk');

  const second = update();
  expect(second).toMatchObject({ state: 'updated', pushed: true });
  expect(git(remote, 'rev-list', '--parents', '-n', '1', second.commit).split(' ')[1]).toBe(git(remote, 'rev-parse', 'refs/heads/trunk'));
  expect(git(remote, 'show', `${second.commit}:TRUNK.md`)).toBe('trunk-based from now on');

  // A remote whose HEAD names no branch (detached at trunk's tip, as a developer's checkout can be): the clone's
  // own idea of the default branch, as the last run saw it, answers; the update there is already pushed.
  git(remote, 'update-ref', '--no-deref', 'HEAD', git(remote, 'rev-parse', 'refs/heads/trunk'));
  const third = update();
  expect(third).toMatchObject({ state: 'skipped', commit: second.commit });
});

test('a branch the repositories file names that the remote no longer has (renamed): the row names the file\'s line and the default branch now, first clone or later run', () => {
  const work = tempDir('bluesynth-fleet-pinned-renamed-');
  const fleet = makeFleet(work, 1, { seeds: 1 });
  const [remote] = fleet.remotes;
  const reposFile = path.join(work, 'pinned.txt');
  fs.writeFileSync(reposFile, `# pinned\n${path.relative(work, remote)}#main\n`);
  const update = (clones: string) => JSON.parse(runCli(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(work, clones), '--json'], { cwd: work }).stdout).repositories[0];
  // A run while main exists leaves a clone for the later run.
  expect(update('clones')).toMatchObject({ state: 'updated' });

  // The team renames main to trunk.
  git(remote, 'branch', '-m', 'main', 'trunk');
  git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/trunk');
  const expected = `${remote} has no branch 'main', which ${reposFile}:2 names (its default branch is now 'trunk'): write the branch to update there, or drop '#main' for the default branch`;
  for (const clones of ['clones', 'fresh-clones']) expect(update(clones)).toMatchObject({ state: 'failed', reason: expected });
});
