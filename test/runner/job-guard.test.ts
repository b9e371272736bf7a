import { guardJob } from '../../src/runner/job-guard';

/**
 * A job guarded in its caller's process: the timers it leaves pending are cleared when it ends (a job process
 * would have ended before they fired), and only its own: a timer other code of the process sets while the job
 * runs (a queue's lock renewal) still fires.
 */
const nodeProcess: NodeJS.Process = require('process');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

test('the timers the job left pending never fire; those other code set meanwhile do', async () => {
  const fired: string[] = [];
  const result = await guardJob(nodeProcess, 'the blueprint under test', undefined, async () => {
    setTimeout(() => fired.push('job timeout'), 300);
    setInterval(() => fired.push('job interval'), 150);
    await sleep(5);
    // A timer of the job's own promise chain, set after an await: still the job's.
    setTimeout(() => fired.push('job timeout after await'), 300);
    return 'done';
  });
  // What fired while the job ran (only where the machine stalled it for 150 ms) was the job's own to run.
  const whileRunning = fired.length;
  // Other code, outside the job: a timer set while a second job runs, due after that job ended.
  const second = guardJob(nodeProcess, 'another blueprint', undefined, async () => {
    await sleep(30);
    return 'second';
  });
  const other = new Promise<void>(resolve => setImmediate(() => setTimeout(() => (fired.push('other code'), resolve()), 60)));
  expect(result).toBe('done');
  expect(await second).toBe('second');
  await Promise.race([other, sleep(500)]);
  await sleep(400); // past the job's timers, had they been left
  expect(fired.slice(whileRunning)).toEqual(['other code']);
});
