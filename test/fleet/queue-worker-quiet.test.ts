import * as path from 'path';
import { tempDir } from '../util';
import { CliChildren } from './cli-children';
import { startRedis } from './redis-server';

// A worker whose Redis goes away gets an error for each reconnection try, about one a second: said once, the
// operator's log stays readable, and the worker still says when it stops.

test('a worker whose Redis is away says the connection error once, not once per reconnection try', async () => {
  const redis = await startRedis();
  const children = new CliChildren(tempDir());
  try {
    const worker = children.start(['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', path.join(tempDir(), 'work')]);
    const waitFor = async (done: () => boolean, ms: number) => {
      const started = Date.now();
      while (!done() && Date.now() - started < ms) await new Promise(resolve => setTimeout(resolve, 50));
    };
    await waitFor(() => worker.output.stderr.includes('taking jobs from'), 10_000);
    await redis.stop();
    const refused = () => worker.output.stderr.split('\n').filter(line => line.includes('ECONNREFUSED'));
    await waitFor(() => refused().length > 0, 10_000);
    // The client tries again about every second: six seconds would have given five lines or more.
    await new Promise(resolve => setTimeout(resolve, 6_000));
    expect(refused()).toHaveLength(1);
    expect(refused()[0]).toMatch(new RegExp(`^fleet worker [^ ]+:${worker.child.pid}: .*ECONNREFUSED`));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output.stderr).toMatch(/: stopped\n$/);
  } finally {
    await redis.stop();
  }
}, 40_000);
