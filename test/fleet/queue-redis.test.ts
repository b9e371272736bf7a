import { Queue } from 'bullmq';
import * as path from 'path';
import { InputError } from '../../src/errors';
import type { FleetOutcome } from '../../src/fleet/fleet-job';
import { runFleetOnQueue, runFleetWorker } from '../../src/fleet/queue';
import { tempDir } from '../util';
import { readLog, startWorker, testJobs, TestWorker, waitForLog } from './queue-workers';
import { freePort } from './ports';
import { startRedis } from './redis-server';

// A Redis that is not there at the start, or goes away during a run: the command ends, and says which queue.

/** This process's open sockets and timers (a client left reconnecting would keep a command from exiting). */
const openHandles = () => process.getActiveResourcesInfo().filter(kind => kind === 'TCPSocketWrap' || kind === 'Timeout').length;

/** Waits until the open sockets and timers are back to `count` (closing takes a few ticks); fails after 5 s. */
async function handlesBackTo(count: number): Promise<void> {
  const started = Date.now();
  while (openHandles() > count) {
    if (Date.now() - started > 5_000) throw new Error(`still open: ${process.getActiveResourcesInfo().join(', ')}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

test('no Redis at the start: the enqueuing side fails with an InputError naming the URL, within seconds', async () => {
  const url = `redis://127.0.0.1:${await freePort()}/0`;
  const started = Date.now();
  const error = await runFleetOnQueue(url, testJobs(2)).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  expect((error as Error).message).toContain(`--queue ${url}: no Redis answered within 3 s`);
  expect((error as Error).message).toContain('ECONNREFUSED');
  expect(Date.now() - started).toBeLessThan(6_000);
}, 30_000);

test('no Redis at the start: a worker process exits 2 with the URL named', async () => {
  const url = `redis://127.0.0.1:${await freePort()}/0`;
  const worker = startWorker({ queue: url, queueName: 'none', log: path.join(tempDir(), 'workers.log') });
  const started = Date.now();
  expect(await worker.exited).toBe(2);
  expect(worker.stderr()).toContain(`InputError: --queue ${url}: no Redis answered`);
  expect(Date.now() - started).toBeLessThan(8_000);
}, 30_000);

test('no Redis at the start: runFleetWorker in this process rejects the same way and leaves nothing running', async () => {
  const url = `redis://127.0.0.1:${await freePort()}/0`;
  const before = openHandles();
  await expect(runFleetWorker(url, { processor: async () => { throw new Error('never called'); }, connectTimeout: 1_000 }))
    .rejects.toThrow(new InputError(`--queue ${url}: no Redis answered within 1 s (connect ECONNREFUSED 127.0.0.1:${url.split(':')[2].split('/')[0]})`));
  await handlesBackTo(before);
}, 30_000);

test('a bad --queue URL is an InputError naming the option before anything connects', async () => {
  await expect(runFleetOnQueue('http://127.0.0.1:6379/0', [])).rejects.toThrow(InputError);
  await expect(runFleetOnQueue('redis://127.0.0.1:6379/zero', [])).rejects.toThrow(/^--queue redis:\/\/127.0.0.1:6379\/zero: the database must be a number/);
});

test('Redis killed mid-run: the run ends with the unfinished repositories failed, naming the queue', async () => {
  const redis = await startRedis();
  const log = path.join(tempDir(), 'workers.log');
  let worker: TestWorker | undefined;
  try {
    worker = startWorker({ queue: redis.url, queueName: 'redis-dies', log, concurrency: 2, sleepMs: 300 });
    await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
    const before = openHandles();
    const arrived: FleetOutcome[] = [];
    const run = runFleetOnQueue(redis.url, testJobs(12), { queueName: 'redis-dies', lostAfter: 2_000, onOutcome: outcome => arrived.push(outcome) });
    await waitForLog(log, lines => lines.filter(line => line.what === 'end').length >= 3);
    await redis.stop();
    const killed = Date.now();
    const outcomes = await run;
    expect(Date.now() - killed).toBeLessThan(6_000);

    expect(outcomes).toHaveLength(12);
    const failed = outcomes.filter(outcome => outcome.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(outcomes.filter(outcome => outcome.state === 'updated').length + failed.length).toBe(12);
    // Those a worker had taken (two at a time) may have pushed; the others were not started, and no worker starts them now.
    const went = `the queue ${redis.url} went away: no answer for \\d+ s.*`;
    const taken = failed.filter(outcome => new RegExp(`^${went}; a worker may have pushed its update before, which the next run finds$`).test(outcome.reason!));
    expect(taken.length).toBeLessThanOrEqual(2);
    for (const outcome of failed.filter(each => !taken.includes(each))) {
      expect(outcome.reason).toMatch(new RegExp(`^not started: ${went} before a worker took it, and no worker starts a job of a run that ended; the next run does it$`));
    }
    expect(arrived).toHaveLength(12);
    await handlesBackTo(before);
  } finally {
    worker?.process.kill('SIGKILL');
    await worker?.exited;
    await redis.stop();
  }
}, 30_000);

test('SIGTERM to a worker whose Redis went away: it gives Redis a few seconds, then closes and exits 0', async () => {
  const redis = await startRedis();
  const log = path.join(tempDir(), 'workers.log');
  const worker = startWorker({ queue: redis.url, queueName: 'redis-gone-sigterm', log });
  try {
    await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
    await redis.stop();
    const signalled = Date.now();
    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(readLog(log).map(line => line.what)).toEqual(['ready', 'closed']);
  } finally {
    worker.process.kill('SIGKILL');
    await worker.exited;
  }
}, 30_000);

for (const loss of ['restarted without its data', 'flushed'] as const) {
  test(`Redis ${loss} mid-run: the run enqueues its unfinished jobs again and every repository is updated, none failed`, async () => {
    let redis = await startRedis();
    const log = path.join(tempDir(), 'workers.log');
    let worker: TestWorker | undefined;
    try {
      worker = startWorker({ queue: redis.url, queueName: 'redis-loses-data', log, concurrency: 2, sleepMs: 200 });
      await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
      const notices: string[] = [];
      const run = runFleetOnQueue(redis.url, testJobs(12), { queueName: 'redis-loses-data', onNotice: notice => notices.push(notice) });
      await waitForLog(log, lines => lines.filter(line => line.what === 'end').length >= 3);
      if (loss === 'flushed') {
        const other = new Queue('redis-loses-data', { connection: { host: '127.0.0.1', port: redis.port } });
        await (await other.client).runCommand('flushall', []);
        await other.close();
      } else {
        await redis.stop();
        redis = await startRedis(redis.port);
      }
      const outcomes = await run;

      expect(outcomes.map(outcome => `${outcome.name} ${outcome.state}`)).toEqual(testJobs(12).map(job => `${job.repository.name} updated`));
      expect(notices).toEqual([`12 repositories enqueued on ${redis.url}: 1 fleet worker connected`, expect.stringMatching(new RegExp(`^the queue ${redis.url} lost its jobs \\(Redis restarted without its data, or was flushed\\): \\d+ unfinished repositories enqueued again$`))]);
      // Only a job running at the loss is done twice (an update is idempotent), or one that ended while Redis was
      // down, whose completion Redis never recorded: at most two of each with two at a time; the others once.
      const starts = readLog(log).filter(line => line.what === 'start').map(line => line.name!);
      expect(new Set(starts).size).toBe(12);
      expect(starts.length).toBeLessThanOrEqual(12 + 2 * 2);
    } finally {
      worker?.process.kill('SIGKILL');
      await worker?.exited;
      await redis.stop();
    }
  }, 30_000);
}
