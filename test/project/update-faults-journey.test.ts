import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startCli, waitFor } from '../runner/process-util';
import { CLI, makeBlueprint, runCli, tempDir } from '../util';
import { git, read } from './git-fixtures';

/**
 * Journey 44: `blueprint update` meets what the developer does meanwhile. The blueprint runs for as long as it
 * likes (here: until the test lets it go on), and the repository may move on under it: a commit, another update
 * landed first, a `git commit` waiting in its editor. The update must then refuse clearly, change nothing, and
 * work when run again. The blueprint pauses in its constructor (it writes the file `PAUSE` names and waits until
 * the test removes it), so the tests synchronise on files, not on time.
 */
jest.setTimeout(120_000);

/** One repository `app`: README.md says the version the environment gives; pauses once where `PAUSE` asks it to. */
const PAUSING = `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const pause = process.env.PAUSE;
    if (pause && !fs.existsSync(pause + '.done')) {
      fs.writeFileSync(pause, String(process.pid));
      const sleep = new Int32Array(new SharedArrayBuffer(4));
      while (fs.existsSync(pause)) Atomics.wait(sleep, 0, 0, 20);
      fs.writeFileSync(pause + '.done', '');
    }
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'version ' + (process.env.VERSION ?? '1') + '\\n');
  }
}
`;

const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

/** A project created at version 1, with a NOTES.md of the team's own beside it; and where the update will pause. */
function project() {
  const dir = tempDir('bluesynth-faults-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), PAUSING);
  expect(runCli(['create', '--blueprint', blueprint, path.join(dir, 'project')], { cwd: dir, env: IDENTITY }).code).toBe(0);
  const repo = path.join(dir, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'NOTES.md'), 'notes\n');
  git(repo, 'add', 'NOTES.md');
  git(repo, 'commit', '--quiet', '-m', 'the team adds notes');
  return { repo, pause: path.join(dir, 'paused') };
}

/** Starts `update` to version 2, and resolves once its blueprint is paused; `release` lets it go on to its end. */
async function pausedUpdate(repo: string, pause: string) {
  const cli = startCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2', PAUSE: pause } });
  await waitFor(() => fs.existsSync(pause), 'the blueprint to pause');
  return {
    release: async () => {
      fs.rmSync(pause);
      const code = await cli.exited;
      return { code, output: cli.output() };
    },
  };
}

/** What an update that refused must leave: the team's HEAD, nothing staged or changed, no merge state. */
function expectUntouched(repo: string, head: string) {
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
  expect(read(repo, 'README.md')).toBe('version 1\n');
}

test('the developer commits while the update runs: it refuses, naming the moved HEAD, and stages nothing; run again, it lands on the new commit', async () => {
  const { repo, pause } = project();
  const update = await pausedUpdate(repo, pause);
  fs.appendFileSync(path.join(repo, 'NOTES.md'), 'more notes\n');
  git(repo, 'commit', '--quiet', '-am', 'the team edits its notes');
  const head = git(repo, 'rev-parse', 'HEAD');
  const { code, output } = await update.release();
  expect(output).toContain(`HEAD moved from ${git(repo, 'rev-parse', '--short=12', 'HEAD^')} to ${head.slice(0, 12)} while the update ran`);
  expect(output).toContain('nothing changed; run the update again');
  expect(code).toBe(2);
  expectUntouched(repo, head);

  const again = runCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
  expect(again.output).toContain('merge commit');
  expect(again.code).toBe(0);
  expect(git(repo, 'rev-parse', 'HEAD^1')).toBe(head);
  expect(read(repo, 'README.md')).toBe('version 2\n');
  expect(read(repo, 'NOTES.md')).toBe('notes\nmore notes\n');
});

test('the developer edits a file the update changes while it runs: it refuses, naming the file (not a raw git error), and the edit is kept', async () => {
  const { repo, pause } = project();
  const head = git(repo, 'rev-parse', 'HEAD');
  const update = await pausedUpdate(repo, pause);
  fs.writeFileSync(path.join(repo, 'README.md'), 'version 1, edited meanwhile\n');
  const { code, output } = await update.release();
  expect(output).toContain(`${repo}: README.md changed in the work tree while the update ran: nothing changed`);
  expect(output).toContain('commit or stash the change, then update again');
  expect(output).not.toContain('GitCommandError');
  expect(code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('M README.md');
  expect(read(repo, 'README.md')).toBe('version 1, edited meanwhile\n');
  expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
});

test('a file the update changes only touched while it runs (its time changed, not its content) is no change: the update lands', async () => {
  const { repo, pause } = project();
  const update = await pausedUpdate(repo, pause);
  // An editor's save without edits, a build tool's touch: git's index no longer matches the file's time.
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(path.join(repo, 'README.md'), later, later);
  const { code, output } = await update.release();
  expect(output).not.toContain('changed in the work tree while the update ran');
  expect(code).toBe(0);
  expect(read(repo, 'README.md')).toBe('version 2\n');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('two updates at once: the one that lands second refuses clearly and changes nothing; run again, it is up to date', async () => {
  const { repo, pause } = project();
  const first = await pausedUpdate(repo, pause);
  const second = runCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
  expect(second.code).toBe(0);
  const head = git(repo, 'rev-parse', 'HEAD');
  const { code, output } = await first.release();
  expect(output).toContain('while the update ran (a commit, or another update, landed meanwhile): nothing changed; run the update again');
  expect(output).not.toContain('read-tree');
  expect(code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain')).toBe('');

  const again = runCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
  expect(again.output).toContain('already up to date');
  expect(again.code).toBe(0);
});

test('a git commit waits in its editor when the update lands: the update refuses, naming the lock, and the commit then goes through', async () => {
  const { repo, pause } = project();
  const head = git(repo, 'rev-parse', 'HEAD');
  const update = await pausedUpdate(repo, pause);
  // A real `git commit -a`, its editor open: it holds .git/index.lock until the editor ends (a plain `git commit`
  // does not, and git's own check of HEAD then refuses the commit, should the update land first).
  const editing = path.join(path.dirname(pause), 'editing');
  fs.appendFileSync(path.join(repo, 'NOTES.md'), 'more notes\n');
  const editor = `sh -c 'echo "the team edits its notes" > "$1"; touch ${editing}; while [ -e ${editing} ]; do sleep 0.02; done' editor`;
  const commit = spawn('git', ['commit', '--quiet', '-a'], { cwd: repo, env: { ...process.env, ...IDENTITY, GIT_EDITOR: editor }, stdio: 'ignore' });
  const committed = new Promise<number | null>(resolve => commit.on('close', resolve));
  await waitFor(() => fs.existsSync(editing), 'the editor to open');

  const { code, output } = await update.release();
  expect(output).toContain('another git process is working in the repository');
  expect(output).toContain('index.lock exists');
  expect(output).toContain('nothing changed');
  expect(code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

  fs.rmSync(editing);
  expect(await committed).toBe(0);
  expect(git(repo, 'log', '-1', '--format=%s')).toBe('the team edits its notes');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  const again = runCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
  expect(again.code).toBe(0);
  expect(read(repo, 'README.md')).toBe('version 2\n');
});

/**
 * SIGKILL (or a second Ctrl-C, or the machine going down) at the landing's most fragile point: the work tree and
 * the index written, the branch not moved (clean) or the conflicts' stages not written (conflicted). The landing is
 * paused there by BLUESYNTH_TEST_LAND_PAUSE (src/project/land.ts). What is left must be git's own merge state,
 * which every git tool finishes or undoes, and which the next update names; it was staged changes with no merge
 * state, which the next update called "changes; commit or stash them first" (committing them recorded the new
 * version without its baseline, and left the conflicts' markers committed).
 */
describe('SIGKILL while the update lands', () => {
  async function killedWhileLanding(repo: string, args: string[]) {
    const landing = path.join(path.dirname(path.dirname(repo)), 'landing');
    const cli = startCli(['update', ...args], { cwd: repo, env: { ...IDENTITY, VERSION: '2', BLUESYNTH_TEST_LAND_PAUSE: landing }, group: true });
    await waitFor(() => fs.existsSync(landing), 'the landing to pause');
    process.kill(-cli.child.pid!, 'SIGKILL');
    await cli.exited;
    fs.rmSync(landing);
  }

  test('of a clean update: git\'s merge state is left, which the next update names and \'git commit\' finishes as the update would have', async () => {
    const { repo } = project();
    const head = git(repo, 'rev-parse', 'HEAD');
    await killedWhileLanding(repo, []);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status')).toContain('All conflicts fixed but you are still merging');
    expect(fs.existsSync(path.join(repo, '.git', 'index.lock'))).toBe(false);
    const generated = read(repo, '.git', 'MERGE_HEAD').trim();
    expect(git(repo, 'log', '-1', '--format=%s', generated)).toBe('generated by test-blueprint@1.2.3');

    const again = runCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
    expect(again.stderr).toContain("a merge is in progress (MERGE_HEAD): an update to test-blueprint@1.2.3 is in progress");
    expect(again.stderr).toContain("'git commit' to finish it; or 'git merge --abort' to give the update up");
    expect(again.code).toBe(2);

    git(repo, 'commit', '--quiet', '--no-edit');
    expect(git(repo, 'rev-parse', 'HEAD^1', 'HEAD^2')).toBe(`${head}\n${generated}`);
    expect(git(repo, 'log', '-1', '--format=%s')).toMatch(/^chore\(resynthesis\): update/);
    expect(read(repo, 'README.md')).toBe('version 2\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(runCli(['check'], { cwd: repo, env: { VERSION: '2' } }).code).toBe(0);
  });

  test('of a conflicted update: git\'s merge state is left, and \'git merge --abort\' gives the repository back as it was; run again, it conflicts as before', async () => {
    const { repo } = project();
    fs.writeFileSync(path.join(repo, 'README.md'), 'version 1, edited by the project\n');
    git(repo, 'commit', '--quiet', '-am', 'the project edits the README');
    const head = git(repo, 'rev-parse', 'HEAD');
    await killedWhileLanding(repo, ['--fallback', 'threeWayMerge']);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(true);

    git(repo, 'merge', '--abort');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(read(repo, 'README.md')).toBe('version 1, edited by the project\n');
    const again = runCli(['update', '--fallback', 'threeWayMerge'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
    expect(again.stdout).toContain('with conflicts');
    expect(again.code).toBe(1);
    expect(read(repo, 'README.md')).toMatch(/^<<<<<<< [^]*=======\nversion 2\n>>>>>>> /m);
  });
});

/**
 * A file git cannot write while it checks the merge out (a full disk, a read-only folder, a file size limit): its
 * checks have passed and it stops midway, the index still HEAD's. The files it had written (the new record among
 * them) were left as changes, which the next update asked to commit or stash (committing them recorded the new
 * version without its baseline), with git's own error, exit 1; and killed (a file size limit kills it: SIGXFSZ) it
 * left its index.lock. A file size limit stands for the rest here, since it holds for root too (file modes do not).
 */
test('git cannot write the work tree while the update lands: exit 2 naming why, the files it had begun put back, no lock left; run again, it lands', () => {
  const dir = tempDir('bluesynth-faults-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', 'version ' + (process.env.VERSION ?? '1') + '\\n');
    if (process.env.VERSION === '2') new SourceFile(repository, 'data/big.txt', 'x'.repeat(300_000));
  }
}
`);
  expect(runCli(['create', '--blueprint', blueprint, path.join(dir, 'project')], { cwd: dir, env: IDENTITY }).code).toBe(0);
  const repo = path.join(dir, 'project', 'app');
  const head = git(repo, 'rev-parse', 'HEAD');
  // Once without the limit, so that only git's checkout meets it (the caches the CLI writes are then made).
  expect(runCli(['update', '--dry-run'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } }).code).toBe(0);
  // 100 KiB: the 300 kB file goes over it, its compressed object does not.
  const limited = spawnSync('sh', ['-c', 'ulimit -f 100; exec "$0" "$@"', process.execPath, CLI, 'update'], { cwd: repo, env: { ...process.env, ...IDENTITY, VERSION: '2' }, encoding: 'utf8' });
  expect(limited.stderr).toContain(`${repo}: git could not write the work tree (git was killed by SIGXFSZ while it wrote it`);
  expect(limited.stderr).toContain('nothing changed (the files it had begun to write are put back)');
  expect(limited.status).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  expect(fs.existsSync(path.join(repo, '.git', 'index.lock'))).toBe(false);
  expect(fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
  expect(fs.existsSync(path.join(repo, 'data'))).toBe(false);

  const again = runCli(['update'], { cwd: repo, env: { ...IDENTITY, VERSION: '2' } });
  expect(again.code).toBe(0);
  expect(fs.statSync(path.join(repo, 'data', 'big.txt')).size).toBe(300_000);
});
