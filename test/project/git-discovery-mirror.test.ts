import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint } from './git-fixtures';

/**
 * A blueprint source's mirror in the cache that is no repository any more must be cloned again, as one never made.
 * Its commands run with GIT_DIR set to it, so git never looks above it; but a mirror a cache restore (or a clean-up
 * cut short) left with its HEAD and not its objects and refs failed every command after, naming git's
 * 'not a git repository' and no way on.
 */
jest.setTimeout(120_000);

test('a mirror left with its HEAD only (objects/ and refs/ gone) is cloned again: check answers, and the project is left alone', () => {
  const work = tempDir('bluesynth-git-discovery-mirror-');
  const source = greetingBlueprint(path.join(work, 'blueprint'), 'web');
  git(source, 'init', '--quiet', '--initial-branch=main');
  commitAll(source, 'v1');
  git(source, 'tag', 'v1.0.0');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  expect(runCli(['create', '--blueprint', `${source}#v1.0.0`, path.join(work, 'project')], { env }).code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  const refs = git(repository, 'for-each-ref', '--format=%(refname) %(objectname)');

  const sources = path.join(work, 'cache', 'sources', 'git');
  const [mirror] = fs.readdirSync(sources).map(name => path.join(sources, name, 'mirror.git'));
  for (const entry of fs.readdirSync(mirror)) if (entry !== 'HEAD') fs.rmSync(path.join(mirror, entry), { recursive: true });

  const check = runCli(['check', '--json'], { cwd: repository, env });
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout).instantiations[0]).toMatchObject({ behind: false, reproducible: 'yes' });
  expect(git(mirror, 'rev-parse', '--is-bare-repository')).toBe('true');
  expect(git(repository, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(refs);
});
