import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Git } from '../../src/project/git';
import { tempDir } from '../util';
import { helperPids } from './git-fixtures';

// Git.start: a command started in the background through the git helper (a file of its own, so that this
// process's helper is not one another test killed: git-helper.test.ts does).

function repository(): string {
  const dir = tempDir();
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

/**
 * The process id file of the one command running in the background from this process's helpers (a jest
 * worker runs other test files first, each with a helper of its own): its status not written yet.
 */
function runningJobPidFile(): string {
  const running = helperPids().flatMap(pid => {
    const folder = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).pop()!;
    const names = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
    return names.filter(name => /^job-\d+-pid$/.test(name) && !names.includes(name.replace(/pid$/, 'status'))).map(name => path.join(folder, name));
  });
  expect(running).toHaveLength(1);
  return running[0];
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
    const pid = Number(fs.readFileSync(runningJobPidFile(), 'utf8'));
    process.kill(pid, 'SIGKILL');
    expect(started.output().toString('utf8').trim()).toBe('again');
  });
});
