import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';

/** An update's report says which project edits a strategy replaced with the blueprint's version. */
jest.setTimeout(300_000);

test('a file whose strategy takes the blueprint\'s version whole says that the project\'s own changes were replaced', () => {
  const work = tempDir('bluesynth-project-replaced-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'config/settings.json', JSON.stringify({ greeting: options.greeting }) + '\\n');
    new SourceFile(repository, 'config/motd.txt', options.greeting + '\\n\\nsee you' + (options.greeting === 'hi' ? ' soon' : '') + '\\n');
    new SourceFile(repository, 'config/.ownership-file', '[alwaysUpdate] test-blueprint\\nsettings.json\\nmotd.txt\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'config/settings.json'), '{"greeting":"hello","team":"ours"}\n');
  fs.writeFileSync(path.join(repo, 'config/motd.txt'), 'hello\n\nsee you soon\n');
  commitAll(repo, 'the team adds a setting, and says goodbye as the next version will');
  const update = runCli(['update', '--set', 'greeting=hi', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  const settings = JSON.parse(update.stdout).files.find((f: any) => f.path === 'config/settings.json');
  expect(settings).toMatchObject({ outcome: 'overridden', strategy: expect.stringContaining('alwaysUpdate'), note: expect.stringContaining('the project\'s own changes to it were replaced') });
  expect(read(repo, 'config/settings.json')).toBe('{"greeting":"hi"}\n');
  // The blueprint's new version already holds the project's change: nothing of the project's was lost.
  const motd = JSON.parse(update.stdout).files.find((f: any) => f.path === 'config/motd.txt');
  expect(motd).toEqual(expect.objectContaining({ outcome: 'updated' }));
  expect(motd.note).toBeUndefined();
  expect(read(repo, 'config/motd.txt')).toBe('hi\n\nsee you soon\n');
  expect(JSON.parse(update.stdout).totals).toMatchObject({ overridden: 1, updated: 1 });
  // The merge commit says so too: no conflict shows it to whoever reviews the merge.
  const message = git(repo, 'log', '-1', '--format=%B');
  expect(message).toContain("The project's changes a strategy dropped for the blueprint's (no conflict shows them):\n- config/settings.json (");
  expect(message).not.toContain('config/motd.txt');
});

test('a JSON file whose new version holds the project\'s change beside one of the blueprint\'s own is updated, not overridden', () => {
  // The line merge conflicts there (the two changes touch adjacent lines), and the report called the file
  // overridden, "the project's own changes to it were replaced", though the value merge kept every one of them.
  const work = tempDir('bluesynth-project-replaced-values-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { node: string; typescript: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    this.setResynthFallback('structuredMerge');
    const pkg = { name: 'app', devDependencies: { typescript: options.typescript, '@types/node': '^' + options.node + '.0.0' }, license: 'MIT' };
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'package.json', JSON.stringify(pkg, null, 2) + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ node: '20', typescript: '^5.4.0' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'package.json'), read(repo, 'package.json').replace('^20.0.0', '^22.0.0'));
  commitAll(repo, 'the team is on node 22 already');
  const update = runCli(['update', '--set', 'node=22', '--set', 'typescript=^5.6.0', '--json'], { cwd: repo });
  expect(update.code).toBe(0);
  const pkg = JSON.parse(update.stdout).files.find((f: any) => f.path === 'package.json');
  expect(pkg).toMatchObject({ outcome: 'updated', overridden: 0 });
  expect(pkg.note).toBeUndefined();
  expect(JSON.parse(read(repo, 'package.json')).devDependencies).toEqual({ 'typescript': '^5.6.0', '@types/node': '^22.0.0' });
  expect(git(repo, 'log', '-1', '--format=%B')).not.toContain('package.json (');
});

test('the fallback (preferProposed) dropping the project\'s lines where the blueprint changed the same ones is named in the merge commit', () => {
  const work = tempDir('bluesynth-project-fallback-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { maintainer: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', '# app\\n\\nMaintained by ' + options.maintainer + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ maintainer: 'alice' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'README.md'), '# app\n\nMaintained by the platform team\n');
  commitAll(repo, 'the team maintains it');
  const update = runCli(['update', '--set', 'maintainer=bob'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain("overridden README.md (preferProposed; 1 hunk of the project's dropped)");
  expect(read(repo, 'README.md')).toBe('# app\n\nMaintained by bob\n');
  // Said once more below the list, with where to see it and how to have a conflict instead; the command it names shows the team's line going.
  expect(update.stdout).toContain("note: in 1 file the blueprint's lines replaced lines the project had changed, with no conflict ('git diff HEAD^1 HEAD -- README.md' shows what changed); --fallback structuredMerge leaves such lines as git conflicts in the files no strategy names");
  expect(git(repo, 'diff', 'HEAD^1', 'HEAD', '--', 'README.md')).toContain('-Maintained by the platform team\n+Maintained by bob');
  expect(git(repo, 'log', '-1', '--format=%B')).toContain("- README.md (preferProposed; 1 hunk of the project's dropped)");
});

test('the commands a note names can be copied into a shell as they are, whatever the path holds', () => {
  const work = tempDir('bluesynth-project-replaced-quoted-');
  const name = 'release notes/"v1" $HOME & `it`.md';
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { maintainer: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), ${JSON.stringify(name)}, 'Maintained by ' + options.maintainer + '\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ maintainer: 'alice' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, name), 'Maintained by the platform team\n');
  commitAll(repo, 'the team maintains it');
  const update = runCli(['update', '--set', 'maintainer=bob'], { cwd: repo });
  expect(update.code).toBe(0);
  const command = /\('(git diff HEAD\^1 HEAD -- .*)' shows what changed\)/.exec(update.stdout)?.[1];
  expect(command).toBe('git diff HEAD^1 HEAD -- "release notes/\\"v1\\" \\$HOME & \\`it\\`.md"');
  // The shell reads the path back as it is: the diff shows the team's line going.
  const shown = execFileSync('sh', ['-c', command!], { cwd: repo, encoding: 'utf8' });
  expect(shown).toContain('-Maintained by the platform team\n+Maintained by bob');
});

describe('a file one side deleted and the other changed (modify/delete) is named as such', () => {
  const source = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { setup: boolean; port: number }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    if (options.setup) new SourceFile(repository, 'setup.sh', 'npm ci\\n');
    new SourceFile(repository, 'config.txt', 'port=' + options.port + '\\n');
  }
}
`;
  /** A project whose team changed setup.sh and deleted config.txt; the next options delete setup.sh and change config.txt. */
  function project(prefix: string): string {
    const work = tempDir(prefix);
    const blueprint = makeBlueprint(path.join(work, 'blueprint'), source, { 'src/defaults.json': JSON.stringify({ setup: true, port: 80 }) });
    expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
    const repo = path.join(work, 'project', 'app');
    fs.writeFileSync(path.join(repo, 'setup.sh'), 'npm ci --ignore-scripts\n');
    fs.rmSync(path.join(repo, 'config.txt'));
    commitAll(repo, 'the team hardens the setup and drops the config');
    return repo;
  }

  test('taken by the fallback: the summary, the report and the merge commit say the file is gone or back', () => {
    const repo = project('bluesynth-project-modify-delete-');
    const update = runCli(['update', '--set', 'setup=false', '--set', 'port=8080'], { cwd: repo });
    expect(update.code).toBe(0);
    expect(update.stdout).toContain("overridden setup.sh (preferProposed; deleted: the blueprint deleted it, the project had changed it; 1 hunk of the project's dropped)");
    expect(update.stdout).toContain("overridden config.txt (preferProposed; brought back: the project had deleted it, the blueprint changed it; 1 hunk of the project's dropped)");
    expect(fs.existsSync(path.join(repo, 'setup.sh'))).toBe(false);
    expect(read(repo, 'config.txt')).toBe('port=8080\n');
    expect(git(repo, 'log', '-1', '--format=%B')).toContain("- setup.sh (preferProposed; deleted: the blueprint deleted it, the project had changed it; 1 hunk of the project's dropped)");
    git(repo, 'reset', '-q', '--hard', 'HEAD^');
    const json = JSON.parse(runCli(['update', '--set', 'setup=false', '--set', 'port=8080', '--dry-run', '--json'], { cwd: repo }).stdout);
    expect(json.files.find((f: any) => f.path === 'setup.sh')).toMatchObject({ outcome: 'overridden', deletedBy: 'blueprint' });
    expect(json.files.find((f: any) => f.path === 'config.txt')).toMatchObject({ outcome: 'overridden', deletedBy: 'project' });
  });

  test('left as conflicts: no hunk count for a file without markers, and git\'s ways on', () => {
    const repo = project('bluesynth-project-modify-delete-conflict-');
    const update = runCli(['update', '--set', 'setup=false', '--set', 'port=8080', '--fallback', 'threeWayMerge'], { cwd: repo });
    expect(update.code).toBe(1);
    expect(update.stdout).toContain("conflict   setup.sh (threeWayMerge; modify/delete: the blueprint deleted it, the project changed it; the project's version is in the work tree ('git add' keeps it, 'git rm' deletes it))");
    expect(update.stdout).toContain("conflict   config.txt (threeWayMerge; modify/delete: the project deleted it, the blueprint changed it; the blueprint's version is in the work tree ('git add' keeps it, 'git rm' keeps it deleted))");
    expect(update.stdout).not.toContain('conflict hunk');
    // What the words say is what git left.
    expect(read(repo, 'setup.sh')).toBe('npm ci --ignore-scripts\n');
    expect(read(repo, 'config.txt')).toBe('port=8080\n');
    expect(git(repo, 'status', '--porcelain')).toContain('UD setup.sh');
    expect(git(repo, 'status', '--porcelain')).toContain('DU config.txt');
  });

  test.each(['alwaysUpdate', 'onlyAdd', 'regenerate'])('brought back by %s: overridden, not added, and named in the merge commit', strategy => {
    const repo = project(`bluesynth-project-modify-delete-${strategy}-`);
    const dryRun = JSON.parse(runCli(['update', '--set', 'port=8080', '--fallback', strategy, '--dry-run', '--json'], { cwd: repo }).stdout);
    expect(dryRun.files.find((f: any) => f.path === 'config.txt')).toMatchObject({ outcome: 'overridden', deletedBy: 'project' });
    const update = runCli(['update', '--set', 'port=8080', '--fallback', strategy], { cwd: repo });
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`overridden config.txt (${strategy}; brought back: the project had deleted it, the blueprint changed it)`);
    expect(read(repo, 'config.txt')).toBe('port=8080\n');
    expect(git(repo, 'log', '-1', '--format=%B')).toContain(`- config.txt (${strategy}; brought back: the project had deleted it, the blueprint changed it;`);
  });

  test('kept by neverUpdate where the blueprint deleted it: said so, not \'changed\'', () => {
    const repo = project('bluesynth-project-kept-deleted-');
    const update = runCli(['update', '--set', 'setup=false', '--fallback', 'neverUpdate'], { cwd: repo });
    expect(update.code).toBe(0);
    expect(update.stdout).toContain("kept       setup.sh (neverUpdate; the blueprint deleted it; 'neverUpdate' kept the project's version)");
    expect(read(repo, 'setup.sh')).toBe('npm ci --ignore-scripts\n');
  });

  test('brought back by alwaysUpdate though the blueprint did not change it: said so', () => {
    const repo = project('bluesynth-project-deleted-unchanged-');
    const update = runCli(['update', '--set', 'setup=false', '--fallback', 'alwaysUpdate', '--json'], { cwd: repo });
    expect(update.code).toBe(0);
    expect(JSON.parse(update.stdout).files.find((f: any) => f.path === 'config.txt')).toMatchObject({
      outcome: 'overridden', note: "brought back: the project had deleted it; 'alwaysUpdate' writes the blueprint's file, changed or not",
    });
    expect(read(repo, 'config.txt')).toBe('port=80\n');
  });
});
