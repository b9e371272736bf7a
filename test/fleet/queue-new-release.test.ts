import * as fs from 'fs';
import * as path from 'path';
import { git } from '../project/git-fixtures';
import { tempDir } from '../util';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { RedisServer, startRedis } from './redis-server';

/**
 * A `fleet worker` lives across runs, and its git sources remember their last fetch: a version tagged just before
 * a run must still be the newest that run updates to (no `--to`), as it is on the local pool.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-release-');
const fleet = makeFleet(work, 2);
let redis: RedisServer;
const children = new CliChildren(work);
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis.stop(); });

async function runFleet(): Promise<string[]> {
  const run = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--work-dir', path.join(work, 'clones'), '--queue', redis.url, '--json']);
  expect(await run.exited).toBe(0);
  return JSON.parse(run.output.stdout).repositories.map((r: { to?: string }) => r.to);
}

test('a version tagged between two runs on one worker is the second run\'s newest', async () => {
  const worker = children.start(['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', path.join(work, 'worker')]);
  expect(await runFleet()).toEqual(['@bluesynth-examples/service@2.0.0', '@bluesynth-examples/service@2.0.0']);

  // v3, tagged seconds after the first run fetched the blueprint's repository.
  const blueprint = path.join(work, 'service-blueprint');
  const manifest = path.join(blueprint, 'package.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"version": "2.0.0"', '"version": "3.0.0"'));
  git(blueprint, 'commit', '--quiet', '-am', 'service blueprint v3');
  git(blueprint, 'tag', 'v3');
  expect(await runFleet()).toEqual(['@bluesynth-examples/service@3.0.0', '@bluesynth-examples/service@3.0.0']);

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});
