import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read, replaceInFile } from './git-fixtures';

/**
 * Line ends and filters: an update merges files as the repository stores them (`git add`'s conversion:
 * `text`, `eol`, `filter=`), and with `merge.renormalize` as git renormalises them, so a one-line edit of the
 * team's in a CRLF or filtered file merges as `git merge` of the same generated commit merges it.
 */
jest.setTimeout(300_000);

/**
 * `attributes` (a `.gitattributes` of the blueprint's), a CRLF `run.bat` with `set PORT=<port>` when `port` is
 * set, `secret.txt` with `delta` when `more` is set, and `note.txt` when `note` is set.
 */
const SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { attributes: string; port: string; more: string; note: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    if (options.attributes) new SourceFile(repository, '.gitattributes', options.attributes + '\\n');
    const port = options.port ? 'set PORT=' + options.port + '\\r\\n' : '';
    new SourceFile(repository, 'run.bat', '@echo off\\r\\n' + port + 'rem a\\r\\nrem b\\r\\nnode main.js\\r\\n');
    new SourceFile(repository, 'secret.txt', 'alpha\\nbeta\\ngamma\\n' + (options.more ? 'delta\\n' : ''));
    if (options.note) new SourceFile(repository, 'note.txt', options.note + '\\n');
  }
}
`;

function project(name: string, attributes = '') {
  const work = tempDir(`bluesynth-line-ends-${name}-`);
  const defaults = { attributes, port: '', more: '', note: '' };
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE, { 'src/defaults.json': JSON.stringify(defaults) });
  const created = runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work });
  expect(created.output).not.toMatch(/error/i);
  expect(created.code).toBe(0);
  return path.join(work, 'project', 'app');
}

function update(repo: string, ...args: string[]) {
  const run = runCli(['update', '--json', ...args], { cwd: repo });
  expect(run.stderr).toBe('');
  return { code: run.code, result: JSON.parse(run.stdout) };
}

function fileReport(result: any, file: string) {
  return result.files.find((f: any) => f.path === file);
}

/** The blob `git merge` of the update's generated commit into `head` stores for `file`, and the work tree's file. */
function gitMerged(repo: string, generated: string, head: string, file: string, config: string[] = []): { blob: string; file: string } {
  git(repo, 'checkout', '--quiet', '--detach', head);
  git(repo, ...config, 'merge', '--no-edit', '--quiet', generated);
  return { blob: git(repo, 'rev-parse', `HEAD:${file}`), file: fs.readFileSync(path.join(repo, file), 'latin1') };
}

const blob = (repo: string, spec: string) => git(repo, 'cat-file', '-p', spec);

test('the blueprint\'s own `* text=auto` and a CRLF file: the team\'s edit is merged, as git merge merges it; the baseline is stored as git add stores it', () => {
  const repo = project('shipped', '* text=auto');
  // create stores the file as git add does (LF) and checks it out so.
  expect(blob(repo, 'HEAD:run.bat')).not.toContain('\r');
  replaceInFile(path.join(repo, 'run.bat'), 'node main.js', 'node --enable-source-maps main.js');
  const head = commitAll(repo, 'team: source maps');

  const { code, result } = update(repo, '--set', 'port=1');
  expect(code).toBe(0);
  expect(fileReport(result, 'run.bat')).toEqual({ path: 'run.bat', outcome: 'updated', strategy: 'preferProposed', conflicts: 0, overridden: 0 });
  const merged = fs.readFileSync(path.join(repo, 'run.bat'), 'latin1');
  expect(merged).toBe('@echo off\nset PORT=1\nrem a\nrem b\nnode --enable-source-maps main.js\n');
  // The new baseline stores the file as git add would, and the merge is git's.
  expect(blob(repo, `${result.generated}:run.bat`)).not.toContain('\r');
  const mergedBlob = git(repo, 'rev-parse', 'HEAD:run.bat');
  expect(gitMerged(repo, result.generated, head, 'run.bat')).toEqual({ blob: mergedBlob, file: merged });
});

/** `check --json`'s answer for the one instantiation: reproducible, and the files that differ. */
function check(repo: string) {
  const run = runCli(['check', '--json'], { cwd: repo });
  expect(run.stderr).toBe('');
  const { reproducible, differing } = JSON.parse(run.stdout).instantiations[0];
  return { code: run.code, reproducible, differing };
}

test('a version that leaves a CRLF file under `* text=auto` as it was: not reported updated, the merge does not touch it, and check finds it reproducible', () => {
  const repo = project('unchanged', '* text=auto');
  // The baseline stores run.bat with LF, as git add does: regenerated with CRLF, it is still what the blueprint makes.
  expect(check(repo)).toEqual({ code: 0, reproducible: 'yes', differing: undefined });
  const { code, result } = update(repo, '--set', 'note=hello');
  expect(code).toBe(0);
  expect(fileReport(result, 'run.bat')).toMatchObject({ outcome: 'unchanged' });
  expect(fileReport(result, 'note.txt')).toMatchObject({ outcome: 'added' });
  expect(git(repo, 'diff', '--name-only', 'HEAD~1', 'HEAD').split('\n')).toEqual(['.bluesynth/instantiations.json', 'note.txt']);
  expect(check(repo)).toEqual({ code: 0, reproducible: 'yes', differing: undefined });
});

test.each(['.gitattributes', '.git/info/attributes'])('the team adds `*.bat text eol=crlf` (in %s) after CRLF baselines; with merge.renormalize the update merges cleanly, as git merge does', attributes => {
  const repo = project(attributes === '.gitattributes' ? 'team' : 'info');
  fs.mkdirSync(path.dirname(path.join(repo, attributes)), { recursive: true });
  fs.writeFileSync(path.join(repo, attributes), '*.bat text eol=crlf\n');
  git(repo, 'add', '--renormalize', '.');
  commitAll(repo, 'team: eol attributes');
  replaceInFile(path.join(repo, 'run.bat'), 'node main.js', 'node --enable-source-maps main.js');
  const head = commitAll(repo, 'team: source maps');
  git(repo, 'config', 'merge.renormalize', 'true');

  const expected = { path: 'run.bat', outcome: 'updated', strategy: 'preferProposed', conflicts: 0, overridden: 0 };
  // A dry run writes its objects elsewhere: renormalised there too.
  const dry = update(repo, '--set', 'port=8080', '--dry-run');
  expect(dry.code).toBe(0);
  expect(fileReport(dry.result, 'run.bat')).toEqual(expected);

  const { code, result } = update(repo, '--set', 'port=8080');
  expect(code).toBe(0);
  expect(fileReport(result, 'run.bat')).toEqual(expected);
  const merged = fs.readFileSync(path.join(repo, 'run.bat'), 'latin1');
  expect(merged).toBe('@echo off\r\nset PORT=8080\r\nrem a\r\nrem b\r\nnode --enable-source-maps main.js\r\n');
  expect(blob(repo, 'HEAD:run.bat')).not.toContain('\r');
  const mergedBlob = git(repo, 'rev-parse', 'HEAD:run.bat');
  expect(gitMerged(repo, result.generated, head, 'run.bat')).toEqual({ blob: mergedBlob, file: merged });
});

test('a clean/smudge filter the team added: with merge.renormalize the update merges the filtered file cleanly, as git merge does', () => {
  const repo = project('filter');
  // An idempotent stand-in for LFS: the repository stores each line as ENC:<line>.
  git(repo, 'config', 'filter.enc.clean', "sed -e 's/^\\(ENC:\\)\\{0,1\\}/ENC:/'");
  git(repo, 'config', 'filter.enc.smudge', "sed -e 's/^ENC://'");
  git(repo, 'config', 'merge.renormalize', 'true');
  fs.writeFileSync(path.join(repo, '.gitattributes'), 'secret.txt filter=enc\n');
  git(repo, 'add', '.gitattributes');
  git(repo, 'add', '--renormalize', '.');
  commitAll(repo, 'team: secret.txt through a filter');
  replaceInFile(path.join(repo, 'secret.txt'), 'beta', 'beta-team');
  const head = commitAll(repo, 'team edit');
  expect(blob(repo, 'HEAD:secret.txt')).toBe('ENC:alpha\nENC:beta-team\nENC:gamma');

  const { code, result } = update(repo, '--set', 'more=yes');
  expect(code).toBe(0);
  expect(fileReport(result, 'secret.txt')).toEqual({ path: 'secret.txt', outcome: 'updated', strategy: 'preferProposed', conflicts: 0, overridden: 0 });
  expect(read(repo, 'secret.txt')).toBe('alpha\nbeta-team\ngamma\ndelta\n');
  expect(blob(repo, 'HEAD:secret.txt')).toBe('ENC:alpha\nENC:beta-team\nENC:gamma\nENC:delta');
  const mergedBlob = git(repo, 'rev-parse', 'HEAD:secret.txt');
  expect(gitMerged(repo, result.generated, head, 'secret.txt')).toEqual({ blob: mergedBlob, file: 'alpha\nbeta-team\ngamma\ndelta\n' });
});
