import * as fs from 'fs';
import * as path from 'path';
import { git } from '../project/git-fixtures';
import { isRunning, waitFor } from '../runner/process-util';
import { makeBlueprint, runCli, tempDir } from '../util';
import { CliChildren } from './cli-children';

/**
 * A fleet process of the local pool killed mid-update from outside (the OOM killer, an operator's kill -9): the
 * repository is updated once more in a fresh process, as a queue worker's job is taken again when its worker
 * dies, and is not reported failed; a process that dies on it twice fails it, saying so.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-process-death-');
const children = new CliChildren(work);

/** v2 writes its process's pid to `started` (one line per run) and, while `block` exists, blocks for `blockMs`. */
function blueprintSource(started: string, block: string, blockMs: number): string {
  return `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { name: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: options.name });
    if (${blockMs} > 0 && process.env.RESYNTH_PHASE === 'PROPOSED') {
      fs.appendFileSync(${JSON.stringify(started)}, process.pid + '\\n');
      if (fs.existsSync(${JSON.stringify(block)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${blockMs});
    }
    new SourceFile(repository, 'README.md', 'version ${blockMs > 0 ? 2 : 1}\\n');
  }
}
`;
}

const started = path.join(work, 'blueprint-started');
const block = path.join(work, 'block');
let reposFile: string;
let remote: string;

beforeAll(() => {
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), blueprintSource(started, block, 0), { 'src/defaults.json': JSON.stringify({ name: 'app' }) });
  git(blueprint, 'init', '--quiet', '--initial-branch=main');
  git(blueprint, 'add', '-A');
  git(blueprint, 'commit', '--quiet', '-m', 'v1');
  git(blueprint, 'tag', 'v1');
  makeBlueprint(blueprint, blueprintSource(started, block, 60_000), { 'src/defaults.json': JSON.stringify({ name: 'app' }) });
  git(blueprint, 'commit', '--quiet', '-am', 'v2');
  git(blueprint, 'tag', 'v2');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  remote = path.join(work, 'app.git');
  git(work, 'clone', '--quiet', '--bare', path.join(work, 'project', 'app'), remote);
  reposFile = path.join(work, 'repos.txt');
  fs.writeFileSync(reposFile, 'app.git\n');
});

/** The pids the blueprint ran in so far. */
const pids = () => (fs.existsSync(started) ? fs.readFileSync(started, 'utf8').split('\n').filter(Boolean).map(Number) : []);

/** Waits for the blueprint's `n`-th run and SIGKILLs its process. */
async function killRun(n: number): Promise<void> {
  await waitFor(() => pids().length >= n, `the blueprint's run ${n} in a fleet process`, 120_000);
  const pid = pids()[n - 1];
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !isRunning(pid), 'the killed fleet process to end', 10_000);
}

// First: it pushes nothing, so the next test's run does not find its update pushed already.
test('killed twice: the repository fails, naming both deaths', async () => {
  fs.writeFileSync(block, '');
  const run = children.start(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', path.join(work, 'clones-2'), '--json']);
  await killRun(1);
  await killRun(2);
  expect(await run.exited).toBe(1);
  const [outcome] = JSON.parse(run.output.stdout).repositories;
  expect(outcome).toMatchObject({ state: 'failed', reason: 'the fleet processes updating it died twice (SIGKILL, then SIGKILL)' });
  fs.rmSync(block);
});

test('killed once mid-update: the repository is updated by a fresh process, not failed', async () => {
  fs.rmSync(started);
  fs.writeFileSync(block, '');
  const run = children.start(['fleet', 'update', '--repos', reposFile, '--to', 'v2', '--push', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json']);
  await killRun(1);
  fs.rmSync(block);
  expect(await run.exited).toBe(0);
  const [outcome] = JSON.parse(run.output.stdout).repositories;
  expect(outcome).toMatchObject({ state: 'updated', pushed: true });
  expect(pids()).toHaveLength(2);
  expect(git(remote, 'show', `${outcome.branch}:README.md`)).toBe('version 2');
});
