import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, stopBeforeCleanup, stopChild, tempDir } from '../util';
import { waitFor } from '../runner/process-util';
import { git } from '../project/git-fixtures';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';

/**
 * A remote that refuses the push (a pre-receive hook) and a forge that fails one pull request after its branch
 * was pushed: each fails its repository only, and the report says which branch is on the remote and why the
 * rest did not happen, in the remote's and the forge's words, not as a git command line. The next run opens
 * the missing pull request and pushes nothing again.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-fleet-push-faults-');
// One seed each: three instantiations, three update branches, three pull requests in the one forge repository.
const fleet = makeFleet(work, 3, { seeds: 3 });
const children = new CliChildren(work);

test('a push the remote refuses and a pull request the forge fails are reported as such; the next run opens the pull request', async () => {
  const [frozen, rateLimited, fine] = fleet.remotes;
  const hook = path.join(frozen, 'hooks', 'pre-receive');
  fs.writeFileSync(hook, '#!/bin/sh\necho "pushes to this repository are frozen" >&2\nexit 1\n', { mode: 0o755 });
  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
  try {
    // --jobs 1, in the file's order: the first pull request asked for is the second repository's, and it fails
    // three times (with no wait asked for), as a forge's lasting fault.
    for (let i = 0; i < 3; i++) forge.answerNext(503, { message: 'Service Unavailable' }, { 'Retry-After': '0' });
    const args = ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--forge', 'github',
      '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/web', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'];
    const env = { GITHUB_TOKEN: 'ghp_test' };
    const first = children.start(args, env);
    expect(await first.exited).toBe(1);
    const report = JSON.parse(first.output.stdout);
    const [refused, prFailed, updated] = report.repositories;
    const branch = updated.branch;

    expect(refused).toMatchObject({ state: 'failed', pushed: false });
    expect(refused.reason).toBe(`push to origin/${refused.branch} refused: [remote rejected] (pre-receive hook declined); pushes to this repository are frozen`);
    expect(git(frozen, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')).toBe('main');

    expect(prFailed).toMatchObject({ state: 'failed', pushed: true, branch: expect.any(String) });
    expect(prFailed.reason).toBe(`pushed origin/${prFailed.branch}, but its pull request failed: github: POST ${forge.url}/repos/acme/web/pulls answered 503: Service Unavailable; the next run opens it`);
    expect(git(rateLimited, 'rev-parse', `refs/heads/${prFailed.branch}`)).toBe(prFailed.commit);

    expect(updated).toMatchObject({ state: 'updated', pushed: true, pullRequest: { action: 'opened' } });
    expect(git(fine, 'rev-parse', `refs/heads/${branch}`)).toBe(updated.commit);

    fs.rmSync(hook);
    const second = children.start(args, env);
    expect(await second.exited).toBe(0);
    const again = JSON.parse(second.output.stdout).repositories;
    expect(again.map((outcome: any) => outcome.state)).toEqual(['updated', 'skipped', 'skipped']);
    expect(again[1].pullRequest).toEqual({ action: 'opened', url: expect.any(String) });
    expect(forge.pullRequests.map(pull => pull.head).sort()).toEqual([again[0].branch, prFailed.branch, branch].sort());
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});

test('the same update pushed by another try of this run between this one\'s fetch and its push: this run\'s update, not failed, naming the commit the remote has', async () => {
  const dir = tempDir('bluesynth-fleet-push-race-');
  const raced = makeFleet(dir, 1, { seeds: 1 });
  // A pre-push hook in the work clone plays the other worker: just before the fleet's push it pushes the same
  // tree as a commit of its own, so the fleet's lease (the branch did not exist when it fetched) is refused.
  const hooks = path.join(dir, 'hooks');
  fs.mkdirSync(hooks);
  fs.writeFileSync(path.join(hooks, 'pre-push'), [
    '#!/bin/sh',
    '[ -e "$RACE_MARK" ] && exit 0',
    'touch "$RACE_MARK"',
    'read local_ref local_sha remote_ref remote_sha',
    // A second on: the fleet counts a commit as its run's only when dated after the second the run started in (dates
    // are whole seconds), and on a quiet machine the push came within that second (CI167).
    'sleep 1',
    'commit=$(git commit-tree "$local_sha^{tree}" -p "$local_sha^1" -p "$local_sha^2" -m "the same update, from another worker")',
    'git push --quiet --no-verify "$1" "$commit:$remote_ref"',
    '',
  ].join('\n'), { mode: 0o755 });
  const run = new CliChildren(dir).start(
    ['fleet', 'update', '--repos', raced.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'],
    {
      GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: hooks, RACE_MARK: path.join(dir, 'raced'),
      GIT_AUTHOR_NAME: 'Other', GIT_AUTHOR_EMAIL: 'other@example.invalid', GIT_COMMITTER_NAME: 'Other', GIT_COMMITTER_EMAIL: 'other@example.invalid',
    },
  );
  expect(await run.exited).toBe(0);
  expect(fs.existsSync(path.join(dir, 'raced'))).toBe(true);
  const [outcome] = JSON.parse(run.output.stdout).repositories;
  // The other push was made after the run started: a try of this run (two workers that raced on one job, one of
  // them having lost its lock), so the update is this run's, as for a try that died after its push (journey 83:
  // it was 'skipped ... by an earlier run', naming this try's own commit, which the remote does not have).
  expect(outcome).toMatchObject({ state: 'updated', pushed: true });
  expect(outcome.reason).toMatch(/^pushed by an earlier try in this run, whose process died or lost the job before it reported: origin\/update-\S+ has this update/);
  const [remote] = raced.remotes;
  expect(git(remote, 'log', '-1', '--format=%s', outcome.branch)).toBe('the same update, from another worker');
  expect(outcome.commit).toBe(git(remote, 'rev-parse', outcome.branch));
});

test('a pull request the forge fails again for a branch an earlier run pushed: the row still names the pushed branch and commit', async () => {
  const dir = tempDir('bluesynth-fleet-pr-fails-twice-');
  const again = makeFleet(dir, 1, { seeds: 1 });
  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
  try {
    const args = ['fleet', 'update', '--repos', again.reposFile, '--to', 'v2', '--push', '--forge', 'github',
      '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/web', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'];
    const env = { GITHUB_TOKEN: 'ghp_test' };
    const runs = new CliChildren(dir);
    for (let i = 0; i < 3; i++) forge.answerNext(502, { message: 'Bad Gateway' }, { 'Retry-After': '0' });
    const first = runs.start(args, env);
    expect(await first.exited).toBe(1);
    const [pushed] = JSON.parse(first.output.stdout).repositories;
    expect(pushed).toMatchObject({ state: 'failed', pushed: true });

    // The next run finds the branch pushed and only asks for the pull request, which the forge fails once more.
    for (let i = 0; i < 3; i++) forge.answerNext(502, { message: 'Bad Gateway' }, { 'Retry-After': '0' });
    const second = runs.start(args, env);
    expect(await second.exited).toBe(1);
    const [row] = JSON.parse(second.output.stdout).repositories;
    expect(row).toMatchObject({ state: 'failed', pushed: true, branch: pushed.branch, commit: pushed.commit, to: pushed.to });
    expect(row.reason).toMatch(new RegExp(`^origin/${pushed.branch} has this update \\(pushed by an earlier run\\), but its pull request failed: github: POST .* answered 502: Bad Gateway; the next run opens it$`));
    expect(git(again.remotes[0], 'rev-parse', `refs/heads/${pushed.branch}`)).toBe(pushed.commit);
    expect(forge.pullRequests).toEqual([]);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});

test('a token the forge refuses (401) stops the run after the first repository, as a missing one does; the right token then finishes it', async () => {
  const dir = tempDir('bluesynth-fleet-bad-token-');
  const three = makeFleet(dir, 3, { seeds: 3 });
  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_right', repositories: ['acme/web'] });
  try {
    const workDir = path.join(dir, 'clones');
    const args = ['fleet', 'update', '--repos', three.reposFile, '--to', 'v2', '--push', '--forge', 'github',
      '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/web', '--jobs', '1', '--work-dir', workDir, '--json'];
    const runs = new CliChildren(dir);
    const mistyped = runs.start(args, { GITHUB_TOKEN: 'ghp_mistyped' });
    expect(await mistyped.exited).toBe(2);
    const [first, ...rest] = JSON.parse(mistyped.output.stdout).repositories;
    expect(first).toMatchObject({ state: 'failed', pushed: true, badSettings: true });
    expect(first.reason).toContain('answered 401: Bad credentials');
    expect(rest.map((outcome: any) => outcome.state)).toEqual(['not-started', 'not-started']);
    expect(mistyped.output.stderr).toContain('the run stopped there: 2 not started');
    // Only the first repository's branch was pushed; fleet status keeps that it was.
    for (const remote of three.remotes.slice(1)) expect(git(remote, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')).toBe('main');
    const saved = JSON.parse(fs.readFileSync(path.join(workDir, '.fleet', 'last-run.json'), 'utf8')).repositories;
    expect(saved.find((outcome: any) => outcome.name === first.name)).toMatchObject({ pushed: true, branch: first.branch });

    const right = runs.start(args, { GITHUB_TOKEN: 'ghp_right' });
    expect(await right.exited).toBe(0);
    const outcomes = JSON.parse(right.output.stdout).repositories;
    expect(outcomes.map((outcome: any) => outcome.state)).toEqual(['skipped', 'updated', 'updated']);
    expect(outcomes[0].pullRequest).toMatchObject({ action: 'opened' });
    expect(forge.pullRequests).toHaveLength(3);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});

test('a forge that hangs past --timeout: the killed repository\'s row says its branch was pushed, and the next run opens the pull request (journey 74)', async () => {
  const dir = tempDir('bluesynth-fleet-forge-hangs-');
  const one = makeFleet(dir, 1, { seeds: 1 });
  const hung = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
  const args = (url: string) => ['fleet', 'update', '--repos', one.reposFile, '--to', 'v2', '--push', '--forge', 'github', '--forge-option', `api-url=${url}`,
    '--forge-option', 'repository=acme/web', '--jobs', '1', '--timeout', '10', '--work-dir', path.join(dir, 'clones'), '--json'];
  const runs = new CliChildren(dir);
  let row: any;
  try {
    hung.hang();
    const first = runs.start(args(hung.url), { GITHUB_TOKEN: 'ghp_test' });
    expect(await first.exited).toBe(1);
    [row] = JSON.parse(first.output.stdout).repositories;
  } finally {
    await hung.close();
  }
  expect(row).toMatchObject({ state: 'failed', pushed: true, branch: expect.any(String), commit: expect.any(String) });
  expect(row.reason).toBe(`timed out after 10 s (--timeout); its process was killed after it pushed origin/${row.branch}: the next run opens its pull request`);
  expect(git(one.remotes[0], 'rev-parse', `refs/heads/${row.branch}`)).toBe(row.commit);

  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
  try {
    const second = runs.start(args(forge.url), { GITHUB_TOKEN: 'ghp_test' });
    expect(await second.exited).toBe(0);
    const [again] = JSON.parse(second.output.stdout).repositories;
    expect(again).toMatchObject({ state: 'skipped', commit: row.commit, pullRequest: { action: 'opened' } });
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});

test('a git push killed before the remote answered: failed, saying so and that the remote lacks the update, not that the remote refused it', async () => {
  const dir = tempDir('bluesynth-fleet-push-killed-');
  const killed = makeFleet(dir, 1, { seeds: 1 });
  // A pre-push hook in the work clone kills its git push (a signal, as a lost machine's or the OOM killer's) once.
  const hooks = path.join(dir, 'hooks');
  fs.mkdirSync(hooks);
  fs.writeFileSync(path.join(hooks, 'pre-push'), ['#!/bin/sh', '[ -e "$KILL_MARK" ] && exit 0', 'touch "$KILL_MARK"', 'kill -KILL $PPID', 'sleep 5', ''].join('\n'), { mode: 0o755 });
  const args = ['fleet', 'update', '--repos', killed.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'];
  const env = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: hooks, KILL_MARK: path.join(dir, 'killed') };
  const runs = new CliChildren(dir);
  const run = runs.start(args, env);
  expect(await run.exited).toBe(1);
  const [outcome] = JSON.parse(run.output.stdout).repositories;
  expect(outcome).toMatchObject({ state: 'failed', pushed: false });
  expect(outcome.reason).toBe(`push to origin/${outcome.branch} did not finish: git push was killed before the remote answered, and the remote does not have this update; the next run pushes it`);
  expect(git(killed.remotes[0], 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
  // As it says: the next run pushes it.
  const again = runs.start(args, env);
  expect(await again.exited).toBe(0);
  expect(JSON.parse(again.output.stdout).repositories[0]).toMatchObject({ state: 'updated', pushed: true });
});

test('Ctrl-C while a repository waits out the forge\'s rate limit: it waits no more, its row says its branch is pushed, and the next run opens the pull request (journey 92)', async () => {
  const dir = tempDir('bluesynth-fleet-interrupted-wait-');
  const one = makeFleet(dir, 1, { seeds: 1 });
  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
  const args = ['fleet', 'update', '--repos', one.reposFile, '--to', 'v2', '--push', '--forge', 'github', '--forge-option', `api-url=${forge.url}`,
    '--forge-option', 'repository=acme/web', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'];
  const limited = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };
  // Started as from a shell's prompt, in a process group of its own; `signal` once the forge has had its POST.
  const interrupted = async (signal: 'SIGINT' | 'SIGTERM', group: boolean) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, detached: true, env: { ...process.env, GITHUB_TOKEN: 'ghp_test' }, stdio: ['ignore', 'pipe', 'pipe'] });
    stopBeforeCleanup(() => stopChild(child, 'SIGKILL'));
    let stdout = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.resume();
    const closed = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
    const posts = forge.received.filter(received => received.method === 'POST').length;
    await waitFor(() => forge.received.filter(received => received.method === 'POST').length > posts, 'the POST of the pull request', 60_000);
    // Answered by now, and waiting its 30 s.
    await new Promise(resolve => setTimeout(resolve, 500));
    const sent = Date.now();
    process.kill(group ? -child.pid! : child.pid!, signal);
    const code = await closed;
    return { code, row: JSON.parse(stdout).repositories[0], afterSignalMs: Date.now() - sent };
  };
  try {
    // A terminal's Ctrl-C, to the whole group: the fleet process hears it too.
    forge.answerNext(403, limited, { 'Retry-After': '30' });
    const first = await interrupted('SIGINT', true);
    expect(first.code).toBe(130);
    expect(first.afterSignalMs).toBeLessThan(15_000);
    expect(first.row).toMatchObject({ state: 'failed', pushed: true, branch: expect.any(String), commit: expect.any(String) });
    expect(first.row.reason).toContain('answered 403: You have exceeded a secondary rate limit. Please wait a few minutes before you try again. (not asked again: the run was interrupted); the next run opens it');
    expect(git(one.remotes[0], 'rev-parse', `refs/heads/${first.row.branch}`)).toBe(first.row.commit);
    // A service manager's SIGTERM, to the run alone: the pool tells its process.
    forge.answerNext(403, limited, { 'Retry-After': '30' });
    const second = await interrupted('SIGTERM', false);
    expect(second.code).toBe(130);
    expect(second.afterSignalMs).toBeLessThan(15_000);
    expect(second.row).toMatchObject({ state: 'failed', pushed: true, commit: first.row.commit });
    expect(second.row.reason).toContain('(not asked again: the run was interrupted)');
    expect(forge.pullRequests).toEqual([]);

    const runs = new CliChildren(dir);
    const third = runs.start(args, { GITHUB_TOKEN: 'ghp_test' });
    expect(await third.exited).toBe(0);
    expect(JSON.parse(third.output.stdout).repositories[0]).toMatchObject({ state: 'skipped', commit: first.row.commit, pullRequest: { action: 'opened' } });
    expect(forge.pullRequests).toHaveLength(1);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});
