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
