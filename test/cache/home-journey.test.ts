import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, makeBlueprint, tempDir } from '../util';

/**
 * Journey 93: a hosted wizard's job or a CI step whose `HOME` is given from a variable that is not set: `HOME=` (or a
 * relative one). Node's `os.homedir()` takes it as it is, so the cache folder was `.cache/bluesynth` relative to each
 * process's working folder: `synth --cache` wrote a `.cache` folder into the folder it ran in, and its job, which runs
 * in the blueprint's folder, failed (ENOENT) to open the build made for it. The system's user database names the home
 * folder then; with no entry there either, the command refuses, naming BLUESYNTH_CACHE_DIR.
 */
jest.setTimeout(60_000);

/** The environment without the variables that name a cache folder, with `HOME` as given. */
function withHome(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.BLUESYNTH_CACHE_DIR;
  delete env.XDG_CACHE_HOME;
  return env;
}

test('an empty or relative HOME is no home: the cache folder is in the home folder the user database gives', () => {
  const cwd = tempDir();
  const blueprint = makeBlueprint(path.join(cwd, 'bp'), `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'hello.txt', 'hello\\n');
  }
}`);
  // The build this run makes, in the user's own cache folder: removed after, as the test made it.
  const build = path.join(os.userInfo().homedir, '.cache', 'bluesynth', 'builds',
    crypto.createHash('sha256').update(fs.realpathSync(blueprint)).digest('hex').slice(0, 16));
  try {
    for (const home of ['', 'home']) {
      const run = spawnSync(process.execPath, [CLI, 'synth', '--blueprint', 'bp', '--options', 'bp/src/defaults.json', '--outdir', 'out', '--cache'],
        { cwd, env: withHome(home), encoding: 'utf8' });
      expect({ home, code: run.status, out: run.stdout.includes('1 of 1 synthesis job succeeded') }).toEqual({ home, code: 0, out: true });
      expect(fs.readFileSync(path.join(cwd, 'out/synth.defaults/proposed-bundle/src/app/hello.txt'), 'utf8')).toBe('hello\n');
      // Nothing written into the folder the command ran in but its output.
      expect(fs.readdirSync(cwd).sort()).toEqual(['bp', 'out']);
      expect(fs.existsSync(path.join(build, 'blueprint.js'))).toBe(true);
    }
  } finally {
    fs.rmSync(build, { recursive: true, force: true });
  }
});

// Only root can run a process as a user the user database does not know.
(process.getuid?.() === 0 ? test : test.skip)('with an empty HOME and no home in the user database, the command refuses and names BLUESYNTH_CACHE_DIR', () => {
  const cwd = tempDir();
  fs.chmodSync(cwd, 0o777);
  makeBlueprint(path.join(cwd, 'bp'), "import { Blueprint as B } from 'bluesynth';\nexport class Blueprint extends B {}\n");
  const run = spawnSync('setpriv', ['--reuid=54329', '--regid=54329', '--clear-groups', process.execPath, CLI, 'synth', '--blueprint', 'bp',
    '--options', 'bp/src/defaults.json', '--outdir', 'out', '--cache'], { cwd, env: withHome(''), encoding: 'utf8' });
  expect({ code: run.status, stderr: run.stderr }).toEqual({
    code: 2,
    stderr: "blueprint synth: HOME is empty, and the user database gives no home folder: set BLUESYNTH_CACHE_DIR to a folder for bluesynth's cache\n",
  });
  expect(fs.readdirSync(cwd)).toEqual(['bp']);
});
