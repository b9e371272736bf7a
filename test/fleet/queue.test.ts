import * as path from 'path';
import type { FleetOutcome } from '../../src/fleet/fleet-job';
import { Queue } from 'bullmq';
import { fleetJobId, runFleetOnQueue } from '../../src/fleet/queue';
import { tempDir } from '../util';
import { LogLine, readLog, startWorker, testJobs, TestWorker, waitForLog } from './queue-workers';
import { RedisServer, startRedis } from './redis-server';

// Fleet runs on a real Redis with real worker processes: the jobs survive a worker killed mid-job.

let redis: RedisServer;
const workers: TestWorker[] = [];
beforeAll(async () => { redis = await startRedis(); });
afterEach(async () => {
  for (const worker of workers.splice(0)) {
    worker.process.kill('SIGKILL');
    await worker.exited;
  }
});
afterAll(async () => { await redis.stop(); });

function spawnWorker(settings: Omit<Parameters<typeof startWorker>[0], 'queue'>): TestWorker {
  const worker = startWorker({ queue: redis.url, ...settings });
  workers.push(worker);
  return worker;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

test('30 repositories, two worker processes, one killed with SIGKILL mid-job: every repository has one outcome, the killed job redone by the other', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'kill-test';
  const jobs = testJobs(30);
  const first = spawnWorker({ queueName, log, concurrency: 2, sleepMs: 300 });
  const second = spawnWorker({ queueName, log, concurrency: 2, sleepMs: 300 });
  await waitForLog(log, lines => lines.filter(line => line.what === 'ready').length === 2);

  const arrived: FleetOutcome[] = [];
  const run = runFleetOnQueue(redis.url, jobs, { queueName, onOutcome: outcome => arrived.push(outcome) });
  // Kill the first worker mid-job (after both had a few): once it has a job started less than half a job's time
  // ago, which cannot end before the kill. (Waiting for a 'start' as the log's last line raced: the other
  // worker's lines follow within a millisecond.)
  const startedBy = (lines: LogLine[], pid: number) => {
    const ended = new Set(lines.filter(line => line.what === 'end' && line.pid === pid).map(line => line.name));
    return lines.filter(line => line.what === 'start' && line.pid === pid && !ended.has(line.name));
  };
  await waitForLog(log, lines =>
    lines.filter(line => line.what === 'end').length >= 4 && startedBy(lines, first.pid).some(line => Date.now() - line.time < 150));
  first.process.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  // What it had started and never ended, from its last line.
  const interrupted = startedBy(readLog(log), first.pid).map(line => line.name!);
  expect(interrupted.length).toBeGreaterThan(0);

  const outcomes = await run;
  expect(outcomes.map(outcome => outcome.name)).toEqual(jobs.map(job => job.repository.name));
  expect(outcomes.every(outcome => outcome.state === 'updated' && outcome.to === 'v2')).toBe(true);
  expect(arrived).toHaveLength(30);

  const lines = readLog(log);
  // Each repository's update finished, whichever worker did it: once, or twice where the kill came after the killed
  // worker ended a job and before the queue recorded it (the queue then hands the job on, as for one the worker never
  // ended: at least once, which an update, idempotent, allows); its one outcome is the second worker's.
  const ends = countBy(lines.filter(line => line.what === 'end'), line => line.name!);
  expect([...ends.keys()].sort()).toEqual(jobs.map(job => job.repository.name));
  for (const [name, count] of ends) {
    if (count > 1) expect(lines.filter(line => line.what === 'end' && line.name === name).map(line => line.pid)).toEqual([first.pid, second.pid]);
  }
  for (const name of interrupted) {
    expect(lines.filter(line => line.what === 'end' && line.name === name).map(line => line.pid)).toEqual([second.pid]);
    expect(outcomes.find(outcome => outcome.name === name)!.worker).toMatch(new RegExp(`:${second.pid}$`));
  }
  // The run removed its finished jobs: the same command again updates again (the update itself is idempotent).
  const again = await runFleetOnQueue(redis.url, jobs.slice(0, 2), { queueName });
  expect(again.map(outcome => outcome.state)).toEqual(['updated', 'updated']);
  expect(readLog(log).filter(line => line.what === 'end')).toHaveLength(lines.filter(line => line.what === 'end').length + 2);
}, 30_000);

test('a worker runs up to its concurrency at once; a processor that throws fails its repository with the message', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'concurrency-test';
  const jobs = testJobs(7);
  spawnWorker({ queueName, log, concurrency: 3, sleepMs: 400, throw: ['repo-04'] });
  const outcomes = await runFleetOnQueue(redis.url, jobs, { queueName });

  expect(outcomes.find(outcome => outcome.name === 'repo-04')).toMatchObject({ state: 'failed', reason: 'worker fault on repo-04' });
  expect(outcomes.filter(outcome => outcome.state === 'updated')).toHaveLength(6);
  let running = 0;
  let most = 0;
  for (const line of readLog(log)) {
    if (line.what === 'start') most = Math.max(most, ++running);
    if (line.what === 'end' || line.what === 'throw') running--;
  }
  expect(most).toBe(3);
}, 30_000);

test('SIGTERM: the worker finishes its running job, takes no more, and exits 0; another worker does the rest', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'sigterm-test';
  const jobs = testJobs(4);
  const first = spawnWorker({ queueName, log, concurrency: 1, sleepMs: 1_000 });
  const run = runFleetOnQueue(redis.url, jobs, { queueName });
  await waitForLog(log, lines => lines.some(line => line.what === 'start'));
  first.process.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  const byFirst = readLog(log).filter(line => line.pid === first.pid);
  expect(byFirst.map(line => line.what)).toEqual(['ready', 'start', 'end', 'closed']);

  const second = spawnWorker({ queueName, log, concurrency: 2, sleepMs: 0 });
  const outcomes = await run;
  expect(outcomes.map(outcome => outcome.state)).toEqual(['updated', 'updated', 'updated', 'updated']);
  expect(outcomes.filter(outcome => outcome.worker?.endsWith(`:${second.pid}`))).toHaveLength(3);
}, 30_000);

test('the same fleet enqueued twice at once, from two work folders (and a repository listed twice), is run once per repository', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'idempotent-test';
  const jobs = testJobs(8);
  // A second operator, in another folder: its default work folder differs, and the workers use their own anyway.
  const elsewhere = jobs.map(job => ({ ...job, settings: { ...job.settings, workDir: '/operator-b/.bluesynth-fleet' } }));
  const runs = Promise.all([
    runFleetOnQueue(redis.url, [...jobs, jobs[3]], { queueName }),
    runFleetOnQueue(redis.url, elsewhere, { queueName }),
  ]);
  // The workers start after both runs enqueued: every job id was added twice before any ran.
  await new Promise(resolve => setTimeout(resolve, 500));
  spawnWorker({ queueName, log, concurrency: 2, sleepMs: 50 });
  const [first, second] = await runs;
  expect(first.map(outcome => outcome.name)).toEqual(jobs.map(job => job.repository.name));
  expect(second.map(outcome => outcome.state)).toEqual(first.map(outcome => outcome.state));
  const starts = countBy(readLog(log).filter(line => line.what === 'start'), line => line.name!);
  expect(starts.size).toBe(8);
  expect([...starts.values()].every(count => count === 1)).toBe(true);
}, 30_000);

test('a job someone removes from Redis before it ran fails its repository instead of holding the run', async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'removed-test';
  const jobs = testJobs(3);
  const run = runFleetOnQueue(redis.url, jobs, { queueName });
  const other = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  try {
    const removedId = fleetJobId(jobs[1]);
    while (await other.getJobState(removedId) !== 'waiting') await new Promise(resolve => setTimeout(resolve, 20));
    expect(await other.remove(removedId)).toBe(1);
  } finally {
    await other.close();
  }
  spawnWorker({ queueName, log, concurrency: 2 });
  const outcomes = await run;
  expect(outcomes.map(outcome => outcome.state)).toEqual(['updated', 'failed', 'updated']);
  expect(outcomes[1].reason).toBe(`its job left the queue ${redis.url} unfinished (removed by another client)`);
  expect(readLog(log).filter(line => line.what === 'start').map(line => line.name).sort()).toEqual(['repo-00', 'repo-02']);
}, 30_000);

test("one operator's Ctrl-C takes its waiting jobs off the queue, but not from another run of the same fleet: that run enqueues them again and finishes", async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'shared-stop-test';
  const jobs = testJobs(6);
  spawnWorker({ queueName, log, concurrency: 1, sleepMs: 400 });
  await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
  const stop = new AbortController();
  const notices: string[] = [];
  // Stopped only once the other run has enqueued too: had it enqueued after the stop, it would have added the jobs
  // afresh, and there would be nothing to enqueue again.
  const enqueued = () => notices.some(message => / enqueued on /.test(message));
  const interrupted = runFleetOnQueue(redis.url, jobs, { queueName, signal: stop.signal, onOutcome: () => enqueued() && stop.abort() });
  const other = runFleetOnQueue(redis.url, jobs, { queueName, onNotice: message => notices.push(message) });
  const [first, second] = await Promise.all([interrupted, other]);
  expect(first.filter(outcome => outcome.state === 'not-started').length).toBeGreaterThan(0);
  expect(second.map(outcome => outcome.state)).toEqual(jobs.map(() => 'updated'));
  expect(notices).toContainEqual(expect.stringMatching(/^another run of this fleet stopped and took \d+ of its jobs off .*: enqueued again$/));
  const starts = countBy(readLog(log).filter(line => line.what === 'start'), line => line.name!);
  expect([...starts.values()].every(count => count === 1)).toBe(true);
}, 20_000);

test("a Ctrl-C'd run that still waits for a running job leaves alone, when it ends, the jobs another run of the fleet enqueued again", async () => {
  const log = path.join(tempDir(), 'workers.log');
  const queueName = 'shared-stop-slow-test';
  const jobs = testJobs(3);
  // One job at a time, long enough that the other run enqueues the taken-off jobs again (two sweeps, about 4 s)
  // before the interrupted run's running job ends and the run cleans up.
  spawnWorker({ queueName, log, concurrency: 1, sleepMs: 6_000 });
  await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
  const stop = new AbortController();
  const notices: string[] = [];
  const interrupted = runFleetOnQueue(redis.url, jobs, { queueName, signal: stop.signal });
  const other = runFleetOnQueue(redis.url, jobs, { queueName, onNotice: message => notices.push(message) });
  await waitForLog(log, lines => lines.some(line => line.what === 'start'));
  // The other run must have enqueued before the stop (under load it may connect late): see the test above.
  for (const started = Date.now(); !notices.some(message => / enqueued on /.test(message)) && Date.now() - started < 20_000;) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  stop.abort();
  const first = await interrupted;
  expect(first.filter(outcome => outcome.state === 'not-started').length).toBe(2);
  spawnWorker({ queueName, log, concurrency: 2 });
  const second = await other;
  expect(second.map(outcome => [outcome.state, outcome.reason])).toEqual(jobs.map(() => ['updated', undefined]));
  expect(notices).toContainEqual(expect.stringMatching(/^another run of this fleet stopped and took 2 of its jobs off .*: enqueued again$/));
}, 60_000);
