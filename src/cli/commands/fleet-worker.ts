import * as os from 'os';
import * as path from 'path';
import { FleetPool } from '../../fleet/pool';
import { outcomeLine } from '../../fleet/report';
import { claimWorkDir } from '../../fleet/work-clone';
import { Command, parseCommandArgs, requireOption, UsageError } from '../command';
import { integerOption, sourceOption } from '../fleet-args';
import { timeoutMs } from '../runner-options';
import { DEFAULT_FLEET_WORK_DIR } from './fleet-update';

/** `blueprint fleet worker`: take fleet jobs from a Redis queue until stopped. */
export const command: Command = {
  name: 'fleet worker',
  summary: 'take repositories to update from a Redis queue (BullMQ), on any number of machines, until stopped',
  usage: `Usage: blueprint fleet worker --queue redis://HOST:PORT/DB [--allow-source SPEC ...] [--jobs N] [--timeout SECONDS]
                              [--work-dir DIR]

Takes the jobs 'blueprint fleet update --queue' enqueues, one repository each, and updates up to N at a time
in a pool of processes, with clones kept in this machine's work folder. A worker that dies mid-job loses
nothing: another worker takes the job once its lock expires (seconds), and the update is idempotent.
SIGTERM or SIGINT: take no new job, finish the running ones, exit 0.

  --queue URL             the Redis the fleet's jobs are on: redis://[:PASSWORD@]HOST:PORT/DB (or rediss://)
  --allow-source SPEC     a blueprint source this worker runs (git URL or path with #REF, npm package, folder;
                          any version); repeatable: a job whose source (its run's --source, else the one the
                          repository records) is none of them fails, its blueprint not run [default: any]
  --jobs N                repositories updated at once [default: the number of cores]
  --timeout SECONDS       fail a repository whose update takes longer (its process is killed) [default: none]
  --work-dir DIR          where clones are kept between jobs [default: ${DEFAULT_FLEET_WORK_DIR}]

Exit codes: 0 stopped by a signal, 2 bad input (a queue URL that is wrong or not reachable at the start, an
--allow-source folder that does not exist, a work folder another worker or fleet update is using).`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { 'queue': { type: 'string' }, 'allow-source': { type: 'string', multiple: true }, 'jobs': { type: 'string' }, 'timeout': { type: 'string' }, 'work-dir': { type: 'string' }, 'verbose': { type: 'boolean' } } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const { parseQueueUrl, runFleetWorker } = require('../../fleet/queue') as typeof import('../../fleet/queue');
    const url = parseQueueUrl(requireOption(values, 'queue'));
    const concurrency = integerOption('jobs', values.jobs, 1) ?? os.availableParallelism();
    const workDir = path.resolve(values['work-dir'] ?? DEFAULT_FLEET_WORK_DIR);
    const allowedSources = values['allow-source']?.map(spec => sourceOption('allow-source', spec));
    const stop = new AbortController();
    const self = `fleet worker ${os.hostname()}:${process.pid}`;
    // Said at once: a job may run for minutes yet, and a worker that goes quiet after a signal looks hung.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        console.error(`${self}: ${signal}: taking no more jobs; finishing those running, then exiting`);
        stop.abort();
      });
    }
    // Two workers in one work folder (two units started in one folder, each with the default) reset the clones the other
    // is updating, as two local runs did (journey 92); a worker killed with SIGKILL leaves its claim, which the next takes over.
    const release = claimWorkDir(workDir, 'blueprint fleet worker');
    const pool = new FleetPool(concurrency, timeoutMs(values.timeout));
    try {
      await runFleetWorker(url, {
        concurrency,
        signal: stop.signal,
        // The enqueuing machine's work folder means nothing here: each worker clones into its own. What it runs is
        // this machine's to say (its tokens are at stake), not the job's: the list replaces whatever the job carries.
        processor: job => pool.run({ ...job, settings: { ...job.settings, workDir, allowedSources } }),
        onReady: () => console.error(`${self}: taking jobs from ${url.shown} (${concurrency} at a time)`),
        onOutcome: outcome => console.error(outcomeLine(outcome)),
        onError: quietRepeats(line => console.error(`${self}: ${line}`)),
      });
    } finally {
      pool.close();
      release();
    }
    console.error(`${self}: stopped`);
    return 0;
  },
};

/** How long an error just said is not said again while it repeats (ms). */
const REPEAT_QUIET_MS = 30_000;

/**
 * The worker's errors, each said, then not again for {@link REPEAT_QUIET_MS} while the same one repeats, then with
 * how many times it came: a worker whose Redis is away gets an error for each reconnection try, about one a second
 * (journey 83: 28 lines of `connect ECONNREFUSED` in 22 s from each worker).
 */
function quietRepeats(say: (line: string) => void): (error: Error) => void {
  let last: string | undefined;
  let saidAt = 0;
  let repeats = 0;
  return error => {
    const now = Date.now();
    if (error.message === last && now - saidAt < REPEAT_QUIET_MS) {
      repeats++;
      return;
    }
    const again = error.message === last && repeats > 0 ? ` (${repeats + 1} times in the last ${Math.round((now - saidAt) / 1000)} s)` : '';
    say(`${error.message}${again}`);
    last = error.message;
    saidAt = now;
    repeats = 0;
  };
}
