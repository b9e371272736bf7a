import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from './git-fixtures';

/**
 * A project pushed to a bare remote made with `git init --bare` (whose HEAD names `master`, where create made
 * `main`): `git clone` of it checks nothing out, with a warning easily missed, and check said only that the
 * repository had no commit yet, which a newcomer who had just pushed one could not act on.
 */
jest.setTimeout(60_000);

test('a clone with nothing checked out, whose remote has the branch, is told the git switch that checks it out', () => {
  const work = tempDir('bluesynth-no-commit-');
  const remote = path.join(work, 'remote.git');
  git(work, 'init', '--quiet', '--bare', remote);
  git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/master');
  const source = path.join(work, 'source');
  git(work, 'init', '--quiet', '--initial-branch=main', source);
  fs.writeFileSync(path.join(source, 'README.md'), '# app\n');
  git(source, 'add', '-A');
  git(source, 'commit', '--quiet', '-m', 'first');
  git(source, 'push', '--quiet', remote, 'main');
  const clone = path.join(work, 'clone');
  git(work, 'clone', '--quiet', remote, clone);

  const check = runCli(['check'], { cwd: clone });
  expect(check.code).toBe(2);
  expect(check.stderr).toBe(`blueprint check: ${fs.realpathSync(clone)}: the repository has no commit yet (nothing is checked out; the remote has the branch main: git switch main)\n`);
});

test('a new repository with no remote has nothing more to say', () => {
  const work = tempDir('bluesynth-no-commit-');
  git(work, 'init', '--quiet');
  const status = runCli(['status'], { cwd: work });
  expect(status.code).toBe(2);
  expect(status.stderr).toBe(`blueprint status: ${fs.realpathSync(work)}: the repository has no commit yet\n`);
});
