import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isRunning, startCli, waitFor } from '../runner/process-util';
import { makeBlueprint, readTree, runCli, tempDir } from '../util';

/**
 * A blueprint whose job in `HANG_PHASE` (PROPOSED unless set) records its process id in `PID_FILE` (one line
 * per job) and then never returns: it spins, so nothing but a signal's default action or SIGKILL ends it.
 * With `THROW` set it fails instead.
 */
const HANGING = `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'version ' + (process.env.VERSION ?? '1') + '\\n');
    if (process.env.THROW) throw new Error('thrown on purpose');
    if (process.env.PID_FILE && process.env.RESYNTH_PHASE === (process.env.HANG_PHASE ?? 'PROPOSED')) {
      fs.appendFileSync(process.env.PID_FILE, process.pid + '\\n');
      for (;;) {}
    }
  }
}
`;

/** The process ids the hanging jobs recorded. */
function jobPids(pidFile: string): number[] {
  return fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

/** Every staging folder or writing marker under `dir`: an interrupted run must leave none. */
function leftovers(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter(name => /\.(writing|staging)-/.test(name));
}

/**
 * Starts the CLI with `args` and the hanging job(s), waits until `jobs` of them run, signals the CLI (or, with
 * `group`, every process of its group, as Ctrl-C in a terminal does), and resolves with its exit code and
 * output once it has ended, and every job process with it.
 */
async function interrupt(dir: string, args: string[], signal: NodeJS.Signals, options: { jobs?: number; phase?: string; group?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const pidFile = path.join(dir, `jobs-${Date.now()}.pid`);
  const cli = startCli(args, { cwd: dir, group: options.group, env: { PID_FILE: pidFile, HANG_PHASE: options.phase ?? 'PROPOSED', ...options.env } });
  await waitFor(() => jobPids(pidFile).length >= (options.jobs ?? 1), 'the jobs to start');
  if (options.group) process.kill(-cli.child.pid!, signal);
  else cli.child.kill(signal);
  const code = await cli.exited;
  for (const pid of jobPids(pidFile)) await waitFor(() => !isRunning(pid), `job process ${pid} to end`, 5000);
  return { code, output: cli.output() };
}

// The blueprint in a job process (--isolation process): the CLI's listeners run, stop the jobs and say so.
describe('synth and drive-synth, interrupted', () => {
  test.each([
    ['SIGINT', false, 130],
    ['SIGTERM', false, 143],
    ['SIGINT', true, 130],
  ] as const)('%s (to the whole process group: %s) stops the job, keeps the earlier bundle whole, says so and exits %s', async (signal, group, exitCode) => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const args = ['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--isolation', 'process'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const bundle = path.join(dir, 'out/synth.defaults/proposed-bundle');
    const earlier = readTree(bundle);

    const { code, output } = await interrupt(dir, args, signal, { group, env: { VERSION: '2' } });
    expect(output).toMatch(/stop +synth\.defaults .*stopped: the run was interrupted/);
    expect(output).toContain(`blueprint synth: interrupted (${signal}): synth.defaults did not finish; no bundle is left half-written`);
    expect(code).toBe(exitCode);
    expect(readTree(bundle)).toEqual(earlier);
    expect(leftovers(path.join(dir, 'out'))).toEqual([]);
  }, 120_000);

  test('drive-synth: the jobs running are stopped, those waiting never start, and every bundle is the earlier one', async () => {
    const dir = makeBlueprint(tempDir(), HANGING, Object.fromEntries(['c1', 'c2', 'c3'].map(c => [`src/wizard-configurations/${c}.json`, '{}'])));
    const args = ['drive-synth', '--outdir', 'out', '--jobs', '2', '--isolation', 'process'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const earlier = readTree(path.join(dir, 'out'));

    const { code, output } = await interrupt(dir, args, 'SIGINT', { jobs: 2, env: { VERSION: '2' } });
    expect(output).toContain('blueprint drive-synth: interrupted (SIGINT): synth.c1, synth.c2, synth.c3 did not finish');
    expect(output.match(/ stop /g)).toHaveLength(2); // the two that ran; the third never started
    expect(code).toBe(130);
    expect(readTree(path.join(dir, 'out'))).toEqual(earlier);
    expect(leftovers(path.join(dir, 'out'))).toEqual([]);
  }, 120_000);

  test('a first run interrupted leaves no bundle and no folder made for it', async () => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const { code } = await interrupt(dir, ['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--isolation', 'process'], 'SIGINT');
    expect(code).toBe(130);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['.durable-storage']);
  }, 120_000);
});

describe('resynth, interrupted', () => {
  test.each(['ANCESTOR', 'PROPOSED'])('while its %s job runs: no half-written bundle, and the next run gives what a clean one gives, taking nothing for hand-made', async phase => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const args = ['resynth', '--options', 'src/defaults.json', '--outdir', 'out', '--isolation', 'process'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const folder = path.join(dir, 'out/resynth.defaults');
    const report = () => fs.readFileSync(path.join(folder, 'resynth-report.json'), 'utf8');
    const earlier = { report: report(), resolved: readTree(path.join(folder, 'resolved-bundle')), ancestor: readTree(path.join(folder, 'ancestor-bundle')), proposed: readTree(path.join(folder, 'proposed-bundle')) };

    const { code, output } = await interrupt(dir, args, 'SIGINT', { phase });
    expect(output).toContain('blueprint resynth: interrupted (SIGINT): resynth.defaults did not finish; no bundle is left half-written');
    expect(code).toBe(130);
    expect(leftovers(path.join(dir, 'out'))).toEqual([]);
    // The ancestor's job was stopped (the earlier bundle put back), or ran to its end: either way a whole bundle.
    expect(readTree(path.join(folder, 'ancestor-bundle'))).toEqual(earlier.ancestor);
    // Stopped, not failed: the proposed bundle is the earlier one, untouched or put back (a failed ancestor removes it).
    expect(readTree(path.join(folder, 'proposed-bundle'))).toEqual(earlier.proposed);

    const next = runCli(args, { cwd: dir });
    expect(next.output).not.toContain('hand-made');
    expect(next.code).toBe(0);
    expect({ report: report(), resolved: readTree(path.join(folder, 'resolved-bundle')), ancestor: readTree(path.join(folder, 'ancestor-bundle')), proposed: readTree(path.join(folder, 'proposed-bundle')) }).toEqual(earlier);
  }, 180_000);
});

describe('resynth and drive-resynth, interrupted: the results of the earlier run stay', () => {
  test.each([
    ['resynth', 'ANCESTOR', 'SIGINT', 130],
    ['resynth', 'PROPOSED', 'SIGTERM', 143],
    ['resynth', 'RESYNTH', 'SIGINT', 130],
    ['drive-resynth', 'PROPOSED', 'SIGINT', 130],
  ] as const)('%s stopped while its %s job runs (%s): the resolved bundle, report and diffs are byte for byte the earlier ones', async (command, phase, signal, exitCode) => {
    // A project of its own (given as the existing bundle), which the proposed files replace: there are diffs.
    const dir = makeBlueprint(tempDir(), HANGING, { 'project/src/app/README.md': 'my own words\n' });
    const merge = ['--existing-bundle', 'project', '--fallback', 'alwaysUpdate', '--isolation', 'process'];
    const args = command === 'resynth' ? ['resynth', '--options', 'src/defaults.json', '--outdir', 'out', ...merge] : ['drive-resynth', '--outdir', 'out', ...merge];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const folder = path.join(dir, 'out/resynth.defaults');
    const results = () => ({
      resolved: readTree(path.join(folder, 'resolved-bundle')),
      report: fs.readFileSync(path.join(folder, 'resynth-report.json'), 'utf8'),
      diffs: readTree(path.join(folder, 'diffs')),
    });
    const earlier = results();
    expect(earlier.diffs['app.diff']).toContain('+version 1');

    // This run's blueprint makes other files (VERSION), which the earlier results must not be mistaken for or replaced by.
    const { code, output } = await interrupt(dir, args, signal, { phase, env: { VERSION: '2' } });
    expect(output).toContain(`blueprint ${command}: interrupted (${signal}): resynth.defaults did not finish; no bundle is left half-written`);
    expect(code).toBe(exitCode);
    expect(results()).toEqual(earlier);
    expect(leftovers(path.join(dir, 'out'))).toEqual([]);
  }, 180_000);
});

describe('synth, drive-synth, resynth and drive-resynth running the blueprint in their own process, interrupted', () => {
  test.each([
    ['synth', 'SIGINT', 'synth.defaults'],
    ['drive-synth', 'SIGTERM', 'synth.defaults'],
    ['resynth', 'SIGTERM', 'resynth.defaults'],
    ['drive-resynth', 'SIGINT', 'resynth.defaults'],
  ] as const)('%s, %s while the blueprint loops: the signal ends it at once, the earlier bundle stays whole in the marker beside the partial one, and the next run runs cleanly, leaving no marker', async (command, signal, folder) => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const args = command.startsWith('drive-') ? [command, '--outdir', 'out'] : [command, '--options', 'src/defaults.json', '--outdir', 'out'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const parent = path.join(dir, 'out', folder);
    const earlier = readTree(path.join(parent, 'proposed-bundle'));

    const pidFile = path.join(dir, 'jobs.pid');
    const cli = startCli(args, { cwd: dir, env: { PID_FILE: pidFile, VERSION: '2' } });
    await waitFor(() => jobPids(pidFile).length === 1, 'the blueprint to start looping');
    expect(jobPids(pidFile)).toEqual([cli.child.pid]);
    cli.child.kill(signal);
    await cli.exited;
    expect(cli.child.signalCode).toBe(signal);
    // As a run killed outright leaves it: the marker beside the bundle holds the earlier one, whole.
    const markers = fs.readdirSync(parent).filter(name => name.startsWith('.proposed-bundle.writing-'));
    expect(markers).toHaveLength(1);
    expect(readTree(path.join(parent, markers[0], 'previous'))).toEqual(earlier);

    const next = runCli(args, { cwd: dir, env: { VERSION: '3' } });
    expect(next.output).not.toContain('hand-made');
    expect(next.code).toBe(0);
    expect(readTree(path.join(parent, 'proposed-bundle'))['src/app/README.md']).toBe('version 3\n');
    expect(leftovers(path.join(dir, 'out'))).toEqual([]);
  }, 120_000);
});

describe('create, interrupted', () => {
  const workFolders = (cache: string) => (fs.existsSync(path.join(cache, 'work')) ? fs.readdirSync(path.join(cache, 'work')) : []);

  test.each(['SIGINT', 'SIGTERM'] as const)('%s while the blueprint loops in create\'s own process: the signal ends create at once, nothing is created, and the next create removes the work folder', async signal => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const cache = path.join(tempDir(), 'cache');
    const pidFile = path.join(dir, 'jobs.pid');
    const cli = startCli(['create', '--blueprint', '.', 'project'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache, PID_FILE: pidFile } });
    await waitFor(() => jobPids(pidFile).length === 1, 'the blueprint to start looping');
    expect(jobPids(pidFile)).toEqual([cli.child.pid]);
    cli.child.kill(signal);
    await cli.exited;
    expect(cli.child.signalCode).toBe(signal);
    expect(fs.existsSync(path.join(dir, 'project'))).toBe(false);
    expect(workFolders(cache)).toHaveLength(1);

    const next = runCli(['create', '--blueprint', '.', 'project'], { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache } });
    expect(next.output).toContain('created from');
    expect(next.code).toBe(0);
    expect(workFolders(cache)).toEqual([]);
  }, 120_000);

  test.each(['SIGINT', 'SIGTERM'] as const)('%s while the blueprint runs in a job process: nothing is created and no work folder is left in the cache; a failed create leaves none either', async signal => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const cache = path.join(tempDir(), 'cache');
    const args = ['create', '--isolation', 'process', '--blueprint', '.', 'project'];
    const { code, output } = await interrupt(dir, args, signal, { env: { BLUESYNTH_CACHE_DIR: cache } });
    expect(output).toContain(`blueprint create: interrupted (${signal}): synth proposed did not finish; nothing was written`);
    expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(fs.existsSync(path.join(dir, 'project'))).toBe(false);
    expect(workFolders(cache)).toEqual([]);

    const failed = runCli(args, { cwd: dir, env: { BLUESYNTH_CACHE_DIR: cache, THROW: '1' } });
    expect(failed.output).toContain('thrown on purpose');
    expect(failed.code).toBe(1);
    expect(workFolders(cache)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'project'))).toBe(false);
  }, 120_000);
});

describe('new, interrupted', () => {
  /** Whether a `blueprint new` of `dir` has copied the template: into `dir`, or into the staging folder it builds in. */
  function templateCopied(dir: string): boolean {
    const candidates = [dir, ...[dir, path.dirname(dir)].filter(where => fs.existsSync(where)).flatMap(where => fs.readdirSync(where).filter(name => name.includes('.staging-')).map(name => path.join(where, name)))];
    return candidates.some(candidate => fs.existsSync(path.join(candidate, '.projenrc.ts')));
  }

  /** Starts `blueprint new DIR` (not asking the registry), waits until it has copied the template, and signals it. */
  async function interruptNew(dir: string, signal: NodeJS.Signals, group = false) {
    const cli = startCli(['new', dir, '--bluesynth-version', '^0.0.0'], { cwd: path.dirname(dir), group });
    await waitFor(() => templateCopied(dir), 'the template to be copied');
    if (group) process.kill(-cli.child.pid!, signal);
    else cli.child.kill(signal);
    return { code: await cli.exited, output: cli.output() };
  }

  test.each([
    ['SIGINT', false],
    ['SIGINT', true],
  ] as const)('%s (to the whole process group: %s) into a new folder: the folder is not made, nothing is left beside it, exit 130', async (signal, group) => {
    const parent = tempDir();
    const dir = path.join(parent, 'my-blueprint');
    const { code, output } = await interruptNew(dir, signal, group);
    expect(output).toContain(`blueprint new: interrupted (${signal}): nothing was written`);
    expect(code).toBe(130);
    expect(fs.readdirSync(parent)).toEqual([]);
  }, 120_000);

  test('SIGTERM into an empty folder: it stays empty, exit 143', async () => {
    const dir = path.join(tempDir(), 'my-blueprint');
    fs.mkdirSync(dir);
    const { code, output } = await interruptNew(dir, 'SIGTERM');
    expect(output).toContain('blueprint new: interrupted (SIGTERM): nothing was written');
    expect(code).toBe(143);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 120_000);

  test.each([false, true])('killed outright (kill -9; the folder existed: %s): the folder is not half-made, and the next run makes it, removing what the killed one left', async existed => {
    const parent = tempDir();
    const dir = path.join(parent, 'my-blueprint');
    if (existed) fs.mkdirSync(dir);
    await interruptNew(dir, 'SIGKILL');
    expect(existed ? fs.readdirSync(dir).every(name => name.startsWith('.bluesynth-new.staging-')) : !fs.existsSync(dir)).toBe(true);

    const again = runCli(['new', dir, '--bluesynth-version', '^0.0.0'], { cwd: parent });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'test/__snapshots__/blueprint.test.ts.snap'))).toBe(true);
    expect(fs.readdirSync(parent)).toEqual(['my-blueprint']);
    expect(fs.readdirSync(dir).filter(name => name.includes('.staging-'))).toEqual([]);
  }, 180_000);
});

test('a signal that came while the command was busy before a job in its own process (compiling, validating) stops the run: the job does not start', () => {
  // The command's steps before a job are synchronous (a cold start compiles and validates for seconds), so the
  // signal waits in the event loop; the job's turn then takes the signal listeners away, which dropped it.
  const script = `
    const { signalsEndProcess, stopOnSignals } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'cli', 'interrupt.js'))});
    const signal = stopOnSignals();
    process.kill(process.pid, 'SIGTERM');
    for (const end = Date.now() + 200; Date.now() < end;) {}
    signalsEndProcess(async () => console.log(signal.aborted ? 'aborted: ' + signal.reason : 'the job ran')).then(() => process.exit(0));
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(result.stdout.trim()).toBe('aborted: SIGTERM');
  expect(result.status).toBe(0);
});
