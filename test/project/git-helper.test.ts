import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { GitHelper } from '../../src/project/git-helper';
import { ROOT, tempDir } from '../util';
import { helperPids } from './git-fixtures';

// Git commands run through one small shell process (src/project/git-helper.ts): these check that what a
// command sees (arguments, environment, standard input, folder) and what it returns (bytes, status,
// messages) are what starting git directly gives, and that a helper that dies is replaced by direct starts.

function repository(): string {
  const dir = tempDir();
  execFileSync('git', ['init', '-q', dir]);
  return dir;
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
    // Only this file's helper: killing those of the files the worker ran before would leave their folders behind.
    const pids = helperPids((GitHelper.shared() as unknown as { dir: string }).dir);
    expect(pids).toHaveLength(1);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const blob = git.run(['hash-object', '--stdin'], { input: 'after\n' }).trim();
    expect(blob).toBe(execFileSync('git', ['hash-object', '--stdin'], { input: 'after\n', encoding: 'utf8' }).trim());
    expect(git.run(['rev-parse', '--is-inside-work-tree']).trim()).toBe('true');
  });

  test('where the shell finds no mkfifo, the helper gives up at once (not after its start-up limit) and git is started directly', () => {
    const tmp = tempDir();
    const dir = repository();
    // A PATH with git and nothing else: the helper's shell (/bin/sh) finds no mkfifo to make its pipes with.
    const bin = tempDir();
    fs.symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), path.join(bin, 'git'));
    const script = `const { Git } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'git'))});
      const { GitHelper } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'git-helper'))});
      const started = Date.now();
      const answer = new Git(${JSON.stringify(dir)}).run(['rev-parse', '--is-inside-work-tree']).trim();
      console.log(JSON.stringify({ answer, helper: GitHelper.shared() !== undefined, ms: Date.now() - started }));`;
    const ran = JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PATH: bin, TMPDIR: tmp }, encoding: 'utf8' }));
    expect(ran).toMatchObject({ answer: 'true', helper: false });
    // The start-up limit is 10 s; giving up at once takes milliseconds.
    expect(ran.ms).toBeLessThan(5000);
    expect(fs.readdirSync(tmp).filter(name => name.startsWith('bluesynth-git-'))).toEqual([]);
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

  test('a process killed while its helper runs a command leaves no folder behind: the status the helper can no longer hand over ends it', async () => {
    const tmp = tempDir();
    const dir = repository();
    // Killed midway through a slow command: the helper then writes that command's status to a pipe nobody
    // reads (SIGPIPE), which without a trap ended the shell before it removed its folder.
    const script = `const { Git } = require(${JSON.stringify(path.join(ROOT, 'lib', 'project', 'git'))});
      new Git(${JSON.stringify(dir)}).run(['-c', 'alias.slow=!echo started >> starts.log; sleep 1', 'slow']);`;
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, TMPDIR: tmp }, stdio: 'inherit' });
    const started = path.join(dir, 'starts.log');
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(started) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
    expect(fs.existsSync(started)).toBe(true);
    child.kill('SIGKILL');
    await new Promise(resolve => child.once('exit', resolve));
    const helperFolders = () => fs.readdirSync(tmp).filter(name => name.startsWith('bluesynth-git-'));
    while (helperFolders().length && Date.now() < deadline + 10_000) await new Promise(resolve => setTimeout(resolve, 20));
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
