/**
 * `yarn bench:fleet`: updates a fleet of small repositories (the service example, created at v1, each behind
 * its own bare remote on disk) to v2 with `blueprint fleet update --push`, with `--jobs 1`, `--jobs 2`, and two
 * queue workers on a local `redis-server`, and records in bench/RESULTS.md under "## Fleet": repositories per
 * minute, the peak memory of a worker process, and the share of time in clone/fetch, synthesis, merge and push.
 *
 *   yarn bench:fleet [--sizes 50,200] [--modes jobs1,jobs2,queue] [--no-record]
 *
 * Each mode runs on a fleet of its own (fresh remotes, fresh work folder), so nothing is skipped.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { makeFleet } from '../test/fleet/fleet-fixture';
import { startRedis } from '../test/fleet/redis-server';
import { shortCommit } from './lib/build';
import { cleanEnv } from './lib/env';
import { describeMachine, machineMarkdown } from './lib/machine';
import { formatMegabytes, formatSeconds, measure } from './lib/measure';
import { markdownTable, recordSection, textTable } from './lib/results';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');
const OUT = path.join(process.env.BENCH_OUT ?? path.join(os.tmpdir(), 'bluesynth-bench'), 'fleet');
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const TARGET_PER_MINUTE = 200;
const PHASES = ['clone', 'synthesis', 'merge', 'push'] as const;

interface Row {
  readonly size: number;
  readonly mode: string;
  readonly wallMs: number;
  readonly perMinute: number;
  readonly workerPeakKb: number;
  readonly shares: Record<(typeof PHASES)[number], number>;
  readonly states: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'sizes': { type: 'string', default: '50,200' }, 'modes': { type: 'string', default: 'jobs1,jobs2,queue' }, 'no-record': { type: 'boolean' } } });
  const sizes = values.sizes!.split(',').map(Number);
  const modes = values.modes!.split(',');
  const env = cleanEnv({ BLUESYNTH_CACHE_DIR: path.join(OUT, 'cache'), GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' });
  const machine = describeMachine({ git: ['git', '--version'], redis: ['redis-server', '--version'] });
  const rows: Row[] = [];
  for (const size of sizes) {
    for (const mode of modes) {
      const dir = path.join(OUT, `${mode}-${size}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const fleet = makeFleet(dir, size, { seeds: 3 });
      const args = [CLI, 'fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--work-dir', path.join(dir, 'clones'), '--json'];
      let stop = async () => {};
      if (mode === 'queue') {
        const queue = await startQueue(dir, env);
        args.push('--queue', queue.url);
        stop = queue.stop;
      } else {
        args.push('--jobs', mode.replace('jobs', ''));
      }
      try {
        const run = await measure(process.execPath, args, { cwd: dir, env });
        if (run.exitCode !== 0) throw new Error(`fleet update (${mode}, ${size}) exited ${run.exitCode}: ${run.stderr.slice(-2000)}`);
        rows.push(summarize(size, mode, run.wallMs, JSON.parse(run.stdout).repositories));
      } finally {
        await stop();
      }
      console.error(`${mode} ${size}: done`);
    }
  }
  const header = ['repositories', 'mode', 'wall time', 'per minute', 'worker peak RSS', 'clone/fetch', 'synthesis', 'merge', 'push', 'outcomes'];
  const cells = rows.map(r => [String(r.size), r.mode, formatSeconds(r.wallMs), r.perMinute.toFixed(0), formatMegabytes(r.workerPeakKb), ...PHASES.map(p => `${(r.shares[p] * 100).toFixed(0)} %`), r.states]);
  console.log(textTable(header, cells, 'rlrrrrrrrl'));
  const best = rows.filter(r => r.size === Math.max(...sizes) && r.mode !== 'jobs1').sort((a, b) => b.perMinute - a.perMinute)[0];
  const verdicts = best ? [`- best at ${best.size} repositories: ${best.perMinute.toFixed(0)} a minute (${best.mode}; target: at least ${TARGET_PER_MINUTE}): ${best.perMinute >= TARGET_PER_MINUTE ? 'met' : 'not met'}`] : [];
  for (const mode of modes) {
    const [small, large] = [Math.min(...sizes), Math.max(...sizes)].map(size => rows.find(r => r.mode === mode && r.size === size));
    if (small && large && small !== large) verdicts.push(`- ${mode}: worker peak RSS ${formatMegabytes(small.workerPeakKb)} at ${small.size} repositories, ${formatMegabytes(large.workerPeakKb)} at ${large.size} (${(large.workerPeakKb / small.workerPeakKb).toFixed(2)}x)`);
  }
  console.log(verdicts.join('\n'));
  if (values['no-record']) return;
  const code = shortCommit(ROOT);
  recordSection(RESULTS, '## Fleet', [
    `Command: \`yarn bench:fleet --sizes ${values.sizes} --modes ${values.modes}\` (\`bench/fleet.ts\`): a fleet of N repositories created from the`,
    'service example at v1 (three distinct projects, each copied by `git clone --bare` into N remotes on disk), updated to v2 by',
    '`blueprint fleet update --to v2 --push` with a fresh work folder: `--jobs 1`, `--jobs 2`, or `--queue` with two',
    '`blueprint fleet worker --jobs 1` processes on a local `redis-server`. Per minute = N / wall time of the command. Worker',
    'peak RSS = the largest peak of any fleet process (the process that updates one repository after another, running the',
    'blueprint in-process). The phase shares are of the time the fleet processes spent, summed.',
    '',
    ...machineMarkdown(machine),
    `- code: commit ${code}`,
    '',
    markdownTable(header, cells, 'rlrrrrrrrl'),
    '',
    ...verdicts,
  ].join('\n'));
}

function summarize(size: number, mode: string, wallMs: number, outcomes: any[]): Row {
  const totals = Object.fromEntries(PHASES.map(p => [p, outcomes.reduce((sum, o) => sum + (o.times?.[p] ?? 0), 0)])) as Row['shares'];
  const all = PHASES.reduce((sum, p) => sum + totals[p], 0) || 1;
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.state, (counts.get(o.state) ?? 0) + 1);
  return {
    size, mode, wallMs,
    perMinute: size / (wallMs / 60_000),
    workerPeakKb: Math.max(0, ...outcomes.map(o => o.workerPeakRssKb ?? 0)),
    shares: Object.fromEntries(PHASES.map(p => [p, totals[p] / all])) as Row['shares'],
    states: [...counts].map(([state, n]) => `${n} ${state}`).join(', '),
  };
}

/** A `redis-server` on a free port and two fleet workers on it; `stop` ends them all. */
async function startQueue(dir: string, env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const redis = await startRedis();
  const workers = ['a', 'b'].map(name =>
    spawn(process.execPath, [CLI, 'fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', path.join(dir, `worker-${name}`)], { cwd: dir, env, stdio: 'ignore' }));
  return {
    url: redis.url,
    stop: async () => {
      workers.forEach(worker => worker.kill('SIGTERM'));
      await redis.stop();
    },
  };
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
