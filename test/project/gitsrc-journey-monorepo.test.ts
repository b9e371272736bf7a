import * as path from 'path';
import { runCli, tempDir } from '../util';
import { commitAll, git, greetingBlueprint, read } from './git-fixtures';

/**
 * A blueprint kept in a subfolder of a monorepo: no spec could name it, and the repository's root was run as the
 * blueprint, failing on the root's package.json named by its path in the cache. `URL#REF:FOLDER` names the folder
 * as git names a folder at a revision; the root, when it is no blueprint, is refused with the spec that works.
 */
jest.setTimeout(120_000);

test('a blueprint in a monorepo subfolder: URL#REF:FOLDER creates, checks and updates; the bare root names the subfolder', () => {
  const work = tempDir('bluesynth-gitsrc-journey-monorepo-');
  const mono = path.join(work, 'mono');
  greetingBlueprint(path.join(mono, 'blueprints', 'service'), 'web');
  greetingBlueprint(path.join(mono, 'blueprints', 'site'), 'site');
  git(mono, 'init', '--quiet', '--initial-branch=main');
  commitAll(mono, 'monorepo');
  git(mono, 'tag', 'v1.0.0');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };

  const root = runCli(['create', '--blueprint', `${mono}#v1.0.0`, path.join(work, 'root')], { env });
  expect(root.stderr).toContain(`blueprint source '${mono}#v1.0.0': the repository's root is no blueprint (no src/index.ts), but subfolders hold some: ` +
    `blueprints/service, blueprints/site; name it after the ref, as '${mono}#v1.0.0:blueprints/service'`);
  expect(root.code).toBe(2);

  const missing = runCli(['create', '--blueprint', `${mono}#v1.0.0:blueprints/nope`, path.join(work, 'missing')], { env });
  expect(missing.stderr).toContain(`the repository has no folder 'blueprints/nope' at v1.0.0`);
  expect(missing.code).toBe(2);
  expect(runCli(['create', '--blueprint', `${mono}#:../outside`, path.join(work, 'outside')], { env }).code).toBe(2);

  const create = runCli(['create', '--blueprint', `${mono}#:blueprints/service/`, path.join(work, 'project')], { env });
  expect(create.code).toBe(0);
  const repository = path.join(work, 'project', 'web');
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${mono}#v1.0.0:blueprints/service`);

  greetingBlueprint(path.join(mono, 'blueprints', 'service'), 'web', ['added.txt']);
  commitAll(mono, 'service 1.1');
  git(mono, 'tag', 'v1.1.0');
  const check = runCli(['check'], { cwd: repository, env });
  expect(check.stdout).toContain('behind: v1.1.0 is available');
  expect(runCli(['update'], { cwd: repository, env }).code).toBe(0);
  expect(read(repository, 'added.txt')).toBe('added.txt\n');
  expect(JSON.parse(read(repository, '.bluesynth', 'instantiations.json'))[0].source).toBe(`${mono}#v1.1.0:blueprints/service`);
  expect(runCli(['check'], { cwd: repository, env }).code).toBe(0);
});
