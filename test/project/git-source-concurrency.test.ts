import * as fs from 'fs';
import * as path from 'path';
import { ROOT, runScriptsAtOnce, tempDir } from '../util';
import { commitAll, git, greetingBlueprint } from './git-fixtures';

/**
 * A fleet resolves one blueprint source from several processes at once, into one cache folder: the mirror
 * and the checked-out tree are each made once, and no process loses its tree to another's.
 */
jest.setTimeout(120_000);

test('six processes resolving the same git source at once all get the same complete tree', async () => {
  const work = tempDir();
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'greeting', ['a.txt', 'b.txt']);
  git(blueprint, 'init', '--quiet');
  commitAll(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  const cache = path.join(work, 'cache');
  const script = `const { blueprintSource } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'sources'))});
const resolved = blueprintSource(process.argv[1], process.cwd()).resolve('v1');
process.stdout.write(JSON.stringify({ dir: resolved.blueprintDir, files: require('fs').readdirSync(resolved.blueprintDir + '/src').sort() }));`;
  const runs = await runScriptsAtOnce(6, script, [`${blueprint}#v1`], { cwd: work, env: { BLUESYNTH_CACHE_DIR: cache } });
  for (const run of runs) expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
  const results = runs.map(run => JSON.parse(run.stdout));
  expect(new Set(results.map(r => r.dir)).size).toBe(1);
  for (const result of results) expect(result.files).toEqual(['defaults.json', 'index.ts']);
  // Nothing written aside is left behind.
  const trees = path.dirname(results[0].dir);
  expect(fs.readdirSync(trees)).toEqual([path.basename(results[0].dir)]);
});
