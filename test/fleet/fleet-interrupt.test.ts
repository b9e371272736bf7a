import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { makeFleet } from './fleet-fixture';
import { startRedis } from './redis-server';
import { waitFor } from '../runner/process-util';

/**
 * Ctrl-C on a local fleet run, as a terminal sends it: SIGINT to the whole process group, the pool's processes
 * included. The repository being updated finishes, no other starts, and the report says so and is kept.
 */
jest.setTimeout(300_000);

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');

test('the first Ctrl-C finishes the repository being updated, starts no other, prints and keeps the report and exits 130', async () => {
  const work = tempDir('bluesynth-fleet-interrupt-');
  const fleet = makeFleet(work, 3, { seeds: 1 });
  const clones = path.join(work, 'clones');
  // The first repository is done and the second started: Ctrl-C.
  const { code, stdout, stderr, signals } = await runInterrupted(
    ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json'], work, ['[1/3]']);

  expect(signals).toBe(1);
  expect(code).toBe(130);
  expect(stderr).toContain('SIGINT: starting no more repositories');
  expect(stderr).not.toContain('EPIPE');
  const report = JSON.parse(stdout);
  expect(report.repositories.map((r: any) => r.state)).toEqual(['updated', 'updated', 'not-started']);
  // The repository it waits for is named: what a second Ctrl-C would cut off.
  expect(stderr).toContain(`SIGINT: starting no more repositories, waiting for those being updated: ${report.repositories[1].name} (again to stop at once)`);
  expect(report.repositories[2].reason).toContain('interrupted');
  // The second repository was finished and pushed, not cut off half-way.
  const second = report.repositories[1];
  expect(git(fleet.remotes[1], 'rev-parse', `refs/heads/${second.branch}`)).toBe(second.commit);
  // The report is kept for fleet status.
  const status = JSON.parse(runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: work }).stdout);
  expect(status.map((r: any) => r.lastUpdate.state)).toEqual(['updated', 'updated', 'not-started']);
  expect(status[1].lastUpdate.branch).toBe(second.branch);
});

test('Ctrl-C on a fleet run on a queue: the jobs no worker took leave the queue, the report says not-started, exit 130', async () => {
  const work = tempDir('bluesynth-fleet-queue-interrupt-');
  const fleet = makeFleet(work, 3, { seeds: 1 });
  const redis = await startRedis();
  const worker = spawn(process.execPath, [CLI, 'fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', path.join(work, 'worker')],
    { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  let workerLog = '';
  worker.stderr.on('data', chunk => (workerLog += chunk));
  try {
    const { code, stdout, stderr, signals } = await runInterrupted(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--queue', redis.url,
      '--work-dir', path.join(work, 'clones'), '--json'], work, ['[1/3]']);

    expect(signals).toBe(1);
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT: starting no more repositories');
    const report = JSON.parse(stdout);
    const states = report.repositories.map((r: any) => r.state);
    expect(states[0]).toBe('updated');
    // The one worker took the second when the first ended, before the Ctrl-C: it finishes; the third never starts.
    expect(states[2]).toBe('not-started');
    expect(report.repositories[2].reason).toContain('interrupted');
    const status = JSON.parse(runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work }).stdout);
    expect(status.map((r: any) => r.lastUpdate.state)).toEqual(states);
    // The worker, still running, finds nothing more to do: the third repository's remote never gets a branch.
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect(git(fleet.remotes[2], 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n')).toHaveLength(1);
  } finally {
    worker.kill('SIGTERM');
    await new Promise(resolve => worker.once('exit', resolve));
    await redis.stop();
  }
  expect(workerLog).not.toContain(path.basename(fleet.remotes[2]));
});

test('a second Ctrl-C stops at once: the pool is killed, no report is printed, what was done is kept for fleet status, exit 130', async () => {
  const work = tempDir('bluesynth-fleet-interrupt-twice-');
  const fleet = makeFleet(work, 3, { seeds: 1 });
  const clones = path.join(work, 'clones');
  // The first repository is done and the second started: Ctrl-C; once it is taken, Ctrl-C again.
  const { code, stdout, stderr, signals, pid } = await runInterrupted(
    ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', clones, '--json'], work,
    ['[1/3]', 'SIGINT: starting no more repositories']);

  expect(signals).toBe(2);
  expect(code).toBe(130);
  expect(stdout).toBe('');
  expect(stderr).not.toContain('[2/3]');
  // The pool's processes went with it: nothing of the group is left running (a zombie no init reaps runs nothing).
  await waitFor(() => runningInGroup(pid).length === 0, 'the pool processes to end', 5000);
  // The repository done before the first Ctrl-C is not forgotten; the one cut off has no outcome to keep.
  const status = JSON.parse(runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: work }).stdout);
  expect(status.map((r: any) => r.lastUpdate?.state)).toEqual(['updated', undefined, undefined]);
});

/**
 * Runs the CLI with `args` in its own process group, as a command started from a shell's prompt, and sends the
 * group SIGINT (a terminal's Ctrl-C) when its stderr first shows `triggers[0]`, then again at `triggers[1]`, and
 * so on, one per chunk of output; resolves when it has ended, with how many it was sent.
 */
async function runInterrupted(args: string[], cwd: string, triggers: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signals = 0;
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => {
    stderr += chunk;
    if (signals < triggers.length && stderr.includes(triggers[signals])) {
      signals++;
      process.kill(-child.pid!, 'SIGINT');
    }
  });
  const code = await new Promise<number | null>(resolve => child.on('close', status => resolve(status)));
  return { code, stdout, stderr, signals, pid: child.pid! };
}

/** The processes of process group `group` that still run (Linux: read from /proc). */
function runningInGroup(group: number): number[] {
  return fs.readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).map(Number).filter(pid => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === group && state !== 'Z' && state !== 'X';
    } catch {
      return false; // ended meanwhile
    }
  });
}
