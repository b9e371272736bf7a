import * as fs from 'fs';
import * as path from 'path';
import { isRunning, startCli, waitFor } from './process-util';
import { makeBlueprint, tempDir } from '../util';

/**
 * `--jobs N` bounds the blueprint processes of `drive-resynth`, not only those running blueprint code: each
 * configuration's jobs run one after another, and its next job's process boots while the one before runs, so
 * N configurations at a time (the rest waiting, with no process) means at most 2N processes. With a small N the
 * configurations finish one after another, so an interrupted run keeps the ones that finished, and each line's
 * time is that configuration's own, not its wait for a turn. (In-process, the default, jobs take turns in the
 * command's own process: these are the job processes of `--isolation process`.)
 *
 * Each job writes `<name> <phase> start|end` to `LOG`; the job of `HANG` in its ancestor phase records its
 * process id in `PID_FILE` and then never ends, until the run is interrupted.
 */
const BLUEPRINT = `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export interface Options { name: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const step = (what: string) => fs.appendFileSync(process.env.LOG!, options.name + ' ' + process.env.RESYNTH_PHASE + ' ' + what + '\\n');
    step('start');
    if (process.env.HANG === options.name && process.env.RESYNTH_PHASE === 'ANCESTOR') {
      fs.appendFileSync(process.env.PID_FILE!, process.pid + '\\n');
      for (;;) {}
    }
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'name.txt', options.name + '\\n');
    step('end');
  }
}
`;

const CONFIGURATIONS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

function setUp() {
  const root = tempDir('bluesynth-resynth-jobs-');
  const dir = makeBlueprint(path.join(root, 'blueprint'), BLUEPRINT, {
    'src/defaults.json': JSON.stringify({ name: 'defaults' }),
    ...Object.fromEntries(CONFIGURATIONS.map(name => [`src/wizard-configurations/${name}.json`, JSON.stringify({ name })])),
  });
  const log = path.join(root, 'jobs.log');
  const env = { LOG: log, PID_FILE: path.join(root, 'hanging.pid') };
  const args = ['drive-resynth', '--blueprint', dir, '--outdir', path.join(root, 'out'), '--jobs', '1', '--validation', 'off', '--isolation', 'process'];
  return { root, dir, log, env, args };
}

/** The live job processes of the blueprint in `dir` (Linux: read from /proc), whether or not they run its code yet. */
function jobProcesses(dir: string): number[] {
  return fs.readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).map(Number).filter(pid => {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes('job-process') && cmdline.includes(JSON.stringify(dir).slice(1, -1)) && isRunning(pid);
    } catch {
      return false; // ended meanwhile
    }
  });
}

/** The seconds each `ok` line gives, by configuration, and those of the closing line. */
function times(output: string): { lines: Record<string, number>; total: number } {
  const lines = Object.fromEntries([...output.matchAll(/^ {2}ok +resynth\.(\S+) +([\d.]+) s/gm)].map(match => [match[1], Number(match[2])]));
  const total = Number(/succeeded in ([\d.]+) s/.exec(output)![1]);
  return { lines, total };
}

test('drive-resynth --jobs 1: at most two job processes at once, configurations one after another, each timed on its own', async () => {
  const { dir, log, env, args } = setUp();
  const cli = startCli(args, { env });
  let peak = 0;
  let running = true;
  void cli.exited.then(() => (running = false));
  while (running) {
    peak = Math.max(peak, jobProcesses(dir).length);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  expect(await cli.exited).toBe(0);
  // One job runs; the next one's process boots beside it.
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThanOrEqual(2);

  // Each configuration's ancestor, proposed and merge, then the next configuration's.
  const phases = ['ANCESTOR', 'PROPOSED', 'RESYNTH'];
  expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual(
    CONFIGURATIONS.flatMap(name => phases.flatMap(phase => [`${name} ${phase} start`, `${name} ${phase} end`])),
  );

  // One after another: the lines' times add up to no more than the run's (a wait for a turn counted in each would
  // make every line nearly the whole run's time).
  const { lines, total } = times(cli.output());
  expect(Object.keys(lines)).toEqual(CONFIGURATIONS);
  const sum = Object.values(lines).reduce((a, b) => a + b, 0);
  expect(sum).toBeLessThanOrEqual(total);
}, 180_000);

test('drive-resynth --jobs 1, interrupted: the configurations that finished before keep their results', async () => {
  const { root, env, args } = setUp();
  const cli = startCli(args, { env: { ...env, HANG: 'c3' }, group: true });
  await waitFor(() => fs.existsSync(env.PID_FILE), 'c3\'s ancestor job to start', 120_000);
  const hanging = Number(fs.readFileSync(env.PID_FILE, 'utf8').trim());
  process.kill(-cli.child.pid!, 'SIGINT');
  expect(await cli.exited).toBe(130);
  await waitFor(() => !isRunning(hanging), 'the hanging job to end', 5000);

  const output = cli.output();
  expect(output).toMatch(/^ {2}ok +resynth\.c1 /m);
  expect(output).toMatch(/^ {2}ok +resynth\.c2 /m);
  expect(output).toMatch(/^ {2}stop +resynth\.c3 /m);
  expect(output).toContain('interrupted (SIGINT): resynth.c3, resynth.c4, resynth.c5, resynth.c6 did not finish');
  for (const name of ['c1', 'c2']) {
    const folder = path.join(root, 'out', `resynth.${name}`);
    expect(fs.readFileSync(path.join(folder, 'resolved-bundle/src/app/name.txt'), 'utf8')).toBe(`${name}\n`);
    expect(fs.existsSync(path.join(folder, 'resynth-report.json'))).toBe(true);
  }
  for (const name of ['c4', 'c5', 'c6']) expect(fs.existsSync(path.join(root, 'out', `resynth.${name}`))).toBe(false);
}, 180_000);
