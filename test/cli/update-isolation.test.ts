import * as fs from 'fs';
import * as path from 'path';
import { startCli, waitFor } from '../runner/process-util';
import { makeBlueprint, readTree, runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';

/**
 * `blueprint update`, `check`, `create` and the synthesis commands run a fast-runner blueprint in the command's
 * own process by default (`--isolation process` gives it a job process again), and what a blueprint does wrong
 * there still ends the command as the user expects, with the repository as it was: Ctrl-C on a blueprint that never returns,
 * `--timeout`, `process.exit()`, an error thrown from a timer, and environment variables it sets.
 */
jest.setTimeout(120_000);

/**
 * A blueprint that, in the job of `RESYNTH_PHASE=PROPOSED`, records which script its process runs (the CLI's
 * `main.js`, or the job process's) in `RUN_LOG`, then does what `MISBEHAVE` says.
 */
const MISBEHAVING = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'version ' + (process.env.VERSION ?? '1') + '\\n');
    if (process.env.RESYNTH_PHASE !== 'PROPOSED') return;
    if (process.env.RUN_LOG) fs.appendFileSync(process.env.RUN_LOG, path.basename(process.argv[1]) + '\\n');
    const misbehave = process.env.MISBEHAVE;
    if (misbehave === 'loop') for (;;) {}
    if (misbehave === 'trap-and-loop') {
      // As a command-line tool cleans up on Ctrl-C; it would take the signals' default action from the update.
      for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => fs.appendFileSync(process.env.RUN_LOG!, 'trapped ' + signal + '\\n'));
      const end = Date.now() + 15000;
      while (Date.now() < end) {}
    }
    if (misbehave === 'exit') process.exit(0);
    if (misbehave === 'throw-later') setTimeout(() => { throw new Error('thrown from a timer'); }, 0);
    if (misbehave === 'reject') Promise.reject(new Error('nobody awaited me'));
    if (misbehave === 'environment') {
      process.env.GIT_AUTHOR_NAME = 'The Blueprint';
      process.env.GIT_COMMITTER_NAME = 'The Blueprint';
    }
  }
  override async synth() {
    super.synth();
    // Left behind: a job process would have ended before it fires; the update's own process must not run it.
    // It acts only once the job has ended (the guard's process.exit is gone): a machine that stalls the job's last
    // steps may run it while the job runs, which is the job's own to do.
    if (process.env.MISBEHAVE === 'exit-after-job') {
      const guarded = process.exit;
      setInterval(() => process.exit !== guarded && (fs.writeFileSync(process.env.FIRED!, 'fired after the job'), process.exit(0)), 5);
    }
    // Still running when the timer throws.
    if (process.env.MISBEHAVE === 'throw-later') await new Promise(resolve => setTimeout(resolve, 500));
    if (process.env.MISBEHAVE === 'wait-after-await') {
      await new Promise(resolve => setTimeout(resolve, 10));
      await new Promise(resolve => setTimeout(resolve, 60_000));
    }
    if (process.env.MISBEHAVE === 'loop-after-await') {
      await new Promise(resolve => setTimeout(resolve, 10));
      for (;;) {}
    }
  }
}
`;

/** The caller's git identity: the update's commits must carry it, whatever the blueprint set. */
const CALLER = { GIT_AUTHOR_NAME: 'Caller', GIT_AUTHOR_EMAIL: 'caller@example.invalid', GIT_COMMITTER_NAME: 'Caller', GIT_COMMITTER_EMAIL: 'caller@example.invalid' };

/** A blueprint and a project created from it at version 1, each in a temporary folder of its own. */
function project() {
  const dir = tempDir();
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), MISBEHAVING);
  const created = runCli(['create', '--blueprint', blueprint, path.join(dir, 'project')], { cwd: dir, env: CALLER });
  expect(created.output).toContain('created');
  expect(created.code).toBe(0);
  return { dir, repo: path.join(dir, 'project', 'app'), runLog: path.join(dir, 'runs.log') };
}

/** Everything an interrupted or failed update must leave as it was: HEAD, every ref, the index, the work tree, the merge state. */
function repositoryState(repo: string) {
  return {
    head: git(repo, 'rev-parse', 'HEAD'),
    refs: git(repo, 'for-each-ref'),
    index: git(repo, 'ls-files', '-s'),
    status: git(repo, 'status', '--porcelain', '--ignored'),
    files: fs.readdirSync(repo).sort(),
    merging: fs.existsSync(path.join(repo, '.git', 'MERGE_HEAD')),
  };
}

const runs = (runLog: string) => (fs.existsSync(runLog) ? fs.readFileSync(runLog, 'utf8').split('\n').filter(Boolean) : []);

test('the blueprint runs in the update\'s own process by default and in a job process with --isolation process; check alike', () => {
  const { repo, runLog } = project();
  const env = { ...CALLER, RUN_LOG: runLog, VERSION: '2' };
  const isolated = runCli(['update', '--isolation', 'process', '--dry-run'], { cwd: repo, env });
  expect(isolated.code).toBe(0);
  expect(runs(runLog)).toEqual(['job-process.js']);
  const update = runCli(['update'], { cwd: repo, env });
  // Same version and options, new content (the folder changed): said so, not as a move from 1.2.3 to 1.2.3.
  expect(update.stdout).toContain('updated test-blueprint@1.2.3 again: merge commit');
  expect(update.code).toBe(0);
  expect(runs(runLog)).toEqual(['job-process.js', 'main.js']);
  expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('version 2\n');

  // check re-runs the recorded version (the baseline's VERSION=2 output): in its own process too, unless told.
  expect(runCli(['check'], { cwd: repo, env }).stdout).toContain('reproducible  yes');
  expect(runCli(['check', '--isolation', 'process'], { cwd: repo, env }).stdout).toContain('reproducible  yes');
  expect(runs(runLog)).toEqual(['job-process.js', 'main.js', 'main.js', 'job-process.js']);

  // A --cache build runs in the command's own process too (built once, its one file run afresh for each job).
  expect(runCli(['check', '--cache'], { cwd: repo, env }).stdout).toContain('reproducible  yes');
  expect(runCli(['check', '--cache', '--isolation', 'process'], { cwd: repo, env }).stdout).toContain('reproducible  yes');
  expect(runs(runLog).slice(4)).toEqual(['main.js', 'job-process.js']);
});

test('--isolation takes in-process or process, and in-process only with the fast or cache runner', () => {
  const { repo } = project();
  const bad = runCli(['update', '--isolation', 'thread'], { cwd: repo });
  expect(bad.stderr).toContain("--isolation must be one of in-process, process, got 'thread'");
  expect(bad.code).toBe(2);
  const contradiction = runCli(['check', '--isolation', 'in-process', '--runner', 'sandbox'], { cwd: repo });
  expect(contradiction.stderr).toContain('--isolation in-process runs the blueprint with the fast or cache runner only; the sandbox runner runs it in a process of its own');
  expect(contradiction.code).toBe(2);
});

describe.each([
  ['SIGINT', 'loop'],
  ['SIGTERM', 'loop'],
  ['SIGINT', 'trap-and-loop'],
  ['SIGTERM', 'trap-and-loop'],
] as const)('%s while the blueprint (%s) loops in the update\'s own process', (signal, misbehave) => {
  test('ends the update (by the signal: exit status 128 + its number to a shell), the repository unchanged; the next update runs as if none had been', async () => {
    const { repo, runLog } = project();
    const before = repositoryState(repo);
    const cli = startCli(['update'], { cwd: repo, env: { ...CALLER, RUN_LOG: runLog, VERSION: '2', MISBEHAVE: misbehave } });
    await waitFor(() => runs(runLog).length === 1, 'the blueprint to start looping');
    cli.child.kill(signal);
    await cli.exited;
    expect(runs(runLog)).toEqual(['main.js']);
    expect(cli.child.signalCode).toBe(signal);
    expect(repositoryState(repo)).toEqual(before);

    const next = runCli(['update'], { cwd: repo, env: { ...CALLER, VERSION: '2' } });
    expect(next.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('version 2\n');
  });
});

test.each([
  ['loop', 'a loop that never yields'],
  ['wait-after-await', 'a wait after its first await'],
])('--timeout ends a blueprint stuck in %s (%s): exit 1, the blueprint and the limit named, the repository unchanged', (misbehave) => {
  const { dir, repo } = project();
  const before = repositoryState(repo);
  const begun = Date.now();
  const update = runCli(['update', '--timeout', '3'], { cwd: repo, env: { ...CALLER, VERSION: '2', MISBEHAVE: misbehave } });
  expect(update.stderr).toContain(`blueprint update: synth proposed failed: BlueprintTimeoutError: timed out after 3000 ms: the blueprint ${path.join(dir, 'blueprint')} did not finish within the time limit (3 s), and was stopped`);
  expect(update.code).toBe(1);
  expect(Date.now() - begun).toBeLessThan(30_000);
  expect(repositoryState(repo)).toEqual(before);
});

test('--timeout ends a blueprint that loops forever after its first await (no timer can fire): the process is ended, saying why, the repository unchanged', async () => {
  const { dir, repo } = project();
  const before = repositoryState(repo);
  const cli = startCli(['update', '--timeout', '3'], { cwd: repo, env: { ...CALLER, VERSION: '2', MISBEHAVE: 'loop-after-await' } });
  await cli.exited;
  expect(cli.output()).toContain(`timed out after 3000 ms: the blueprint ${path.join(dir, 'blueprint')} did not finish within the time limit (3 s), and was stopped: it blocked this process's only thread after its first await, so the process is ended (SIGKILL); nothing was written`);
  expect(cli.child.signalCode).toBe('SIGKILL');
  expect(repositoryState(repo)).toEqual(before);
});

test.each([
  ['exit', 'called process.exit(0) while it ran in the caller\'s own process: a blueprint must return, or throw, instead (nothing was written)'],
  ['throw-later', 'threw outside its synthesis (from a timer, or a promise nobody awaited): Error: thrown from a timer'],
  ['reject', 'threw outside its synthesis (from a timer, or a promise nobody awaited): Error: nobody awaited me'],
])('a blueprint that misbehaves with %s fails the update, named, with exit 1 and the repository unchanged', (misbehave, message) => {
  const { dir, repo } = project();
  const before = repositoryState(repo);
  const update = runCli(['update'], { cwd: repo, env: { ...CALLER, VERSION: '2', MISBEHAVE: misbehave } });
  expect(update.stderr).toContain(`the blueprint ${path.join(dir, 'blueprint')} ${message}`);
  expect(update.code).toBe(1);
  expect(repositoryState(repo)).toEqual(before);
});

test('a timer the blueprint leaves pending when its job ends never runs in the update\'s process: the update lands and reports, exit 0', () => {
  const { dir, repo } = project();
  // Had the timer not been cleared when the job ended, it would have ended the update with exit 0 and this file.
  const fired = path.join(dir, 'fired');
  const update = runCli(['update'], { cwd: repo, env: { ...CALLER, VERSION: '2', MISBEHAVE: 'exit-after-job', FIRED: fired } });
  expect(update.stdout).toContain('merge commit');
  expect(update.code).toBe(0);
  expect(fs.existsSync(fired)).toBe(false);
  expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('version 2\n');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('environment variables the blueprint sets do not reach the update\'s git commands: its commits carry the caller\'s identity', () => {
  const { repo } = project();
  const update = runCli(['update'], { cwd: repo, env: { ...CALLER, VERSION: '2', MISBEHAVE: 'environment' } });
  expect(update.code).toBe(0);
  expect(git(repo, 'log', '-1', '--format=%an %cn')).toBe('Caller Caller');
  expect(git(repo, 'log', '-1', '--format=%an %cn', 'HEAD^2')).toBe('Caller Caller');
});

test('create runs the blueprint in its own process too (both its jobs), guarded alike: --timeout, process.exit() and the blueprint\'s environment', () => {
  const dir = tempDir();
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), MISBEHAVING);
  const runLog = path.join(dir, 'runs.log');
  const create = (name: string, env: Record<string, string>, ...flags: string[]) =>
    runCli(['create', ...flags, '--blueprint', blueprint, path.join(dir, name)], { cwd: dir, env: { ...CALLER, RUN_LOG: runLog, ...env } });

  expect(create('isolated', {}, '--isolation', 'process').code).toBe(0);
  expect(runs(runLog)).toEqual(['job-process.js', 'job-process.js']);
  const created = create('project', { MISBEHAVE: 'environment' });
  expect(created.code).toBe(0);
  expect(runs(runLog)).toEqual(['job-process.js', 'job-process.js', 'main.js', 'main.js']);
  expect(git(path.join(dir, 'project', 'app'), 'log', '-1', '--format=%an %cn')).toBe('Caller Caller');

  const looping = create('looping', { MISBEHAVE: 'loop' }, '--timeout', '3');
  expect(looping.stderr).toContain(`blueprint create: synth proposed failed: BlueprintTimeoutError: timed out after 3000 ms: the blueprint ${blueprint} did not finish within the time limit (3 s), and was stopped`);
  expect(looping.code).toBe(1);
  const exiting = create('exiting', { MISBEHAVE: 'exit' });
  expect(exiting.stderr).toContain(`the blueprint ${blueprint} called process.exit(0) while it ran in the caller's own process`);
  expect(exiting.code).toBe(1);
  for (const name of ['looping', 'exiting']) expect(fs.existsSync(path.join(dir, name))).toBe(false);
});

test('synth, drive-synth, resynth and drive-resynth run the blueprint in their own process too, one job after another, with the bundles a job process writes; guarded alike', () => {
  const dir = tempDir();
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), MISBEHAVING, { 'src/wizard-configurations/a.json': '{}', 'src/wizard-configurations/b.json': '{}' });
  const runLog = path.join(dir, 'runs.log');
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: blueprint, env: { RUN_LOG: runLog, ...env } });
  const commands = [
    ['synth', '--options', 'src/defaults.json', '--outdir', 'out'],
    ['drive-synth', '--outdir', 'out'],
    ['resynth', '--options', 'src/defaults.json', '--outdir', 'out'],
    ['drive-resynth', '--outdir', 'out'],
  ];
  // Each command twice into the same folder, in job processes and then in its own: the same bundles (the record of a
  // resynthesis holds fingerprints of its bundles' files, with their times, so differs from run to run).
  const bundles = () => Object.fromEntries(Object.entries(readTree(path.join(blueprint, 'out'))).filter(([name]) => !name.endsWith('.bluesynth-generated.json')));
  for (const args of commands) {
    expect(run([...args, '--isolation', 'process']).code).toBe(0);
    const isolated = bundles();
    expect(run(args).code).toBe(0);
    expect(bundles()).toEqual(isolated);
  }
  // Only the PROPOSED jobs log: one for synth and resynth, one per wizard configuration for the drive commands.
  expect(runs(runLog)).toEqual([1, 2, 1, 2].flatMap(jobs => [...Array(jobs).fill('job-process.js'), ...Array(jobs).fill('main.js')]));

  const looping = run(['resynth', '--options', 'src/defaults.json', '--outdir', 'looping', '--timeout', '3'], { MISBEHAVE: 'loop' });
  expect(looping.output).toContain(`BlueprintTimeoutError: timed out after 3000 ms: the blueprint ${blueprint} did not finish within the time limit (3 s), and was stopped`);
  expect(looping.code).toBe(1);
  const exiting = run(['synth', '--options', 'src/defaults.json', '--outdir', 'exiting'], { MISBEHAVE: 'exit' });
  expect(exiting.output).toContain(`the blueprint ${blueprint} called process.exit(0) while it ran in the caller's own process`);
  expect(exiting.code).toBe(1);
  expect(fs.existsSync(path.join(blueprint, 'exiting', 'synth.defaults', 'proposed-bundle'))).toBe(false);
  // Said while the blueprint waits (here for a timer after its first await), as a job process says it.
  const waiting = run(['synth', '--options', 'src/defaults.json', '--outdir', 'waiting', '--timeout', '2'], { MISBEHAVE: 'wait-after-await', BLUESYNTH_HEARTBEAT_MS: '500' });
  expect(waiting.output).toMatch(/synth\.defaults +\d+ s {2}still running \(--timeout stops it at 2 s\)/);
  expect(waiting.code).toBe(1);
});
