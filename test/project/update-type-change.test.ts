import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * A generated file the team turned into a symbolic link, which the blueprint then changes: git's "distinct types".
 * Never silent: a conflict where no side is favored, and the change of kind named wherever a side is taken.
 */
jest.setTimeout(300_000);

/** A project whose generated `config.yaml` the team made a link to `conf/prod.yaml`, with the blueprint's next port waiting. */
function linkedProject(name: string): string {
  const work = tempDir(`bluesynth-type-change-${name}-`);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { port: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'config.yaml', 'port: ' + options.port + '\\nlevel: info\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ port: '1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.mkdirSync(path.join(repo, 'conf'));
  fs.renameSync(path.join(repo, 'config.yaml'), path.join(repo, 'conf', 'prod.yaml'));
  fs.symlinkSync('conf/prod.yaml', path.join(repo, 'config.yaml'));
  commitAll(repo, 'team: config.yaml is a link to conf/prod.yaml');
  return repo;
}

const modes = (repo: string, file: string) => git(repo, 'ls-files', '-s', '--', file).split('\n').map(line => line.split(/\s+/).filter((_, i) => i !== 1).join(' '));

test('threeWayMerge leaves a link against a changed file as a conflict, the project\'s link in the work tree and the three versions staged', () => {
  const repo = linkedProject('conflict');
  const update = runCli(['update', '--set', 'port=2', '--fallback', 'threeWayMerge', '--json'], { cwd: repo });
  expect(update.code).toBe(1);
  const report = JSON.parse(update.stdout);
  expect(report.state).toBe('conflicts');
  expect(report.files.find((f: any) => f.path === 'config.yaml')).toMatchObject({ outcome: 'conflict', typeChange: 'link-to-file' });
  // As git merge leaves it: the link kept, the ancestor's and the blueprint's regular files beside it in the index.
  expect(fs.lstatSync(path.join(repo, 'config.yaml')).isSymbolicLink()).toBe(true);
  expect(modes(repo, 'config.yaml')).toEqual(['100644 1 config.yaml', '120000 2 config.yaml', '100644 3 config.yaml']);
  git(repo, 'checkout', '--theirs', '--', 'config.yaml');
  expect(fs.readFileSync(path.join(repo, 'config.yaml'), 'utf8')).toBe('port: 2\nlevel: info\n');
  git(repo, 'merge', '--abort');

  const summary = runCli(['update', '--set', 'port=2', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(summary.code).toBe(1);
  expect(summary.stdout).toContain("conflict   config.yaml (threeWayMerge; distinct types: the project has a symbolic link, the blueprint a regular file; the project's is in the work tree, 'git checkout --theirs -- config.yaml' takes the blueprint's)");
});

test('preferProposed takes the blueprint\'s regular file over the project\'s link and says so, in the summary, --json and the merge commit', () => {
  const repo = linkedProject('override');
  const dryRun = runCli(['update', '--set', 'port=2', '--dry-run', '--json'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(JSON.parse(dryRun.stdout).files.find((f: any) => f.path === 'config.yaml')).toMatchObject({ outcome: 'overridden', strategy: 'preferProposed', typeChange: 'link-to-file' });
  const update = runCli(['update', '--set', 'port=2'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain("overridden config.yaml (preferProposed; the project's symbolic link replaced by the blueprint's regular file)");
  expect(fs.lstatSync(path.join(repo, 'config.yaml')).isSymbolicLink()).toBe(false);
  expect(git(repo, 'log', '-1', '--format=%B')).toContain("- config.yaml (preferProposed; the project's symbolic link replaced by the blueprint's regular file)");
});

test('the reverse: a blueprint that makes an edited file a link leaves a conflict under threeWayMerge, the project\'s file in the work tree', () => {
  const work = tempDir('bluesynth-type-change-reverse-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { linked: boolean }
export class Blueprint extends ParentBlueprint {
  private readonly linked: boolean;
  constructor(options: Options) {
    super(options);
    this.linked = options.linked;
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'conf/base.yaml', 'port: 1\\n');
    if (!options.linked) new SourceFile(repository, 'config.yaml', 'port: 1\\nlevel: info\\n');
  }
  override synth() {
    super.synth();
    if (this.linked) this.writeBundleFile('src/app/config.yaml', 'conf/base.yaml', 'test', 0o120000);
  }
}
`, { 'src/defaults.json': JSON.stringify({ linked: false }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'config.yaml'), 'port: 1\nlevel: debug\n');
  commitAll(repo, 'team: debug');
  const update = runCli(['update', '--set', 'linked=true', '--fallback', 'threeWayMerge', '--json'], { cwd: repo });
  expect(update.code).toBe(1);
  expect(JSON.parse(update.stdout).files.find((f: any) => f.path === 'config.yaml')).toMatchObject({ outcome: 'conflict', typeChange: 'file-to-link' });
  expect(fs.lstatSync(path.join(repo, 'config.yaml')).isSymbolicLink()).toBe(false);
  expect(fs.readFileSync(path.join(repo, 'config.yaml'), 'utf8')).toBe('port: 1\nlevel: debug\n');
  expect(modes(repo, 'config.yaml')).toEqual(['100644 1 config.yaml', '100644 2 config.yaml', '120000 3 config.yaml']);
});
