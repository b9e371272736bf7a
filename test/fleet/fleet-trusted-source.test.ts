import * as fs from 'fs';
import * as path from 'path';
import { git } from '../project/git-fixtures';
import { runCli, tempDir } from '../util';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { RedisServer, startRedis } from './redis-server';

/**
 * A fleet of three repositories, one of which a team member moved to a blueprint of their own ('blueprint update
 * --blueprint' to a copy of the fleet's, whose v2 writes a marker file with a variable of the fleet's environment):
 * the fleet's `--source` (and a worker's `--allow-source`) refuse it before its code runs; without them, the run
 * runs it, and says that the repositories record two sources.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-fleet-trust-');
const fleet = makeFleet(work, 3, { seeds: 1 });
const marker = path.join(work, 'impostor-ran');
const impostor = path.join(work, 'impostor-blueprint');
const SECRET = { FLEET_SECRET: 'token-of-the-fleet' };

let redis: RedisServer | undefined;
const children = new CliChildren(work);
afterAll(async () => { await redis?.stop(); });

beforeAll(() => {
  // v1 is the fleet's v1 to the byte (the team member's update changes no file); v2 runs anything.
  git(work, 'clone', '--quiet', fleet.blueprintRepo, impostor);
  const blueprint = path.join(impostor, 'src', 'blueprint.ts');
  fs.writeFileSync(blueprint, fs.readFileSync(blueprint, 'utf8').replace('super(options_);',
    `super(options_);\n    require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.env.FLEET_SECRET));`));
  git(impostor, 'commit', '--quiet', '-am', 'run anything');
  git(impostor, 'tag', '-f', 'v2');
  const clone = path.join(work, 'moved');
  git(work, 'clone', '--quiet', fleet.remotes[2], clone);
  expect(runCli(['update', '--blueprint', `${impostor}#v1`], { cwd: clone }).code).toBe(0);
  git(clone, 'push', '--quiet', 'origin', 'HEAD');
  expect(fs.existsSync(marker)).toBe(false);
});

beforeEach(() => fs.rmSync(marker, { force: true }));

function branches(remote: string): string[] {
  return git(remote, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').filter(Boolean);
}

test('without --source the repository moved elsewhere runs its own blueprint, and the run says the repositories record two sources', () => {
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--jobs', '1', '--work-dir', path.join(work, 'clones-open'), '--json'], { cwd: work, env: SECRET });
  expect(run.code).toBe(0);
  // The gap --source closes: the impostor ran in the fleet's process, with its environment.
  expect(fs.readFileSync(marker, 'utf8')).toBe('token-of-the-fleet');
  const warnings = run.stderr.split('\n').filter(line => line.startsWith('warning: '));
  expect(warnings).toEqual([
    `warning: the repositories record the blueprint from 2 sources, and each runs the one it records: git ${fleet.blueprintRepo} (2 repositories: service-000, service-001); ` +
    `git ${impostor} (1 repository: service-002); '--source SPEC' updates only those that record the fleet's source`,
  ]);
  expect(JSON.parse(run.stdout).repositories.map((r: any) => r.source)).toEqual([`git ${fleet.blueprintRepo}`, `git ${fleet.blueprintRepo}`, `git ${impostor}`]);
});

test('fleet status warns, before any update runs, that the repositories record the blueprint from two sources, and --json gives each one', () => {
  const clones = path.join(work, 'clones-status');
  const shown = runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones], { cwd: work });
  expect(shown.code).toBe(0);
  expect(shown.stderr.split('\n').filter(line => line.startsWith('warning: '))).toEqual([
    `warning: @bluesynth-examples/service: the repositories record the blueprint from 2 sources, and each runs the one it records: ` +
    `git ${fleet.blueprintRepo} (2 repositories: service-000, service-001); git ${impostor} (1 repository: service-002); ` +
    "'--source SPEC' updates only those that record the fleet's source",
  ]);
  const rows = JSON.parse(runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: work }).stdout);
  expect(rows.map((row: any) => row.instantiations[0].source)).toEqual([`git ${fleet.blueprintRepo}`, `git ${fleet.blueprintRepo}`, `git ${impostor}`]);
  expect(fs.existsSync(marker)).toBe(false);
});

test('--source: the repository whose record names another source fails with both named, its blueprint never run; the others are updated and pushed', () => {
  const before = branches(fleet.remotes[2]);
  // A relative path, at another ref than the records' v1: the place is what counts, and --to picks the version.
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--source', `${path.basename(fleet.blueprintRepo)}#main`, '--to', 'v2', '--push', '--jobs', '2',
    '--work-dir', path.join(work, 'clones-source'), '--json'], { cwd: work, env: SECRET });
  expect(run.code).toBe(1);
  expect(fs.existsSync(marker)).toBe(false);
  const outcomes = JSON.parse(run.stdout).repositories;
  expect(outcomes.map((o: any) => o.state)).toEqual(['updated', 'updated', 'failed']);
  expect(outcomes[2].reason).toBe(`records source ${impostor}#v1; this fleet runs ${fleet.blueprintRepo}#main: its record was changed, or it belongs to another fleet; ` +
    'not updated (its blueprint was not run)');
  expect(run.stderr).not.toContain('warning: the repositories record');
  for (const remote of fleet.remotes.slice(0, 2)) expect(branches(remote)).toContain(outcomes[0].branch);
  expect(branches(fleet.remotes[2])).toEqual(before);
});

test('--source given as the folder of the git repository the records name: refused, and the reason says how to name the repository', () => {
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--source', fleet.blueprintRepo, '--jobs', '1', '--work-dir', path.join(work, 'clones-folder'), '--json'], { cwd: work });
  expect(run.code).toBe(1);
  expect(fs.existsSync(marker)).toBe(false);
  const outcomes = JSON.parse(run.stdout).repositories;
  expect(outcomes.map((o: any) => o.state)).toEqual(['failed', 'failed', 'failed']);
  expect(outcomes[0].reason).toBe(`records source ${fleet.blueprintRepo}#v1; this fleet runs ${fleet.blueprintRepo}: its record was changed, or it belongs to another fleet; ` +
    "not updated (its blueprint was not run) (a path without '#' names a folder source; 'PATH#' or 'PATH#REF' names the git repository there)");
  // With --to, the folder's having no versions is found first, before anything is cloned.
  const to = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--source', fleet.blueprintRepo, '--to', 'v2', '--work-dir', path.join(work, 'clones-folder-to')], { cwd: work });
  expect(to.code).toBe(2);
  expect(to.stderr).toContain(`--source ${fleet.blueprintRepo}: --to v2: the blueprint source '${fleet.blueprintRepo}' is a folder, which has no versions`);
  expect(fs.existsSync(path.join(work, 'clones-folder-to'))).toBe(false);
});

test.each([
  ['a path that names nothing', 'nowhere/blueprint', `--source nowhere/blueprint: blueprint source '${path.join(work, 'nowhere/blueprint')}': no such folder`],
  ['a git repository that cannot be fetched', 'git://127.0.0.1:1/nowhere.git#v1', '--source git://127.0.0.1:1/nowhere.git#v1: '],
  ['a version the source lacks', 'service-blueprint#v9', "--source service-blueprint#v9: version 'v9' does not exist in the blueprint repository"],
])('--source that cannot be resolved (%s): exit 2 naming it, nothing cloned or pushed', (_, spec, message) => {
  const before = fleet.remotes.map(branches);
  const clones = path.join(work, `clones-bad-${spec.replace(/\W/g, '')}`);
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--source', spec, '--push', '--work-dir', clones], { cwd: work, env: SECRET });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(fs.existsSync(clones)).toBe(false);
  expect(fleet.remotes.map(branches)).toEqual(before);
  expect(fs.existsSync(marker)).toBe(false);
});

test('a worker with --allow-source refuses the job of a repository recording another source, its blueprint never run', async () => {
  redis = await startRedis();
  const worker = children.start(['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--allow-source', `${fleet.blueprintRepo}#v1`, '--work-dir', path.join(work, 'worker')], SECRET);
  // No --source: the worker judges each repository by the source it records.
  const run = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--work-dir', path.join(work, 'clones-queue'), '--queue', redis.url, '--json']);
  const ended = await Promise.race([run.exited, worker.exited.then(code => `the worker exited (${code}):\n${worker.output.stderr}`)]);
  expect(ended).toBe(1);
  expect(fs.existsSync(marker)).toBe(false);
  const outcomes = JSON.parse(run.output.stdout).repositories;
  // Updated, or skipped where the --source test above pushed the same update already.
  expect(outcomes.map((o: any) => o.state === 'skipped' ? 'updated' : o.state)).toEqual(['updated', 'updated', 'failed']);
  expect(outcomes[2].reason).toBe(`runs source ${impostor}#v1, which this worker (${outcomes[2].worker}) does not allow (--allow-source ${fleet.blueprintRepo}#v1); ` +
    'not updated (its blueprint was not run)');
  // The worker the operator started, as its first line names it: not the pool process that ran the job.
  expect(outcomes[2].worker).toMatch(new RegExp(`:${worker.child.pid}$`));
  expect(worker.output.stderr).toContain(`fleet worker ${outcomes[2].worker}: taking jobs from`);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});

test('on the queue, the job carries --source: a worker without --allow-source refuses the repository recording another source', async () => {
  redis ??= await startRedis();
  const worker = children.start(['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--work-dir', path.join(work, 'worker-open')], SECRET);
  const run = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--source', `${fleet.blueprintRepo}#v1`, '--to', 'v2',
    '--work-dir', path.join(work, 'clones-queue-source'), '--queue', redis.url, '--json']);
  const ended = await Promise.race([run.exited, worker.exited.then(code => `the worker exited (${code}):\n${worker.output.stderr}`)]);
  expect(ended).toBe(1);
  expect(fs.existsSync(marker)).toBe(false);
  const outcomes = JSON.parse(run.output.stdout).repositories;
  expect(outcomes.map((o: any) => o.state === 'skipped' ? 'updated' : o.state)).toEqual(['updated', 'updated', 'failed']);
  expect(outcomes[2].reason).toMatch(new RegExp(`^records source ${impostor}#v1; this fleet runs ${fleet.blueprintRepo}#v1: `));
  expect(worker.output.stderr).toContain('service-002');
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});

test('a run whose --source a worker does not allow stops at the first repository, exit 2, nothing run or pushed', async () => {
  redis ??= await startRedis();
  const before = fleet.remotes.map(branches);
  const worker = children.start(['fleet', 'worker', '--queue', redis.url, '--jobs', '1', '--allow-source', `${fleet.blueprintRepo}#v1`, '--work-dir', path.join(work, 'worker-pinned')], SECRET);
  // Whoever can enqueue names the impostor as the fleet's source: the worker's list is what counts.
  const run = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--source', `${impostor}#v1`, '--to', 'v2', '--push', '--canary', '1',
    '--work-dir', path.join(work, 'clones-queue-refused'), '--queue', redis.url]);
  const ended = await Promise.race([run.exited, worker.exited.then(code => `the worker exited (${code}):\n${worker.output.stderr}`)]);
  expect(ended).toBe(2);
  expect(run.output.stderr).toMatch(new RegExp(`runs source ${impostor}#v1, which this worker \\(.+\\) does not allow \\(--allow-source ${fleet.blueprintRepo}#v1\\); ` +
    'not updated \\(its blueprint was not run\\) \\(found updating service-000; the run stopped there: 2 not started\\)'));
  expect(fs.existsSync(marker)).toBe(false);
  expect(fleet.remotes.map(branches)).toEqual(before);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
});

test('fleet worker --allow-source that names nothing: exit 2 naming it, before the queue is asked', () => {
  const run = runCli(['fleet', 'worker', '--queue', 'redis://127.0.0.1:1/0', '--allow-source', 'nowhere/blueprint', '--work-dir', path.join(work, 'worker-bad')], { cwd: work });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`--allow-source nowhere/blueprint: blueprint source '${path.join(work, 'nowhere/blueprint')}': no such folder`);
  expect(run.stderr).not.toContain('127.0.0.1:1');
});
