import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';

/**
 * A fleet week after week (journey 40): v2 is pushed as a pull request, the team merges it with a squash (as many
 * forges are set to), and v3 is released. The squash left the record of v2 on main but not the commit v2 generated,
 * so the next update has no ancestor. The fleet's row must say that in the operator's terms (where to run
 * `update --adopt`, and how to land it so that it lasts), not name its own work clone as the place to fix it; and
 * following the row must get the repository updated by the next run.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-fleet-day2-');
const fleet = makeFleet(work, 1, { seeds: 1 });
const [remote] = fleet.remotes;
const clones = path.join(work, 'clones');

// v3: the readiness answer says the version too (v2 changed the liveness one).
const health = path.join(fleet.blueprintRepo, 'static-assets', 'repository', 'src', 'health.ts');
fs.writeFileSync(health, fs.readFileSync(health, 'utf8').replace("{ status: 'ready' }", "{ status: 'ready', version: 3 }"));
const packageJson = path.join(fleet.blueprintRepo, 'package.json');
fs.writeFileSync(packageJson, fs.readFileSync(packageJson, 'utf8').replace('"version": "2.0.0"', '"version": "3.0.0"'));
git(fleet.blueprintRepo, 'commit', '--quiet', '-am', 'service blueprint v3');
git(fleet.blueprintRepo, 'tag', 'v3');

const fleetUpdate = (to: string) => runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', to, '--push', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: work });
const rowOf = (stdout: string) => JSON.parse(stdout).repositories[0];

test('an update squash-merged on the remote: the next version\'s row says where to adopt it and how to merge, and following it updates the repository', () => {
  const week2 = fleetUpdate('v2');
  expect(week2.code).toBe(0);
  const { branch } = rowOf(week2.stdout);
  expect(rowOf(week2.stdout)).toMatchObject({ state: 'updated', pushed: true });

  // The forge squash-merges the pull request: one commit on main with the update's changes, the record among them.
  const merger = path.join(work, 'merger');
  git(work, 'clone', '--quiet', remote, merger);
  git(merger, 'merge', '--squash', `origin/${branch}`);
  git(merger, 'commit', '--quiet', '-m', 'chore(resynthesis): update (#12)');
  git(merger, 'push', '--quiet', 'origin', 'main');

  const week3 = fleetUpdate('v3');
  expect(week3.code).toBe(1);
  const row = rowOf(week3.stdout);
  expect(row.state).toBe('failed');
  expect(row.reason).toContain('no ancestor for the update: main records @bluesynth-examples/service@2.0.0 but not the commit that update generated');
  // Where to act: a clone of the repository's own, not the fleet's work clone (reset at each run).
  expect(row.reason).toContain(`in a clone of ${remote}, run 'blueprint update --adopt'`);
  expect(row.reason).toContain('a squash merge loses it again');
  expect(row.reason).not.toContain(clones);

  // The operator does what the row says, and the next run updates the repository from v2.
  const operator = path.join(work, 'operator');
  git(work, 'clone', '--quiet', remote, operator);
  const adopted = runCli(['update', '--adopt'], { cwd: operator });
  expect(adopted.code).toBe(0);
  git(operator, 'push', '--quiet', 'origin', 'main');
  const again = fleetUpdate('v3');
  expect(again.code).toBe(0);
  expect(rowOf(again.stdout)).toMatchObject({ state: 'updated', from: '@bluesynth-examples/service@2.0.0', to: '@bluesynth-examples/service@3.0.0', pushed: true });
});

test('fleet status after a run that pushed an update with its conflicts names the files and the branch, as the run\'s table did', () => {
  const dir = path.join(work, 'status');
  fs.mkdirSync(dir);
  const pair = makeFleet(dir, 2, { conflictEvery: 2, seeds: 1 });
  const [clean, conflicting] = pair.remotes;
  const statusClones = path.join(dir, 'clones');
  const run = runCli(['fleet', 'update', '--repos', pair.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--jobs', '2', '--work-dir', statusClones, '--json'], { cwd: dir });
  expect(run.code).toBe(0);
  const rows = new Map<string, any>(JSON.parse(run.stdout).repositories.map((r: any) => [r.url, r]));
  expect(rows.get(conflicting)).toMatchObject({ state: 'conflicts', pushed: true, conflicts: ['src/health.ts'] });
  const branch = rows.get(conflicting).branch;

  const status = runCli(['fleet', 'status', '--repos', pair.reposFile, '--work-dir', statusClones], { cwd: dir });
  expect(status.code).toBe(0);
  const line = (name: string) => status.stdout.split('\n').find(l => l.startsWith(`${name} `))!;
  expect(line(path.basename(conflicting, '.git'))).toContain(`conflicts: ${branch} resolve 1 conflicted: src/health.ts there`);
  expect(line(path.basename(clean, '.git'))).toContain(`updated: ${rows.get(clean).branch}`);

  const json = runCli(['fleet', 'status', '--repos', pair.reposFile, '--work-dir', statusClones, '--json'], { cwd: dir });
  const lastOf = new Map<string, any>(JSON.parse(json.stdout).map((r: any) => [r.url, r.lastUpdate]));
  expect(lastOf.get(conflicting)).toMatchObject({ state: 'conflicts', branch, pushed: true, conflicts: ['src/health.ts'] });
  expect(lastOf.get(clean)).toMatchObject({ state: 'updated', pushed: true });
});

test('a pull request the team closed unmerged is not opened again by a later run of the same update, and the row says why; a new version is proposed again', async () => {
  const dir = path.join(work, 'closed');
  fs.mkdirSync(dir);
  const one = makeFleet(dir, 1, { seeds: 1 });
  git(one.blueprintRepo, 'tag', 'v3', 'v2');
  const forge = await ForgeServer.start({ kind: 'github', token: 'github-test', repositories: ['acme/service'] });
  try {
    // A child process of its own, not spawnSync: the forge answers from this very process.
    const children = new CliChildren(dir);
    const run = async (to: string) => {
      const child = children.start(['fleet', 'update', '--repos', one.reposFile, '--to', to, '--push', '--forge', 'github', '--forge-option', `api-url=${forge.url}`,
        '--forge-option', 'repository=acme/service', '--jobs', '1', '--work-dir', path.join(dir, 'clones'), '--json'], { GITHUB_TOKEN: 'github-test' });
      const code = await child.exited;
      return { code, row: JSON.parse(child.output.stdout).repositories[0] };
    };
    const week2 = await run('v2');
    expect(week2.row).toMatchObject({ state: 'updated', pullRequest: { action: 'opened' } });
    // The team closes it without merging, on the commit the fleet pushed.
    forge.pullRequests[0].closed = true;
    forge.pullRequests[0].sha = week2.row.commit;

    const again = await run('v2');
    expect(again.code).toBe(0);
    expect(again.row).toMatchObject({ state: 'skipped', pullRequest: { action: 'closed', url: forge.pullRequests[0].url } });
    expect(again.row.reason).toContain(`whose pull request ${forge.pullRequests[0].url} was closed without merging: not opened again`);
    // Journey 68: a commit on the base branch also has the same version proposed again; the row names it among the ways.
    expect(again.row.reason).toContain('a new commit on the base branch');
    expect(forge.pullRequests).toHaveLength(1);

    // v3 (here the same content under a new tag, so a new record) is a new proposal: a pull request is opened for it.
    const week3 = await run('v3');
    expect(week3.row).toMatchObject({ state: 'updated', pullRequest: { action: 'opened' } });
    expect(forge.pullRequests).toHaveLength(2);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});
