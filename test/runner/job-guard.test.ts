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

test('a signal listener the job adds is not added, by any method, before or after an await; other code\'s are, and the methods are back once it ends', async () => {
  const before = nodeProcess.listenerCount('SIGTERM');
  const jobs = () => nodeProcess.listeners('SIGTERM').filter(listener => (listener as { job?: boolean }).job);
  const mark = (listener: () => void) => Object.assign(listener, { job: true });
  const other = () => undefined;
  // Other code of the process, outside the job's async context, adds its own while the job runs (a queue's worker).
  const otherAdded = new Promise<void>(resolve => setTimeout(() => (nodeProcess.on('SIGTERM', other), resolve()), 1));
  await guardJob(nodeProcess, 'the blueprint under test', undefined, async () => {
    nodeProcess.on('SIGTERM', mark(() => undefined));
    nodeProcess.once('SIGTERM', mark(() => undefined));
    nodeProcess.prependListener('SIGTERM', mark(() => undefined));
    await sleep(20);
    nodeProcess.addListener('SIGTERM', mark(() => undefined));
    nodeProcess.prependOnceListener('SIGINT', mark(() => undefined));
    // Events that are no signal are the job's to listen to.
    nodeProcess.on('warning', mark(() => undefined));
  });
  await otherAdded;
  expect(jobs()).toEqual([]);
  expect(nodeProcess.listeners('SIGTERM')).toContain(other);
  nodeProcess.off('SIGTERM', other);
  expect(nodeProcess.listeners('SIGINT').filter(listener => (listener as { job?: boolean }).job)).toEqual([]);
  const warnings = nodeProcess.listeners('warning').filter(listener => (listener as { job?: boolean }).job);
  expect(warnings).toHaveLength(1);
  nodeProcess.off('warning', warnings[0] as () => void);
  // The emitter's own methods are back: nothing of the guard is left on the process.
  expect(Object.prototype.hasOwnProperty.call(nodeProcess, 'on')).toBe(false);
  nodeProcess.on('SIGTERM', other);
  expect(nodeProcess.listenerCount('SIGTERM')).toBe(before + 1);
  nodeProcess.off('SIGTERM', other);
});
