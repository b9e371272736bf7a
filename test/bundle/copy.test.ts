import * as fs from 'fs';
import * as path from 'path';
import { copyBundle, StagedCopy } from '../../src/bundle/copy';
import { readBundle } from '../../src/bundle/read';
import { InputError } from '../../src/errors';
import { readTree, tempDir, writeTree } from '../util';

/** A bundle with an executable, a read-only file, a relative link and an old modification time. */
function sourceBundle(): string {
  const source = path.join(tempDir('bluesynth-copy-'), 'ancestor-bundle');
  writeTree(source, { 'src/web/a.txt': 'a', 'src/web/bin/run.sh': '#!/bin/sh\n', 'src/web/locked.txt': 'locked', 'options.json': '{}' });
  fs.chmodSync(path.join(source, 'src/web/bin/run.sh'), 0o755);
  fs.chmodSync(path.join(source, 'src/web/locked.txt'), 0o444);
  fs.symlinkSync('a.txt', path.join(source, 'src/web/link'));
  fs.utimesSync(path.join(source, 'src/web/a.txt'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
  return source;
}

/** The bundle's files (contents, modes, links) and each regular file's modification time, to the millisecond (as Node sets it). */
function snapshot(dir: string) {
  const times = Object.fromEntries(Object.keys(readTree(dir)).filter(file => !fs.lstatSync(path.join(dir, file)).isSymbolicLink()).map(file => [file, Math.round(fs.statSync(path.join(dir, file)).mtimeMs)]));
  return { files: readBundle(dir), times };
}

const stagingFolders = (dir: string) => fs.readdirSync(path.dirname(dir)).filter(name => name.includes('.staging-'));

// On a thread (from 0 entries), and by commit on the caller's thread (never a thread).
describe.each([['on a thread', 0], ['at commit', Infinity]])('a staged copy %s', (_, threadFrom) => {
  test('leaves the target as it was until committed, then holds the source as it is', async () => {
    const source = sourceBundle();
    const target = path.join(path.dirname(source), 'existing-bundle');
    writeTree(target, { 'old.txt': 'old' });
    const copy = new StagedCopy(source, target, threadFrom);
    expect(readTree(target)).toEqual({ 'old.txt': 'old' });
    await copy.commit();
    expect(snapshot(target)).toEqual(snapshot(source));
    expect(fs.readlinkSync(path.join(target, 'src/web/link'))).toBe('a.txt');
    expect(stagingFolders(target)).toEqual([]);
  });

  test('discarded, leaves the target as it was, or absent, and no staging folder', async () => {
    const source = sourceBundle();
    const target = path.join(path.dirname(source), 'existing-bundle');
    await new StagedCopy(source, target, threadFrom).discard();
    expect(fs.existsSync(target)).toBe(false);
    expect(stagingFolders(target)).toEqual([]);
  });

  test('holds the same bundle as a copy made at once', async () => {
    const source = sourceBundle();
    const staged = path.join(path.dirname(source), 'staged');
    const direct = path.join(path.dirname(source), 'direct');
    await new StagedCopy(source, staged, threadFrom).commit();
    copyBundle(source, direct);
    expect(snapshot(staged)).toEqual(snapshot(direct));
  });
});

/** A thread takes longer to start than a small bundle takes to copy: only a large one is copied on a thread. */
test('a small bundle is copied at commit, a large one on a thread started at once', async () => {
  const small = sourceBundle();
  const large = path.join(path.dirname(small), 'large-bundle');
  writeTree(large, Object.fromEntries(Array.from({ length: StagedCopy.THREAD_FROM }, (_, i) => [`src/web/f${i}.txt`, `${i}`])));
  for (const source of [small, large]) {
    const target = path.join(path.dirname(source), `${path.basename(source)}-copy`);
    const copy = new StagedCopy(source, target);
    expect(stagingFolders(target)).toHaveLength(source === large ? 1 : 0);
    await copy.commit();
    expect(readBundle(target)).toEqual(readBundle(source));
    expect(stagingFolders(target)).toEqual([]);
  }
});

test('a source that is no bundle folder is refused before anything is made', () => {
  const root = tempDir('bluesynth-copy-');
  expect(() => new StagedCopy(path.join(root, 'missing'), path.join(root, 'existing-bundle'))).toThrow(InputError);
  expect(fs.readdirSync(root)).toEqual([]);
});
