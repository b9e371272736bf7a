import * as path from 'path';
import { prepareExistingBundle } from '../../src/project/existing-bundle';
import { Git } from '../../src/project/git';
import { GitTreeSource, ObjectCache } from '../../src/project/git-tree';
import { RenamedSource } from '../../src/project/renames';
import { ownershipFilesOf } from '../../src/resynth/resolve';
import { tempDir, writeTree } from '../util';
import { git, initRepository } from './git-fixtures';

/*
 * A big repository's HEAD holds tens of thousands of files. What reads a few of them (its `.ownership-file`s for
 * `check` and `update`, its `.gitattributes` for the existing side) reads those blobs only, not the whole tree's.
 */
const work = tempDir('bluesynth-git-tree-prefetch-');
const dir = path.join(work, 'project');
writeTree(dir, {
  '.ownership-file': '[alwaysUpdate] service\n*.json\n',
  '.gitattributes': '*.sh text eol=lf\n',
  'docs/.ownership-file': '[neverUpdate] team\n*.md\n',
  'docs/guide.md': 'the guide\n',
  'src/index.ts': 'export {};\n',
});
initRepository(dir);

/** The blob ids of these paths of HEAD. */
const oidsOf = (...paths: string[]) => paths.map(p => git(dir, 'rev-parse', `HEAD:${p}`));

test('the ownership files of a git tree are read alone, also through the renames view', () => {
  const cache = new ObjectCache(new Git(dir));
  const head = new GitTreeSource(new Git(dir), 'HEAD', 'src/app/', [], cache);
  const files = ownershipFilesOf(new RenamedSource(head, [], 'src/app/'));
  expect([...files.keys()].sort()).toEqual(['src/app/.ownership-file', 'src/app/docs/.ownership-file']);
  expect(files.get('src/app/docs/.ownership-file')!.buffer.toString()).toBe('[neverUpdate] team\n*.md\n');
  expect(oidsOf('docs/guide.md', 'src/index.ts', '.gitattributes').map(oid => cache.get(oid))).toEqual([undefined, undefined, undefined]);
  // A file not read ahead is read with the rest of the tree, in one process, as before.
  expect(head.read('src/app/docs/guide.md')!.buffer.toString()).toBe('the guide\n');
  expect(cache.get(oidsOf('src/index.ts')[0])!.toString()).toBe('export {};\n');
});

test('the existing side, deferred, reads the tree\'s .gitattributes blobs alone', () => {
  const cache = new ObjectCache(new Git(dir));
  const head = new GitTreeSource(new Git(dir), 'HEAD', 'src/app/', [], cache);
  expect(prepareExistingBundle(new Git(dir), head, path.join(work, 'existing'), 'src/app/', {}, true)).toBeDefined();
  expect(cache.get(oidsOf('.gitattributes')[0])!.toString()).toBe('*.sh text eol=lf\n');
  expect(oidsOf('docs/guide.md', 'src/index.ts', '.ownership-file').map(oid => cache.get(oid))).toEqual([undefined, undefined, undefined]);
});
