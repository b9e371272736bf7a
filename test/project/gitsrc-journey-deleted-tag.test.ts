import * as path from 'path';
import { runCli, tempDir } from '../util';
import { git, read, twoReleaseBlueprint } from './git-fixtures';

/**
 * A release tag deleted upstream (a release withdrawn) after a project used it: check said the project was up to
 * date and nothing more, and `update` without `--to` took it back to the newest tag left, an older version, with
 * only a warning. An update without `--to` never goes back on its own; it refuses, naming the tag and the way on.
 */
jest.setTimeout(120_000);

test('a recorded tag deleted upstream: check notes it, update without --to refuses and changes nothing, --to goes back', () => {
  const work = tempDir('bluesynth-gitsrc-journey-deleted-tag-');
  const source = twoReleaseBlueprint(work);
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', `${source}#v1.10.0`, path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  const head = git(repository, 'rev-parse', 'HEAD');

  git(source, 'tag', '-d', 'v1.10.0');
  const check = runCli(['check'], { cwd: repository, env });
  expect(check.stdout).toContain(`the recorded tag v1.10.0 is no longer in the blueprint repository ${source} (deleted upstream?)`);
  expect(check.code).toBe(0);

  const update = runCli(['update'], { cwd: repository, env });
  expect(update.stderr).toContain(`the recorded tag v1.10.0 is no longer in the blueprint repository ${source} (deleted upstream?) and its newest version, v1.9.0, is older: 'blueprint update --to v1.9.0' goes back to it`);
  expect(update.code).toBe(2);
  expect(git(repository, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(repository, 'status', '--porcelain')).toBe('');

  const back = runCli(['update', '--to', 'v1.9.0'], { cwd: repository, env });
  expect(back.code).toBe(0);
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${source}#v1.9.0`);
});
