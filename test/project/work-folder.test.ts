import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WorkFolder } from '../../src/project/work-folder';
import { ROOT, runScriptsAtOnce } from '../util';

describe('WorkFolder', () => {
  const cache = process.env.BLUESYNTH_CACHE_DIR!;

  test('with a key, a fixed folder in the cache; while a run holds it, a temporary one; one a finished run left is taken over', () => {
    const key = `test-${process.pid}-${Date.now()}`;
    const first = new WorkFolder(key);
    expect(first.dir).toBe(path.join(cache, 'work', key));
    const second = new WorkFolder(key);
    expect(second.dir.startsWith(os.tmpdir())).toBe(true);
    expect(second.dir).not.toBe(first.dir);
    second.remove();
    first.remove();
    expect(fs.existsSync(first.dir)).toBe(false);

    // Left by a run that ended (a process id that does not run): emptied and taken.
    fs.mkdirSync(path.join(cache, 'work', key, 'proposed'), { recursive: true });
    fs.writeFileSync(path.join(cache, 'work', key, '.held-by'), '999999999-1');
    const third = new WorkFolder(key);
    expect(third.dir).toBe(path.join(cache, 'work', key));
    expect(fs.existsSync(third.path('proposed'))).toBe(false);
    third.remove();
  });

  test('processes that want one place at once (a fleet\'s repositories from one template share an id) never remove each other\'s files', async () => {
    const key = `race-${process.pid}-${Date.now()}`;
    // Each process claims, fills, checks and removes its work folder over and over, as updates in a fleet's processes do.
    const script = `
      const fs = require('fs');
      const path = require('path');
      const { WorkFolder } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'work-folder.js'))});
      let fixed = 0;
      for (let i = 0; i < 150; i++) {
        const work = new WorkFolder(${JSON.stringify(key)});
        if (work.dir === ${JSON.stringify(path.join(cache, 'work', key))}) fixed++;
        fs.mkdirSync(work.path('proposed'), { recursive: true });
        fs.writeFileSync(work.path('proposed', 'file'), String(process.pid));
        if (fs.readFileSync(work.path('proposed', 'file'), 'utf8') !== String(process.pid)) throw new Error('another run wrote into this folder');
        work.remove();
      }
      console.log(fixed);`;
    const runs = await runScriptsAtOnce(4, script);
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    // The fixed place was used (not only temporary folders), and nothing is left behind.
    expect(runs.reduce((sum, run) => sum + Number(run.stdout), 0)).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(cache, 'work')).filter(name => name.startsWith(key))).toEqual([]);
  }, 120_000);

  test('without a key, a temporary folder', () => {
    const work = new WorkFolder();
    expect(work.dir.startsWith(path.join(os.tmpdir(), 'bluesynth-project-'))).toBe(true);
    work.remove();
  });
});
