import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { commitAll, git, read, replaceInFile } from './git-fixtures';

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

/** A blueprint writing a top-level config and a manifest in k8s/, whose replicas are an option. */
const MANIFEST_BLUEPRINT = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { replicas: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'k8s/all.yaml', 'kind: Deployment\\nspec:\\n  replicas: ' + options.replicas + '\\n  image: app:1\\n');
  }
}
`;

test('check prints an ownership warning escaped: the glob and path it quotes may hold terminal commands a blueprint wrote', () => {
  const work = tempDir('bluesynth-ownership-escaped-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), MANIFEST_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ replicas: '1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, '.ownership-file'), '[structuredMerge] test-blueprint\n*\u001bc.yaml\n');
  fs.writeFileSync(path.join(repo, 'k8s', 'x\u001bc.yaml'), 'kind: Service\n');
  commitAll(repo, 'a file and an entry whose names hold ESC c, a terminal reset');
  const checked = runCli(['check'], { cwd: repo });
  expect(checked.stdout).toContain("  ownership     .ownership-file:2: '*\\u001bc.yaml' matches no file here");
  expect(checked.stdout).not.toMatch(/\u001b/);
});

test('an ownership entry written for every folder (\'*.yaml\') that matches in its own only: update --dry-run and check say so, naming the line and \'**/*.yaml\'; an entry that cannot be meant is refused', () => {
  const work = tempDir('bluesynth-ownership-intent-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), MANIFEST_BLUEPRINT, { 'src/defaults.json': JSON.stringify({ replicas: '1' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, '.ownership-file'), '# every YAML file, merged by value\n[structuredMerge] test-blueprint\n*.yaml\n');
  fs.writeFileSync(path.join(repo, 'k8s', 'all.yaml'), 'kind: Deployment\nspec:\n  replicas: 3\n  image: app:1\n  env: prod\n');
  commitAll(repo, 'the team scales its deployment, and merges YAML by value');

  const line = '.ownership-file:3: \'*.yaml\' matches no file here: \'*\' is one folder level, as in the SDK, and a glob is matched against the whole path from its ' +
    'file\'s folder, so k8s/all.yaml is merged with preferProposed (the fallback';
  const dryRun = runCli(['update', '--set', 'replicas=2', '--dry-run'], { cwd: repo });
  expect(dryRun.code).toBe(0);
  expect(dryRun.stdout).toContain(`  warning: ${line}), not structuredMerge; to match it, write '**/*.yaml'\n`);
  const checked = runCli(['check'], { cwd: repo });
  expect(checked.stdout).toContain(`  ownership     ${line}, unless the blueprint registers a strategy for it in code), not structuredMerge; to match it, write '**/*.yaml'\n`);
  expect(checked.code).toBe(0);
  expect(JSON.parse(runCli(['check', '--json'], { cwd: repo }).stdout).instantiations[0].ownershipWarnings).toEqual([expect.stringContaining(line)]);

  // The way on: the team's edit survives the update, merged by value.
  replaceInFile(path.join(repo, '.ownership-file'), '*.yaml', '**/*.yaml');
  commitAll(repo, 'every YAML file');
  const updated = runCli(['update', '--set', 'replicas=2'], { cwd: repo });
  expect(updated.output).not.toContain('warning');
  expect(updated.code).toBe(1); // both changed the replicas: a conflict, not the team's value silently replaced
  expect(read(repo, 'k8s', 'all.yaml')).toContain('env: prod');
  git(repo, 'merge', '--abort');

  // A Windows path cannot match what it names: refused, naming the file and line, and nothing changes.
  fs.appendFileSync(path.join(repo, '.ownership-file'), '[neverUpdate] test-blueprint\nk8s\\all.yaml\n');
  const before = commitAll(repo, 'keep the manifest');
  for (const args of [['update', '--set', 'replicas=2'], ['check']]) {
    const refused = runCli(args, { cwd: repo });
    expect(refused.stderr).toContain('.ownership-file:5: \'k8s\\all.yaml\': a \'\\\' escapes the character after it, and paths are written with \'/\' in an ownership file, as in the SDK: write \'k8s/all.yaml\'');
    expect(refused.code).toBe(2);
  }
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('an update across a rename of the blueprint\'s package keeps applying the entries its project has under the old name', () => {
  // As the SDK's sam-serverless-app moved from @caws-blueprint/... to @amazon-codecatalyst/... (0.2.41 to 0.3.0):
  // the project's `.ownership-file` names the old package until the update that brings the new name has merged.
  const work = tempDir('bluesynth-ownership-rename-');
  const blueprint = (name: string, version: string, support: string) => makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, BlueprintOwnershipFile, MergeStrategies, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', '# app\\n\\nSupport: ${support}\\n');
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [{ identifier: 'never_update', strategy: MergeStrategies.neverUpdate, globs: ['*'] }] } } as any);
  }
}
`, { 'package.json': JSON.stringify({ name, version }) });
  blueprint('@old-scope/service', '1.0.0', '#platform');
  expect(runCli(['create', '--blueprint', path.join(work, 'blueprint'), path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  expect(read(repo, '.ownership-file')).toContain('[never_update] @old-scope/service\n');
  replaceInFile(path.join(repo, 'README.md'), '#platform', '#payments-oncall');
  commitAll(repo, 'the team names its own support channel');

  blueprint('@new-scope/service', '2.0.0', '#platform-help');
  const update = runCli(['update', '--json'], { cwd: repo });
  expect({ code: update.code, stderr: update.stderr }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(update.stdout);
  expect(report.files.find((f: any) => f.path === 'README.md')).toMatchObject({ outcome: 'kept', strategy: 'never_update' });
  // Nor is the entry called one that no update applies.
  expect(JSON.stringify(report.warnings ?? [])).not.toContain('names no blueprint');
  expect(read(repo, 'README.md')).toBe('# app\n\nSupport: #payments-oncall\n');
  expect(read(repo, '.ownership-file')).toContain('[never_update] @new-scope/service\n');
  expect(git(repo, 'status', '--porcelain')).toBe('');
});
