import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * A blueprint whose static assets are a submodule (shared with other blueprints) failed as a git source: the bare
 * mirror holds no submodule files, and the blueprint died on ENOENT for a path in the cache. The checkout now has
 * its submodules, as `git clone --recurse-submodules` does, a relative `.gitmodules` URL resolved as git does.
 */
jest.setTimeout(120_000);

/** A blueprint repository tagged v1.0.0 whose static-assets/shared is a submodule (../shared) pinned at its first commit. */
function blueprintWithSubmodule(work: string): string {
  const shared = path.join(work, 'shared');
  fs.mkdirSync(shared);
  fs.writeFileSync(path.join(shared, 'asset.txt'), 'shared v1\n');
  git(shared, 'init', '--quiet', '--initial-branch=main');
  commitAll(shared, 'v1');
  const pinned = git(shared, 'rev-parse', 'HEAD');
  fs.writeFileSync(path.join(shared, 'asset.txt'), 'shared v2, not pinned\n');
  commitAll(shared, 'v2');

  const source = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository, StaticAsset } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'web' }), 'asset.txt', new StaticAsset('shared/asset.txt').toString());
  }
}
`);
  git(source, 'init', '--quiet', '--initial-branch=main');
  git(source, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', '../shared', 'static-assets/shared');
  git(path.join(source, 'static-assets', 'shared'), 'checkout', '--quiet', pinned);
  commitAll(source, 'with shared assets');
  git(source, 'tag', 'v1.0.0');
  return source;
}

test('a blueprint repository with a submodule (relative URL) runs with the submodule files at the recorded commit', () => {
  const work = tempDir('bluesynth-gitsrc-journey-submodule-');
  const source = blueprintWithSubmodule(work);
  expect(git(source, 'config', '-f', '.gitmodules', 'submodule.static-assets/shared.url')).toBe('../shared');

  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  const create = runCli(['create', '--blueprint', `${source}#v1.0.0`, path.join(work, 'project')], { env });
  expect(create.stderr).toBe('');
  expect(create.code).toBe(0);
  expect(read(work, 'project', 'web', 'asset.txt')).toBe('shared v1\n');
});

/**
 * Journey 52: builds before submodules were checked out (9fc98a5, say) left the commit's files without the
 * submodule's in the cache under `sources/git/<hash of the URL>/trees/<commit>/`, where today's build looked
 * first: after an upgrade, a restored CI cache kept the blueprint failing on ENOENT as before it.
 */
test('a checkout an older build cached without the submodule files is not reused', () => {
  const work = tempDir('bluesynth-gitsrc-journey-submodule-');
  const source = blueprintWithSubmodule(work);
  const cache = path.join(work, 'cache');
  const commit = git(source, 'rev-parse', 'v1.0.0');
  // The older build's checkout: the commit's own files, .gitmodules included, the submodule's folder absent.
  const home = path.join(cache, 'sources', 'git', crypto.createHash('sha256').update(source).digest('hex').slice(0, 20));
  const old = path.join(home, 'trees', commit);
  fs.mkdirSync(old, { recursive: true });
  execFileSync('tar', ['-x', '-C', old], { input: execFileSync('git', ['archive', commit], { cwd: source }) });
  expect(fs.existsSync(path.join(old, '.gitmodules'))).toBe(true);
  expect(fs.existsSync(path.join(old, 'static-assets', 'shared', 'asset.txt'))).toBe(false);

  const create = runCli(['create', '--blueprint', `${source}#v1.0.0`, path.join(work, 'project')], { env: { BLUESYNTH_CACHE_DIR: cache } });
  expect(create.stderr).toBe('');
  expect(create.code).toBe(0);
  expect(read(work, 'project', 'web', 'asset.txt')).toBe('shared v1\n');
});

test('a submodule that cannot be fetched is named, with its path and the blueprint commit', () => {
  const work = tempDir('bluesynth-gitsrc-journey-submodule-');
  const shared = path.join(work, 'shared');
  fs.mkdirSync(shared);
  fs.writeFileSync(path.join(shared, 'asset.txt'), 'shared\n');
  git(shared, 'init', '--quiet', '--initial-branch=main');
  commitAll(shared, 'v1');
  const source = makeBlueprint(path.join(work, 'blueprint'), 'export { Blueprint, Options } from "bluesynth";');
  git(source, 'init', '--quiet', '--initial-branch=main');
  git(source, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', shared, 'static-assets/shared');
  const commit = commitAll(source, 'with shared assets');
  fs.rmSync(shared, { recursive: true });

  const create = runCli(['create', '--blueprint', `${source}#main`, path.join(work, 'project')], { env: { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') } });
  expect(create.stderr).toContain(`blueprint source '${source}' (commit ${commit}): its submodule 'static-assets/shared' cannot be checked out: blueprint source '${shared}': cannot clone it`);
  expect(create.code).toBe(2);
  expect(fs.existsSync(path.join(work, 'project'))).toBe(false);
});
