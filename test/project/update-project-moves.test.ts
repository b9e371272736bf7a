import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, initRepository, read, replaceInFile, unmergedStages } from './git-fixtures';

/**
 * A generated file the project's developers moved: an update takes the blueprint's changes to the file's new
 * path, as `git merge` follows a rename on one side and a change on the other, and conflicts there.
 */
jest.setTimeout(300_000);

const GUIDE = Array.from({ length: 12 }, (_, i) => `Step ${i + 1} of the guide.`).join('\\n');

function guideBlueprint(dir: string): string {
  return makeBlueprint(dir, `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions { greeting: string }
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: 'docs' });
    new SourceFile(repository, 'docs/guide.md', options.greeting + '\\n${GUIDE}\\n');
  }
}
`, { 'src/defaults.json': JSON.stringify({ greeting: 'hello' }) });
}

test('the blueprint changes a file the project moved: merged into its new path, the tree git merge gives', () => {
  const work = tempDir('bluesynth-project-moves-');
  const blueprint = guideBlueprint(path.join(work, 'blueprint'));
  initRepository(blueprint, 'v1');
  git(blueprint, 'tag', 'v1.0.0');
  expect(runCli(['create', '--blueprint', `${blueprint}#v1.0.0`, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'docs');
  git(repo, 'mv', 'docs/guide.md', 'docs/manual.md');
  replaceInFile(path.join(repo, 'docs/manual.md'), 'Step 12 of the guide.', 'Step 12 of the manual, as the team wrote it.');
  commitAll(repo, 'the team renames the guide');

  const update = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toMatch(/updated +docs\/manual\.md \(.*the project moved it from docs\/guide\.md; the blueprint's changes followed\)/);
  expect(fs.existsSync(path.join(repo, 'docs/guide.md'))).toBe(false);
  expect(read(repo, 'docs/manual.md')).toMatch(/^hi\n[^]*Step 12 of the manual, as the team wrote it\.\n$/);
  // git's own merge of the same two commits gives the same tree.
  expect(git(repo, 'merge-tree', '--write-tree', 'HEAD^1', 'HEAD^2')).toBe(git(repo, 'rev-parse', 'HEAD^{tree}'));
  // The new baseline is the blueprint's output as it is, at the blueprint's path.
  expect(git(repo, 'show', 'HEAD^2:docs/guide.md')).toMatch(/^hi\n/);

  // Both change the moved file's first line: the conflict is at the new path, with git's three stages.
  replaceInFile(path.join(repo, 'docs/manual.md'), 'hi\n', 'Hi, team!\n');
  commitAll(repo, 'the team greets');
  const conflicted = runCli(['update', '--set', 'greeting=hey', '--fallback', 'threeWayMerge'], { cwd: repo });
  expect(conflicted.code).toBe(1);
  expect(conflicted.stdout).toMatch(/conflict +docs\/manual\.md/);
  const stages = unmergedStages(repo)['docs/manual.md'];
  expect(git(repo, 'cat-file', 'blob', stages[1])).toMatch(/^hi\n[^]*Step 12 of the guide\.$/);
  expect(git(repo, 'cat-file', 'blob', stages[2])).toMatch(/^Hi, team!\n/);
  expect(git(repo, 'cat-file', 'blob', stages[3])).toMatch(/^hey\n[^]*Step 12 of the guide\.$/);
  expect(read(repo, 'docs/manual.md')).toMatch(/^<<<<<<< .*\nHi, team!\n=======\nhey\n>>>>>>> /);
  expect(fs.existsSync(path.join(repo, 'docs/guide.md'))).toBe(false);
  fs.writeFileSync(path.join(repo, 'docs/manual.md'), read(repo, 'docs/manual.md').replace(/^<<<<<<< [^]*?>>>>>>> [^\n]*\n/, 'Hey, team!\n'));
  git(repo, 'add', 'docs/manual.md');
  git(repo, 'commit', '--no-edit');
  expect(runCli(['check'], { cwd: repo }).code).toBe(0);
});
