import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * A blueprint's new version that turns a generated file into a folder of the same name (`config` becomes
 * `config/app.json`), or a folder into a file: the update lands it as `git merge` of its generated commit does.
 * Checking the work tree for untracked files in the way looked below the file for the folder's new entries, and
 * the file system's ENOTDIR ended the update (exit 1, Node's raw message).
 */
jest.setTimeout(300_000);

function projectOfLayout(name: string): string {
  const work = tempDir(`bluesynth-file-to-folder-${name}-`);
  const blueprint = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { layout: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'app' });
    new SourceFile(repository, 'README.md', 'one\\ntwo\\n');
    if (options.layout === 'folders') {
      new SourceFile(repository, 'config/app.json', '{}\\n');
      new SourceFile(repository, 'scripts', 'one script\\n');
    } else {
      new SourceFile(repository, 'config', 'port=1\\n');
      new SourceFile(repository, 'scripts/build.sh', 'build\\n');
    }
  }
}
`, { 'src/defaults.json': JSON.stringify({ layout: 'files' }) });
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  return path.join(work, 'project', 'app');
}

/** The work tree's files and the index (stages included), leaving out the instantiation record. */
function state(repo: string) {
  const index = git(repo, 'ls-files', '-s').split('\n').filter(line => !line.includes('.bluesynth/'));
  const files = git(repo, 'ls-files', '-o', '-c', '--exclude-standard').split('\n').filter(p => p && !p.startsWith('.bluesynth/'))
    .sort().map(p => `${p}: ${fs.existsSync(path.join(repo, p)) ? read(repo, p) : '(absent)'}`);
  return { index, files: [...new Set(files)] };
}

/** What `git merge --no-commit` of the update's generated commit leaves, from the state before the update. */
function byGitMerge(repo: string, generated: string) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };
  const merge = spawnSync('git', ['merge', '--no-commit', '--no-ff', generated], { cwd: repo, encoding: 'utf8', env });
  return { code: merge.status, ...state(repo) };
}

test('a file the blueprint turns into a folder, and a folder into a file, the project having changed neither: merged cleanly, as git merge does', () => {
  const repo = projectOfLayout('clean');
  fs.writeFileSync(path.join(repo, 'README.md'), 'one\ntwo\nthe team\'s line\n');
  const before = commitAll(repo, 'team edit');

  const update = runCli(['update', '--set', 'layout=folders'], { cwd: repo });
  expect(update.stderr).not.toContain('ENOTDIR');
  expect(update.code).toBe(0);
  expect(read(repo, 'config', 'app.json')).toBe('{}\n');
  expect(read(repo, 'scripts')).toBe('one script\n');
  expect(read(repo, 'README.md')).toBe('one\ntwo\nthe team\'s line\n');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  const ours = state(repo);

  const generated = git(repo, 'rev-parse', 'HEAD^2');
  git(repo, 'reset', '-q', '--hard', before);
  const theirs = byGitMerge(repo, generated);
  expect(theirs.code).toBe(0);
  expect(ours).toEqual({ index: theirs.index, files: theirs.files });
});
