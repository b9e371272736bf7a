import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git, greetingBlueprint } from './git-fixtures';

/**
 * A blueprint from an npm tarball (installed into the cache folder once), and the update flags that
 * change where and whether it lands: --dry-run, --branch with and without a name.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-update-flags-');
const blueprintDir = greetingBlueprint(path.join(work, 'tiny'), 'tiny', ['other.txt']);
const repo = path.join(work, 'project', 'tiny');

test('an npm tarball source; --dry-run writes nothing; --branch lands on a new branch', () => {
  fs.writeFileSync(path.join(blueprintDir, 'package.json'), JSON.stringify({ name: 'tiny-blueprint', version: '0.1.0', files: ['src'] }));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: blueprintDir, encoding: 'utf8' }).trim().split('\n').pop()!;
  const created = runCli(['create', '--blueprint', `npm:${path.join(work, tarball)}`, path.join(work, 'project')], { cwd: work });
  expect(created.stderr).not.toContain('npm install failed');
  expect(created.code).toBe(0);
  const record = JSON.parse(fs.readFileSync(path.join(repo, '.bluesynth', 'instantiations.json'), 'utf8'))[0];
  expect(record).toMatchObject({ packageName: 'tiny-blueprint', versionId: '0.1.0', source: `npm:${path.join(work, tarball)}`, sourceRevision: '0.1.0' });
  expect(fs.readdirSync(path.join(process.env.BLUESYNTH_CACHE_DIR!, 'packages')).some(entry => entry.startsWith('tarball-'))).toBe(true);

  const head = git(repo, 'rev-parse', 'HEAD');
  const objects = git(repo, 'count-objects', '-v');
  const dryRun = runCli(['update', '--set', 'greeting=hi', '--dry-run'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toContain('dry run: tiny-blueprint@0.1.0 with new options: greeting; nothing written');
  expect(dryRun.stdout).toMatch(/updated +hello\.txt \(preferProposed\)/);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'count-objects', '-v')).toBe(objects);
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('hello\n');

  const branch = git(repo, 'symbolic-ref', '--short', 'HEAD');
  const named = runCli(['update', '--set', 'greeting=hi', '--branch', 'hello-update'], { cwd: repo });
  expect(named.code).toBe(0);
  expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('hello-update');
  expect(git(repo, 'rev-parse', branch)).toBe(head);
  expect(git(repo, 'log', '-1', '--format=%s')).toBe('chore(resynthesis): update [tiny-blueprint@0.1.0]');

  // Bare --branch: the blueprint's resynthPullRequest.originBranch.
  const origin = runCli(['update', '--set', 'greeting=hey', '--branch'], { cwd: repo });
  expect(origin.code).toBe(0);
  expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toMatch(/^update-blueprint-tiny-blueprint-[0-9a-f]{8}$/);
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('hey\n');
  // The blueprint's branch taken already: found when the update lands, and nothing changes.
  const before = git(repo, 'rev-parse', 'HEAD');
  const again = runCli(['update', '--set', 'greeting=howdy', '--branch'], { cwd: repo });
  expect(again.code).toBe(2);
  // It is checked out (as after `git merge --abort` of that update), where git refuses to delete it: switch back first.
  expect(again.stderr).toMatch(
    /--branch (update-blueprint-tiny-blueprint-[0-9a-f]{8}): the branch exists already and is checked out \(an earlier update's\? switch back with 'git switch -', then delete it with 'git branch -D \1', or name another/,
  );
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.readFileSync(path.join(repo, 'hello.txt'), 'utf8')).toBe('hey\n');
  const taken = runCli(['update', '--set', 'greeting=yo', '--branch', 'hello-update'], { cwd: repo });
  expect(taken.code).toBe(2);
  expect(taken.stderr).toContain("--branch hello-update: the branch exists already (an earlier update's? delete it with 'git branch -D hello-update', or name another with --branch NAME)");
  const tip = git(repo, 'rev-parse', 'HEAD');
  const invalid = runCli(['update', '--set', 'greeting=yo', '--branch', 'bad..name'], { cwd: repo });
  expect(invalid.code).toBe(2);
  expect(invalid.stderr).toContain('--branch bad..name: not a valid branch name');
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(tip);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('an update branch holding commits HEAD lacks (an update waiting to be merged) is not offered for deletion: the way on is to carry on there', () => {
  const dir = tempDir('bluesynth-update-flags-waiting-');
  const blueprint = greetingBlueprint(path.join(dir, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(dir, 'project')], { cwd: dir }).code).toBe(0);
  const app = path.join(dir, 'project', 'app');
  // An update landed on its branch for review (as a fleet's push leaves it), and the work tree back on main.
  expect(runCli(['update', '--set', 'greeting=hi', '--branch', 'blueprint-update'], { cwd: app }).code).toBe(0);
  git(app, 'switch', '--quiet', '-');
  const head = git(app, 'rev-parse', 'HEAD');
  const again = runCli(['update', '--set', 'greeting=hey', '--branch', 'blueprint-update'], { cwd: app });
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/--branch blueprint-update: the branch exists already, with 2 commits that HEAD lacks, by .+ \(an update waiting to be merged\?\): carry on there with 'git switch blueprint-update', or name another branch with --branch NAME; nothing changed/);
  expect(again.stderr).not.toContain('git branch -D');
  expect(git(app, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(app, 'status', '--porcelain')).toBe('');
});
