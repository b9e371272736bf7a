import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git, read } from './git-fixtures';

/**
 * A blueprint's durable state (the SDK's `durableState`) lives in the repository beside the record: create
 * commits what the blueprint stored, every update gives it back to the blueprint and commits what it left,
 * clones carry it, and `check` runs the recorded version with it.
 */
jest.setTimeout(300_000);

/**
 * Remembers the options it was first applied with (as the SDK's test-blueprint does) and counts its runs.
 * `resynth: 'own'` makes it override resynth(), so the update merges in its job process instead of here.
 */
const blueprint = (resynth: 'framework' | 'own') => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    if (!this.durableState.exists('first-options')) this.durableState.set('first-options', { greeting: options.greeting });
    const first = this.durableState.get<{ greeting: string }>('first-options')!;
    if (this.context.resynthesisPhase === 'PROPOSED') {
      this.durableState.set('runs', { count: (this.durableState.get<{ count: number }>('runs')?.count ?? 0) + 1 });
    }
    this.durableState.clear('scratch');
    if (options.greeting === 'hello') this.durableState.set('scratch', { only: 'on the first run' });
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'hello.txt', options.greeting + '\\n');
    new SourceFile(repository, 'first.txt', 'first greeting: ' + first.greeting + '\\n');
  }
  ${resynth === 'own' ? 'override resynth(...args: Parameters<ParentBlueprint[\'resynth\']>) { return super.resynth(...args); }' : ''}
}
`;

describe.each(['framework', 'own'] as const)('durable state, merged by the %s resynth()', resynth => {
  test('is committed by create, given back and updated by each update, carried by clones, and used by check', () => {
    const work = tempDir('bluesynth-durable-');
    const source = makeBlueprint(path.join(work, 'blueprint'), blueprint(resynth), { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
    expect(runCli(['create', '--blueprint', source, path.join(work, 'project')], { cwd: work }).code).toBe(0);
    const repo = path.join(work, 'project', 'app');
    const [{ id }] = JSON.parse(read(repo, '.bluesynth', 'instantiations.json'));
    const state = (dir: string, key: string) => JSON.parse(read(dir, '.bluesynth', 'durable', id, 'durable-storage', key));
    expect(state(repo, 'first-options')).toEqual({ greeting: 'hello' });
    expect(state(repo, 'runs')).toEqual({ count: 1 });
    expect(state(repo, 'scratch')).toEqual({ only: 'on the first run' });
    expect(git(repo, 'status', '--porcelain')).toBe('');

    const update = runCli(['update', '--set', 'greeting=hi', '--json'], { cwd: repo });
    expect(update.stderr).toBe('');
    expect(JSON.parse(update.stdout).state).toBe('committed');
    // The blueprint found what it stored on create: its first options, its count.
    expect(read(repo, 'hello.txt')).toBe('hi\n');
    expect(read(repo, 'first.txt')).toBe('first greeting: hello\n');
    expect(state(repo, 'runs')).toEqual({ count: 2 });
    // A value it cleared is gone from the project and from the new baseline; none of it is in the update's report.
    expect(fs.existsSync(path.join(repo, '.bluesynth', 'durable', id, 'durable-storage', 'scratch'))).toBe(false);
    const baseline = git(repo, 'rev-parse', 'HEAD^2');
    expect(git(repo, 'ls-tree', '-r', '--name-only', baseline, `.bluesynth/durable/${id}/`).split('\n')).toEqual([
      `.bluesynth/durable/${id}/durable-storage/first-options`, `.bluesynth/durable/${id}/durable-storage/runs`,
    ]);
    expect(JSON.parse(update.stdout).files.map((file: { path: string }) => file.path).sort()).toEqual(['first.txt', 'hello.txt']);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // A clone carries the state; an update there goes on from it.
    const clone = path.join(work, 'clone');
    git(work, 'clone', '--quiet', repo, clone);
    expect(runCli(['update', '--set', 'greeting=hey', '--json'], { cwd: clone }).code).toBe(0);
    expect(read(clone, 'first.txt')).toBe('first greeting: hello\n');
    expect(state(clone, 'runs')).toEqual({ count: 3 });

    // check runs the recorded version with the recorded state: it reproduces the baseline (without the
    // state, the blueprint would take the recorded options for its first ones and write another first.txt).
    const check = runCli(['check', '--json'], { cwd: clone });
    expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes', editedByHand: [] });
    expect(check.code).toBe(0);
  });
});

/** Leaves a sparse file of 3 GiB in its durable storage (no bytes on disk), when `BIG` is set. */
const LEAVES_A_HUGE_FILE = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
    if (!process.env.BIG) return;
    const dir = process.env.DURABLE_STORAGE_ABS!;
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(path.join(dir, 'huge.bin'), 'w');
    fs.ftruncateSync(fd, 3 * 2 ** 30);
    fs.closeSync(fd);
  }
}
`;

test.each(['create', 'update'])('a file larger than 2 GiB the blueprint leaves in its durable storage fails %s naming it, exit 1, nothing made or changed', command => {
  const dir = tempDir();
  const source = makeBlueprint(path.join(dir, 'blueprint'), LEAVES_A_HUGE_FILE);
  const project = path.join(dir, 'project');
  const env = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };
  if (command === 'update') expect(runCli(['create', '--blueprint', source, project], { cwd: dir, env }).code).toBe(0);
  const head = command === 'update' ? git(path.join(project, 'app'), 'rev-parse', 'HEAD') : undefined;
  const result = command === 'create'
    ? runCli(['create', '--blueprint', source, project], { cwd: dir, env: { ...env, BIG: '1' } })
    : runCli(['update'], { cwd: path.join(project, 'app'), env: { ...env, BIG: '1' } });
  expect(result.stderr).toMatch(/the blueprint left files in its durable storage larger than a file it keeps may be \(2147483647 bytes, the most the framework reads whole\): '\.bluesynth\/durable\/[0-9a-f-]+\/huge\.bin' \(3\.0 GiB\)/);
  expect(result.code).toBe(1);
  if (command === 'create') expect(fs.existsSync(project)).toBe(false);
  else {
    expect(git(path.join(project, 'app'), 'rev-parse', 'HEAD')).toBe(head);
    expect(git(path.join(project, 'app'), 'status', '--porcelain')).toBe('');
  }
});
