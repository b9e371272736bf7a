import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { commitAll, git, read } from './git-fixtures';

/**
 * A blueprint repository keeps its images in Git LFS; the machine has no git-lfs (nor do the cache's mirrors fetch
 * LFS objects). The project silently got the pointer text as its logo.png. Create and update now say so, naming
 * the files and the ways out.
 */
jest.setTimeout(120_000);

const POINTER = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';

test('Git LFS pointers among a git source\'s static assets are named by create and update', () => {
  const work = tempDir('bluesynth-gitsrc-journey-lfs-');
  const source = makeBlueprint(path.join(work, 'blueprint'), `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    new SourceRepository(this, { title: 'web' }).copyStaticFiles({ to: 'assets' });
  }
}
`, { 'static-assets/img/logo.png': POINTER, 'static-assets/README.md': 'plain\n', '.gitattributes': '*.png filter=lfs diff=lfs merge=lfs -text\n' });
  git(source, 'init', '--quiet', '--initial-branch=main');
  commitAll(source, 'v1');
  git(source, 'tag', 'v1.0.0');
  const env = { BLUESYNTH_CACHE_DIR: path.join(work, 'cache') };
  const warning = `warning: blueprint source '${source}#v1.0.0': Git LFS pointers stand in static-assets/ for the files they name (git sources do not fetch LFS objects), ` +
    'and a project gets the pointer wherever the blueprint copies one: static-assets/img/logo.png; commit the files to git itself (git lfs migrate export) or publish the blueprint as an npm package';

  const create = runCli(['create', '--blueprint', `${source}#v1.0.0`, path.join(work, 'project')], { env });
  expect(create.code).toBe(0);
  expect(create.stderr).toContain(warning);
  const repository = path.join(work, 'project', 'web');
  expect(read(repository, 'assets', 'img', 'logo.png')).toBe(POINTER);

  const update = runCli(['update', '--dry-run'], { cwd: repository, env });
  expect(update.code).toBe(0);
  expect(update.output).toContain(warning.replace('warning: ', ''));
  expect(fs.existsSync(path.join(repository, 'assets', 'README.md'))).toBe(true);
});
