import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { waitFor } from '../runner/process-util';

/**
 * The same fleet run twice at once in one work folder (two terminals, a cron job and an operator): each run resets
 * the clones the other is updating (journey 92). The second is refused before it touches anything; the first goes
 * on as if alone.
 */
jest.setTimeout(300_000);

test('a second fleet update in the work folder of one still running is refused (exit 2, naming the run), and the first finishes as if alone', async () => {
  const work = tempDir('bluesynth-fleet-claim-');
  const fleet = makeFleet(work, 3, { seeds: 1 });
  const clones = path.join(work, 'clones');
  const args = ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json'];
  const first = new CliChildren(work).start(args);
  // The first repository is done and the second being updated: the second run is started then.
  await waitFor(() => first.output.stderr.includes('[1/3]'), 'the first repository done', 120_000);
  const second = runCli(args, { cwd: work });

  expect(second.code).toBe(2);
  // --json: the error is the JSON answer, and the only one.
  const refused = JSON.parse(second.stdout);
  expect(refused.exitCode).toBe(2);
  expect(refused.error).toContain(`--work-dir ${clones} is in use by another 'blueprint fleet update' (pid ${first.child.pid} on ${os.hostname()}, since `);
  expect(refused.error).toContain('wait for it to finish, or give this run another --work-dir');

  expect(await first.exited).toBe(0);
  const report = JSON.parse(first.output.stdout);
  expect(report.repositories.map((r: any) => r.state)).toEqual(['updated', 'updated', 'updated']);
  fleet.remotes.forEach((remote, i) => expect(git(remote, 'rev-parse', `refs/heads/${report.repositories[i].branch}`)).toBe(report.repositories[i].commit));
  // Released when the run ended: the same command again runs, and finds each update pushed.
  const again = runCli(args, { cwd: work });
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).repositories.map((r: any) => r.state)).toEqual(['skipped', 'skipped', 'skipped']);
});

test('the claim of a run that was killed (its process gone) is taken over', () => {
  const work = tempDir('bluesynth-fleet-claim-stale-');
  const fleet = makeFleet(work, 1, { seeds: 1 });
  const clones = path.join(work, 'clones');
  // A process that has ended: its pid runs nothing now.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  fs.mkdirSync(path.join(clones, '.fleet'), { recursive: true });
  fs.writeFileSync(path.join(clones, '.fleet', 'run.lock'), JSON.stringify({ host: os.hostname(), pid: Number(gone), since: '2026-01-01T00:00:00.000Z' }));
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', clones, '--json'], { cwd: work });
  expect(run.stderr).not.toContain('in use');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout).repositories.map((r: any) => r.state)).toEqual(['updated']);
  expect(fs.existsSync(path.join(clones, '.fleet', 'run.lock'))).toBe(false);
});
