import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from '../util';
import { commitAll, git, greetingBlueprint } from './git-fixtures';

/**
 * Journey 46: a CI job is cancelled (its processes killed) while it clones a git blueprint source's mirror into the
 * shared cache folder. The next job on the machine clones it again; what the killed one left must not stay.
 */
jest.setTimeout(120_000);

/** A git blueprint source of large incompressible files, so that its clone and checkout take a while; and a way to resolve it in a child process. */
function slowSource() {
  const work = tempDir();
  const blueprint = greetingBlueprint(path.join(work, 'blueprint'), 'greeting', ['a.txt']);
  fs.mkdirSync(path.join(blueprint, 'static-assets'), { recursive: true });
  for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(blueprint, 'static-assets', `blob-${i}.bin`), crypto.randomBytes(4 << 20));
  git(blueprint, 'init', '--quiet');
  commitAll(blueprint, 'v1');
  git(blueprint, 'tag', 'v1');
  const url = `file://${blueprint}`; // the pack protocol, not hard links: a clone that takes a while
  const cache = path.join(work, 'cache');
  const gitSources = path.join(cache, 'sources', 'git');
  const script = `const { blueprintSource } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'sources'))});
process.stdout.write(blueprintSource(process.argv[1], process.cwd()).resolve('v1').blueprintDir);`;
  const resolve = () => {
    // Its own process group, so that the kill reaches the git it started too, as a cancelled CI job's kill reaches
    // all of the job's processes; git started directly, since the git helper's shell has a process group of its own.
    const env = { ...process.env, BLUESYNTH_CACHE_DIR: cache, BLUESYNTH_GIT_HELPER: '0' };
    const child = spawn(process.execPath, ['-e', script, `${url}#v1`], { cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = new Promise<{ code: number | null; stdout: string; stderr: string }>(done => {
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', chunk => (stdout += chunk));
      child.stderr.on('data', chunk => (stderr += chunk));
      child.on('close', code => done({ code, stdout, stderr }));
    });
    return { child, result };
  };
  const home = () => (fs.existsSync(gitSources) ? fs.readdirSync(gitSources).map(name => path.join(gitSources, name))[0] : undefined);
  /** Kills the run, all of its processes, once `when` holds. */
  const killWhen = async (run: ReturnType<typeof resolve>, when: () => boolean) => {
    while (!when() && run.child.exitCode === null) await new Promise(r => setTimeout(r, 2));
    process.kill(-run.child.pid!, 'SIGKILL');
    expect((await run.result).code).toBe(null);
  };
  return { resolve, home, killWhen };
}

test('a run killed while it clones a mirror leaves nothing that the next clone keeps', async () => {
  const { resolve, home, killWhen } = slowSource();
  // Killed once the clone has begun to write (the staging folder holds git's objects folder).
  await killWhen(resolve(), () => { const at = home(); return !!at && fs.readdirSync(at).some(name => fs.existsSync(path.join(at, name, 'objects'))); });
  expect(fs.readdirSync(home()!)).not.toContain('mirror.git');
  const again = await resolve().result;
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
  expect(fs.readFileSync(path.join(again.stdout, 'src', 'index.ts'), 'utf8')).toContain('a.txt');
  // The mirror and the tree, nothing the killed run wrote.
  expect(fs.readdirSync(home()!).sort()).toEqual(['mirror.git', 'trees']);
});

test('a run killed while it checks out a commit leaves nothing that the next checkout keeps', async () => {
  const { resolve, home, killWhen } = slowSource();
  const trees = () => path.join(home() ?? '', 'trees');
  // Killed once the checkout has begun to write files.
  await killWhen(resolve(), () => fs.existsSync(trees()) && fs.readdirSync(trees()).some(name => fs.readdirSync(path.join(trees(), name)).length > 0));
  const halfMade = fs.readdirSync(trees());
  expect(halfMade).toHaveLength(1);
  const again = await resolve().result;
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
  expect(fs.readdirSync(path.join(again.stdout, 'static-assets'))).toHaveLength(8);
  // The tree, nothing the killed run wrote.
  expect(fs.readdirSync(trees())).toEqual([path.basename(again.stdout)]);
});
