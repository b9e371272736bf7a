import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runCli, tempDir } from '../util';
import { commitAll, git, initRepository } from './git-fixtures';

/**
 * `blueprint check` and `update` in the clones CI and developers really make of a project: partial clones whose
 * remote went away, a clone another user owns (git's safe.directory), a cache folder under a HOME nobody may
 * write, a search for the repository stopped by GIT_CEILING_DIRECTORIES. The project is the example service
 * blueprint's, created from a git source with a tag and pushed to a bare remote that serves partial clones.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-ci-');
const blueprintRepo = path.join(work, 'service-blueprint');
const remote = path.join(work, 'catalog-service.git');
const remoteUrl = `file://${remote}`;

function clone(name: string, ...flags: string[]): string {
  const dir = path.join(work, name);
  git(work, 'clone', '--quiet', ...flags, remoteUrl, dir);
  return dir;
}

/** Runs `fn` while the remote is moved away (a renamed server, a CI cache restored without it). */
function withoutRemote<T>(fn: () => T): T {
  fs.renameSync(remote, `${remote}.moved`);
  try {
    return fn();
  } finally {
    fs.renameSync(`${remote}.moved`, remote);
  }
}

beforeAll(() => {
  fs.cpSync(path.join(ROOT, 'blueprints', 'service'), blueprintRepo, { recursive: true });
  initRepository(blueprintRepo, 'service blueprint');
  git(blueprintRepo, 'tag', 'v1');
  const created = runCli(['create', '--blueprint', `${blueprintRepo}#v1`, path.join(work, 'project')], { cwd: work });
  expect(created.code).toBe(0);
  const repo = path.join(work, 'project', 'catalog-service');
  fs.appendFileSync(path.join(repo, 'src', 'health.ts'), '// the team\'s\n');
  commitAll(repo, 'team edit');
  git(work, 'clone', '--quiet', '--bare', repo, remote);
  git(remote, 'config', 'uploadpack.allowFilter', 'true');
});

describe('a partial clone whose remote is gone', () => {
  test('--filter=tree:0: check and update exit 2 naming the partial clone, its remote and the way on, and change nothing; with the remote back, check fetches what it lacks', () => {
    const dir = clone('tree0', '--filter=tree:0');
    const head = git(dir, 'rev-parse', 'HEAD');
    withoutRemote(() => {
      const check = runCli(['check', '--json'], { cwd: dir });
      expect(check.code).toBe(2);
      const { error, exitCode } = JSON.parse(check.stdout);
      expect(exitCode).toBe(2);
      expect(error).toContain(`${dir}: a partial clone (--filter=tree:0) lacks git objects it must fetch from 'origin' (${remoteUrl}), which did not give them`);
      expect(error).toContain('git remote set-url origin URL');
      expect(check.stderr).toContain('a partial clone (--filter=tree:0)');

      const update = runCli(['update', '--to', 'v1', '--set', 'runtime.port=9090'], { cwd: dir });
      expect(update.code).toBe(2);
      expect(update.stderr).toContain('a partial clone (--filter=tree:0) lacks git objects');
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });
    const check = runCli(['check', '--json'], { cwd: dir });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ behind: false, reproducible: 'yes' });
  });

  test('--filter=blob:none: check cannot tell (exit 2), saying the baseline\'s files are missing from the clone, not that the recorded version cannot run', () => {
    const dir = clone('blobless', '--filter=blob:none');
    withoutRemote(() => {
      const check = runCli(['check', '--json'], { cwd: dir });
      expect(check.code).toBe(2);
      const [found] = JSON.parse(check.stdout).instantiations;
      expect(found.reproducible).toBe('unknown');
      expect(found.undetermined).toContain(`a partial clone (--filter=blob:none) lacks git objects it must fetch from 'origin' (${remoteUrl})`);
      expect(found.undetermined).not.toContain('cannot be run again');
      expect(check.stderr).toContain('cannot tell whether the repository is up to date');
    });
  });
});

// git refuses a repository another user owns; only root can give one away to see it.
const asRoot = process.getuid?.() === 0 ? test : test.skip;

asRoot('a clone another user owns (a CI container running as another user than the checkout\'s): named as git\'s refusal, with the safe.directory setting, not as no repository', () => {
  const dir = clone('theirs');
  execFileSync('chown', ['-R', 'nobody', dir]);
  for (const args of [['check', '--json'], ['update', '--to', 'v1'], ['status']]) {
    const result = runCli(args, { cwd: path.join(dir, 'src') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`git refuses the repository at '${dir}': it is owned by another user than the one running the command`);
    expect(result.stderr).toContain(`git config --global --add safe.directory ${dir}`);
    expect(result.stderr).not.toContain('not inside a git repository');
  }
});

test('GIT_CEILING_DIRECTORIES that stops git\'s search below the repository is named in the refusal', () => {
  const dir = clone('ceiling');
  const check = runCli(['check'], { cwd: path.join(dir, 'src'), env: { GIT_CEILING_DIRECTORIES: dir } });
  expect(check.code).toBe(2);
  expect(check.stderr).toContain(`${path.join(dir, 'src')}: not inside a git repository (git does not look in or above GIT_CEILING_DIRECTORIES=${dir})`);
});

test('a HOME nobody may write (CI\'s read-only or unset HOME): check and update name the cache folder and BLUESYNTH_CACHE_DIR', () => {
  const dir = clone('home');
  // /sys refuses new folders to root too (EPERM), as a read-only HOME refuses them to its user (EACCES).
  const env = { HOME: '/sys', BLUESYNTH_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined };
  const way = 'it is bluesynth\'s cache folder (/sys/.cache/bluesynth: $BLUESYNTH_CACHE_DIR, else $XDG_CACHE_HOME/bluesynth, else ~/.cache/bluesynth): set BLUESYNTH_CACHE_DIR to a folder this user can write';
  const check = runCli(['check', '--json'], { cwd: dir, env });
  expect(check.code).toBe(2);
  expect(JSON.parse(check.stdout).instantiations[0].undetermined).toMatch(/^source: cannot write to \/sys\/\.cache\/bluesynth\/\S+: (permission denied|operation not permitted)/);
  expect(check.stderr).toContain(way);
  const head = git(dir, 'rev-parse', 'HEAD');
  const update = runCli(['update', '--set', 'runtime.port=9090'], { cwd: dir, env });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain(way);
  expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
});

test('a pull request checked out as CI does (the merge ref, a merge commit on no branch, HEAD detached): check answers; update asks for --branch, and --branch lands it as its dry run said', () => {
  const dev = clone('dev');
  git(dev, 'switch', '--quiet', '-c', 'feature');
  fs.writeFileSync(path.join(dev, 'feature.txt'), 'a feature\n');
  commitAll(dev, 'feature');
  const merge = git(dev, 'commit-tree', git(dev, 'merge-tree', '--write-tree', 'origin/main', 'feature'), '-p', 'origin/main', '-p', 'feature', '-m', 'Merge pull request #1');
  git(dev, 'push', '--quiet', 'origin', `${merge}:refs/pull/1/merge`);
  // What actions/checkout does with fetch-depth: 0 for a pull_request event.
  const ci = path.join(work, 'ci-pr');
  fs.mkdirSync(ci);
  git(ci, 'init', '--quiet');
  git(ci, 'remote', 'add', 'origin', remoteUrl);
  git(ci, 'fetch', '--quiet', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/pull/1/merge:refs/remotes/pull/1/merge');
  git(ci, 'checkout', '--quiet', '--detach', 'refs/remotes/pull/1/merge');

  const check = runCli(['check', '--json'], { cwd: ci });
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout)).toMatchObject({ upToDate: true, undetermined: false });

  const refusals = [runCli(['update', '--set', 'runtime.port=9090'], { cwd: ci }), runCli(['update', '--set', 'runtime.port=9090', '--dry-run'], { cwd: ci })];
  for (const refused of refusals) {
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${ci}: HEAD is detached; check out a branch first (an update commits onto a branch), or give --branch [NAME] to land it on a new branch made at HEAD`);
  }
  expect(git(ci, 'rev-parse', 'HEAD')).toBe(merge);

  const dryRun = runCli(['update', '--set', 'runtime.port=9090', '--branch', 'port', '--dry-run', '--json'], { cwd: ci });
  expect(dryRun.code).toBe(0);
  const landed = runCli(['update', '--set', 'runtime.port=9090', '--branch', 'port', '--json'], { cwd: ci });
  expect(landed.stderr).toBe('');
  expect(landed.code).toBe(0);
  expect(JSON.parse(landed.stdout).files).toEqual(JSON.parse(dryRun.stdout).files);
  expect(git(ci, 'symbolic-ref', '--short', 'HEAD')).toBe('port');
  expect(git(ci, 'rev-parse', 'HEAD^1')).toBe(merge);
  expect(git(ci, 'status', '--porcelain')).toBe('');
});

test('--branch naming a branch another linked work tree has checked out: refused naming that work tree, not with a git branch -D that git refuses', () => {
  const dev = clone('dev-linked');
  const linked = path.join(work, 'dev-linked-port');
  git(dev, 'worktree', 'add', '--quiet', linked, '-b', 'port');
  const head = git(dev, 'rev-parse', 'HEAD');
  const refused = runCli(['update', '--set', 'runtime.port=9090', '--branch', 'port'], { cwd: dev });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`--branch port: the branch exists already and is checked out in the work tree ${linked} (git worktree list): carry on there, or name another branch with --branch NAME; nothing changed`);
  expect(refused.stderr).not.toContain('git branch -D');
  expect(git(dev, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(dev, 'symbolic-ref', '--short', 'HEAD')).toBe('main');

  // From the linked work tree itself, on that branch, the update lands there.
  const landed = runCli(['update', '--set', 'runtime.port=9090'], { cwd: linked });
  expect(landed.code).toBe(0);
  expect(git(linked, 'rev-parse', 'port^1')).toBe(head);
  expect(git(dev, 'status', '--porcelain')).toBe('');
});

test('a file a new version adds where the blueprint says neverUpdate (docs/**): the report says the blueprint added it and the strategy does not, not that the project deleted it', () => {
  git(blueprintRepo, 'switch', '--quiet', '-c', 'oncall', 'v1');
  fs.writeFileSync(path.join(blueprintRepo, 'static-assets', 'repository', 'docs', 'oncall.md'), '# On call\n');
  commitAll(blueprintRepo, 'an on-call page');
  // Not a version tag: the other tests' checks still find v1 the newest.
  git(blueprintRepo, 'tag', 'with-oncall-page');
  git(blueprintRepo, 'switch', '--quiet', '-');
  const dev = clone('dev-oncall');
  const update = runCli(['update', '--to', 'with-oncall-page', '--dry-run', '--json'], { cwd: dev });
  expect(update.code).toBe(0);
  const report = JSON.parse(update.stdout).files.find((file: any) => file.path === 'docs/oncall.md');
  expect(report).toMatchObject({ outcome: 'kept', strategy: 'team_documents', note: 'the blueprint added it; \'team_documents\' does not add it' });
});

describe('the cache folder as CI sets it', () => {
  test('a relative BLUESYNTH_CACHE_DIR (for a CI cache step) is taken from where the command started: check answers as with an absolute one, in-process and in a job process, and never fetches the blueprint source into the project', () => {
    const dir = clone('relative-cache');
    const env = { BLUESYNTH_CACHE_DIR: path.join('..', 'relative-cache.cache') };
    const branches = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
    for (const args of [['check', '--json'], ['check', '--json'], ['check', '--json', '--isolation', 'process']]) {
      const check = runCli(args, { cwd: dir, env });
      expect(check.stderr).toBe('');
      expect(check.code).toBe(0);
      expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ newest: 'v1', behind: false, reproducible: 'yes' });
      expect(git(dir, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(branches);
    }
    expect(fs.existsSync(path.join(work, 'relative-cache.cache', 'sources', 'git'))).toBe(true);
  });

  test('a cache folder in the project\'s checkout (for actions/cache) whose mirror of the blueprint source was emptied: made again, and the project\'s branches are left alone', () => {
    const dir = clone('cache-in-checkout');
    const env = { BLUESYNTH_CACHE_DIR: path.join(dir, '.bluesynth-cache') };
    const branches = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
    expect(runCli(['check', '--no-reproduce'], { cwd: dir, env }).code).toBe(0);
    const sources = path.join(dir, '.bluesynth-cache', 'sources', 'git');
    const [mirror] = fs.readdirSync(sources).map(name => path.join(sources, name, 'mirror.git'));
    for (const entry of fs.readdirSync(mirror)) fs.rmSync(path.join(mirror, entry), { recursive: true });
    const check = runCli(['check', '--json'], { cwd: dir, env });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ newest: 'v1', behind: false, reproducible: 'yes' });
    expect(git(dir, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(branches);
  });

  test('an empty BLUESYNTH_CACHE_DIR (a CI variable given from one not set) and a relative XDG_CACHE_HOME are no setting: nothing is written into the project', () => {
    const dir = clone('empty-cache');
    const home = path.join(work, 'empty-cache.home');
    fs.mkdirSync(home);
    for (const env of [{ BLUESYNTH_CACHE_DIR: '', HOME: home }, { BLUESYNTH_CACHE_DIR: undefined, XDG_CACHE_HOME: 'cache', HOME: home }]) {
      const check = runCli(['check', '--json'], { cwd: dir, env });
      expect(check.code).toBe(0);
      expect(git(dir, 'status', '--porcelain', '--ignored')).toBe('');
    }
    expect(fs.existsSync(path.join(home, '.cache', 'bluesynth', 'sources', 'git'))).toBe(true);
  });
});

test('another git process working in the repository (.git/index.lock, an IDE or a parallel CI step): update exits 2 naming the lock before anything runs, nothing changed', () => {
  const dir = clone('locked');
  const head = git(dir, 'rev-parse', 'HEAD');
  const lock = path.join(dir, '.git', 'index.lock');
  fs.writeFileSync(lock, '');
  const update = runCli(['update', '--set', 'runtime.port=9090'], { cwd: dir });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain(`${dir}: another git process is working in the repository (${lock} exists`);
  expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
  fs.rmSync(lock);
  expect(git(dir, 'status', '--porcelain')).toBe('');
});

test('a lock on the branch or on HEAD that a crashed git left (refs/heads/main.lock, HEAD.lock): update exits 2 naming it before anything runs, where it wrote the work tree and then failed to move the branch, leaving a merge git commit could not end', () => {
  const dir = clone('branch-locked');
  const head = git(dir, 'rev-parse', 'HEAD');
  for (const lock of [path.join(dir, '.git', 'refs', 'heads', 'main.lock'), path.join(dir, '.git', 'HEAD.lock')]) {
    fs.writeFileSync(lock, '');
    const update = runCli(['update', '--set', 'runtime.port=9090'], { cwd: dir });
    expect(update.stderr.trim()).toBe(`blueprint update: ${dir}: another git process is working in the repository (${lock} exists: an editor, an IDE, ` +
      'a CI step running git); wait for it to end, or, if none is running, remove the file (a git process that crashed left it)');
    expect(update.code).toBe(2);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(fs.existsSync(path.join(dir, '.git', 'MERGE_HEAD'))).toBe(false);
    fs.rmSync(lock);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  }
});

test('no git identity anywhere (a fresh CI container): an update that leaves conflicts says how to set one, which the git commit that finishes it needs', () => {
  git(blueprintRepo, 'switch', '--quiet', '-c', 'footer', 'v1');
  fs.appendFileSync(path.join(blueprintRepo, 'static-assets', 'repository', 'src', 'health.ts'), '// the blueprint\'s footer\n');
  commitAll(blueprintRepo, 'a footer');
  git(blueprintRepo, 'tag', 'with-footer');
  git(blueprintRepo, 'switch', '--quiet', '-');
  const dir = clone('no-identity');
  // Git guesses nothing from the host name, as in a container with no configured identity.
  git(dir, 'config', 'user.useConfigOnly', 'true');
  const home = path.join(work, 'no-identity.home');
  fs.mkdirSync(home);
  const env = { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', EMAIL: undefined };
  const update = runCli(['update', '--to', 'with-footer'], { cwd: dir, env });
  expect(update.code).toBe(1);
  expect(update.stdout).toContain('conflict   src/health.ts');
  expect(update.stdout).toContain("warning: git has no identity here (user.name, user.email): this update's commits are by bluesynth <bluesynth@localhost>, " +
    "but the 'git commit' that finishes it refuses without one: git config user.name 'Your Name' && git config user.email you@example.com");
  expect(git(dir, 'log', '-1', '--format=%an <%ae>', 'MERGE_HEAD')).toBe('bluesynth <bluesynth@localhost>');
});
