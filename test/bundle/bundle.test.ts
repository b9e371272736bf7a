import * as fs from 'fs';
import * as path from 'path';
import { readBundle, SYMLINK_MODE } from '../../src/bundle/read';
import { commitStaging, createStaging, FolderSink, MemorySink, writeBundle } from '../../src/bundle';
import { PathEscapeError } from '../../src/errors';
import { normalizeRelative } from '../../src/bundle/paths';
import { resynthesize } from '../../src/resynth/resynthesize';
import { InPlaceBundle } from '../../src/bundle/staging';
import { readTree, tempDir, writeTree } from '../util';

describe('bundle read and write', () => {
  test('round-trips contents, modes and symbolic links (kept as links, like git)', () => {
    const source = tempDir();
    writeTree(source, { 'src/web/a.txt': 'a', 'src/web/bin/run.sh': '#!/bin/sh\n', 'options.json': '{}' });
    fs.chmodSync(path.join(source, 'src/web/bin/run.sh'), 0o755);
    fs.symlinkSync('a.txt', path.join(source, 'src/web/link'));
    const files = readBundle(source);
    expect([...files.keys()].sort()).toEqual(['options.json', 'src/web/a.txt', 'src/web/bin/run.sh', 'src/web/link']);
    expect(files.get('src/web/bin/run.sh')!.mode).toBe(0o755);
    expect(files.get('src/web/link')).toEqual({ buffer: Buffer.from('a.txt'), mode: SYMLINK_MODE });

    const target = path.join(tempDir(), 'out', 'bundle');
    writeBundle(target, files);
    expect(readBundle(target)).toEqual(files);
    expect(fs.readlinkSync(path.join(target, 'src/web/link'))).toBe('a.txt');
  });

  test('a missing folder reads as an empty bundle', () => {
    expect(readBundle(path.join(tempDir(), 'nothing')).size).toBe(0);
  });

  test('writing is atomic: a failed write leaves the previous bundle and no staging folder', () => {
    const parent = tempDir();
    const target = path.join(parent, 'bundle');
    writeBundle(target, new Map([['keep.txt', { buffer: Buffer.from('old') }]]));
    const bad = new Map([
      ['a.txt', { buffer: Buffer.from('new') }],
      ['../escape.txt', { buffer: Buffer.from('x') }],
    ]);
    expect(() => writeBundle(target, bad)).toThrow(/escapes/);
    expect(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('old');
    expect(fs.readdirSync(parent)).toEqual(['bundle']);
    expect(fs.existsSync(path.join(parent, 'escape.txt'))).toBe(false);
  });

  test('never writes through a symbolic link the bundle itself creates', () => {
    const outside = tempDir();
    const files = new Map([
      ['link', { buffer: Buffer.from(outside), mode: SYMLINK_MODE }],
      ['link/evil.txt', { buffer: Buffer.from('x') }],
    ]);
    expect(() => writeBundle(path.join(tempDir(), 'b'), files)).toThrow(/through the symbolic link 'link'/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test('a bundle in memory refuses what a folder would: a path through its own link, below a file, or where a folder is', () => {
    const sink = new MemorySink();
    sink.write('src/app/link', { buffer: Buffer.from('..'), mode: SYMLINK_MODE });
    sink.write('src/app/a.txt', { buffer: Buffer.from('a') });
    expect(() => sink.write('src/app/link/evil.txt', { buffer: Buffer.from('x') })).toThrow(PathEscapeError);
    expect(() => sink.write('src/app/a.txt/b', { buffer: Buffer.from('x') })).toThrow(/below 'src\/app\/a.txt', a file/);
    expect(() => sink.write('src/app', { buffer: Buffer.from('x') })).toThrow(/'src\/app' is a folder/);
    // What a discard drops no longer stands in the way.
    sink.write('src/gone/file', { buffer: Buffer.from('x') });
    sink.discard();
    sink.write('src/gone', { buffer: Buffer.from('now a file') });
    sink.commit();
    expect([...sink.files.keys()]).toEqual(['src/gone']);
  });

  test('commitStaging replaces the old folder whole', () => {
    const parent = tempDir();
    const target = path.join(parent, 'bundle');
    writeTree(target, { 'old.txt': 'old' });
    const staging = createStaging(target);
    fs.writeFileSync(path.join(staging, 'new.txt'), 'new');
    expect(fs.statSync(staging).mode & 0o777).toBe(0o755 & ~process.umask());
    commitStaging(staging, target);
    expect(fs.readdirSync(target)).toEqual(['new.txt']);
    expect(fs.readdirSync(parent)).toEqual(['bundle']);
  });

  test('InPlaceBundle: a completed job keeps its bundle, a stopped one puts the previous one back, a failed one leaves none', () => {
    const jobFolder = path.join(tempDir(), 'synth.defaults');
    const target = path.join(jobFolder, 'proposed-bundle');
    const earlier = { 'options.json': '{}', 'old.txt': 'old' };
    writeTree(target, earlier);
    /** Begins a job over what is at the target, and writes part of a new bundle. */
    const write = (): InPlaceBundle => {
      const bundle = InPlaceBundle.begin(target);
      expect(fs.readdirSync(target)).toEqual([]);
      writeTree(target, { 'options.json': '{}', 'new.txt': 'new' });
      return bundle;
    };
    write().restore();
    expect(readTree(target)).toEqual(earlier);
    write().commit();
    expect(readTree(target)).toEqual({ 'options.json': '{}', 'new.txt': 'new' });
    write().discard();
    expect(fs.readdirSync(jobFolder)).toEqual([]); // no bundle, nor the one it replaced, nor a marker
    write().restore();
    expect(fs.readdirSync(jobFolder)).toEqual([]); // there was none to put back
  });

  test.each(['', '/abs', '..', '../x', 'a/../../x', 'C:/x', 'C:\\x', ' /../C:/x', '.'])('normalizeRelative refuses %j', bad => {
    expect(() => normalizeRelative(bad, 'test')).toThrow(/test: path .* escapes/);
  });

  test('normalizeRelative folds harmless segments', () => {
    expect(normalizeRelative('a/./b//c/', 'test')).toBe('a/b/c');
  });

  test('normalizeRelative gives path.posix.normalize\'s answer for every short path, plain ones returned as they are', () => {
    // The rule without the shortcut for plain paths, to hold the shortcut to.
    const reference = (relative: string): string => {
      if (relative === '' || path.posix.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) return 'refused';
      const normal = path.posix.normalize(relative).replace(/\/+$/, '');
      return normal === '..' || normal.startsWith('../') || normal === '.' || /^[a-zA-Z]:[\\/]/.test(normal) ? 'refused' : normal;
    };
    const alphabet = ['a', '.', '/', '\\', 'C', ':', ' '];
    let checked = 0;
    const visit = (prefix: string) => {
      let actual: string;
      try {
        actual = normalizeRelative(prefix, 'test');
      } catch {
        actual = 'refused';
      }
      expect([prefix, actual]).toEqual([prefix, reference(prefix)]);
      checked++;
      if (prefix.length < 5) alphabet.forEach(c => visit(prefix + c));
    };
    visit('');
    expect(checked).toBe(1 + 7 + 49 + 343 + 2401 + 16807);
  });
});

describe('a folder sink shared with other writers (a job writing its bundle in place)', () => {
  test('a folder it made that is replaced by a link leading out is refused; one that was removed is made again', () => {
    const dir = tempDir();
    const outside = tempDir();
    const sink = new FolderSink(dir);
    sink.write('a/b/one.txt', { buffer: Buffer.from('1') });
    // Someone else (the blueprint's own code) swaps the folder for a link out of the bundle.
    fs.rmSync(path.join(dir, 'a/b'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, 'a/b'));
    expect(() => sink.write('a/b/two.txt', { buffer: Buffer.from('2') })).toThrow(PathEscapeError);
    expect(fs.readdirSync(outside)).toEqual([]);
    fs.rmSync(path.join(dir, 'a'), { recursive: true });
    sink.write('a/b/three.txt', { buffer: Buffer.from('3') });
    expect(fs.readFileSync(path.join(dir, 'a/b/three.txt'), 'utf8')).toBe('3');
  });

  test('a link someone else put where a file is then written is refused, pointing at a file or at nothing', () => {
    const dir = tempDir();
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'kept.txt'), 'theirs');
    const sink = new FolderSink(dir);
    sink.write('a/one.txt', { buffer: Buffer.from('1') });
    fs.symlinkSync(path.join(outside, 'kept.txt'), path.join(dir, 'a/two.txt'));
    fs.symlinkSync(path.join(outside, 'new.txt'), path.join(dir, 'a/three.txt'));
    for (const name of ['a/two.txt', 'a/three.txt']) {
      expect(() => sink.write(name, { buffer: Buffer.from('ours') })).toThrow(PathEscapeError);
      expect(() => sink.write(name, { buffer: Buffer.from('/etc'), mode: SYMLINK_MODE })).toThrow(PathEscapeError);
    }
    expect(fs.readdirSync(outside)).toEqual(['kept.txt']);
    expect(fs.readFileSync(path.join(outside, 'kept.txt'), 'utf8')).toBe('theirs');
    // A file already there that is no link is written over, as before.
    sink.write('a/one.txt', { buffer: Buffer.from('again') });
    expect(fs.readFileSync(path.join(dir, 'a/one.txt'), 'utf8')).toBe('again');
  });
});

describe('issue 15 item 6: a file name with a backslash stays a file name', () => {
  test('normalizeRelative keeps backslashes, and a drive is still refused', () => {
    expect(normalizeRelative('a\\b', 'test')).toBe('a\\b');
    expect(normalizeRelative('dir/quote"and\\back.txt', 'test')).toBe('dir/quote"and\\back.txt');
    expect(() => normalizeRelative('C:\\x', 'test')).toThrow(/escapes/);
  });

  test('a bundle read from disk is written back with the same names, and merges without an add or a delete', () => {
    const dir = tempDir();
    const names = ['src/app/quote"and\\back.txt', 'src/app/dir\\not-a-folder/x.txt', 'src/app/\\lead'];
    writeTree(dir, Object.fromEntries(names.map(name => [name, `${name}\n`])));
    const read = readBundle(dir);
    expect([...read.keys()].sort()).toEqual([...names].sort());
    const copy = path.join(tempDir(), 'copy');
    writeBundle(copy, read);
    expect([...readBundle(copy).keys()].sort()).toEqual([...names].sort());
    expect(fs.readdirSync(path.join(copy, 'src/app')).sort()).toEqual(['\\lead', 'dir\\not-a-folder', 'quote"and\\back.txt'].sort());

    const { report } = resynthesize({ ancestor: read, existing: read, proposed: read, owner: { name: 'x' } });
    expect(report.totals).toMatchObject({ files: 3, unchanged: 3, added: 0, deleted: 0 });
  });
});
