import * as fs from 'fs';
import * as path from 'path';
import { updateRepository } from '../../src/project/update';
import { runCli, tempDir, writeTree } from '../util';
import { commitAll, git, replaceInFile } from './git-fixtures';

/**
 * The update's two merges give the same repository: a blueprint that leaves its merge to the framework is
 * merged in the update's own process over git trees; one that overrides resynth() (here only to call the
 * base class's) is merged by it in a job process over folders, as before. And `inProcess` synthesizes in
 * the caller's process, with the blueprint's modules loaded afresh for every call.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-update-in-process-');
const blueprintDir = path.join(work, 'blueprint');

/** The blueprint: static assets, a link it writes itself, and a module-level counter that must start afresh. */
function blueprintSource(link: string, overrideResynth: boolean): string {
  return `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
let constructed = 0;
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    constructed++;
    const repository = new SourceRepository(this, { title: 'app' });
    repository.copyStaticFiles({ from: 'repository' });
    new SourceFile(repository, 'greeting.txt', options.greeting + '\\n');
    new SourceFile(repository, 'constructed.txt', constructed + '\\n');
    // A fallback chosen in code travels with the merge to the update's process.
    this.setResynthFallback('threeWayMerge');
  }
  override synth() {
    super.synth();
    this.writeBundleFile('src/app/latest', ${JSON.stringify(link)}, 'test', 0o120000);
  }
${overrideResynth ? '  override resynth(...args: Parameters<ParentBlueprint[\'resynth\']>) { return super.resynth(...args); }\n' : ''}}
`;
}

const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} line ${i + 1}`).join('\n') + '\n';

/** Writes version `version` of the blueprint into its one folder (so the recorded source is the same path). */
function writeBlueprint(version: 1 | 2 | 3, overrideResynth = false): void {
  fs.rmSync(blueprintDir, { recursive: true, force: true });
  const assets = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, c]) => [`static-assets/repository/${p}`, c]));
  const guide = lines('guide', 30);
  writeTree(blueprintDir, {
    'package.json': JSON.stringify({ name: 'test-blueprint', version: `${version}.0.0` }),
    'src/defaults.json': JSON.stringify({ greeting: 'hello' }),
    'src/index.ts': blueprintSource(version === 1 ? 'README.md' : 'docs/manual/guide.md', overrideResynth),
    ...assets({
      'README.md': version === 1 ? lines('readme', 20) : lines('readme', 20).replace('readme line 18', `readme line 18 (v${version})`),
      'src/main.ts': version === 1 ? lines('main', 10) : lines('main', 10).replace('main line 3', 'main line 3 from v2'),
      'config.json': `{ "version": ${version} }\n`,
      '.ownership-file': '[neverUpdate] test-blueprint\nconfig.json\n',
      [version === 1 ? 'docs/guide.md' : 'docs/manual/guide.md']: version === 3 ? guide.replace('guide line 30', 'guide line 30 (v3)') : guide,
      'scripts/run.sh': `#!/bin/sh\necho v${version}\n`,
    }),
  });
  fs.chmodSync(path.join(blueprintDir, 'static-assets', 'repository', 'scripts', 'run.sh'), 0o755);
}

/** Everything a user sees after an update: HEAD, the merge state, the index with its stages, the work tree. */
function repositoryState(repo: string) {
  const optional = (...args: string[]) => {
    try {
      return git(repo, ...args);
    } catch {
      return undefined;
    }
  };
  return {
    headTree: git(repo, 'rev-parse', 'HEAD^{tree}'),
    parents: git(repo, 'log', '-1', '--format=%P').split(' ').length,
    generatedTree: optional('rev-parse', 'MERGE_HEAD^{tree}') ?? git(repo, 'rev-parse', 'HEAD^2^{tree}'),
    index: git(repo, 'ls-files', '-s'),
    status: git(repo, 'status', '--porcelain'),
    diff: git(repo, 'diff'),
    // The default pull request's description lists the options, with the bundle's name as the outdir (never a temporary folder).
    mergeMessage: fs.existsSync(path.join(repo, '.git', 'MERGE_MSG')) ? fs.readFileSync(path.join(repo, '.git', 'MERGE_MSG'), 'utf8') : undefined,
    modes: git(repo, 'ls-files', '-s', 'scripts/run.sh', 'tools/check.sh', 'latest'),
  };
}

const repo = path.join(work, 'project', 'app');

beforeAll(() => {
  writeBlueprint(1);
  const created = runCli(['create', '--blueprint', blueprintDir, path.join(work, 'project')], { cwd: work });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  // The team's edits: one conflicting with v2, one merging cleanly, one following a rename, a neverUpdate file, an executable of its own.
  replaceInFile(path.join(repo, 'src', 'main.ts'), 'main line 3', 'main line 3 from the team');
  replaceInFile(path.join(repo, 'README.md'), 'readme line 2', 'readme line 2, edited by the team');
  replaceInFile(path.join(repo, 'docs', 'guide.md'), 'guide line 5', 'guide line 5, edited by the team');
  fs.writeFileSync(path.join(repo, 'config.json'), '{ "version": 1, "team": true }\n');
  fs.mkdirSync(path.join(repo, 'tools'));
  fs.writeFileSync(path.join(repo, 'tools', 'check.sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  commitAll(repo, 'team edits');
});

test('merged in this process over git trees, or by resynth() in a job: the same repository, conflicts, renames, ownership, links and modes alike', () => {
  const copies = ['framework', 'resynth'].map(name => {
    const copy = path.join(work, `copy-${name}`);
    fs.cpSync(repo, copy, { recursive: true, verbatimSymlinks: true });
    return copy;
  });
  const updates = [false, true].map((overrideResynth, i) => {
    writeBlueprint(2, overrideResynth);
    return runCli(['update', '--blueprint', blueprintDir, '--json', '--verbose'], { cwd: copies[i] });
  });
  // Which merge ran, by its step.
  expect(updates[0].stderr).toContain('merged in this process');
  expect(updates[1].stderr).toContain('merged by resynth()');
  for (const update of updates) expect(update.code).toBe(1);

  const [fast, job] = updates.map(update => JSON.parse(update.stdout));
  expect(fast.files).toEqual(job.files);
  expect(fast.renames).toEqual([{ from: 'docs/guide.md', to: 'docs/manual/guide.md' }]);
  expect(fast.renames).toEqual(job.renames);
  expect(fast.warnings).toEqual(job.warnings);
  const byPath = Object.fromEntries(fast.files.map((f: { path: string }) => [f.path, f]));
  expect(byPath['src/main.ts']).toMatchObject({ outcome: 'conflict' });
  expect(byPath['config.json']).toMatchObject({ outcome: 'kept', strategy: 'neverUpdate' });
  expect(byPath['latest']).toMatchObject({ outcome: 'updated' });

  const [fastState, jobState] = copies.map(repositoryState);
  expect(fastState).toEqual(jobState);
  expect(fastState.modes).toMatch(/^120000 [0-9a-f]+ 0\tlatest\n100755 [0-9a-f]+ 0\tscripts\/run\.sh\n100755 [0-9a-f]+ 0\ttools\/check\.sh$/);
  expect(fs.readlinkSync(path.join(copies[0], 'latest'))).toBe('docs/manual/guide.md');
  expect(fs.readFileSync(path.join(copies[0], 'docs', 'manual', 'guide.md'), 'utf8')).toContain('guide line 5, edited by the team');
  // Both merges label the sides as git merge does, the side merged by the blueprint at its new version.
  for (const copy of copies) expect(fs.readFileSync(path.join(copy, 'src', 'main.ts'), 'utf8')).toMatch(/^<<<<<<< HEAD\nmain line 3 from the team\n=======\nmain line 3 from v2\n>>>>>>> test-blueprint@2\.0\.0\n/m);
});

test('a dry run of the in-process merge writes no object', () => {
  const copy = path.join(work, 'copy-dry-run');
  fs.cpSync(repo, copy, { recursive: true, verbatimSymlinks: true });
  writeBlueprint(2);
  const objects = git(copy, 'count-objects', '-v');
  const dryRun = runCli(['update', '--blueprint', blueprintDir, '--dry-run', '--json', '--verbose'], { cwd: copy });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stderr).toContain('merged in this process');
  expect(JSON.parse(dryRun.stdout).renames).toEqual([{ from: 'docs/guide.md', to: 'docs/manual/guide.md' }]);
  expect(git(copy, 'count-objects', '-v')).toBe(objects);
  expect(git(copy, 'status', '--porcelain')).toBe('');
});

test('inProcess: the same merges as job processes, twice in one process, with nothing left of the first call in the second', async () => {
  const viaJobs = path.join(work, 'copy-jobs');
  const inProcess = path.join(work, 'copy-in-process');
  for (const copy of [viaJobs, inProcess]) fs.cpSync(repo, copy, { recursive: true, verbatimSymlinks: true });
  const resolveConflict = (copy: string) => {
    fs.writeFileSync(path.join(copy, 'src', 'main.ts'), lines('main', 10).replace('main line 3', 'main line 3, both'));
    git(copy, 'add', 'src/main.ts');
    git(copy, 'commit', '--quiet', '--no-edit');
  };
  for (const version of [2, 3] as const) {
    // The same folder, new content: the second call must load the blueprint's modules afresh.
    writeBlueprint(version);
    const cli = runCli(['update', '--blueprint', blueprintDir], { cwd: viaJobs });
    const library = await updateRepository({ repositoryDir: inProcess, source: blueprintDir, inProcess: true });
    expect(cli.code).toBe(version === 2 ? 1 : 0);
    expect(library.state).toBe(version === 2 ? 'conflicts' : 'committed');
    if (version === 2) [viaJobs, inProcess].forEach(resolveConflict);
    expect(repositoryState(inProcess)).toEqual(repositoryState(viaJobs));
    // Module state starts afresh: the module-level counter is 1 in every generated baseline.
    expect(git(inProcess, 'show', 'HEAD^2:constructed.txt')).toBe('1');
    expect(git(inProcess, 'show', 'HEAD^2:config.json')).toBe(`{ "version": ${version} }`);
  }
  expect(JSON.parse(fs.readFileSync(path.join(inProcess, '.bluesynth', 'instantiations.json'), 'utf8'))[0].versionId).toBe('3.0.0');
});

test('the blueprint reads HEAD\'s blobs as they are through EXISTING_BUNDLE_ABS, with and without attributes that would convert them', () => {
  const viewerDir = path.join(work, 'viewer');
  // Lists the existing bundle's repository as `git ls-tree -r` would: mode, blob id of the bytes, path.
  writeTree(viewerDir, {
    'package.json': JSON.stringify({ name: 'viewer-blueprint', version: '1.0.0' }),
    'src/defaults.json': JSON.stringify({ round: 0 }),
    'src/index.ts': `
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { round: number }
function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir).flatMap(name => {
    const file = path.join(dir, name);
    const stat = fs.lstatSync(file);
    if (stat.isDirectory()) return walk(file, prefix + name + '/');
    const bytes = stat.isSymbolicLink() ? Buffer.from(fs.readlinkSync(file)) : fs.readFileSync(file);
    const mode = stat.isSymbolicLink() ? '120000' : stat.mode & 0o100 ? '100755' : '100644';
    const oid = crypto.createHash('sha1').update('blob ' + bytes.length + '\\0').update(bytes).digest('hex');
    return [mode + ' blob ' + oid + '\\t' + prefix + name];
  });
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'viewer' });
    const existing = process.env.EXISTING_BUNDLE_ABS ? path.join(process.env.EXISTING_BUNDLE_ABS, 'src', 'viewer') : '';
    const seen = existing && fs.existsSync(existing) ? walk(existing).filter(line => !line.endsWith('\\tseen.txt')).sort() : [];
    new SourceFile(repository, 'seen.txt', seen.join('\\n') + '\\n');
  }
}
`,
  });
  const viewer = path.join(work, 'viewer-project', 'viewer');
  expect(runCli(['create', '--blueprint', viewerDir, path.dirname(viewer)], { cwd: work }).code).toBe(0);
  const headListing = () => git(viewer, 'ls-tree', '-r', 'HEAD').split('\n').filter(line => !line.endsWith('\t.bluesynth/instantiations.json') && !line.endsWith('\tseen.txt')).sort().join('\n');
  fs.writeFileSync(path.join(viewer, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  fs.symlinkSync('run.sh', path.join(viewer, 'link'));
  fs.writeFileSync(path.join(viewer, 'notes.txt'), 'one\ntwo\n');
  commitAll(viewer, 'team files');
  for (const round of [1, 2]) {
    if (round === 2) {
      // From here git converts .txt files on checkout: the bundle must still hold the blobs' own bytes.
      fs.writeFileSync(path.join(viewer, '.gitattributes'), '*.txt eol=crlf\n');
      commitAll(viewer, 'attributes');
      fs.rmSync(path.join(viewer, 'notes.txt'));
      git(viewer, 'checkout', '--', 'notes.txt');
      expect(fs.readFileSync(path.join(viewer, 'notes.txt'), 'utf8')).toBe('one\r\ntwo\r\n');
    }
    const expected = headListing();
    const update = runCli(['update', '--set', `round=${round}`], { cwd: viewer });
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(git(viewer, 'show', 'HEAD^2:seen.txt')).toBe(expected);
  }
});
