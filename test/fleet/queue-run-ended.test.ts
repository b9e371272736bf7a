import { spawn } from 'child_process';
import { Queue } from 'bullmq';
import * as path from 'path';
import type { FleetOutcome } from '../../src/fleet/fleet-job';
import { runFleetOnQueue } from '../../src/fleet/queue';
import { RUN_ENDED } from '../../src/fleet/queue/outcomes';
import { ROOT, tempDir } from '../util';
import { readLog, startWorker, testJobs, TestWorker, waitForLog } from './queue-workers';
import { RedisServer, startRedis } from './redis-server';

// A run that ended (gave Redis up, was killed) leaves jobs nobody follows: workers must not start them, while a live
// run of the same fleet is still served, and the next run does them.

/** Polls until `test` holds; fails after `timeoutMs`. */
async function until(what: string, test: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!await test()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not so after ${timeoutMs} ms: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** The jobs of `queue` no worker finished yet. */
async function unfinished(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** The outcomes the workers returned for the completed jobs of `queue`, by repository. */
async function returned(queue: Queue): Promise<Map<string, FleetOutcome>> {
  const jobs = await queue.getCompleted(0, -1);
  return new Map(jobs.map(job => [job.name, job.returnvalue as FleetOutcome]));
}

test('Redis away longer than the run waits, back with its data: the workers start none of the run\'s jobs; the next run does them', async () => {
  const dir = tempDir();
  let redis: RedisServer = await startRedis(undefined, { dir });
  const queueName = 'run-gave-up';
  const log = path.join(tempDir(), 'workers.log');
  let worker: TestWorker | undefined;
  let queue: Queue | undefined;
  try {
    worker = startWorker({ queue: redis.url, queueName, log, concurrency: 1, sleepMs: 300 });
    await waitForLog(log, lines => lines.some(line => line.what === 'ready'));
    const run = runFleetOnQueue(redis.url, testJobs(12), { queueName, lostAfter: 2_000 });
    await waitForLog(log, lines => lines.filter(line => line.what === 'end').length >= 3);
    await redis.stop('SIGTERM');
    const outcomes = await run;
    redis = await startRedis(redis.port, { dir });
    const restarted = Date.now();
    queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
    // The job running at the stop loses its lock and is taken again: every job leaves the queue, none started.
    await until('the jobs left on the queue are done with', async () => await unfinished(queue!) === 0);

    expect(readLog(log).filter(line => line.what === 'start' && line.time >= restarted)).toEqual([]);
    const went = `the queue ${redis.url} went away: no answer for 2 s`;
    const notTaken = outcomes.filter(outcome => outcome.reason?.startsWith(`not started: ${went}`));
    const taken = outcomes.filter(outcome => outcome.reason?.startsWith(`${went}`));
    expect(notTaken.length).toBeGreaterThan(0);
    expect(taken.length).toBeLessThanOrEqual(1);
    for (const outcome of notTaken) expect(outcome.reason).toMatch(/before a worker took it, and no worker starts a job of a run that ended; the next run does it$/);
    expect(outcomes.filter(outcome => outcome.state === 'updated').length + notTaken.length + taken.length).toBe(12);
    // The rows the report says were not started: the workers took each one up and set it down.
    const byWorkers = await returned(queue);
    for (const outcome of notTaken) expect(byWorkers.get(outcome.name)).toMatchObject({ state: 'not-started', reason: RUN_ENDED });

    const again = await runFleetOnQueue(redis.url, testJobs(12), { queueName });
    expect(again.map(outcome => `${outcome.name} ${outcome.state}`)).toEqual(testJobs(12).map(job => `${job.repository.name} updated`));
    // Every repository again (finished jobs of an earlier run are redone, each update being idempotent), the dropped ones too.
    const startedAgain = readLog(log).filter(line => line.what === 'start' && line.time >= restarted).map(line => line.name);
    expect(startedAgain.sort()).toEqual(testJobs(12).map(job => job.repository.name));
    // Its clean-up leaves no list of the runs that followed a job, the ended run's place in them included.
    expect(await (await queue.client).runCommand('keys', [queue.toKey('runs:*')])).toEqual([]);
  } finally {
    await queue?.close();
    worker?.process.kill('SIGKILL');
    await worker?.exited;
    await redis.stop();
  }
}, 40_000);

/** A script for `node -e` that runs the built runFleetOnQueue on `queueName` (`lostAfter` 1 s) over the jobs in `JOBS`, on Redis at `URL`. */
function queueRunScript(queueName: string): string {
  return `require(${JSON.stringify(path.join(ROOT, 'lib', 'fleet', 'queue'))}).runFleetOnQueue(process.env.URL, JSON.parse(process.env.JOBS), { queueName: ${JSON.stringify(queueName)}, lostAfter: 1000 })`;
}

test('a run killed outright: its jobs are not started, those another live run of the fleet follows are', async () => {
  const redis = await startRedis();
  const queueName = 'run-killed';
  const log = path.join(tempDir(), 'workers.log');
  let worker: TestWorker | undefined;
  const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  // The run to kill: runFleetOnQueue (built) in a process of its own, with no worker connected yet.
  const killed = spawn(process.execPath, ['-e', queueRunScript(queueName)], { env: { ...process.env, URL: redis.url, JOBS: JSON.stringify(testJobs(12)) }, stdio: 'ignore' });
  const exited = new Promise(resolve => killed.once('exit', resolve));
  try {
    await until('the killed run enqueued its jobs', async () => await unfinished(queue) === 12);
    killed.kill('SIGKILL');
    await exited;
    // A live run of the same fleet over half of them (the same job ids): it joins those jobs.
    const live = runFleetOnQueue(redis.url, testJobs(6), { queueName });
    await new Promise(resolve => setTimeout(resolve, 1_500));
    worker = startWorker({ queue: redis.url, queueName, log, concurrency: 2 });
    const outcomes = await live;

    expect(outcomes.map(outcome => `${outcome.name} ${outcome.state}`)).toEqual(testJobs(6).map(job => `${job.repository.name} updated`));
    await until('the killed run\'s jobs are done with', async () => await unfinished(queue) === 0);
    const started = readLog(log).filter(line => line.what === 'start').map(line => line.name);
    expect(started.sort()).toEqual(testJobs(6).map(job => job.repository.name));
    const byWorkers = await returned(queue);
    for (const job of testJobs(12).slice(6)) expect(byWorkers.get(job.repository.name)).toMatchObject({ state: 'not-started', reason: RUN_ENDED });
  } finally {
    killed.kill('SIGKILL');
    await queue.close();
    worker?.process.kill('SIGKILL');
    await worker?.exited;
    await redis.stop();
  }
}, 40_000);

test('a run that did not reach a Redis that stayed up (its machine asleep) gives its jobs up: off the queue, not started', async () => {
  const redis = await startRedis();
  const queueName = 'run-asleep';
  const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  const asleep = spawn(process.execPath, ['-e', queueRunScript(queueName) + '.then(outcomes => process.stdout.write(JSON.stringify(outcomes)))'], { env: { ...process.env, URL: redis.url, JOBS: JSON.stringify(testJobs(6)) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  asleep.stdout!.on('data', chunk => { stdout += chunk; });
  const exited = new Promise(resolve => asleep.once('exit', resolve));
  try {
    await until('the run enqueued its jobs', async () => await unfinished(queue) === 6);
    asleep.kill('SIGSTOP');
    await new Promise(resolve => setTimeout(resolve, 2_500));
    asleep.kill('SIGCONT');
    expect(await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('still running after 10 s'), 10_000))])).toBe(0);

    const outcomes = JSON.parse(stdout) as FleetOutcome[];
    expect(outcomes.map(outcome => `${outcome.name} ${outcome.state}`)).toEqual(testJobs(6).map(job => `${job.repository.name} failed`));
    for (const outcome of outcomes) {
      expect(outcome.reason).toBe(`not started: the queue ${redis.url} was lost: this run had not reached it for 1 s (a machine asleep, a network cut), `
        + 'and the workers gave its jobs up before a worker took it, and no worker starts a job of a run that ended; the next run does it');
    }
    expect(await unfinished(queue)).toBe(0);
  } finally {
    asleep.kill('SIGKILL');
    await queue.close();
    await redis.stop();
  }
}, 30_000);
