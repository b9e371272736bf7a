import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir, writeTree } from '../util';
import { commitAll, git, initRepository, read, replaceInFile } from './git-fixtures';

/**
 * A repository the hosted service made (the generated files, no record) is adopted with `update --add --adopt`: what
 * the blueprint generates at the version and options the project was made with becomes the first baseline, and the
 * project's files stay as they are. `--add` alone merged from nothing, so every line the developers had changed in a
 * generated file overlapped the blueprint's, and the fallback dropped them all.
 */
jest.setTimeout(300_000);

/**
 * A blueprint at `version` generating README.md (its version on line 2) and ci.yaml (`region` on line 3).
 * `ownResynth` makes it override `resynth()`, so that the update merges in its job process (over folders)
 * instead of in the update's own process (over git trees).
 */
function writeBlueprint(dir: string, version: string, region: string, ownResynth: boolean): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', '# app\\nversion ${version}\\n\\n' + options.greeting + '\\n\\nabout\\n');
    new SourceFile(repository, 'ci.yaml', 'cdk: latest\\nstage: dev\\nregion: ${region}\\n');
  }
${ownResynth ? '  override resynth(...args: Parameters<ParentBlueprint[\'resynth\']>) { return super.resynth(...args); }\n' : ''}}
`, { 'package.json': JSON.stringify({ name: 'service-blueprint', version }), 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
}

/**
 * A repository as the hosted service leaves one: `blueprint`'s files made with greeting 'hi', committed in
 * `work/cc` with no instantiation record.
 */
function serviceMadeRepository(work: string, blueprint: string): string {
  expect(runCli(['create', '--blueprint', blueprint, '--set', 'greeting=hi', path.join(work, 'made')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'cc');
  fs.mkdirSync(repo);
  for (const file of ['README.md', 'ci.yaml']) fs.copyFileSync(path.join(work, 'made', 'app', file), path.join(repo, file));
  initRepository(repo, 'Initial commit (made by the service)');
  return repo;
}

test.each([
  ['the framework merges (in the update\'s process)', false],
  ['the blueprint overrides resynth() (merged in its job process)', true],
])('update --add --adopt records what the blueprint generates as the baseline, changing no file; the next update merges from it and keeps the developers\' edits: %s', (_, ownResynth) => {
  const work = tempDir('bluesynth-adopt-');
  const blueprint = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', 'us-west-2', ownResynth);
  // What the service made: the generated files with the options it was given, and no record.
  const repo = serviceMadeRepository(work, blueprint);
  fs.writeFileSync(path.join(work, 'options.json'), JSON.stringify({ greeting: 'hi' }));
  fs.appendFileSync(path.join(repo, 'README.md'), '\n## Ops\nOn-call: team-x\n');
  replaceInFile(path.join(repo, 'ci.yaml'), 'cdk: latest', 'cdk: 2.150.0');
  // Files only the project has, of every kind a tree holds: each must stay exactly as it is (mode included).
  fs.mkdirSync(path.join(repo, 'scripts', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'scripts', 'deploy.sh'), '#!/bin/sh\necho deploy\n', { mode: 0o755 });
  fs.symlinkSync('deploy.sh', path.join(repo, 'scripts', 'latest'));
  fs.writeFileSync(path.join(repo, 'scripts', 'deep', 'notes.txt'), 'line one\r\nline two\r\n');
  fs.writeFileSync(path.join(repo, 'empty'), '');
  const edited = commitAll(repo, 'developers\' edits');
  const tree = git(repo, 'rev-parse', 'HEAD^{tree}');

  expect(runCli(['update', '--adopt', '--blueprint', blueprint], { cwd: repo }).stderr).toContain('--adopt goes with --add');
  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', blueprint, '--options', path.join(work, 'options.json')], { cwd: repo });
  expect(adopted.stderr).toBe('');
  expect(adopted.stdout).toContain('adopted as made by service-blueprint@1.0.0, no file changed');
  expect(adopted.stdout).toContain('0 updated, 0 added, 0 deleted, 0 overridden, 2 kept as the project has them');
  expect(adopted.code).toBe(0);
  // The project's files are as they were: only the record comes in; the generated content is the merge's second parent.
  expect(git(repo, 'diff', '--name-only', edited, 'HEAD')).toBe('.bluesynth/instantiations.json');
  expect(git(repo, 'rev-parse', 'HEAD^1')).toBe(edited);
  expect(git(repo, 'show', 'HEAD^2:ci.yaml')).toBe('cdk: latest\nstage: dev\nregion: us-west-2');
  expect(git(repo, 'show', 'HEAD^2:README.md')).toBe('# app\nversion 1.0.0\n\nhi\n\nabout');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(git(repo, 'rev-parse', 'HEAD^{tree}')).not.toBe(tree);
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0]).toMatchObject({ packageName: 'service-blueprint', versionId: '1.0.0', options: { greeting: 'hi' } });
  const checked = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(checked.stdout).instantiations[0]).toMatchObject({ reproducible: 'yes', behind: false });
  expect(checked.code).toBe(0);

  // A new version changes a line next to each edit: merged from the right ancestor, both sides' changes land, nothing dropped.
  writeBlueprint(blueprint, '2.0.0', 'eu-west-1', ownResynth);
  const updated = runCli(['update', '--json'], { cwd: repo });
  expect(updated.stderr).toBe('');
  expect(updated.code).toBe(0);
  const files = JSON.parse(updated.stdout).files.filter((f: any) => f.outcome !== 'unchanged');
  expect(files).toEqual([
    expect.objectContaining({ path: 'README.md', outcome: 'updated', overridden: 0 }),
    expect.objectContaining({ path: 'ci.yaml', outcome: 'updated', overridden: 0 }),
  ]);
  expect(read(repo, 'README.md')).toBe('# app\nversion 2.0.0\n\nhi\n\nabout\n\n## Ops\nOn-call: team-x\n');
  expect(read(repo, 'ci.yaml')).toBe('cdk: 2.150.0\nstage: dev\nregion: eu-west-1\n');
});

test('update --add --adopt reports a YAML file the project edited as kept, with no JSON path "overridden": the merge it would have made did not happen', () => {
  // The summary printed 'overridden $.cdk' under 'kept ci.yaml', as if the blueprint's value had replaced the
  // project's, in an adoption that changes no file.
  const work = tempDir('bluesynth-adopt-overridden-');
  const blueprint = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', 'us-west-2', false);
  const repo = serviceMadeRepository(work, blueprint);
  fs.writeFileSync(path.join(work, 'options.json'), JSON.stringify({ greeting: 'hi' }));
  replaceInFile(path.join(repo, 'ci.yaml'), 'cdk: latest', 'cdk: 2.150.0');
  const edited = commitAll(repo, 'pin cdk');
  const printed = runCli(['update', '--add', '--adopt', '--dry-run', '--blueprint', blueprint, '--options', path.join(work, 'options.json')], { cwd: repo });
  expect(printed.stdout).toMatch(/kept +ci\.yaml \(preferProposed; adopted as the project has it/);
  expect(printed.stdout).not.toContain('overridden $');
  expect(printed.code).toBe(0);
  const adopted = runCli(['update', '--add', '--adopt', '--json', '--blueprint', blueprint, '--options', path.join(work, 'options.json')], { cwd: repo });
  expect(adopted.code).toBe(0);
  const ci = JSON.parse(adopted.stdout).files.find((f: any) => f.path === 'ci.yaml');
  expect(ci).toMatchObject({ outcome: 'kept', overridden: 0, conflicts: 0 });
  expect(ci.overriddenPaths).toBeUndefined();
  expect(git(repo, 'diff', '--name-only', edited, 'HEAD')).toBe('.bluesynth/instantiations.json');
});

test('update --add --adopt from a blueprint folder in a git work tree warns that the folder ran as it is and is followed by no tag, naming the tag spelling', () => {
  // A team adopting from its blueprint's checkout ran whatever was checked out (here a commit past the tag that
  // made the project), recorded the folder, and check called the project up to date for ever, without a word.
  const work = tempDir('bluesynth-adopt-folder-');
  const checkout = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', 'us-west-2', false);
  initRepository(checkout, 'v1');
  git(checkout, 'tag', 'v1.0.0');
  const repo = serviceMadeRepository(work, checkout);
  fs.writeFileSync(path.join(work, 'options.json'), JSON.stringify({ greeting: 'hi' }));
  writeBlueprint(checkout, '1.1.0', 'eu-west-1', false);
  const next = commitAll(checkout, 'v1.1 in the making').slice(0, 7);
  const adopted = runCli(['update', '--add', '--adopt', '--dry-run', '--blueprint', checkout, '--options', path.join(work, 'options.json')], { cwd: repo });
  expect(adopted.code).toBe(0);
  expect(adopted.stdout).toContain(`warning: the blueprint source '${checkout}' is a folder in a git work tree (its checkout at commit ${next}): it ran as the folder is now`);
  expect(adopted.stdout).toContain(`--blueprint '${fs.realpathSync(checkout)}#<tag>'`);
  // A folder outside any work tree, or a git source at a tag: no such warning.
  const tagged = runCli(['update', '--add', '--adopt', '--dry-run', '--blueprint', `${checkout}#v1.0.0`, '--options', path.join(work, 'options.json')], { cwd: repo });
  expect(tagged.code).toBe(0);
  expect(tagged.stdout).not.toContain('git work tree');
  const plain = writeBlueprint(path.join(work, 'plain'), '1.0.0', 'us-west-2', false);
  const fromPlain = runCli(['update', '--add', '--adopt', '--dry-run', '--blueprint', plain, '--options', path.join(work, 'options.json')], { cwd: repo, env: { GIT_CEILING_DIRECTORIES: work } });
  expect(fromPlain.code).toBe(0);
  expect(fromPlain.stdout).not.toContain('git work tree');
});

test('the options.json of an SDK bundle (which records the folder the bundle was written to as outdir) adopts as given: outdir is no option and is not recorded; another unknown key is still refused', () => {
  const work = tempDir('bluesynth-adopt-outdir-');
  const blueprint = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', 'us-west-2', false);
  const repo = serviceMadeRepository(work, blueprint);
  const typo = path.join(work, 'typo.json');
  fs.writeFileSync(typo, JSON.stringify({ greeting: 'hi', outdirr: '/x' }));
  const refused = runCli(['update', '--add', '--adopt', '--blueprint', blueprint, '--options', typo], { cwd: repo });
  expect(refused.stderr).toContain(`${typo}: the blueprint has no option 'outdirr'`);
  expect(refused.code).toBe(2);

  const options = path.join(work, 'options.json');
  fs.writeFileSync(options, JSON.stringify({ greeting: 'hi', outdir: '/codecatalyst/job/proposed-bundle' }));
  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', blueprint, '--options', options], { cwd: repo });
  expect(adopted.stderr).toBe('');
  expect(adopted.stdout).toContain('adopted as made by service-blueprint@1.0.0, no file changed');
  expect(adopted.code).toBe(0);
  expect(JSON.parse(read(repo, '.bluesynth', 'instantiations.json'))[0].options).toEqual({ greeting: 'hi' });
  // create takes the same file the same way.
  const created = runCli(['create', '--blueprint', blueprint, '--options', options, path.join(work, 'again')], { cwd: work });
  expect(created.code).toBe(0);
  expect(JSON.parse(read(path.join(work, 'again', 'app'), '.bluesynth', 'instantiations.json'))[0].options).toEqual({ greeting: 'hi' });
});

test("the way to adopt that check, update and a refused adoption print names a git source's version as git sources take it, which then adopts", () => {
  // They said '--blueprint SOURCE@VERSION', an npm package's spelling: a user of a git blueprint who wrote
  // '../blueprint@v1.0.0' was told 'no such folder'.
  const work = tempDir('bluesynth-adopt-hint-');
  const blueprint = writeBlueprint(path.join(work, 'blueprint'), '1.0.0', 'us-west-2', false);
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  const repo = serviceMadeRepository(work, blueprint);
  fs.writeFileSync(path.join(work, 'options.json'), JSON.stringify({ greeting: 'hi' }));

  const hint = 'SOURCE at the version that made it: REPOSITORY#v1.2.0 for a git source, NAME@1.2.0 for an npm package';
  const check = runCli(['check'], { cwd: repo });
  expect(check.stderr).toContain(`blueprint update --add --adopt --blueprint SOURCE --options FILE, ${hint})`);
  expect(check.code).toBe(2);
  expect(runCli(['update', '--adopt', '--blueprint', blueprint], { cwd: repo }).stderr).toContain(hint);
  const other = writeBlueprint(path.join(work, 'other'), '1.0.0', 'us-west-2', false);
  writeTree(other, { 'src/index.ts': fs.readFileSync(path.join(other, 'src', 'index.ts'), 'utf8').replace(/README\.md/g, 'OTHER.md').replace(/ci\.yaml/g, 'other.yaml') });
  expect(runCli(['update', '--add', '--adopt', '--blueprint', other, '--options', path.join(work, 'options.json')], { cwd: repo }).stderr).toContain(hint);

  // As the hint says, for this git source.
  const adopted = runCli(['update', '--add', '--adopt', '--blueprint', `${blueprint}#v1.0.0`, '--options', path.join(work, 'options.json')], { cwd: repo });
  expect(adopted.stdout).toContain('adopted as made by service-blueprint@1.0.0, no file changed');
  expect(adopted.code).toBe(0);
});

test('update --add --adopt warns where most generated files differ (the wrong options or version, most likely), and not where a few were edited', () => {
  // Adopted with the wrong options, a repository differed in every generated file, and only the length of the kept
  // list said so: check then called it up to date, and the first update merged every difference as an edit.
  const work = tempDir('bluesynth-adopt-differ-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    for (const name of ['README.md', 'a.txt', 'b.txt', 'c.txt']) new SourceFile(repository, name, name + ': ' + options.greeting + '\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'service-blueprint', version: '1.0.0' }), 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
  expect(runCli(['create', '--blueprint', blueprint, '--set', 'greeting=hi', path.join(work, 'made')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'cc');
  fs.cpSync(path.join(work, 'made', 'app'), repo, { recursive: true, filter: source => !source.includes(`${path.sep}.git`) && !source.includes(`${path.sep}.bluesynth`) });
  fs.appendFileSync(path.join(repo, 'README.md'), 'edited\n');
  initRepository(repo, 'Initial commit (made by the service)');
  const adopt = (options: object) => {
    fs.writeFileSync(path.join(work, 'options.json'), JSON.stringify(options));
    return runCli(['update', '--add', '--adopt', '--dry-run', '--blueprint', blueprint, '--options', path.join(work, 'options.json')], { cwd: repo });
  };
  const wrong = adopt({ greeting: 'hello' });
  expect(wrong.code).toBe(0);
  expect(wrong.stdout).toContain('warning: 4 of the 4 files service-blueprint@1.0.0 generates with these options differ in this repository');
  const right = adopt({ greeting: 'hi' });
  expect(right.code).toBe(0);
  expect(right.stdout).toMatch(/kept +README\.md/);
  expect(right.stdout).not.toContain('generates with these options differ');
});
