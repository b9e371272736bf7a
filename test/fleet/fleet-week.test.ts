import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';
import { waitFor } from '../runner/process-util';

/**
 * A platform team's second week with a fleet (journey 58): the same update run again, and a run that stops early.
 * What the team reads, the run's table and `fleet status`, must keep saying which pull request waits on whom: a
 * re-run finds the open pull requests (and names them), and a run that starts only some repositories does not
 * make `fleet status` forget what the earlier run said of the others.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-fleet-week-');

/** A fleet of `count` repositories made from the service blueprint at v1, in a folder of its own named `name`. */
function fleetIn(name: string, count = 1) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  return { dir, fleet: makeFleet(dir, count, { seeds: 1 }) };
}

/** A developer's clone of `remote`, in `dir`. */
function developerClone(dir: string, remote: string): string {
  const developer = path.join(dir, 'developer');
  git(dir, 'clone', '--quiet', remote, developer);
  return developer;
}

test('the same update run again: each skipped row, and fleet status after it, names the pull request found open', async () => {
  const { dir, fleet } = fleetIn('rerun');
  const clones = path.join(dir, 'clones');
  const forge = await ForgeServer.start({ kind: 'github', token: 'github-test', repositories: ['acme/service'] });
  try {
    // A child process of its own, not spawnSync: the forge answers from this very process.
    const children = new CliChildren(dir);
    const run = async (...command: string[]) => {
      const child = children.start([...command, '--repos', fleet.reposFile, '--work-dir', clones], { GITHUB_TOKEN: 'github-test' });
      expect(await child.exited).toBe(0);
      return child.output.stdout;
    };
    const update = async () => JSON.parse(await run('fleet', 'update', '--to', 'v2', '--push', '--forge', 'github', '--forge-option', `api-url=${forge.url}`,
      '--forge-option', 'repository=acme/service', '--jobs', '1', '--json')).repositories[0];
    const first = await update();
    expect(first).toMatchObject({ state: 'updated', pullRequest: { action: 'opened' } });
    const [pullRequest] = forge.pullRequests;

    const again = await update();
    expect(again).toMatchObject({ state: 'skipped', pullRequest: { action: 'found', url: pullRequest.url } });
    expect(again.reason).toContain(`has this update, in the open pull request ${pullRequest.url}`);
    const status = await run('fleet', 'status');
    expect(status.split('\n').find(line => line.startsWith('service-000 '))).toContain(pullRequest.url);
    expect(forge.pullRequests).toHaveLength(1);
  } finally {
    await forge.close();
  }
});

test('a run that stops after its canary failed: fleet status keeps the last update of the repositories it did not start', () => {
  const { dir, fleet } = fleetIn('canary', 3);
  const clones = path.join(dir, 'clones');
  const update = (...extra: string[]) => runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json', ...extra], { cwd: dir });
  const first = update();
  expect(first.code).toBe(0);
  const branches = JSON.parse(first.stdout).repositories.map((row: any) => row.branch);

  // The first repository's remote is archived away; the next run's canary is that repository.
  fs.renameSync(fleet.remotes[0], `${fleet.remotes[0]}.archived`);
  const stopped = update('--canary', '1');
  expect(stopped.code).toBe(1);
  expect(JSON.parse(stopped.stdout).repositories.map((row: any) => row.state)).toEqual(['failed', 'not-started', 'not-started']);

  const status = JSON.parse(runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: dir }).stdout);
  expect(status.map((row: any) => row.lastUpdate.state)).toEqual(['failed', 'updated', 'updated']);
  expect(status.slice(1).map((row: any) => row.lastUpdate.branch)).toEqual(branches.slice(1));
});

test('a record a developer broke fails its repository naming the remote and branch to fix it on, not the fleet\'s work clone', () => {
  const { dir, fleet } = fleetIn('record');
  const [remote] = fleet.remotes;
  const clones = path.join(dir, 'clones');
  const developer = developerClone(dir, remote);
  const record = path.join(developer, '.bluesynth', 'instantiations.json');
  fs.writeFileSync(record, fs.readFileSync(record, 'utf8').replace('"options"', '"optionz"'));
  git(developer, 'commit', '--quiet', '-am', 'rename a key');
  git(developer, 'push', '--quiet', 'origin', 'HEAD');

  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: dir });
  expect(run.code).toBe(1);
  const [row] = JSON.parse(run.stdout).repositories;
  expect(row).toMatchObject({ state: 'failed', url: remote, reason: `${remote} main:.bluesynth/instantiations.json: entry 1: 'options' must be a JSON object` });
  expect(row.reason).not.toContain(clones);
});

test('an update pushed with a modify/delete conflict (a file the team deleted, which the new version changes) still says so when run again', () => {
  const { dir, fleet } = fleetIn('deleted');
  const [remote] = fleet.remotes;
  const developer = developerClone(dir, remote);
  git(developer, 'rm', '--quiet', 'src/health.ts');
  git(developer, 'commit', '--quiet', '-m', 'we serve no health routes');
  git(developer, 'push', '--quiet', 'origin', 'HEAD');
  const update = () => JSON.parse(runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--jobs', '1',
    '--work-dir', path.join(dir, 'clones'), '--json'], { cwd: dir }).stdout).repositories[0];

  const first = update();
  expect(first).toMatchObject({ state: 'conflicts', pushed: true, conflicts: ['src/health.ts'] });
  // The conflict left no markers: the blueprint's version is on the branch whole, the team's deletion undone until a person decides.
  expect(git(remote, 'show', `${first.branch}:src/health.ts`)).not.toContain('<<<<<<<');

  const again = update();
  expect(again).toMatchObject({ state: 'skipped', commit: first.commit });
  expect(again.reason).toContain('with its conflicts committed (1 conflicted: src/health.ts): resolve them there');
});

test('a fleet process killed between its push and its pull request\'s update: the later try updates the open pull request, which described the earlier update', async () => {
  const { dir, fleet } = fleetIn('killed-before-pull-request');
  const [remote] = fleet.remotes;
  const forge = await ForgeServer.start({ kind: 'github', token: 'github-test', repositories: ['acme/service'] });
  const children = new CliChildren(dir);
  try {
    const update = (extra: string[] = [], env: Record<string, string> = {}) => children.start(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--forge', 'github',
      '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/service', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json', ...extra],
    { GITHUB_TOKEN: 'github-test', ...env });
    const first = update();
    expect(await first.exited).toBe(0);
    expect(forge.pullRequests).toHaveLength(1);

    // New options make a new update of the same branch; its process dies once the push reached the remote.
    const [pushedMark, block] = [path.join(dir, 'pushed'), path.join(dir, 'block')];
    fs.writeFileSync(path.join(remote, 'hooks', 'post-receive'), `#!/bin/sh\ntouch '${pushedMark}'\nwhile [ -e '${block}' ]; do sleep 0.1; done\n`, { mode: 0o755 });
    fs.writeFileSync(block, '');
    // The run counts a commit on the remote as one of its own tries' only when it is dated after the second the run
    // started in (dates are whole seconds): on a quiet machine the update was committed within that second (CI168),
    // so its commits are dated a minute on, as git dates them where these are set.
    const later = `${Math.floor(Date.now() / 1000) + 60} +0000`;
    const second = update(['--set', 'description=Serves the catalog, now with search.'], { GIT_AUTHOR_DATE: later, GIT_COMMITTER_DATE: later });
    await waitFor(() => fs.existsSync(pushedMark), 'the push to reach the remote', 120_000);
    const [pool] = execFileSync('pgrep', ['-f', 'fleet-process', '-P', String(second.child.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    process.kill(pool, 'SIGKILL');
    fs.rmSync(block);
    expect(await second.exited).toBe(0);
    const [row] = JSON.parse(second.output.stdout).repositories;
    expect(row).toMatchObject({ state: 'updated', pushed: true, pullRequest: { action: 'updated' } });
    // The reason, which fleet status shows alone, still names the pull request.
    expect(row.reason).toContain(`pushed by an earlier try in this run, whose process died or lost the job before it reported: origin/${row.branch} has this update, in the pull request ${forge.pullRequests[0].url}, updated now`);
    expect(forge.pullRequests).toHaveLength(1);
    expect(forge.pullRequests[0].body).toContain('now with search');
    expect(forge.rejections).toEqual([]);
  } finally {
    await children.killAll();
    await forge.close();
  }
});

test('a fleet process killed after its push: the try that finds the branch pushed reports the update this run made, not a skip of an earlier run\'s', async () => {
  const { dir, fleet } = fleetIn('killed');
  const [remote] = fleet.remotes;
  // The remote holds the push once its branch is updated, until the test has killed the process that pushed.
  const [pushedMark, block] = [path.join(dir, 'pushed'), path.join(dir, 'block')];
  fs.writeFileSync(path.join(remote, 'hooks', 'post-receive'), `#!/bin/sh\ntouch '${pushedMark}'\nwhile [ -e '${block}' ]; do sleep 0.1; done\n`, { mode: 0o755 });
  fs.writeFileSync(block, '');
  const children = new CliChildren(dir);
  try {
    // Dated a minute on, as in the test before: a commit is this run's only when dated after the second it started in.
    const later = `${Math.floor(Date.now() / 1000) + 60} +0000`;
    const run = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'],
      { GIT_AUTHOR_DATE: later, GIT_COMMITTER_DATE: later });
    await waitFor(() => fs.existsSync(pushedMark), 'the push to reach the remote', 120_000);
    const [pool] = execFileSync('pgrep', ['-f', 'fleet-process', '-P', String(run.child.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    process.kill(pool, 'SIGKILL');
    fs.rmSync(block);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(run.output.stdout);
    expect(report.repositories[0]).toMatchObject({ state: 'updated', pushed: true });
    expect(report.repositories[0].reason).toContain('pushed by an earlier try in this run, whose process died or lost the job');
    expect(report.totals).toMatchObject({ updated: 1, skipped: 0 });
  } finally {
    await children.killAll();
  }
});

test('an update merged, then reverted on the base branch: the next run pushes the update anew, not a skip naming the merged branch', () => {
  const { dir, fleet } = fleetIn('reverted');
  const [remote] = fleet.remotes;
  const update = () => JSON.parse(runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1',
    '--work-dir', path.join(dir, 'clones'), '--json'], { cwd: dir }).stdout).repositories[0];
  const first = update();
  expect(first).toMatchObject({ state: 'updated', pushed: true });
  const developer = developerClone(dir, remote);
  git(developer, 'merge', '--quiet', '--no-ff', `origin/${first.branch}`, '-m', 'Merge the update');
  git(developer, 'revert', '--no-edit', '-m', '1', 'HEAD');
  git(developer, 'push', '--quiet', 'origin', 'HEAD');

  // The same update made again has the merged branch's very tree: that branch, already in main, would merge nothing.
  const again = update();
  expect(again).toMatchObject({ state: 'updated', pushed: true, branch: first.branch });
  expect(again.commit).not.toBe(first.commit);
  expect(git(remote, 'rev-parse', `refs/heads/${first.branch}`)).toBe(again.commit);
  expect(spawnSync('git', ['merge-base', '--is-ancestor', again.commit, 'main'], { cwd: remote }).status).toBe(1);
});
