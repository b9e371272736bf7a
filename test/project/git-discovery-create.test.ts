import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint } from './git-fixtures';

/**
 * `blueprint create` makes each repository in a staging folder inside PROJECT_DIR, which often sits in a checkout of
 * its own (a platform team's repository, a monorepo). Before `git init` the staging folder is no repository, and git
 * must not answer for it from the repository above.
 */
jest.setTimeout(120_000);

/** No user or system settings: only the outer repository's own could name a branch. */
const NO_USER_CONFIG = { GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' };

test("create inside a checkout whose own config names init.defaultBranch makes its repositories on main, and leaves the checkout's config alone", () => {
  const work = tempDir('bluesynth-git-discovery-create-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  const outer = path.join(work, 'outer');
  fs.mkdirSync(outer);
  fs.writeFileSync(path.join(outer, 'README.md'), 'outer\n');
  git(outer, 'init', '--quiet', '--initial-branch=develop');
  git(outer, 'config', 'init.defaultBranch', 'trunk'); // the checkout's own: no repository git makes elsewhere reads it
  const head = commitAll(outer, 'outer');
  const config = fs.readFileSync(path.join(outer, '.git', 'config'), 'utf8');

  const created = runCli(['create', '--blueprint', blueprint, path.join(outer, 'project')], { cwd: outer, env: NO_USER_CONFIG });
  expect(created.output).not.toMatch(/error|refus/i);
  expect(created.code).toBe(0);

  const repository = path.join(outer, 'project', 'web');
  expect(git(repository, 'rev-parse', '--show-toplevel')).toBe(fs.realpathSync(repository));
  expect(git(repository, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
  expect(fs.readFileSync(path.join(repository, 'hello.txt'), 'utf8')).toBe('hello\n');
  // The outer checkout: as it was.
  expect(git(outer, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(outer, 'symbolic-ref', '--short', 'HEAD')).toBe('develop');
  expect(fs.readFileSync(path.join(outer, '.git', 'config'), 'utf8')).toBe(config);
});
