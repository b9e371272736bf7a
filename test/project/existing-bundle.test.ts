import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fillDeferredFolder } from '../../src/bundle/deferred-folder';
import { prepareExistingBundle } from '../../src/project/existing-bundle';
import { Git } from '../../src/project/git';
import { GitTreeSource } from '../../src/project/git-tree';
import { tempDir, writeTree } from '../util';
import { git, initRepository } from './git-fixtures';

/*
 * The existing side of an update or a check holds the blobs' bytes of every file of the tree. A big
 * repository's tree almost always holds a `.gitattributes`: its files must still be left to git's checkout
 * (two or three processes) until something reads them, not written one by one before the blueprint runs,
 * and the checkout must apply no attributes file, the tree's, the work tree's or the user's.
 */
const work = tempDir('bluesynth-existing-bundle-');

/** Every file below `dir`, by POSIX path relative to it. */
function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter(p => fs.lstatSync(path.join(dir, p)).isFile())
    .map(p => p.split(path.sep).join('/'))
    .sort();
}

function repository(name: string, tree: Record<string, string>): string {
  const dir = path.join(work, name);
  writeTree(dir, tree);
  initRepository(dir);
  // A filter the tree's attributes name: a checkout that applied them would change the bytes.
  git(dir, 'config', 'filter.upper.smudge', 'tr a-z A-Z');
  git(dir, 'config', 'filter.upper.clean', 'cat');
  return dir;
}

/** Prepares the existing side of `dir`'s HEAD, deferred, fills it, and checks every file against its blob. */
function prepareAndFill(dir: string, expectedBeforeFill: string[]): void {
  const bundle = path.join(work, `${path.basename(dir)}-bundle`);
  const existing = new GitTreeSource(new Git(dir), 'HEAD', 'src/app/');
  const deferred = prepareExistingBundle(new Git(dir), existing, bundle, 'src/app/', { round: 1 }, true);
  expect(deferred).toBeDefined();
  expect(filesBelow(bundle)).toEqual(expectedBeforeFill);
  fillDeferredFolder(deferred!);
  const paths = git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n');
  expect(filesBelow(bundle)).toEqual(['options.json', ...paths.map(p => `src/app/${p}`)].sort());
  for (const p of paths) {
    expect(fs.readFileSync(path.join(bundle, 'src', 'app', p))).toEqual(execFileSync('git', ['cat-file', 'blob', `HEAD:${p}`], { cwd: dir }));
  }
}

test('a tree with .gitattributes files: the rest is left to git, and written as the blobs are, no filter, no line-end conversion', () => {
  const dir = repository('attributes', {
    '.gitattributes': '*.txt text eol=crlf\n*.up filter=upper\n',
    'a.txt': 'one\ntwo\n',
    'b.up': 'lower case\n',
    'sub/.gitattributes': '*.md text eol=crlf\n',
    'sub/c.md': 'three\nfour\n',
  });
  prepareAndFill(dir, ['options.json', 'src/app/.gitattributes', 'src/app/sub/.gitattributes']);
});

test('a tree without .gitattributes: an untracked one in the work tree does not apply either', () => {
  const dir = repository('untracked-attributes', { 'a.txt': 'one\ntwo\n', 'sub/c.md': 'three\nfour\n' });
  writeTree(dir, { '.gitattributes': '* text eol=crlf\n', 'sub/.gitattributes': '*.md filter=upper\n' });
  prepareAndFill(dir, ['options.json']);
});
