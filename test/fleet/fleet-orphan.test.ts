import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { git } from '../project/git-fixtures';
import { isRunning, waitFor } from '../runner/process-util';
import { makeBlueprint, runCli, tempDir } from '../util';
import { CliChildren } from './cli-children';

/**
 * A fleet process whose pool was killed (SIGKILL of a `fleet worker` or of `fleet update`) while its repository
 * was being updated: the update runs git and the blueprint synchronously, so the process learns that its pool is
 * gone only when it sends the outcome. It must end quietly then, not with an unhandled EPIPE stack trace in the
 * worker's log (journey 10).
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-orphan-');
const children = new CliChildren(work);

/**
 * The blueprint's v2 blocks its process for a while once it has said (in `started`) that it runs; `spin`, in a
 * loop that never ends.
 */
function blueprintSource(started: string, blockMs: number, spin = false): string {
  return `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: options.name });
    if ((${blockMs} > 0 || ${spin}) && process.env.RESYNTH_PHASE === 'PROPOSED') {
      fs.writeFileSync(${JSON.stringify(started)}, String(process.pid));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${blockMs});${spin ? '\n      for (;;) {}' : ''}
    }
    new SourceFile(repository, 'README.md', 'version ${blockMs > 0 ? 2 : 1}\\n');
  }
}
`;
}

/** A blueprint at v1 and v2 (tags), a project made from v1, and a fleet of its one repository; the fleet's command. */
function fleetOf(work: string, started: string, blockMs: number, spin = false): string[] {
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), blueprintSource(started, 0), { 'src/defaults.json': JSON.stringify({ name: 'app' }) });
  git(blueprint, 'init', '--quiet', '--initial-branch=main');
  git(blueprint, 'add', '-A');
  git(blueprint, 'commit', '--quiet', '-m', 'v1');
  git(blueprint, 'tag', 'v1');
  makeBlueprint(blueprint, blueprintSource(started, blockMs, spin), { 'src/defaults.json': JSON.stringify({ name: 'app' }) });
  git(blueprint, 'commit', '--quiet', '-am', 'v2');
  git(blueprint, 'tag', 'v2');

  const created = runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work });
  expect(created.code).toBe(0);
  const remote = path.join(work, 'app.git');
  git(work, 'clone', '--quiet', '--bare', path.join(work, 'project', 'app'), remote);
  const reposFile = path.join(work, 'repos.txt');
  fs.writeFileSync(reposFile, 'app.git\n');
  return ['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', path.join(work, 'clones')];
}

test('a fleet process whose pool was SIGKILLed mid-update ends without an unhandled EPIPE', async () => {
  const started = path.join(work, 'blueprint-started');
  const run = children.start(fleetOf(work, started, 3000));
  await waitFor(() => fs.existsSync(started), 'the blueprint to start in the fleet process', 120_000);
  const orphan = Number(fs.readFileSync(started, 'utf8'));
  // The blueprint runs in the pool's process, not in the command's.
  expect(execFileSync('ps', ['-o', 'ppid=', '-p', String(orphan)], { encoding: 'utf8' }).trim()).toBe(String(run.child.pid));
  run.child.kill('SIGKILL');
  expect(await run.exited).toBe('SIGKILL');

  // Its orphan guard kills it (with no shell for a guard, it finishes its repository, finds nobody to tell, and
  // ends); its stderr is still the pipe the test reads.
  await waitFor(() => !isRunning(orphan), 'the orphaned fleet process to end', 120_000);
  await new Promise(resolve => setTimeout(resolve, 200));
  expect(run.output.stderr).not.toContain('EPIPE');
  expect(run.output.stderr).not.toContain("Unhandled 'error' event");
});

test('a fleet process whose blueprint never returns is killed once its fleet command was SIGKILLed', async () => {
  const spinning = tempDir('bluesynth-fleet-orphan-');
  const started = path.join(spinning, 'blueprint-started');
  const run = children.start(fleetOf(spinning, started, 0, true));
  await waitFor(() => fs.existsSync(started), 'the blueprint to start in the fleet process', 120_000);
  const orphan = Number(fs.readFileSync(started, 'utf8'));
  run.child.kill('SIGKILL');
  expect(await run.exited).toBe('SIGKILL');
  // Stuck in its loop, it never sees its pool gone: it once spun on, a whole core, until someone killed it.
  await waitFor(() => !isRunning(orphan), 'the spinning fleet process to be killed', 10_000);
});
