import * as path from 'path';
import { runFleetOnQueue } from '../../src/fleet/queue';
import { tempDir } from '../util';
import { startWorker, testJobs, TestWorker, waitForLog } from './queue-workers';
import { RedisServer, startRedis } from './redis-server';

// A run whose jobs no worker takes waits for workers (they may start later), and says so rather than wait
// without a word; workers on another database of the same Redis take none of its jobs, and are not counted.

let redis: RedisServer;
const workers: TestWorker[] = [];
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  for (const worker of workers) {
    worker.process.kill('SIGKILL');
    await worker.exited;
  }
  await redis.stop();
});

test('no worker on its database: the run says its jobs are enqueued and that no worker is connected, again while it waits, and finishes once one starts', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'workerless';
  const other = redis.url.replace(/\/0$/, '/1');
  workers.push(startWorker({ queue: redis.url, queueName, log }));
  await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
  const notices: { at: number; message: string }[] = [];
  const started = Date.now();
  const run = runFleetOnQueue(other, testJobs(3), {
    queueName, workerlessNoticeEvery: 1_000, onNotice: message => notices.push({ at: Date.now() - started, message }),
  });
  while (!notices.some(notice => notice.message.startsWith('waiting:')) && Date.now() - started < 10_000) await new Promise(resolve => setTimeout(resolve, 50));
  expect(notices[0].message).toBe(`3 repositories enqueued on ${other}: no fleet worker is connected yet`);
  expect(notices[1].message).toBe(`waiting: 3 repositories on ${other} and no fleet worker connected (start 'blueprint fleet worker --queue' with the same URL)`);
  workers.push(startWorker({ queue: other, queueName, log }));
  const outcomes = await run;
  expect(outcomes.map(outcome => outcome.state)).toEqual(['updated', 'updated', 'updated']);
  // The worker on /0 took nothing: each repository was done once, by the worker on /1.
  const ends = (await waitForLog(log, lines => lines.filter(line => line.what === 'end').length === 3)).filter(line => line.what === 'end');
  expect(new Set(ends.map(line => line.pid))).toEqual(new Set([workers[1].pid]));
}, 20_000);

test('a worker connected on its database: the run names how many', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'with-workers';
  workers.push(startWorker({ queue: redis.url, queueName, log }));
  await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
  const notices: string[] = [];
  await runFleetOnQueue(redis.url, testJobs(2), { queueName, onNotice: message => notices.push(message) });
  expect(notices).toEqual([`2 repositories enqueued on ${redis.url}: 1 fleet worker connected`]);
}, 20_000);

test('a Redis whose ACL refuses CLIENT LIST to the run: it counts no workers, and still finds a job removed from the queue', async () => {
  // A refused CLIENT LIST failed the sweep that also follows the jobs' states: every sweep, with notices this often.
  const { Queue } = await import('bullmq');
  const admin = new Queue('acl', { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    await (await admin.client).runCommand('acl', ['setuser', 'limited', 'on', '>pw', '~*', '&*', '+@all', '-client|list']);
    const queue = redis.url.replace('//', '//limited:pw@');
    const notices: string[] = [];
    const run = runFleetOnQueue(queue, testJobs(1), { queueName: 'acl', workerlessNoticeEvery: 0, onNotice: message => notices.push(message) });
    const [job] = testJobs(1);
    let removed = 0;
    while (removed !== 1) {
      const [waiting] = await admin.getJobs(['waiting']);
      removed = waiting ? await admin.remove(waiting.id!) : 0;
      if (removed !== 1) await new Promise(resolve => setTimeout(resolve, 20));
    }
    const [outcome] = await run;
    expect(outcome).toMatchObject({ name: job.repository.name, state: 'failed', reason: expect.stringContaining('removed by another client') });
    expect(notices[0]).toBe(`1 repository enqueued on ${queue.replace(':pw@', ':***@')}`);
  } finally {
    await admin.close();
  }
}, 30_000);
