import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, runCli, tempDir } from '../util';
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
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
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
  expect(run.stderr).toContain(`blueprint fleet: ${failed[0].reason} (found updating ${failed[0].name}; the run stopped there`);
  // The worker had perhaps taken the next job when the first outcome arrived; no other started.
  expect(failed.length).toBeLessThanOrEqual(2);
  expect(outcomes.filter((o: any) => o.state === 'not-started')).toHaveLength(4 - failed.length);
  expect(fs.readdirSync(workerDir).filter(name => !name.startsWith('.')).sort()).toEqual(failed.map((o: any) => o.name).sort());
});
