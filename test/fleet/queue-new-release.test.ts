import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { git } from '../project/git-fixtures';
import { CLI, tempDir } from '../util';
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
const children: ChildProcess[] = [];
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await redis.stop();
});

function start(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', chunk => { output.stdout += chunk; });
  child.stderr!.on('data', chunk => { output.stderr += chunk; });
  const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output, exited };
}

async function runFleet(): Promise<string[]> {
  const run = start(['fleet', 'update', '--repos', fleet.reposFile, '--work-dir', path.join(work, 'clones'), '--queue', redis.url, '--json']);
  expect(await run.exited).toBe(0);
  return JSON.parse(run.output.stdout).repositories.map((r: { to?: string }) => r.to);
}

test('a version tagged between two runs on one worker is the second run\'s newest', async () => {
  const worker = start(['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', path.join(work, 'worker')]);
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
