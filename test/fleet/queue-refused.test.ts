import * as os from 'os';
import * as path from 'path';
import { InputError } from '../../src/errors';
import { runFleetOnQueue, runFleetWorker } from '../../src/fleet/queue';
import { tempDir } from '../util';
import { CliChildren } from './cli-children';
import { testJobs } from './queue-workers';
import { RedisServer, startRedis } from './redis-server';

// A Redis that answers, and refuses: no password, a wrong one, a database it does not have. No retry changes
// these, and a refused SELECT must not leave a side on database 0 (another fleet's queue).

let redis: RedisServer;
beforeAll(async () => { redis = await startRedis(undefined, { password: 'secret' }); });
afterAll(() => redis?.stop());

const at = (auth: string, db = 0) => `redis://${auth}127.0.0.1:${redis.port}/${db}`;

test.each([
  ['no password', '', 0, /Redis refused it: the server requires a password: .*\(NOAUTH/],
  ['a wrong password', ':wrong@', 0, /Redis refused it: the server refused the password \(or user\) \(WRONGPASS/],
  ['a database the server does not have', ':secret@', 99, /Redis refused it: the server has no such database .*\(ERR DB index is out of range\)/],
])('%s: the enqueuing side and a worker fail with an InputError saying why, enqueuing nothing', async (_, auth, db, message) => {
  const url = at(auth, db);
  const shown = url.replace(':secret@', ':***@').replace(':wrong@', ':***@');
  const enqueued = await runFleetOnQueue(url, testJobs(2), { queueName: 'refused' }).catch((caught: unknown) => caught);
  expect(enqueued).toBeInstanceOf(InputError);
  expect((enqueued as Error).message).toMatch(new RegExp(`^--queue ${shown.replace(/[/*.]/g, '\\$&')}: `));
  expect((enqueued as Error).message).toMatch(message);
  const worker = await runFleetWorker(url, { processor: async () => { throw new Error('never called'); }, queueName: 'refused' }).catch((caught: unknown) => caught);
  expect(worker).toBeInstanceOf(InputError);
  expect((worker as Error).message).toMatch(message);
  // Nothing reached database 0, where the jobs went when a refused SELECT was let pass.
  const { Queue } = await import('bullmq');
  const queue = new Queue('refused', { connection: { host: '127.0.0.1', port: redis.port, password: 'secret', db: 0 } });
  try {
    expect(await queue.getJobCounts()).toEqual(expect.objectContaining({ waiting: 0, active: 0, completed: 0, failed: 0 }));
  } finally {
    await queue.close();
  }
}, 20_000);

test("a worker's first line names the queue with its password hidden, a user's too; SIGTERM is acknowledged at once, and its end said", async () => {
  const children = new CliChildren(tempDir());
  const worker = children.start(['fleet', 'worker', '--queue', at('default:secret@'), '--jobs', '1', '--work-dir', path.join(tempDir(), 'work')]);
  const started = Date.now();
  while (!worker.output.stderr.includes('taking jobs from') && Date.now() - started < 10_000) await new Promise(resolve => setTimeout(resolve, 50));
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(worker.output.stderr).toContain(`taking jobs from redis://default:***@127.0.0.1:${redis.port}/0 (1 at a time)`);
  expect(worker.output.stderr).not.toContain('secret');
  expect(worker.output.stderr).toContain(`fleet worker ${os.hostname()}:${worker.child.pid}: SIGTERM: taking no more jobs; finishing those running, then exiting\n`);
  expect(worker.output.stderr).toMatch(/: stopped\n$/);
}, 20_000);
