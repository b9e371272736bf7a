import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * A repository's `.ownership-file` holds the entries of the project and of each blueprint applied to it: an
 * update keeps the entries both sides added, whatever the fallback, so the files they protect stay protected.
 */
jest.setTimeout(300_000);

/** A blueprint writing README.md and an ownership file; `docs=yes` adds an entry of its own. */
const README_BLUEPRINT = `
import { Blueprint as ParentBlueprint, BlueprintOwnershipFile, MergeStrategies, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { support: string; docs: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', '# app\\n\\nSupport: ' + options.support + '\\n');
    const strategies = [{ identifier: 'src', strategy: MergeStrategies.threeWayMerge, globs: ['src/**'] }];
    if (options.docs === 'yes') strategies.push({ identifier: 'docs', strategy: MergeStrategies.threeWayMerge, globs: ['docs/**'] });
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies } } as any);
  }
}
`;

test('the project\'s own entry survives an update whose blueprint appends one too, and keeps protecting its file', () => {
  const work = tempDir('bluesynth-ownership-entry-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), README_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ support: '#platform', docs: 'no' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const generated = read(repo, '.ownership-file');
  const team = '\n[keep_readme] test-blueprint\n# Internal merge strategy: neverUpdate\nREADME.md\n';
  fs.appendFileSync(path.join(repo, '.ownership-file'), team);
  fs.writeFileSync(path.join(repo, 'README.md'), '# app\n\nSupport: #payments-oncall (team owned)\n');
  commitAll(repo, 'the team owns its README');

  // The blueprint appends its docs entry where the team appended theirs: git's line merge conflicts there.
  const update = runCli(['update', '--set', 'docs=yes', '--set', 'support=#platform-help', '--json'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  const report = JSON.parse(update.stdout);
  expect(report.files.find((f: any) => f.path === '.ownership-file')).toEqual({ path: '.ownership-file', outcome: 'updated', strategy: 'ownershipFileMerge', conflicts: 0, overridden: 0 });
  const docs = '\n[docs] test-blueprint\n# Internal merge strategy: threeWayMerge\ndocs/**\n';
  // The blueprint's entry after the one it follows in its file, the team's still last.
  expect(read(repo, '.ownership-file')).toBe(generated + docs + team);
  expect(read(repo, 'README.md')).toBe('# app\n\nSupport: #payments-oncall (team owned)\n');

  // The next update still finds the team's entry.
  const next = runCli(['update', '--set', 'support=#platform-help (Slack)'], { cwd: repo });
  expect(next.code).toBe(0);
  expect(read(repo, 'README.md')).toBe('# app\n\nSupport: #payments-oncall (team owned)\n');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a second blueprint added (--add) keeps the first one\'s entries, which still decide its next update', () => {
  const work = tempDir('bluesynth-ownership-add-');
  const entryBlueprint = (dir: string, name: string, title: string, body: string) => {
    makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, BlueprintOwnershipFile, MergeStrategies, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { port: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: ${JSON.stringify(title)} });
    ${body}
  }
}
`, { 'src/defaults.json': JSON.stringify({ port: '1' }) });
    writeTree(dir, { 'package.json': JSON.stringify({ name, version: '1.0.0' }) });
    return dir;
  };
  // A's second entry matches the ownership file by a wildcard only: it does not make the file A's alone.
  const a = entryBlueprint(path.join(work, 'a'), 'bp-a', 'app', `
    new SourceFile(repository, 'src/a.txt', 'port = ' + options.port + '\\n');
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [
      { identifier: 'a_src', strategy: MergeStrategies.threeWayMerge, globs: ['src/**'] },
      { identifier: 'a_top', strategy: MergeStrategies.threeWayMerge, globs: ['*'] },
    ] } } as any);`);
  const b = entryBlueprint(path.join(work, 'b'), 'bp-b', 'app', `
    new SourceFile(repository, 'docs/b.txt', 'b\\n');
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [{ identifier: 'b_docs', strategy: MergeStrategies.neverUpdate, globs: ['docs/**'] }] } } as any);`);
  expect(runCli(['create', '--blueprint', a, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const aEntries = read(repo, '.ownership-file');

  const added = runCli(['update', '--add', '--blueprint', b, '--json'], { cwd: repo });
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(JSON.parse(added.stdout).files.find((f: any) => f.path === '.ownership-file')).toMatchObject({ outcome: 'updated', strategy: 'ownershipFileMerge', overridden: 0 });
  expect(read(repo, '.ownership-file')).toBe(`${aEntries}\n[b_docs] bp-b\n# Internal merge strategy: neverUpdate\ndocs/**\n`);
  expect(read(repo, 'docs/b.txt')).toBe('b\n');

  // A's threeWayMerge entry still decides A's file: the team's conflicting line is a conflict, not replaced.
  fs.writeFileSync(path.join(repo, 'src/a.txt'), 'port = 8080  # team\n');
  commitAll(repo, 'team config');
  const idOf = (name: string) => JSON.parse(read(repo, '.bluesynth/instantiations.json')).find((i: any) => i.packageName === name).id;
  const updateA = runCli(['update', '--instantiation', idOf('bp-a'), '--set', 'port=2', '--json'], { cwd: repo });
  expect(updateA.code).toBe(1);
  expect(JSON.parse(updateA.stdout).files.find((f: any) => f.path === 'src/a.txt')).toMatchObject({ outcome: 'conflict', strategy: 'a_src' });
  expect(read(repo, 'src/a.txt')).toContain('port = 8080  # team');
  expect(read(repo, '.ownership-file')).toContain('[b_docs] bp-b');
});
