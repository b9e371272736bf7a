import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { waitFor } from '../runner/process-util';
import { CliChildren } from './cli-children';
import { RedisServer, startRedis } from './redis-server';

// Fleet workers each clone into a work folder of their own: two in one folder (two units started in one folder, each with
// the default .bluesynth-fleet) reset the clones the other is updating, as two local runs did (journey 92).

let redis: RedisServer;
beforeAll(async () => { redis = await startRedis(); });
afterAll(() => redis?.stop());

test('a second worker, or a local fleet update, in the work folder of a running worker is refused (exit 2, naming it); a killed worker\'s folder is taken over by the next', async () => {
  const work = tempDir('bluesynth-worker-claim-');
  const clones = path.join(work, 'clones');
  const children = new CliChildren(work);
  const worker = ['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', clones];
  const first = children.start(worker);
  await waitFor(() => first.output.stderr.includes('taking jobs from'), 'the first worker taking jobs', 15_000);

  const second = children.start(worker);
  expect(await second.exited).toBe(2);
  expect(second.output.stderr).toContain(`--work-dir ${clones} is in use by another 'blueprint fleet worker' (pid ${first.child.pid} on ${os.hostname()}, since `);
  expect(second.output.stderr).not.toContain('taking jobs');
  const repos = path.join(work, 'repos.txt');
  fs.writeFileSync(repos, 'https://git.example.invalid/a.git\n');
  const local = runCli(['fleet', 'update', '--repos', repos, '--to', 'v2', '--work-dir', clones], { cwd: work });
  expect(local.code).toBe(2);
  expect(local.stderr).toContain(`is in use by another 'blueprint fleet worker' (pid ${first.child.pid}`);

  // SIGKILL leaves the claim behind; the worker started again in the folder takes it over and works.
  first.child.kill('SIGKILL');
  await first.exited;
  const again = children.start(worker);
  await waitFor(() => again.output.stderr.includes('taking jobs from'), 'the restarted worker taking jobs', 15_000);
  again.child.kill('SIGTERM');
  expect(await again.exited).toBe(0);
  expect(fs.existsSync(path.join(clones, '.fleet', 'run.lock'))).toBe(false);
}, 60_000);
