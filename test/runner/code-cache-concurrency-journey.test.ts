import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from '../util';

/**
 * Journey 46: two runs of one blueprint folder with `--cache` at once (a `preview` and a CI job, two CI jobs on one
 * checkout folder). The first loads the build, the blueprint is edited and the second builds again, putting a new
 * build folder in place; the first, done, saves V8's code cache of the build it ran, at the same path.
 */

const codeCache = JSON.stringify(path.join(ROOT, 'lib', 'runner', 'code-cache'));

test("a code cache saved by a run of the build before never runs in place of the new build's code", async () => {
  const builds = tempDir();
  const buildDir = path.join(builds, 'build');
  const entry = path.join(buildDir, 'blueprint.js');
  fs.mkdirSync(buildDir);
  // An edit that keeps the length, as changing a version or a word often does: V8 checks the source's length only.
  fs.writeFileSync(entry, "module.exports = function greeting() { return 'hello'; };\n");
  const first = spawn(process.execPath, ['-e', `const loaded = require(${codeCache}).requireWithCodeCache(process.argv[1]);
process.stdout.write(loaded.exports() + '\\n');
process.stdin.once('data', () => { loaded.saveCache(); process.exit(0); });`, entry], { stdio: ['pipe', 'pipe', 'inherit'] });
  const firstSaid = await new Promise<string>(resolve => first.stdout.once('data', chunk => resolve(String(chunk).trim())));
  expect(firstSaid).toBe('hello');
  // The new build, put in place whole as the cache runner does (the old folder renamed aside).
  const fresh = path.join(builds, 'build.fresh');
  fs.mkdirSync(fresh);
  fs.writeFileSync(path.join(fresh, 'blueprint.js'), "module.exports = function greeting() { return 'howdy'; };\n");
  fs.renameSync(buildDir, path.join(builds, 'build.old'));
  fs.renameSync(fresh, buildDir);
  const firstEnded = new Promise(resolve => first.on('close', resolve));
  first.stdin.write('done\n');
  expect(await firstEnded).toBe(0);
  // Later runs load the new build: twice, since the first of them may save a cache of its own that the second reads.
  const run = () => spawnSync(process.execPath, ['-e', `const loaded = require(${codeCache}).requireWithCodeCache(process.argv[1]);
process.stdout.write(loaded.exports());
loaded.saveCache();`, entry], { encoding: 'utf8' });
  expect([run(), run()].map(result => ({ status: result.status, said: result.stdout, stderr: result.stderr })))
    .toEqual([0, 1].map(() => ({ status: 0, said: 'howdy', stderr: '' })));
});
