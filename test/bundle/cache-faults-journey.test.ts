import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { OutputNotWritableError } from '../../src/bundle/writable';
import { ROOT, tempDir } from '../util';

/**
 * Journey 44: no room left where a bundle is written (a full cache folder: a git source's checkout goes there
 * through the same sink). A write's error names no file ('ENOSPC: no space left on device, write'), so the CLI
 * printed that alone and exited 1. The sink now names the file, and the CLI names the folder and the way on, exit 2.
 * A file size limit ('ulimit -f', under which Node gets EFBIG, since it ignores SIGXFSZ) stands for a full disk here:
 * it needs no root and no mount.
 */
test('a write that finds no room names its file, and the refusal names the cache folder and the way on', () => {
  const dir = tempDir('bluesynth-cache-faults-');
  const target = path.join(dir, 'cache', 'trees', 'abc');
  const script = `
    const { writeBundle } = require(${JSON.stringify(path.join(ROOT, 'lib', 'bundle', 'sink'))});
    try {
      writeBundle(${JSON.stringify(target)}, new Map([['static-assets/big.txt', { buffer: Buffer.alloc(300000, 120) }]]));
    } catch (error) {
      console.log(JSON.stringify({ code: error.code, path: error.path }));
    }`;
  const run = spawnSync('sh', ['-c', 'ulimit -f 100; exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
  const error = JSON.parse(run.stdout);
  expect(error.code).toBe('EFBIG');
  expect(error.path).toMatch(new RegExp(`^${path.join(dir, 'cache', 'trees')}/\\.abc\\.staging-.*/static-assets/big\\.txt$`));
  // Nothing of it is left: the staging folder is removed.
  expect(fs.readdirSync(path.dirname(target))).toEqual([]);

  const previous = process.env.BLUESYNTH_CACHE_DIR;
  process.env.BLUESYNTH_CACHE_DIR = path.join(dir, 'cache');
  try {
    expect(new OutputNotWritableError(error.path, 'ENOSPC').message).toBe(`cannot write to ${error.path}: no space left on device; it is bluesynth's cache folder ` +
      `(${path.join(dir, 'cache')}: $BLUESYNTH_CACHE_DIR, else $XDG_CACHE_HOME/bluesynth, else ~/.cache/bluesynth): free space there, or set BLUESYNTH_CACHE_DIR to a folder with room`);
  } finally {
    if (previous === undefined) delete process.env.BLUESYNTH_CACHE_DIR;
    else process.env.BLUESYNTH_CACHE_DIR = previous;
  }
});
