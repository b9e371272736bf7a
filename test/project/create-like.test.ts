import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read, taggedReleases } from './git-fixtures';

/**
 * `blueprint create --like REPOSITORY_DIR --repository NAME`: the repository a new blueprint version generates
 * for a project that exists, made from the record of one of its repositories (source, version, options,
 * instantiation id), as the update that finds the new repository tells the team to run.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, infra: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', options.greeting + ' app ${version}\\n');
    if (${infra}) new SourceFile(new SourceRepository(this, { title: 'infra' }), 'main.tf', '# ' + options.greeting + ' infra\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }), 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
}

let work: string;
let blueprint: string;

beforeAll(() => {
  work = tempDir('bluesynth-create-like-');
  blueprint = path.join(work, 'blueprint');
  taggedReleases(blueprint, 2, (version, index) => release(blueprint, version, index === 1));
});

const record = (repo: string) => JSON.parse(read(repo, '.bluesynth', 'instantiations.json'));

/** A project made from v1 with an option set, whose app the team edited and updated to v2. */
function updatedProject(name: string): { project: string; app: string; printed: string } {
  const project = path.join(work, name);
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', 'greeting=hi', project], { cwd: work }).code).toBe(0);
  const app = path.join(project, 'app');
  fs.appendFileSync(path.join(app, 'NOTES.md'), 'ours\n');
  commitAll(app, 'team notes');
  const update = runCli(['update', '--to', 'v2'], { cwd: app });
  expect(update.code).toBe(0);
  return { project, app, printed: update.stdout };
}

test('the command the update prints for the new repository, run as printed, makes it beside the first: same instantiation, v2, the recorded options', () => {
  const { project, app, printed } = updatedProject('project');
  const command = /run in this repository's top folder: (blueprint create .*)$/m.exec(printed)?.[1];
  expect(command).toBe('blueprint create --like . --repository infra ..');

  const created = runCli(command!.split(' ').slice(1), { cwd: app });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const infra = path.join(project, 'infra');
  expect(read(infra, 'main.tf')).toBe('# hi infra\n');
  const [appRecord] = record(app);
  const [infraRecord] = record(infra);
  expect(record(infra)).toHaveLength(1);
  expect(infraRecord).toEqual({ ...appRecord, repository: 'infra' });
  expect(infraRecord).toMatchObject({ versionId: '2.0.0', options: { greeting: 'hi' }, sourceRevision: git(blueprint, 'rev-parse', 'v2') });
  // Its first commit is the baseline, as create makes it; nothing else of the project was written again.
  expect(git(infra, 'rev-list', '--count', 'HEAD')).toBe('1');
  expect(git(infra, 'log', '-1', '--format=%B')).toContain(`Bluesynth-Instantiation: ${appRecord.id}`);
  expect(git(infra, 'status', '--porcelain')).toBe('');
  expect(fs.readdirSync(project).sort()).toEqual(['app', 'infra', 'project-bundle']);
  expect(git(app, 'status', '--porcelain')).toBe('');

  const check = runCli(['check'], { cwd: infra });
  expect(check.output).not.toContain('warning');
  expect(check.code).toBe(0);
  const update = runCli(['update'], { cwd: infra });
  expect(update.stdout).toContain('already up to date with test-blueprint@2.0.0');
  expect(update.code).toBe(0);
});

test('--to and --set override what the record gives, as for update', () => {
  const project = path.join(work, 'override');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, '--set', 'greeting=hi', project], { cwd: work }).code).toBe(0);
  const app = path.join(project, 'app');
  const created = runCli(['create', '--like', app, '--to', 'v2', '--set', 'greeting=hey', '--repository', 'infra', path.join(work, 'elsewhere')], { cwd: work });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const infra = path.join(work, 'elsewhere', 'infra');
  expect(read(infra, 'main.tf')).toBe('# hey infra\n');
  expect(record(infra)[0]).toMatchObject({ id: record(app)[0].id, versionId: '2.0.0', options: { greeting: 'hey' } });
  expect(fs.readdirSync(path.join(work, 'elsewhere'))).toEqual(['infra']);
});

test('--repository with --blueprint makes only that repository, and no project-bundle/', () => {
  const project = path.join(work, 'only-infra');
  const created = runCli(['create', '--blueprint', `${blueprint}#v2`, '--repository', 'infra', project], { cwd: work });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  expect(fs.readdirSync(project)).toEqual(['infra']);
  expect(record(path.join(project, 'infra'))[0]).toMatchObject({ versionId: '2.0.0', repository: 'infra', options: { greeting: 'hello' } });
});

describe('bad input: named, exit 2, nothing written', () => {
  let project: string;
  let app: string;
  beforeAll(() => {
    ({ project, app } = updatedProject('bad'));
  });

  function refused(args: string[], cwd: string, expected: string): void {
    const before = fs.readdirSync(project).sort();
    const result = runCli(['create', ...args], { cwd });
    expect(result.stderr).toContain(expected);
    expect(result.code).toBe(2);
    expect(fs.readdirSync(project).sort()).toEqual(before);
  }

  test('a repository the blueprint does not generate', () => {
    refused(['--like', '.', '--repository', 'web', '..'], app, '--repository web: test-blueprint@2.0.0, with these options, generates no repository of that name (it generates: app, infra); nothing written');
  });

  test('a target that exists and is not empty', () => {
    refused(['--like', '.', '--repository', 'app', '..'], app, `${app}: exists and is not empty`);
    // Without --repository, every repository is asked for: the refusal names the one the project lacks.
    refused(['--like', '.', '..'], app, `${app}: exists and is not empty; create makes each repository in a new or empty folder; to make only those the project lacks: --repository infra`);
  });

  test('a folder that is no repository made by create', () => {
    const plain = path.join(work, 'plain');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'README.md'), 'plain\n');
    initRepository(plain, 'plain');
    refused(['--like', plain, '--repository', 'infra', project], work, `--like ${plain}: ${path.join(plain, '.bluesynth', 'instantiations.json')} (at HEAD): no instantiation record`);
    refused(['--like', path.join(work, 'nowhere'), '--repository', 'infra', project], work, `--like ${path.join(work, 'nowhere')}:`);
  });

  test('a record with several instantiations and no --instantiation', () => {
    const both = path.join(work, 'both');
    fs.cpSync(app, both, { recursive: true });
    const [only] = record(both);
    fs.writeFileSync(path.join(both, '.bluesynth', 'instantiations.json'), JSON.stringify([only, { ...only, id: 'other-id', packageName: 'other' }], null, 2));
    commitAll(both, 'two instantiations');
    refused(['--like', both, '--repository', 'infra', project], work, 'records 2 instantiations; choose one with --instantiation ID or NAME');
    // Picked, it makes the repository.
    const picked = runCli(['create', '--like', both, '--instantiation', only.id, '--repository', 'infra', path.join(work, 'picked')], { cwd: work });
    expect(picked.stderr).toBe('');
    expect(picked.code).toBe(0);
    expect(record(path.join(work, 'picked', 'infra'))[0].id).toBe(only.id);
  });

  test('an update whose conflicts are not committed yet: its version is not the record\'s until then', () => {
    const conflicted = path.join(work, 'conflicted');
    expect(runCli(['create', '--blueprint', `${blueprint}#v1`, conflicted], { cwd: work }).code).toBe(0);
    const first = path.join(conflicted, 'app');
    fs.writeFileSync(path.join(first, 'README.md'), 'our app\n');
    commitAll(first, 'our readme');
    const update = runCli(['update', '--to', 'v2', '--fallback', 'threeWayMerge'], { cwd: first });
    expect(update.stdout).toContain("run in this repository's top folder: blueprint create --like . --repository infra ..");
    expect(update.code).toBe(1);
    const before = fs.readdirSync(conflicted).sort();
    const result = runCli(['create', '--like', '.', '--repository', 'infra', '..'], { cwd: first });
    expect(result.stderr).toContain('an update to test-blueprint@2.0.0 is in progress');
    expect(result.stderr).toContain('until it is committed, the record is test-blueprint@1.0.0: finish it and run this again (or give --to VERSION); nothing written');
    expect(result.code).toBe(2);
    expect(fs.readdirSync(conflicted).sort()).toEqual(before);
    // Committed, the same command makes it.
    git(first, 'checkout', '--theirs', 'README.md');
    git(first, 'commit', '-qam', 'update to v2');
    const made = runCli(['create', '--like', '.', '--repository', 'infra', '..'], { cwd: first });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(record(path.join(conflicted, 'infra'))[0]).toMatchObject({ versionId: '2.0.0', id: record(first)[0].id });
  });

  test('recorded options the blueprint refuses: the finding names the record, not the defaults', () => {
    const edited = path.join(work, 'edited');
    fs.cpSync(app, edited, { recursive: true });
    const [only] = record(edited);
    fs.writeFileSync(path.join(edited, '.bluesynth', 'instantiations.json'), JSON.stringify([{ ...only, options: { greeting: 5 } }], null, 2));
    commitAll(edited, 'a number');
    refused(['--like', edited, '--repository', 'infra', project], work,
      `error: the recorded options (${path.join(edited, '.bluesynth', 'instantiations.json')}): $.greeting: type: must be string, got number 5`);
  });

  test('--like with --blueprint, --to without --like, and neither --like nor --blueprint', () => {
    refused(['--like', '.', '--blueprint', `${blueprint}#v2`, '--repository', 'infra', '..'], app, '--like takes the blueprint its repository records: give --like or --blueprint, not both');
    refused(['--blueprint', `${blueprint}#v2`, '--to', 'v2', path.join(project, 'x')], work, '--to goes with --like REPOSITORY_DIR');
    refused(['--repository', 'infra', project], work, 'missing required option --blueprint SOURCE (or --like REPOSITORY_DIR');
  });
});
