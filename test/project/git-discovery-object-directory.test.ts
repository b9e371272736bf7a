import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git, greetingBlueprint } from './git-fixtures';

/**
 * The repository variables the user set (here GIT_OBJECT_DIRECTORY: the objects kept apart from the git folder)
 * must not move what bluesynth reads about the repository: its `info/attributes` stays in the git folder.
 */
jest.setTimeout(120_000);

test('update where GIT_OBJECT_DIRECTORY keeps the objects apart honours the git folder\'s info/attributes, as git add does', () => {
  const work = tempDir('bluesynth-git-discovery-objects-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')]).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  const objects = path.join(work, 'objects');
  fs.renameSync(path.join(repository, '.git', 'objects'), objects);
  fs.mkdirSync(path.join(repository, '.git', 'objects'));
  fs.mkdirSync(path.join(repository, '.git', 'info'), { recursive: true });
  fs.writeFileSync(path.join(repository, '.git', 'info', 'attributes'), '*.txt text\n'); // git add stores LF
  const env = { GIT_OBJECT_DIRECTORY: objects };

  const updated = runCli(['update', '--set', 'greeting=a\r\nb'], { cwd: repository, env });
  expect(updated.output).toMatch(/updated/);
  expect(updated.code).toBe(0);

  const inGit = (...args: string[]) => {
    process.env.GIT_OBJECT_DIRECTORY = objects;
    try {
      return git(repository, ...args);
    } finally {
      delete process.env.GIT_OBJECT_DIRECTORY;
    }
  };
  expect(inGit('cat-file', 'blob', 'HEAD:hello.txt')).toBe('a\nb');
  // What git add would have stored: nothing for git status to show.
  expect(inGit('status', '--porcelain')).toBe('');
});
