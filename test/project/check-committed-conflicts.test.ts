import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git } from './git-fixtures';

/**
 * An update's conflicts added and committed without being resolved (`git add -A && git commit`, or a fleet's
 * `--push-conflicts`) leave markers in the files: check says so, by file and line, and exits 1 until they are resolved.
 */
jest.setTimeout(300_000);

const SOURCE = (files: Record<string, string>) => `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: ParentOptions) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    for (const [file, text] of Object.entries(${JSON.stringify(files)})) new SourceFile(repository, file, text);
  }
}
`;

const VERSION = (version: string) => ({ 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });

/** A project whose notes.txt the project and the blueprint's version 1.3.0 changed on the same line. */
function conflictingUpdate(work: string): string {
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE({ 'notes.txt': 'intro\nbody\n' }));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours\n');
  commitAll(repo, 'ours');
  makeBlueprint(blueprint, SOURCE({ 'notes.txt': 'intro\ntheirs\n' }), VERSION('1.3.0'));
  expect(runCli(['update', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);
  return repo;
}

test('conflicts committed with their markers: check exits 1 naming the file and line, text and --json; resolved and committed, 0', () => {
  const repo = conflictingUpdate(tempDir('bluesynth-committed-conflicts-'));
  // As a developer in a hurry: everything added, committed with git's message in the editor (which strips its
  // '# Conflicts:' list), so that only the files say what is left.
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet');
  expect(git(repo, 'log', '-1', '--format=%B')).not.toContain('Conflicts');

  const check = runCli(['check', '--no-reproduce'], { cwd: repo });
  expect(check.code).toBe(1);
  expect(check.stdout).toContain('version       up to date');
  expect(check.stdout).toContain('conflicts     1 file still holds the conflict markers the update to 1.3.0 committed: resolve them and commit\n    notes.txt:2\n');
  expect(check.stdout).toMatch(/not up to date\n$/);
  const json = runCli(['check', '--no-reproduce', '--json'], { cwd: repo });
  expect(json.code).toBe(1);
  const result = JSON.parse(json.stdout);
  expect(result.upToDate).toBe(false);
  expect(result.instantiations[0].unresolvedConflicts).toEqual([{ path: 'notes.txt', line: 2 }]);

  // Half resolved (a conflict left in another place of the file) is still unresolved, at its new line.
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours\ntheirs\n<<<<<<< existing\na\n=======\nb\n>>>>>>> proposed\n');
  commitAll(repo, 'half resolved');
  expect(JSON.parse(runCli(['check', '--no-reproduce', '--json'], { cwd: repo }).stdout).instantiations[0].unresolvedConflicts).toEqual([{ path: 'notes.txt', line: 4 }]);

  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours\ntheirs\n');
  commitAll(repo, 'resolved');
  const after = runCli(['check', '--no-reproduce'], { cwd: repo });
  expect(after.stdout).not.toContain('conflicts');
  expect(after.stdout).toMatch(/\nup to date\n$/);
  expect(after.code).toBe(0);
});

test('conflicts committed by the fleet\'s way (git add --all, commit --no-edit) are found alike; resolved in the merge itself, none', () => {
  const repo = conflictingUpdate(tempDir('bluesynth-committed-conflicts-'));
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '--no-edit');
  expect(JSON.parse(runCli(['check', '--no-reproduce', '--json'], { cwd: repo }).stdout).instantiations[0].unresolvedConflicts).toEqual([{ path: 'notes.txt', line: 2 }]);

  // The same update resolved before its merge was committed.
  git(repo, 'reset', '--quiet', '--hard', 'HEAD^');
  expect(runCli(['update', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(1);
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours and theirs\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--no-edit');
  const check = runCli(['check', '--no-reproduce', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0].unresolvedConflicts).toEqual([]);
  expect(check.code).toBe(0);
});

test('markers a file of the project held before the update (an example of a conflict), and a lone =======, are not the update\'s', () => {
  const work = tempDir('bluesynth-committed-conflicts-');
  const example = (line: string) => `# Conflicts\n=======\n\n${line}\n\n<<<<<<< existing\nmine\n=======\ntheirs\n>>>>>>> proposed\n\nend\n`;
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE({ 'guide.md': example('v1') }));
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, 'guide.md'), example('v1').replace('end', 'end, with our note'));
  commitAll(repo, 'our note');
  makeBlueprint(blueprint, SOURCE({ 'guide.md': example('v2') }), VERSION('1.3.0'));
  // A clean merge of both sides' changes: the merged file differs from both parents and holds the example's markers.
  expect(runCli(['update', '--fallback', 'threeWayMerge'], { cwd: repo }).code).toBe(0);
  expect(fs.readFileSync(path.join(repo, 'guide.md'), 'utf8')).toBe(example('v2').replace('end', 'end, with our note'));
  const check = runCli(['check', '--no-reproduce', '--json'], { cwd: repo });
  expect(JSON.parse(check.stdout).instantiations[0].unresolvedConflicts).toEqual([]);
  expect(check.code).toBe(0);
});

test('markers a rebase left in a generated file (stopped on conflicts, git add -A, continued) are found, whatever commit put them there', () => {
  const repo = conflictingUpdate(tempDir('bluesynth-committed-conflicts-'));
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours and theirs\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--no-edit');
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nfinal words\n');
  commitAll(repo, 'tweak');
  // The history rewritten under the update (a commit of the project reworded): git makes the update's merge again,
  // which conflicts and is resolved otherwise; the project's commit after it then conflicts, and is added as it is.
  const rebase = (...args: string[]) => spawnSync('git', ['rebase', ...args], {
    cwd: repo, encoding: 'utf8',
    env: { ...process.env, GIT_SEQUENCE_EDITOR: 'sed -i "s/^pick \\(.*\\) ours$/reword \\1 ours/"', GIT_EDITOR: 'sed -i "1s/^ours$/ours, reworded/"' },
  });
  expect(rebase('-i', '--rebase-merges', '--root').status).not.toBe(0);
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\nours, theirs\n');
  git(repo, 'add', '-A');
  expect(rebase('--continue').status).not.toBe(0);
  expect(fs.readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toContain('<<<<<<< HEAD\nours, theirs\n=======\nfinal words\n>>>>>>> ');
  git(repo, 'add', '-A');
  expect(rebase('--continue').status).toBe(0);
  expect(git(repo, 'log', '-1', '--format=%s')).toBe('tweak');

  const check = runCli(['check', '--no-reproduce'], { cwd: repo });
  expect(check.stdout).toContain('conflicts     1 file the blueprint generated still holds conflict markers a commit since the update left');
  expect(check.stdout).toContain('\n    notes.txt:2\n');
  expect(check.code).toBe(1);
  const json = runCli(['check', '--no-reproduce', '--json'], { cwd: repo });
  expect(JSON.parse(json.stdout).instantiations[0].unresolvedConflicts).toEqual([{ path: 'notes.txt', line: 2, afterUpdate: true }]);
  expect(json.code).toBe(1);

  // A conflict whose markers end in a tab and CRLF line ends (a merge driver's, a file checked out with CRLF) is one too.
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'intro\r\n<<<<<<<\tours\r\na\r\n=======\r\nb\r\n>>>>>>>\ttheirs\r\n');
  commitAll(repo, 'tabbed');
  expect(JSON.parse(runCli(['check', '--no-reproduce', '--json'], { cwd: repo }).stdout).instantiations[0].unresolvedConflicts).toEqual([{ path: 'notes.txt', line: 2, afterUpdate: true }]);

  // Lines like a conflict's that make none (a setext heading, an opening with no closing) are not one.
  fs.writeFileSync(path.join(repo, 'notes.txt'), 'Intro\n=======\n\n<<<<<<< not closed\nfinal words\n');
  commitAll(repo, 'heading');
  expect(runCli(['check', '--no-reproduce'], { cwd: repo }).code).toBe(0);
});
