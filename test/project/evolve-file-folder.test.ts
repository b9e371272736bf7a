import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read, taggedReleases } from './git-fixtures';

/**
 * A blueprint's release that turns a generated folder into a file (`tools/lint.txt` becomes `tools`) and a file
 * into a folder (`notes` becomes `notes/index.md`), where the project put a file of its own in the folder, or
 * changed the file under a strategy that keeps it. The update is refused, nothing changed; the message said only
 * "one side has a file there, the other a folder: rename or remove one of them on one side", and the user, who
 * can change one side only, was left to guess which side held what.
 */
jest.setTimeout(300_000);

function release(dir: string, version: string, folders: boolean): void {
  makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    if (${folders}) {
      new SourceFile(repository, 'tools', 'tools, one file\\n');
      new SourceFile(repository, 'notes/index.md', 'notes, a folder\\n');
    } else {
      new SourceFile(repository, 'tools/lint.txt', 'lint\\n');
      new SourceFile(repository, 'notes', 'notes, one file\\n');
    }
    new SourceFile(repository, '.ownership-file', '[threeWayMerge] test-blueprint\\nnotes\\n');
  }
}
`, { 'package.json': JSON.stringify({ name: 'test-blueprint', version }) });
}

let work: string;
let blueprint: string;

beforeAll(() => {
  work = tempDir('bluesynth-evolve-file-folder-');
  blueprint = path.join(work, 'blueprint');
  taggedReleases(blueprint, 2, (version, index) => release(blueprint, version, index === 1));
});

function project(name: string): string {
  expect(runCli(['create', '--blueprint', `${blueprint}#v1`, path.join(work, name)], { cwd: work }).code).toBe(0);
  return path.join(work, name, 'app');
}

test('a folder the blueprint makes a file, where the project keeps a file of its own: the message names the project\'s file to move, and nothing changes', () => {
  const repo = project('own-file');
  fs.writeFileSync(path.join(repo, 'tools', 'mine.txt'), 'the team\'s tool\n');
  const before = commitAll(repo, 'a tool of the team');

  for (const args of [['--dry-run'], []]) {
    const update = runCli(['update', '--to', 'v2', ...args], { cwd: repo });
    expect(update.code).toBe(2);
    expect(update.stderr).toContain("'tools' would be a file and also the folder of 'tools/mine.txt': the existing side (the project) has 'tools/mine.txt', " +
      "where the proposed side (the blueprint) has a file at 'tools'. Move or remove the existing side's 'tools/mine.txt'");
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }

  // The way the message names: the team's file moved out of the folder, and the update lands.
  git(repo, 'mv', 'tools/mine.txt', 'mine-tool.txt');
  commitAll(repo, 'the team\'s tool moved');
  const update = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(read(repo, 'tools')).toBe('tools, one file\n');
  expect(read(repo, 'mine-tool.txt')).toBe('the team\'s tool\n');
});

test('a file the blueprint makes a folder, where the project changed the file and threeWayMerge keeps it: the message names the project\'s file', () => {
  const repo = project('edited-file');
  fs.appendFileSync(path.join(repo, 'notes'), 'the team\'s note\n');
  const before = commitAll(repo, 'a note of the team');

  const update = runCli(['update', '--to', 'v2'], { cwd: repo });
  expect(update.code).toBe(2);
  expect(update.stderr).toContain("'notes' would be a file and also the folder of 'notes/index.md': the existing side (the project) has a file at 'notes', " +
    "where the proposed side (the blueprint) has 'notes/index.md'. Move or remove the existing side's 'notes'");
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(before);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});
