import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { ObjectCache } from '../../src/project/git-tree';
import { tempDir } from '../util';
import { git } from './git-fixtures';

// ObjectCache.prefetch: blobs read by git in the background (while an update synthesizes in its own
// process), taken by the next load without asking git again.

function repositoryWithBlobs(contents: string[]): { dir: string; ids: string[] } {
  const dir = tempDir();
  git(dir, 'init', '--quiet');
  const repo = new Git(dir);
  return { dir, ids: contents.map(content => repo.run(['hash-object', '-w', '--stdin'], { input: content }).trim()) };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

test('prefetched blobs are read while this thread does something else, and the next load takes them without git', () => {
  const contents = ['one\n', 'two\n'];
  const { dir, ids } = repositoryWithBlobs(contents);
  const cache = new ObjectCache(new Git(dir));
  cache.prefetch(ids);
  // The thread sleeps, git reads; then the objects are taken away: only what was read already can be served.
  sleep(2000);
  fs.rmSync(path.join(dir, '.git', 'objects'), { recursive: true });
  cache.load(ids);
  expect(ids.map(id => cache.get(id)?.toString('utf8'))).toEqual(contents);
});

test('a prefetch that fails leaves the blobs to load, which says which one is missing', () => {
  const { dir, ids } = repositoryWithBlobs(['present\n']);
  const missing = 'f'.repeat(40);
  const cache = new ObjectCache(new Git(dir));
  cache.prefetch([ids[0], missing]);
  expect(() => cache.load([ids[0], missing])).toThrow(`git object ${missing} is missing`);
  cache.load([ids[0]]);
  expect(cache.get(ids[0])?.toString('utf8')).toBe('present\n');
});

test('bytes another command read are taken as a blob only when they hash to its id, in either hash', () => {
  for (const format of ['sha1', 'sha256']) {
    const dir = tempDir();
    git(dir, 'init', '--quiet', `--object-format=${format}`);
    const repo = new Git(dir);
    const id = repo.run(['hash-object', '-w', '--stdin'], { input: 'the record\n' }).trim();
    const cache = new ObjectCache(repo);
    // Other bytes (the file changed between two reads) are not that blob: git is asked for it.
    cache.seed(id, Buffer.from('another record\n'));
    expect(cache.get(id)).toBeUndefined();
    cache.seed(id, Buffer.from('the record\n'));
    // Served without git: its objects are gone.
    fs.rmSync(path.join(dir, '.git', 'objects'), { recursive: true });
    cache.load([id]);
    expect(cache.get(id)?.toString()).toBe('the record\n');
  }
});
