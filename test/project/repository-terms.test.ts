import * as fs from 'fs';
import * as path from 'path';
import { inRepositoryTerms } from '../../src/project/repository-terms';
import { runCli, tempDir } from '../util';
import { commitAll, greetingBlueprint } from './git-fixtures';

/** Inside a repository, update names its files as the repository has them, and says which ownership entries apply to nothing. */
jest.setTimeout(300_000);

test('bundle paths become repository paths, and only where a path starts', () => {
  expect(inRepositoryTerms('src/app/.ownership-file:20: unclosed', 'src/app/')).toBe('.ownership-file:20: unclosed');
  expect(inRepositoryTerms('see src/app/docs/.ownership-file:3 and lib/src/app/x', 'src/app/')).toBe('see docs/.ownership-file:3 and lib/src/app/x');
});

test('an entry whose owner names no blueprint of the repository is a warning; an .ownership-file that does not parse is named as the repository has it', () => {
  const work = tempDir('bluesynth-repository-terms-');
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'app');
  expect(runCli(['create', '--blueprint', blueprint, path.join(work, 'project')], { cwd: work }).code).toBe(0);
  const repo = path.join(work, 'project', 'app');
  fs.writeFileSync(path.join(repo, '.ownership-file'), '[neverUpdate] test-blueprint\nREADME.md\n\n[team_owned] orders-team\nhello.txt\n');
  commitAll(repo, 'the team protects its greeting');
  const update = runCli(['update', '--set', 'greeting=hi', '--dry-run'], { cwd: repo });
  expect(update.code).toBe(0);
  expect(update.stdout).toContain("warning: .ownership-file:4: [team_owned] orders-team: the owner names no blueprint of this repository (recorded: test-blueprint), so no update applies the entry");
  expect(update.stdout).not.toContain('.ownership-file:1:');

  fs.writeFileSync(path.join(repo, '.ownership-file'), '[broken test-blueprint\nhello.txt\n');
  commitAll(repo, 'a typo');
  const broken = runCli(['update', '--set', 'greeting=hi'], { cwd: repo });
  expect(broken.stderr).toMatch(/blueprint update: \.ownership-file:1: /);
  expect(broken.stderr).not.toContain('src/app/');
  expect(broken.code).toBe(2);
});
