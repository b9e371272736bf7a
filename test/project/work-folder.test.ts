import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WorkFolder } from '../../src/project/work-folder';

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

  test('without a key, a temporary folder', () => {
    const work = new WorkFolder();
    expect(work.dir.startsWith(path.join(os.tmpdir(), 'bluesynth-project-'))).toBe(true);
    work.remove();
  });
});
