import * as path from 'path';
import { runFleetOnQueue } from '../../src/fleet/queue';
import { tempDir } from '../util';
import { readLog, startWorker, testJobs, TestWorker } from './queue-workers';
import { RedisServer, startRedis } from './redis-server';

// --canary and --max-failures on a real Redis with a real worker process.

let redis: RedisServer;
let worker: TestWorker | undefined;
beforeAll(async () => { redis = await startRedis(); });
afterEach(async () => {
  worker?.process.kill('SIGKILL');
  await worker?.exited;
  worker = undefined;
});
afterAll(async () => { await redis.stop(); });

const started = (log: string) => readLog(log).filter(line => line.what === 'start').map(line => line.name);

test('canary: a failed canary leaves the rest not started and never enqueued', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'canary-fails';
  const jobs = testJobs(10);
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 2, fail: ['repo-01'] });
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName, canary: 3 });

  expect(outcomes.slice(0, 3).map(outcome => outcome.state)).toEqual(['updated', 'failed', 'updated']);
  expect(outcomes.slice(3).every(outcome => outcome.state === 'not-started' && outcome.reason === 'not started: the canary repo-01 failed (--canary 3)')).toBe(true);
  expect(started(log).sort()).toEqual(['repo-00', 'repo-01', 'repo-02']);
}, 30_000);

test('canary: a canary that passes lets the rest run, the canary\'s jobs once', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'canary-passes';
  const jobs = testJobs(10);
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 2 });
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName, canary: 3 });

  expect(outcomes.every(outcome => outcome.state === 'updated')).toBe(true);
  const order = started(log);
  expect(order.sort()).toEqual(jobs.map(job => job.repository.name));
  // The canary ran before anything else started.
  expect(readLog(log).filter(line => line.what === 'start').slice(0, 3).map(line => line.name).sort()).toEqual(['repo-00', 'repo-01', 'repo-02']);
}, 30_000);

test('max-failures: after N failures the jobs still waiting are removed and reported not started, never run', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'max-failures';
  const jobs = testJobs(12);
  // A second per job: the coordinator's answer to an outcome must reach Redis before the worker's next job ends,
  // also on a machine loaded by other work (100 ms let a busy one start a second job after the stop).
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 1, sleepMs: 1000, fail: ['repo-01', 'repo-02'] });
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName, maxFailures: 2 });

  expect(outcomes).toHaveLength(12);
  expect(outcomes.filter(outcome => outcome.state === 'failed').map(outcome => outcome.name)).toEqual(['repo-01', 'repo-02']);
  const notStarted = outcomes.filter(outcome => outcome.state === 'not-started');
  expect(notStarted.every(outcome => outcome.reason === 'not started: 2 repositories failed (--max-failures 2)')).toBe(true);
  // The job a worker had already taken when the second failure arrived finishes; no other starts.
  expect(notStarted.length).toBeGreaterThanOrEqual(8);
  const ran = started(log);
  expect(ran.length + notStarted.length).toBe(12);
  expect(notStarted.some(outcome => ran.includes(outcome.name))).toBe(false);
}, 30_000);

test('max-failures reached within the canary: the rest is not started', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'max-failures-canary';
  const jobs = testJobs(6);
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 1, fail: ['repo-00'] });
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName, canary: 1, maxFailures: 1 });

  expect(outcomes[0].state).toBe('failed');
  expect(outcomes.slice(1).every(outcome => outcome.state === 'not-started')).toBe(true);
  expect(started(log)).toEqual(['repo-00']);
}, 30_000);

test('bad settings: the first outcome that shows them, through Redis, stops the run; the jobs still waiting are removed, never run', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'bad-settings';
  const jobs = testJobs(8, 'v9');
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 1, sleepMs: 1000, badSettings: jobs.map(job => job.repository.name) }); // see max-failures
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName });

  expect(outcomes[0]).toMatchObject({ state: 'failed', badSettings: true, reason: "version 'v9' does not exist" });
  const notStarted = outcomes.filter(outcome => outcome.state === 'not-started');
  expect(notStarted.every(outcome => outcome.reason === 'not started: the fleet\'s settings are wrong, as repo-00 showed (every repository would fail the same way)')).toBe(true);
  // The job the worker had taken when the first outcome arrived finishes; no other starts.
  expect(notStarted.length).toBeGreaterThanOrEqual(6);
  const ran = started(log);
  expect(ran.length + notStarted.length).toBe(8);
  expect(notStarted.some(outcome => ran.includes(outcome.name))).toBe(false);
}, 30_000);

test('bad settings in the canary: the rest is not started, with the settings\' reason', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'bad-settings-canary';
  const jobs = testJobs(6, 'v9');
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 1, badSettings: ['repo-00'] });
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName, canary: 3 });

  expect(outcomes[0]).toMatchObject({ state: 'failed', badSettings: true });
  // The worker may have taken the canary's next job before the first outcome reached the follower.
  expect(outcomes.slice(3).every(outcome => outcome.state === 'not-started' && /settings are wrong, as repo-00 showed/.test(outcome.reason!))).toBe(true);
  expect(started(log).every(name => ['repo-00', 'repo-01', 'repo-02'].includes(name!))).toBe(true);
}, 30_000);

test('interrupted (Ctrl-C on the command): the jobs still waiting are removed and reported not started, the one taken finishes', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'interrupted';
  const jobs = testJobs(8);
  const interrupt = new AbortController();
  worker = startWorker({ queue: redis.url, queueName, log, concurrency: 1, sleepMs: 1000 }); // see max-failures
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName, signal: interrupt.signal, onOutcome: () => interrupt.abort() });

  expect(outcomes[0].state).toBe('updated');
  const notStarted = outcomes.filter(outcome => outcome.state === 'not-started');
  expect(notStarted.every(outcome => outcome.reason === 'not started: the run was interrupted')).toBe(true);
  expect(notStarted.length).toBeGreaterThanOrEqual(6);
  const ran = started(log);
  expect(ran.length + notStarted.length).toBe(8);
  expect(notStarted.some(outcome => ran.includes(outcome.name))).toBe(false);
  // Nothing is left on the queue for a worker to take later.
  await new Promise(resolve => setTimeout(resolve, 2500));
  expect(started(log)).toEqual(ran);
}, 30_000);
