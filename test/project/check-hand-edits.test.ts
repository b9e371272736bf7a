import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, greetingBlueprint, OWNING_BLUEPRINT } from './git-fixtures';

/** check lists edits of every file the blueprint owns outright; only an alwaysUpdate file's edit is drift. */
jest.setTimeout(300_000);

test('edits of neverUpdate and onlyAdd files are listed but up to date; an edited alwaysUpdate file is out of date', () => {
  const work = tempDir('bluesynth-check-edits-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), OWNING_BLUEPRINT);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');

  fs.writeFileSync(path.join(repo, 'README.md'), '# app\n\nOur own words.\n');
  fs.writeFileSync(path.join(repo, 'config', 'local.json'), '{ "port": 8080 }\n');
  commitAll(repo, 'the team edits what is theirs');
  const theirs = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(theirs.stdout).instantiations[0].editedByHand).toEqual([
    { path: 'README.md', strategy: 'neverUpdate', declaredAt: '.ownership-file:1', drift: false },
    { path: 'config/local.json', strategy: 'onlyAdd', declaredAt: '.ownership-file:4', drift: false },
  ]);
  expect(theirs.code).toBe(0);
  const listed = runCli(['check'], { cwd: repo }).stdout;
  // Counted on the heading line, then one line each (the heading was left empty before).
  expect(listed).toContain(`  hand edits    ${JSON.parse(theirs.stdout).instantiations[0].editedByHand.length} files the blueprint owns outright:\n`);
  expect(listed).toContain("README.md (neverUpdate, .ownership-file:1): the project's to edit");

  fs.writeFileSync(path.join(repo, 'ci.yml'), 'on: [push, pull_request]\n');
  commitAll(repo, 'an edit the next update overwrites');
  const drifted = runCli(['check'], { cwd: repo });
  expect(drifted.stdout).toContain('ci.yml (alwaysUpdate, .ownership-file:7): the next update overwrites it');
  expect(drifted.stdout).toContain('not up to date');
  expect(drifted.code).toBe(1);
});

test('a file the blueprint owns that the project deleted is listed as deleted, with what the next update does about it, which it does', () => {
  const work = tempDir('bluesynth-check-deleted-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), OWNING_BLUEPRINT);
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  for (const file of ['README.md', 'config/local.json', 'ci.yml']) fs.rmSync(path.join(repo, file));
  commitAll(repo, 'the team deletes three generated files');

  const json = runCli(['check', '--json'], { cwd: repo });
  expect(JSON.parse(json.stdout).instantiations[0].editedByHand).toEqual([
    { path: 'README.md', strategy: 'neverUpdate', declaredAt: '.ownership-file:1', drift: false, deleted: 'stays deleted' },
    { path: 'ci.yml', strategy: 'alwaysUpdate', declaredAt: '.ownership-file:7', drift: true, deleted: 'restored by the next update' },
    { path: 'config/local.json', strategy: 'onlyAdd', declaredAt: '.ownership-file:4', drift: false, deleted: 'restored by the next update' },
  ]);
  const text = runCli(['check'], { cwd: repo }).stdout;
  expect(text).toContain('README.md (neverUpdate, .ownership-file:1): deleted; it stays deleted');
  expect(text).toContain('ci.yml (alwaysUpdate, .ownership-file:7): deleted; the next update writes it again');
  expect(text).toContain('config/local.json (onlyAdd, .ownership-file:4): deleted; the next update writes it again');

  // What it said is what the next update does.
  expect(runCli(['update'], { cwd: repo }).code).toBe(0);
  expect(fs.existsSync(path.join(repo, 'README.md'))).toBe(false);
  expect(fs.existsSync(path.join(repo, 'ci.yml'))).toBe(true);
  expect(fs.existsSync(path.join(repo, 'config', 'local.json'))).toBe(true);
});

test("a file the project edited that no entry owns outright is not what 'hand edits none' is about, and the line says so", () => {
  // A newcomer edits a generated file (merged by the fallback on update), commits, runs check and read
  // 'hand edits    none': the line counts only the files the blueprint owns outright.
  const work = tempDir('bluesynth-check-edits-merged-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'hello.txt'), 'hello\n\nOur own words.\n');
  commitAll(repo, 'the team edits a generated file');

  const check = runCli(['check'], { cwd: repo });
  expect(check.stdout).toContain('  hand edits    none to the files the blueprint owns outright (alwaysUpdate, neverUpdate, onlyAdd entries)\n');
  expect(check.code).toBe(0);
});

test('check --help says, as the first test finds, that only an alwaysUpdate file edited by hand makes exit 1', () => {
  // It said "1 ... edited by hand", so a team that edits its neverUpdate README expected its CI step to fail.
  const help = runCli(['check', '--help']).stdout.replace(/\s+/g, ' ');
  expect(help).toContain('1 behind (an update whose conflicts are still open included), not reproducible, an alwaysUpdate file edited by hand (neverUpdate and onlyAdd files are the project\'s to edit: listed only)');
});
