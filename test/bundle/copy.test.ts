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

test('a staged copy leaves the target as it was until committed, then holds the source as it is', async () => {
  const source = sourceBundle();
  const target = path.join(path.dirname(source), 'existing-bundle');
  writeTree(target, { 'old.txt': 'old' });
  const copy = new StagedCopy(source, target);
  expect(readTree(target)).toEqual({ 'old.txt': 'old' });
  await copy.commit();
  expect(snapshot(target)).toEqual(snapshot(source));
  expect(fs.readlinkSync(path.join(target, 'src/web/link'))).toBe('a.txt');
  expect(stagingFolders(target)).toEqual([]);
});

test('a discarded staged copy leaves the target as it was, or absent, and no staging folder', async () => {
  const source = sourceBundle();
  const target = path.join(path.dirname(source), 'existing-bundle');
  await new StagedCopy(source, target).discard();
  expect(fs.existsSync(target)).toBe(false);
  expect(stagingFolders(target)).toEqual([]);
});

test('a staged copy and a copy made at once hold the same bundle', async () => {
  const source = sourceBundle();
  const staged = path.join(path.dirname(source), 'staged');
  const direct = path.join(path.dirname(source), 'direct');
  await new StagedCopy(source, staged).commit();
  copyBundle(source, direct);
  expect(snapshot(staged)).toEqual(snapshot(direct));
});

test('a source that is no bundle folder is refused before anything is made', () => {
  const root = tempDir('bluesynth-copy-');
  expect(() => new StagedCopy(path.join(root, 'missing'), path.join(root, 'existing-bundle'))).toThrow(InputError);
  expect(fs.readdirSync(root)).toEqual([]);
});
