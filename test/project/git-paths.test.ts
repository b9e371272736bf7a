import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { tempDir } from '../util';
import { git } from './git-fixtures';

// Git.gitPaths: where a file of the git folder is (MERGE_HEAD, info/attributes), as `git rev-parse --git-path`
// says, without asking git where the answer is plain.

/** What git itself says, for comparison. */
function gitSays(dir: string, name: string, env: NodeJS.ProcessEnv = process.env): string {
  return fs.realpathSync.native(path.dirname(execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-path', name], { cwd: dir, env, encoding: 'utf8' }).trim())) + path.sep + path.basename(name);
}

const real = (file: string) => fs.realpathSync.native(path.dirname(file)) + path.sep + path.basename(file);

test('in an ordinary work tree the files are in its .git folder, found without a git process', () => {
  const dir = tempDir();
  git(dir, 'init', '--quiet');
  const names = ['MERGE_HEAD', 'info/attributes', 'rebase-merge'];
  expect(new Git(dir).gitPaths(...names).map(real)).toEqual(names.map(name => gitSays(dir, name)));
  // A .git folder that git would not even open: the answer came from the folder alone.
  const fake = tempDir();
  fs.mkdirSync(path.join(fake, '.git'));
  expect(new Git(fake).gitPaths('MERGE_HEAD')).toEqual([path.join(fake, '.git', 'MERGE_HEAD')]);
});

test('a linked work tree and the names git may relocate are answered by git', () => {
  const dir = tempDir();
  git(dir, 'init', '--quiet');
  git(dir, 'commit', '--quiet', '--allow-empty', '-m', 'first');
  const linked = path.join(tempDir(), 'linked');
  git(dir, 'worktree', 'add', '--quiet', linked);
  for (const name of ['MERGE_HEAD', 'info/attributes']) expect(real(new Git(linked).gitPath(name))).toBe(gitSays(linked, name));

  const saved = process.env.GIT_OBJECT_DIRECTORY;
  const elsewhere = path.join(tempDir(), 'objects');
  fs.mkdirSync(elsewhere);
  process.env.GIT_OBJECT_DIRECTORY = elsewhere;
  try {
    expect(real(new Git(dir).gitPath('objects'))).toBe(real(elsewhere));
  } finally {
    if (saved === undefined) delete process.env.GIT_OBJECT_DIRECTORY;
    else process.env.GIT_OBJECT_DIRECTORY = saved;
  }
});
