import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git } from '../project/git-fixtures';
import { CLI, runCli, stopChild, tempDir } from '../util';
import { makeFleet } from './fleet-fixture';
import { RedisServer, startRedis } from './redis-server';

/**
 * `fleet update --queue --to v9` (a version the blueprint does not have) with a real `fleet worker` on a real
 * Redis: the worker's outcome says the settings are at fault, it reaches the follower through Redis, and the
 * run starts no other repository and exits 2, as on one machine.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-queue-bad-');
const fleet = makeFleet(work, 4, { seeds: 1 });
let redis: RedisServer;
let worker: ChildProcess | undefined;
let tokenless: ChildProcess | undefined;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  await Promise.all([worker, tokenless].map(child => child && stopChild(child, 'SIGKILL')));
  await redis.stop();
});

test('a --to version that does not exist: one repository fails with it, the rest are never started, exit 2', async () => {
  const workerDir = path.join(work, 'worker');
  worker = spawn(process.execPath, [CLI, 'fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', workerDir], { cwd: work, stdio: 'ignore' });
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v9', '--queue', redis.url, '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work });
  expect(run.code).toBe(2);
  const outcomes = JSON.parse(run.stdout).repositories;
  const failed = outcomes.filter((o: any) => o.state === 'failed');
  expect(failed[0]).toMatchObject({ badSettings: true });
  expect(failed[0].reason).toContain("--to v9: version 'v9' does not exist in the blueprint repository");
  expect(run.stderr).toContain(`blueprint fleet update: ${failed[0].reason} (found updating ${failed[0].name}; the run stopped there`);
  // The worker had perhaps taken the next job when the first outcome arrived; no other started.
  expect(failed.length).toBeLessThanOrEqual(2);
  expect(outcomes.filter((o: any) => o.state === 'not-started')).toHaveLength(4 - failed.length);
  expect(fs.readdirSync(workerDir).filter(name => !name.startsWith('.')).sort()).toEqual(failed.map((o: any) => o.name).sort());
});

test("a worker without the forge's token: it fails its repository before touching it, the run stops, exit 2, nothing pushed", async () => {
  // Another database: the first test's worker stays on /0. The run has the token, the worker does not (journey 10:
  // each repository such a worker took was pushed, then failed asking for its pull request).
  const url = redis.url.replace(/\/0$/, '/1');
  const workerDir = path.join(work, 'tokenless-worker');
  const env = { ...process.env };
  delete env.GITHUB_TOKEN;
  delete env.GH_TOKEN;
  tokenless = spawn(process.execPath, [CLI, 'fleet', 'worker', '--queue', url, '--jobs', '1', '--work-dir', workerDir], { cwd: work, env, stdio: 'ignore' });
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--forge', 'github', '--forge-option', 'repository=acme/fleet',
    '--forge-option', 'api-url=http://127.0.0.1:9', '--queue', url, '--work-dir', path.join(work, 'clones-tokenless'), '--json'], { cwd: work, env: { GITHUB_TOKEN: 'a-token' } });
  expect(run.code).toBe(2);
  const outcomes = JSON.parse(run.stdout).repositories;
  const failed = outcomes.filter((o: any) => o.state === 'failed');
  expect(failed[0]).toMatchObject({ badSettings: true });
  // Failing takes the worker no time here (nothing is cloned), so it may have taken more jobs of the run before the
  // run heard of the first; each failed alike, and touched nothing.
  for (const outcome of failed) {
    expect(outcome).toMatchObject({ badSettings: true });
    // Named by the worker the operator started (journey 68: it named the worker's job process, which no one knows of).
    expect(outcome.reason).toBe(`cannot use the github forge on ${os.hostname()}:${tokenless!.pid}: the github forge needs a token: set GITHUB_TOKEN or GH_TOKEN in the environment`);
  }
  expect(outcomes.filter((o: any) => o.state === 'not-started')).toHaveLength(4 - failed.length);
  // Nothing was cloned, nothing pushed.
  expect(fs.existsSync(workerDir) ? fs.readdirSync(workerDir).filter(name => !name.startsWith('.')) : []).toEqual([]);
  for (const remote of fleet.remotes) expect(git(remote, 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
});
