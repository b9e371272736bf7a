import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, taggedReleases } from './git-fixtures';

/**
 * Files of every kind git tracks, through an update as `git merge` of its generated commit lands them.
 *
 * - A symbolic link the team committed that leads out of the repository (`/etc/hostname`, a sibling checkout),
 *   which the blueprint never generated: every update and dry run was refused (exit 2, "points outside its
 *   repository; a merged bundle keeps no such link"), whatever the blueprint changed. git merge keeps it.
 * - A clone with `core.filemode=false` (Windows, a FAT drive) whose `.gitattributes` makes git add convert line
 *   ends: the generated commit took each script's mode from the baseline instead of the blueprint, so a script the
 *   blueprint made executable stayed 100644 in the project, silently, and `check` called the result reproducible.
 * - `update --dry-run --diff` of a file with a byte that is not UTF-8 (latin1 `caf\xe9`): each such byte was printed
 *   as U+FFFD (three other bytes), so the printed diff was not the one git shows once landed, and did not apply.
 * - A script the team made executable and edited, which the new version made executable too, was reported `kept`
 *   ("the blueprint changed it; 'preferProposed' kept the project's version"), as if the blueprint's change were left out.
 * - A decomposed (NFD) name in a command the summary tells the user to run was written `"cafe\u0301.txt"`: in a
 *   shell's double quotes that names no file, and the copied `git diff HEAD^1 HEAD -- ...` showed nothing.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, executable: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, File, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, '.gitattributes', '* text=auto\\n*.bat eol=crlf\\n');
    new SourceFile(repository, 'run.bat', '@echo off\\r\\necho ${version}\\r\\n');
    new File(repository, 'latin1.txt', Buffer.from('caf\\xe9 ${version}\\n', 'latin1'));
    new SourceFile(repository, 'cafe\\u0301.txt', 'decomposed ${version}\\n');
    new SourceFile(repository, 'scripts/deploy.sh', '#!/bin/sh\\necho deploy\\n', { mode: ${executable ? '0o755' : '0o644'} });
    new SourceFile(repository, 'scripts/build.sh', '#!/bin/sh\\necho build\\n', { mode: ${executable ? '0o644' : '0o755'} });
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });
}

let work: string;
let blueprint: string;

beforeAll(() => {
  work = tempDir('bluesynth-update-file-kinds-');
  blueprint = path.join(work, 'blueprint');
  taggedReleases(blueprint, 2, (version, index) => release(blueprint, version, index === 1));
});

function project(name: string): string {
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, name)], { cwd: work }).code).toBe(0);
  return path.join(work, name, 'app');
}

const modes = (repo: string, treeish: string) => Object.fromEntries(
  git(repo, 'ls-tree', '-r', treeish).split('\n').map(line => [line.split('\t')[1], line.split(' ')[0]]));

test('the team\'s own links out of the repository are kept, and the update lands; a decomposed name in the summary\'s command names the file', () => {
  const repo = project('links');
  fs.writeFileSync(path.join(repo, 'cafe\u0301.txt'), 'the team\'s\n');
  fs.symlinkSync('/etc/hostname', path.join(repo, 'host'));
  fs.symlinkSync('../../shared/config', path.join(repo, 'shared'));
  fs.symlinkSync('run.bat', path.join(repo, 'run-link'));
  commitAll(repo, 'links of the team');

  const dryRun = runCli(['update', '--to', 'v2', '--dry-run'], { cwd: repo });
  expect(dryRun.output).not.toMatch(/points outside/);
  expect(dryRun.code).toBe(0);
  const update = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(modes(repo, 'HEAD')).toMatchObject({ 'host': '120000', 'shared': '120000', 'run-link': '120000' });
  expect(fs.readlinkSync(path.join(repo, 'host'))).toBe('/etc/hostname');
  expect(git(repo, 'status', '--porcelain')).toBe('');

  // The fallback took the blueprint's line over the team's: the summary says which command shows it.
  const command = /'(git diff HEAD\^1 HEAD -- .*)' shows what changed/.exec(update.stdout)?.[1];
  expect(command).toBe("git diff HEAD^1 HEAD -- $'cafe\\u0301.txt'");
  const shown = spawnSync('bash', ['-c', command!], { cwd: repo, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  expect(shown.stdout).toContain("-the team's\n+decomposed 2.0.0\n");
});

test('with core.filemode=false and line ends to convert, the blueprint\'s modes land as it generates them', () => {
  const repo = project('filemode');
  git(repo, 'config', 'core.filemode', 'false');

  const update = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(update.stdout).toMatch(/updated +scripts\/deploy\.sh \(preferProposed; the mode only: made executable \(100755\)\)/);
  const expected = { 'scripts/deploy.sh': '100755', 'scripts/build.sh': '100644' };
  // The generated commit (the next update's ancestor) and the merge both.
  expect(modes(repo, 'HEAD^2')).toMatchObject(expected);
  expect(modes(repo, 'HEAD')).toMatchObject(expected);
  expect(fs.statSync(path.join(repo, 'scripts', 'deploy.sh')).mode & 0o111).not.toBe(0);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('the dry run\'s diff of a file that is not UTF-8 holds its bytes, as git diff shows them once landed; a script the team already made executable is not kept', () => {
  const repo = project('latin1');
  // The team made the script executable, as the new version does, and edited it: none of the blueprint's change is left out.
  fs.chmodSync(path.join(repo, 'scripts', 'deploy.sh'), 0o755);
  fs.appendFileSync(path.join(repo, 'scripts', 'deploy.sh'), 'echo the team\n');
  commitAll(repo, 'deploy runs directly');
  const dryRun = spawnSync(process.execPath, [CLI, 'update', '--to', 'v2', '--dry-run', '--diff'], { cwd: repo });
  expect(dryRun.status).toBe(0);
  const stdout = dryRun.stdout as Buffer;
  const patch = stdout.subarray(stdout.indexOf('\ndiff --git ') + 1);
  expect(patch.includes(Buffer.from('-caf\xe9 1.0.0\n+caf\xe9 2.0.0\n', 'latin1'))).toBe(true);
  expect(stdout.toString()).toContain(' 0 kept as the project has them');
  expect(runCli(['update', '--to', 'v2'], { cwd: repo }).code).toBe(0);
  const landed = spawnSync('git', ['diff', '--no-renames', '--no-color', 'HEAD^1', 'HEAD', '--', '.', ':(exclude).bluesynth'], { cwd: repo });
  expect(patch.toString('latin1')).toBe((landed.stdout as Buffer).toString('latin1'));
});
