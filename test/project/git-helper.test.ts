import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { GitHelper } from '../../src/project/git-helper';
import { ROOT, tempDir } from '../util';

// Git commands run through one small shell process (src/project/git-helper.ts): these check that what a
// command sees (arguments, environment, standard input, folder) and what it returns (bytes, status,
// messages) are what starting git directly gives, and that a helper that dies is replaced by direct starts.

function repository(): string {
  const dir = tempDir();
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

/** The helper's shell: a child of this process running the helper's loop. */
function helperPids(): number[] {
  return fs.readdirSync('/proc').filter(name => /^\d+$/.test(name)).filter(pid => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return parent === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('while IFS= read -r script');
    } catch {
      return false;
    }
  }).map(Number);
}

describe('git through the helper', () => {
  test('arguments, standard input and output bytes arrive as they are', () => {
    const dir = repository();
    const git = new Git(dir);
    expect(GitHelper.shared()).toBeDefined();
    // Quotes, spaces, a newline, non-ASCII: each argument stays one word.
    const odd = "it's a \"name\" with\na newline and ünïcode";
    const blob = git.run(['hash-object', '-w', '--stdin'], { input: odd }).trim();
    expect(git.runBuffer(['cat-file', 'blob', blob]).toString('utf8')).toBe(odd);
    const binary = Buffer.from([0, 255, 10, 39, 0, 13]);
    const binaryBlob = git.run(['hash-object', '-w', '--stdin'], { input: binary }).trim();
    expect(git.runBuffer(['cat-file', 'blob', binaryBlob]).equals(binary)).toBe(true);
    expect(git.run(['rev-parse', '--sq-quote', odd, '$HOME', '`x`'])).toBe(execFileSync('git', ['rev-parse', '--sq-quote', odd, '$HOME', '`x`'], { cwd: dir, encoding: 'utf8' }));
  });

  test('the environment is the one asked for: variables set, changed since the helper started, and removed', () => {
    const dir = repository();
    const git = new Git(dir);
    git.run(['status']); // the helper runs from here on, with this environment
    const saved = process.env.GIT_AUTHOR_NAME;
    try {
      process.env.GIT_AUTHOR_NAME = 'Changed Later';
      expect(git.run(['var', 'GIT_AUTHOR_IDENT'], { env: { GIT_AUTHOR_EMAIL: 'later@example.invalid' } })).toMatch(/^Changed Later <later@example\.invalid>/);
      process.env.GIT_AUTHOR_NAME = "O'Brien $(whoami)";
      expect(git.run(['var', 'GIT_AUTHOR_IDENT'], { env: { GIT_AUTHOR_EMAIL: 'a@example.invalid' } })).toMatch(/^O'Brien \$\(whoami\) <a@example\.invalid>/);
      delete process.env.GIT_AUTHOR_NAME;
      process.env.BLUESYNTH_PROBE = 'set';
      const shown = git.run(['config', '--get', 'alias.probe'], { env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'alias.probe', GIT_CONFIG_VALUE_0: '!echo "$BLUESYNTH_PROBE/${GIT_AUTHOR_NAME-unset}"' } });
      expect(shown.trim()).toBe('!echo "$BLUESYNTH_PROBE/${GIT_AUTHOR_NAME-unset}"');
      const ran = git.run(['probe'], { env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'alias.probe', GIT_CONFIG_VALUE_0: '!echo "$BLUESYNTH_PROBE/${GIT_AUTHOR_NAME-unset}"' } });
      expect(ran.trim()).toBe('set/unset');
    } finally {
      if (saved === undefined) delete process.env.GIT_AUTHOR_NAME;
      else process.env.GIT_AUTHOR_NAME = saved;
      delete process.env.BLUESYNTH_PROBE;
    }
  });

  test('a failing command gives its status and message; a missing folder is a failure naming it', () => {
    const dir = repository();
    const failed = new Git(dir).tryRun(['rev-parse', '--verify', 'no-such-branch']);
    expect(failed.status).toBe(128);
    expect(failed.stderr).toContain('fatal: Needed a single revision');
    const missing = new Git(path.join(dir, 'gone')).tryRun(['status']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('gone');
  });

  test('when the helper dies, commands start git directly and still work', () => {
    const dir = repository();
    const git = new Git(dir);
    git.run(['status']);
    const pids = helperPids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const blob = git.run(['hash-object', '--stdin'], { input: 'after\n' }).trim();
    expect(blob).toBe(execFileSync('git', ['hash-object', '--stdin'], { input: 'after\n', encoding: 'utf8' }).trim());
    expect(git.run(['rev-parse', '--is-inside-work-tree']).trim()).toBe('true');
  });

  test('a process killed with SIGKILL leaves no helper folder behind: the helper removes it when its parent is gone', async () => {
    const tmp = tempDir();
    const dir = repository();
    // A child that runs one command through its helper, says so, and waits to be killed.
    const script = `const { Git } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'git'))});
      new Git(${JSON.stringify(dir)}).run(['status']); console.log('ran'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>(resolve => child.stdout.on('data', chunk => String(chunk).includes('ran') && resolve()));
    const helperFolders = () => fs.readdirSync(tmp).filter(name => name.startsWith('bluesynth-git-'));
    expect(helperFolders()).toHaveLength(1);
    child.kill('SIGKILL');
    await new Promise(resolve => child.once('exit', resolve));
    const deadline = Date.now() + 10_000;
    while (helperFolders().length && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
    expect(helperFolders()).toEqual([]);
  });

  test('Ctrl-C at a terminal (SIGINT to the whole process group) does not cut a git command midway: it runs once, to its end', async () => {
    const dir = repository();
    const starts = path.join(dir, 'starts.log');
    // A child in a process group of its own, as a shell starts a foreground command, that holds SIGINT (as an
    // update's landing does) while one slow git command runs through its helper: an alias that logs its start.
    const script = `process.on('SIGINT', () => {});
      const { Git } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'git'))});
      const out = new Git(${JSON.stringify(dir)}).run(['-c', 'alias.slow=!echo started >> starts.log; sleep 1; echo finished', 'slow']);
      console.log(out.trim());`;
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(starts) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
    process.kill(-child.pid!, 'SIGINT');
    const code = await new Promise(resolve => child.once('close', resolve));
    expect(code).toBe(0);
    expect(output.trim()).toBe('finished');
    // Cut, the command would have been started again (directly, the helper gone with it).
    expect(fs.readFileSync(starts, 'utf8')).toBe('started\n');
  });
});

/** The folder of this process's helper, where each command started in the background has its files. */
function helperFolder(): string {
  const [pid] = helperPids();
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).pop()!;
}

describe('git started in the background (Git.start)', () => {
  test('the command runs while this thread is busy, and answers as a direct run does', () => {
    const dir = repository();
    const git = new Git(dir);
    const content = 'written in the background\n';
    const started = git.start(['hash-object', '-w', '--stdin'], { input: content });
    const id = execFileSync('git', ['hash-object', '--stdin'], { input: content, encoding: 'utf8' }).trim();
    const object = path.join(dir, '.git', 'objects', id.slice(0, 2), id.slice(2));
    // This thread never yields here: only a command already running can write the object.
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(object) && Date.now() < deadline) continue;
    expect(fs.existsSync(object)).toBe(true);
    expect(started.output().toString('utf8').trim()).toBe(id);
    expect(started.result().status).toBe(0);
  });

  test('a failing command gives its status and message, and output() throws as run() does', () => {
    const git = new Git(repository());
    const started = git.start(['rev-parse', '--verify', 'no-such-branch']);
    expect(started.result().status).toBe(128);
    expect(started.result().stderr).toContain('fatal: Needed a single revision');
    expect(() => started.output()).toThrow(/rev-parse --verify no-such-branch/);
  });

  test('a command whose shell is killed before it answers is run again, directly, when its answer is asked for', () => {
    const dir = repository();
    const git = new Git(dir);
    git.run(['status']);
    // The first run (in the background) leaves a mark and waits; a second run answers at once.
    const alias = 'alias.once=!if [ -e ran ]; then echo again; else touch ran; sleep 5; echo first; fi';
    const started = git.start(['-c', alias, 'once']);
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(path.join(dir, 'ran')) && Date.now() < deadline) continue;
    const jobs = fs.readdirSync(helperFolder()).filter(name => /^job-\d+-pid$/.test(name));
    const pid = Number(fs.readFileSync(path.join(helperFolder(), jobs.sort((a, b) => parseInt(a.slice(4)) - parseInt(b.slice(4))).pop()!), 'utf8'));
    process.kill(pid, 'SIGKILL');
    expect(started.output().toString('utf8').trim()).toBe('again');
  });
});
