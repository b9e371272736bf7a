import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git } from '../project/git-fixtures';
import { makeFleet } from './fleet-fixture';

/**
 * The fleet's work folder often sits in a repository of its own (the platform team's checkout, where the
 * repositories file lives and the fleet is run from). A clone there whose `.git` is no repository any more must
 * be cloned again: git would otherwise find the outer repository, and the reset of the clone (checkout --force,
 * clean -ffdx, branch -D) would work on that one.
 */
jest.setTimeout(600_000);

test('a work clone whose .git was emptied is cloned again; the repository that holds the work folder is left as it was', () => {
  const work = tempDir('bluesynth-fleet-work-clone-');
  const fleet = makeFleet(work, 1, { seeds: 1 });
  // The platform team's checkout: the work folder inside it, a branch of its own, work not committed yet.
  const platform = path.join(work, 'platform');
  fs.mkdirSync(platform);
  fs.writeFileSync(path.join(platform, 'README.md'), 'platform\n');
  git(platform, 'init', '--quiet', '--initial-branch=main');
  commitAll(platform, 'platform');
  git(platform, 'branch', 'team-work');
  // Cloned from somewhere, as such checkouts are: its origin must keep pointing there.
  const platformRemote = path.join(work, 'platform.git');
  git(work, 'clone', '--quiet', '--bare', platform, platformRemote);
  git(platform, 'remote', 'add', 'origin', platformRemote);
  git(platform, 'fetch', '--quiet', 'origin');
  fs.writeFileSync(path.join(platform, 'draft.md'), 'not committed yet\n');
  const clones = path.join(platform, '.bluesynth-fleet');
  const fleetUpdate = () => runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: platform });

  expect(fleetUpdate().code).toBe(0);
  const [clone] = fs.readdirSync(clones).filter(name => !name.startsWith('.')).map(name => path.join(clones, name));
  // Emptied, as a disk clean-up or an interrupted copy leaves it: still a folder named .git, no repository in it.
  for (const entry of fs.readdirSync(path.join(clone, '.git'))) fs.rmSync(path.join(clone, '.git', entry), { recursive: true, force: true });
  const head = git(platform, 'rev-parse', 'HEAD');

  const again = fleetUpdate();
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).repositories.map((r: any) => r.state)).toEqual(['updated']); // not pushed the first time: the remote is still at v1
  expect(git(platform, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(platform, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
  expect(git(platform, 'branch', '--format=%(refname:short)').split('\n').sort()).toEqual(['main', 'team-work']);
  expect(fs.readFileSync(path.join(platform, 'draft.md'), 'utf8')).toBe('not committed yet\n');
  expect(git(platform, 'remote', 'get-url', 'origin')).toBe(platformRemote);
  expect(git(platform, 'for-each-ref', '--format=%(refname)', 'refs/remotes/').split('\n').sort()).toEqual(['refs/remotes/origin/main', 'refs/remotes/origin/team-work']);
  // The clone is one again, of the fleet's repository.
  expect(git(clone, 'rev-parse', '--show-toplevel')).toBe(fs.realpathSync(clone));
  expect(git(clone, 'remote', 'get-url', 'origin')).toBe(fleet.remotes[0]);
});
