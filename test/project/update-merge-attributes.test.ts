import * as fs from 'fs';
import * as path from 'path';
import { CLI, makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read, unmergedStages } from './git-fixtures';

/**
 * An update is a git merge: where its merge of a file conflicts, the repository's `merge` attribute
 * (.gitattributes) decides as it decides for `git merge` of the same commits.
 */
jest.setTimeout(300_000);

/** Each file holds `entry`; explicit.txt has an ownership entry of its own (preferProposed), the rest fall to the fallback. */
const SOURCE = `
import { Blueprint as ParentBlueprint, BlueprintOwnershipFile, MergeStrategies, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { entry: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    const entry = options.entry ? '- ' + options.entry + '\\n' : '';
    new SourceFile(repository, 'CHANGELOG.md', '# Changelog\\n\\n- initial\\n' + entry);
    for (const name of ['locked', 'driven', 'plain', 'explicit']) new SourceFile(repository, name + '.txt', name + ' ' + (options.entry || 'initial') + '\\n');
    new BlueprintOwnershipFile(repository, { resynthesis: { strategies: [{ identifier: 'explicit', strategy: MergeStrategies.preferProposed, globs: ['explicit.txt'] }] } } as any);
  }
}
`;

function project(name: string) {
  const work = tempDir(`bluesynth-attributes-${name}-`);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE, { 'src/defaults.json': JSON.stringify({ entry: '' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  const edit = (file: string, text: string) => fs.writeFileSync(path.join(repo, file), text);
  return { repo, edit };
}

/** A file as `git merge` of the update's generated commit into the commit the update started from leaves it (a clean merge). */
function gitMerged(repo: string, generated: string, head: string, file: string): string {
  git(repo, 'checkout', '--quiet', '--detach', head);
  git(repo, 'merge', '--no-edit', '--quiet', generated);
  return read(repo, file);
}

test.each(['in process', 'in a job'])('merge=union: both sides\' appended lines, cleanly, as git merge gives them (%s)', way => {
  const { repo, edit } = project(way === 'in process' ? 'union' : 'union-job');
  edit('.gitattributes', 'CHANGELOG.md merge=union\n');
  edit('CHANGELOG.md', '# Changelog\n\n- initial\n- team: added auth\n');
  const head = commitAll(repo, 'team changelog');

  // The job path is the one a blueprint merging in its own resynth() takes: same result.
  const update = runCli(['update', '--set', 'entry=blueprint 1.1: new CI', '--json', ...(way === 'in a job' ? ['--allow-local-strategies-run-commands'] : [])], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  const result = JSON.parse(update.stdout);
  expect(result.files.find((f: any) => f.path === 'CHANGELOG.md')).toEqual({
    path: 'CHANGELOG.md', outcome: 'updated', strategy: 'preferProposed', conflicts: 0, overridden: 0, bothKept: 1,
    note: "merged as git does for 'merge=union' (.gitattributes)",
  });
  const updated = read(repo, 'CHANGELOG.md');
  expect(updated).toBe('# Changelog\n\n- initial\n- team: added auth\n- blueprint 1.1: new CI\n');
  expect(gitMerged(repo, result.generated, head, 'CHANGELOG.md')).toBe(updated);
});

test('-merge: a conflict keeping the project\'s file, with git\'s stages; a driver: marked, and named; an explicit entry and the plain fallback as before', () => {
  const { repo, edit } = project('others');
  edit('.gitattributes', ['locked.txt -merge', 'driven.txt merge=mine', 'explicit.txt merge=union', ''].join('\n'));
  git(repo, 'config', 'merge.mine.driver', 'cp %B %A');
  for (const name of ['locked', 'driven', 'plain', 'explicit']) edit(`${name}.txt`, `${name} team\n`);
  const head = commitAll(repo, 'team edits');

  const update = runCli(['update', '--set', 'entry=v2', '--json'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(1);
  const result = JSON.parse(update.stdout);
  const byPath = Object.fromEntries(result.files.map((f: any) => [f.path, f]));
  expect(byPath['locked.txt']).toEqual({
    path: 'locked.txt', outcome: 'conflict', strategy: 'preferProposed', conflicts: 0, overridden: 0,
    note: "not merged, as git does for '-merge' (.gitattributes): the project's version is kept; the blueprint's is 'theirs' (git checkout --theirs -- locked.txt)",
  });
  expect(byPath['driven.txt']).toMatchObject({
    outcome: 'conflict', conflicts: 1, overridden: 0,
    note: "'merge=mine' (.gitattributes) names a merge driver, which blueprint update does not run: 'git checkout -m -- driven.txt' runs it on the three versions, then 'git add'",
  });
  // The blueprint's explicit entry decides its own conflicts; a file without an attribute keeps the fallback's result.
  expect(byPath['explicit.txt']).toMatchObject({ outcome: 'overridden', strategy: 'explicit' });
  expect(byPath['plain.txt']).toMatchObject({ outcome: 'overridden', strategy: 'preferProposed' });
  expect(read(repo, 'explicit.txt')).toBe('explicit v2\n');
  expect(read(repo, 'plain.txt')).toBe('plain v2\n');

  const ours = { locked: read(repo, 'locked.txt'), driven: read(repo, 'driven.txt'), stages: unmergedStages(repo) };
  expect(ours.locked).toBe('locked team\n');
  // Labelled as git merge labels its sides, the blueprint at its new version naming the side merged.
  expect(ours.driven).toBe('<<<<<<< HEAD\ndriven team\n=======\ndriven v2\n>>>>>>> test-blueprint@1.2.3\n');
  expect(Object.keys(ours.stages).sort()).toEqual(['driven.txt', 'locked.txt']);

  // What git merge leaves for the -merge file: the same file and the same three stages.
  git(repo, 'merge', '--abort');
  git(repo, 'checkout', '--quiet', '--detach', head);
  expect(() => git(repo, 'merge', '--no-edit', '--quiet', result.generated)).toThrow();
  expect(read(repo, 'locked.txt')).toBe(ours.locked);
  expect(unmergedStages(repo)['locked.txt']).toEqual(ours.stages['locked.txt']);
  // git runs the driver (cp %B %A: the blueprint's version); the update leaves the conflict for it.
  expect(read(repo, 'driven.txt')).toBe('driven v2\n');
  git(repo, 'merge', '--abort');

  // The summary counts no hunk for the -merge file: it holds no markers (the driver's file does).
  git(repo, 'checkout', '--quiet', '-');
  const summary = runCli(['update', '--set', 'entry=v2'], { cwd: repo });
  expect(summary.code).toBe(1);
  expect(summary.stdout).toContain("conflict   locked.txt (preferProposed; not merged, as git does for '-merge'");
  expect(summary.stdout).toMatch(/conflict +driven\.txt \(preferProposed; 1 conflict hunk; /);
  git(repo, 'merge', '--abort');
});

/** A package.json with the blueprint's version and dependencies. */
const PACKAGE_SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { version: string; extra: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    const dependencies = ['    "express": "^4.19.0"', ...(options.extra ? ['    "' + options.extra + '": "^1.0.0"'] : [])];
    new SourceFile(repository, 'package.json', '{\\n  "name": "app",\\n  "version": "' + options.version + '",\\n  "dependencies": {\\n' + dependencies.join(',\\n') + '\\n  }\\n}\\n');
  }
}
`;

test('merge=bluesynth: the update runs bluesynth\'s merge driver itself, and lands what git merge with the driver lands', () => {
  const work = tempDir('bluesynth-attributes-driver-');
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), PACKAGE_SOURCE, { 'src/defaults.json': JSON.stringify({ version: '1.0.0', extra: '' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  git(repo, 'config', 'merge.bluesynth.driver', `"${process.execPath}" "${CLI}" merge-driver --style diff3 %O %A %B %L %P %S %X %Y`);
  fs.writeFileSync(path.join(repo, '.gitattributes'), 'package.json merge=bluesynth\n');
  fs.writeFileSync(path.join(repo, 'package.json'), '{\n  "name": "app",\n  "version": "1.1.0",\n  "dependencies": {\n    "express": "^4.19.0",\n    "zod": "^3.23.0"\n  }\n}\n');
  const head = commitAll(repo, 'team: version and a dependency');

  const update = runCli(['update', '--set', 'version=2.0.0', '--set', 'extra=lodash', '--json'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(1);
  const result = JSON.parse(update.stdout);
  expect(result.files.find((f: any) => f.path === 'package.json')).toMatchObject({
    outcome: 'conflict', conflicts: 1,
    note: "merged as git does for 'merge=bluesynth' (.gitattributes): bluesynth's merge driver (structuredMerge), run by the update itself",
  });
  const updated = read(repo, 'package.json');
  // The version both changed is marked, in the driver's style; both dependencies added at the end are in, unmarked.
  expect(updated).toMatch(/<<<<<<< HEAD\n {2}"version": "1\.1\.0",\n\|{7} \w+\n {2}"version": "1\.0\.0",\n=======\n {2}"version": "2\.0\.0",\n>>>>>>> test-blueprint@1\.2\.3\n {2}"dependencies"/);
  expect(updated).toContain('"lodash": "^1.0.0"');
  expect(updated).toContain('"zod": "^3.23.0"');

  // git merge of the update's commit runs the driver: the same file.
  git(repo, 'merge', '--abort');
  git(repo, 'checkout', '--quiet', '--detach', head);
  expect(() => git(repo, 'merge', '--no-edit', '--quiet', result.generated)).toThrow();
  expect(read(repo, 'package.json')).toBe(updated.replace('>>>>>>> test-blueprint@1.2.3', `>>>>>>> ${result.generated}`));
  git(repo, 'merge', '--abort');
});
