import * as fs from 'fs';
import * as path from 'path';
import { SYMLINK_MODE } from '../../src/bundle/file-map';
import { StagingSink } from '../../src/bundle/sink';
import { FolderSource } from '../../src/bundle/source';
import { currentUmask } from '../../src/bundle/staging';
import { coreToSpare, WriteBehind } from '../../src/bundle/write-behind';
import { ownershipFilesOf } from '../../src/resynth/resolve';
import { tempDir, writeTree } from '../util';

// The merge command's fast paths: sources that read into one reused buffer, and a staging sink whose
// regular files are created on writer threads.

describe('FolderSource with a reused buffer', () => {
  test('each read is right, and the next read reuses the bytes; ownership files are copies', () => {
    const dir = tempDir();
    writeTree(dir, {
      'src/web/.ownership-file': '[neverUpdate] keep.txt\n',
      'src/web/a.txt': 'first file\n',
      'src/web/b.txt': 'the second, longer file\n',
    });
    fs.chmodSync(path.join(dir, 'src/web/b.txt'), 0o755);
    fs.symlinkSync('a.txt', path.join(dir, 'src/web/link'));
    const source = new FolderSource(dir, { reuseBuffer: true });

    const ownership = ownershipFilesOf(source);
    const a = source.read('src/web/a.txt')!;
    expect(a.buffer.toString()).toBe('first file\n');
    expect(a.mode).toBe(0o644 & ~currentUmask());
    const b = source.read('src/web/b.txt')!;
    expect(b.buffer.toString()).toBe('the second, longer file\n');
    expect(b.mode).toBe(0o755 & ~currentUmask());
    // The promise the option makes: a read's bytes last until the next read only.
    expect(a.buffer.toString()).toBe('the second,');
    expect(source.read('src/web/link')).toEqual({ buffer: Buffer.from('a.txt'), mode: SYMLINK_MODE });
    expect(ownership.get('src/web/.ownership-file')!.buffer.toString()).toBe('[neverUpdate] keep.txt\n');
  });

  test('a file larger than the buffer grows it', () => {
    const dir = tempDir();
    const big = 'x'.repeat(200 * 1024) + 'end';
    writeTree(dir, { 'small.txt': 'small', 'big.txt': big });
    const source = new FolderSource(dir, { reuseBuffer: true });
    expect(source.read('small.txt')!.buffer.toString()).toBe('small');
    expect(source.read('big.txt')!.buffer.toString()).toBe(big);
    expect(source.read('small.txt')!.buffer.toString()).toBe('small');
  });
});

describe('StagingSink with writers on other threads', () => {
  test('writes thousands of files with their modes, more than the writers take in at once, then publishes them whole', () => {
    const target = path.join(tempDir(), 'out');
    const sink = new StagingSink(target, { writeBehind: true });
    const expected = new Map<string, { text: string; mode: number }>();
    for (let i = 0; i < 3000; i++) {
      // Big enough in total (about 12 MB) that the caller must wait for batches to come back.
      const file = { text: `file ${i}\n`.repeat(400 + (i % 7)), mode: i % 10 === 0 ? 0o755 : 0o644 };
      expected.set(`src/repo/d${i % 13}/f${i}.txt`, file);
    }
    const huge = 'h'.repeat(3 * 1024 * 1024); // larger than a batch
    expected.set('src/repo/huge.bin', { text: huge, mode: 0o644 });
    sink.write('src/repo/link', { buffer: Buffer.from('d0'), mode: SYMLINK_MODE });
    for (const [bundlePath, file] of expected) {
      // One reused buffer, as the merge's sources give: the sink must copy what it keeps.
      const reused = Buffer.from(file.text);
      sink.write(bundlePath, { buffer: reused, mode: file.mode });
      reused.fill(0);
    }
    expect(fs.existsSync(target)).toBe(false);
    sink.commit();

    const umask = currentUmask();
    for (const [bundlePath, file] of expected) {
      const absolute = path.join(target, bundlePath);
      expect(fs.readFileSync(absolute, 'utf8')).toBe(file.text);
      expect(fs.statSync(absolute).mode & 0o777).toBe(file.mode & ~umask);
    }
    expect(fs.readlinkSync(path.join(target, 'src/repo/link'))).toBe('d0');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['out']);
  });

  test('a file that cannot be written fails the commit, naming it, and leaves nothing behind', () => {
    const parent = tempDir();
    const target = path.join(parent, 'out');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'old.txt'), 'the previous bundle\n');
    const sink = new StagingSink(target, { writeBehind: true });
    for (let i = 0; i < 600; i++) sink.write(`src/repo/f${i}.txt`, { buffer: Buffer.from(`${i}\n`) });
    // A folder where a file should go: the writer's open fails with EISDIR.
    fs.mkdirSync(path.join(sink.dir, 'src/repo/blocked.txt'));
    sink.write('src/repo/blocked.txt', { buffer: Buffer.from('cannot land\n') });

    expect(() => sink.commit()).toThrow(/cannot write '.*blocked\.txt'/);
    expect(fs.readdirSync(parent)).toEqual(['out']);
    expect(fs.readdirSync(target)).toEqual(['old.txt']);
  });

  test('discard stops the writers before the staging folder goes: nothing is written after it', () => {
    const parent = tempDir();
    const target = path.join(parent, 'out');
    const sink = new StagingSink(target, { writeBehind: true });
    for (let i = 0; i < 2000; i++) sink.write(`src/repo/d${i % 10}/f${i}.txt`, { buffer: Buffer.alloc(4096, 97) });
    sink.discard();
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  test('WriteBehind overwrites a file that is already there, with the mode asked for', () => {
    const dir = tempDir();
    const file = path.join(dir, 'there.sh');
    fs.writeFileSync(file, 'old\n', { mode: 0o644 });
    const behind = new WriteBehind(currentUmask(), 1);
    behind.write(file, Buffer.from('#!/bin/sh\n'), 0o755);
    behind.flush();
    expect(fs.readFileSync(file, 'utf8')).toBe('#!/bin/sh\n');
    expect(fs.statSync(file).mode & 0o111).not.toBe(0);
  });
});

describe('coreToSpare: writer threads only where a core is idle beside their caller', () => {
  test('a core idle over the last minute: yes; a machine as busy as its cores or busier: no', () => {
    expect(coreToSpare(2, 0)).toBe(true);
    expect(coreToSpare(2, 1)).toBe(true);
    expect(coreToSpare(2, 1.2)).toBe(false);
    expect(coreToSpare(2, 12)).toBe(false);
    expect(coreToSpare(16, 6)).toBe(true);
    expect(coreToSpare(1, 0)).toBe(true);
  });
});
