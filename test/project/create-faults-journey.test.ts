import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startCli, waitFor } from '../runner/process-util';
import { makeBlueprint, runCli, tempDir } from '../util';
import { git } from './git-fixtures';

/**
 * Journey 44: `blueprint create` killed (SIGKILL: what no signal handler holds, as a second Ctrl-C or the machine
 * going down) while it makes a repository. Run again, it must work and leave nothing of the killed run behind.
 * The create is paused inside its landing by a `git` first on its PATH that waits, before running the real git's
 * `reset --hard` (the checkout of the new repository), until the test lets it go: the tests synchronise on files.
 */
jest.setTimeout(120_000);

const BLUEPRINT = `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
  }
}
`;

const IDENTITY = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.invalid' };

/** A folder holding `git`, which writes its pid into `pause` and waits for the file to go before a `reset --hard`. */
function pausingGit(dir: string, pause: string): string {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh
case "$*" in
  *"reset --quiet --hard"*) echo $$ > '${pause}'; while [ -e '${pause}' ]; do sleep 0.02; done ;;
esac
exec '${real}' "$@"
`, { mode: 0o755 });
  return bin;
}

test('SIGKILL while create makes the repository: run again, it makes the project and removes what the killed run had begun', async () => {
  const dir = tempDir('bluesynth-create-faults-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), BLUEPRINT);
  const projectDir = path.join(dir, 'project');
  const pause = path.join(dir, 'paused');
  const bin = pausingGit(dir, pause);

  const cli = startCli(['create', '--blueprint', blueprint, projectDir], { cwd: dir, env: { ...IDENTITY, PATH: `${bin}${path.delimiter}${process.env.PATH}` }, group: true });
  await waitFor(() => fs.existsSync(pause) && fs.readFileSync(pause, 'utf8').endsWith('\n'), 'the create to land');
  const gitPid = Number(fs.readFileSync(pause, 'utf8'));
  process.kill(-cli.child.pid!, 'SIGKILL');
  // The git command too (it runs from a helper in a process group of its own): the create dies before that checkout.
  process.kill(gitPid, 'SIGKILL');
  await cli.exited;
  fs.rmSync(pause);
  // What the killed run left: the repository it was making, in its staging folder.
  const left = fs.readdirSync(projectDir);
  expect(left).toHaveLength(1);
  expect(left[0]).toMatch(/^\.app\./);

  const again = runCli(['create', '--blueprint', blueprint, projectDir], { cwd: dir, env: IDENTITY });
  expect(again.stderr).not.toContain('error');
  expect(again.code).toBe(0);
  expect(fs.readdirSync(projectDir).filter(name => name.startsWith('.'))).toEqual([]);
  const repo = path.join(projectDir, 'app');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('hello\n');
});

test('SIGINT while create makes the repository: it makes it whole, prints it, and exits 130 saying so (not 0, as though nobody had pressed Ctrl-C)', async () => {
  const dir = tempDir('bluesynth-create-faults-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), BLUEPRINT);
  const projectDir = path.join(dir, 'project');
  const pause = path.join(dir, 'paused');
  const bin = pausingGit(dir, pause);

  const cli = startCli(['create', '--blueprint', blueprint, projectDir], { cwd: dir, env: { ...IDENTITY, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
  await waitFor(() => fs.existsSync(pause) && fs.readFileSync(pause, 'utf8').endsWith('\n'), 'the create to land');
  process.kill(cli.child.pid!, 'SIGINT');
  fs.rmSync(pause);
  const code = await cli.exited;
  expect(cli.output()).toContain('created from test-blueprint@1.2.3');
  expect(cli.output()).toContain('interrupted (SIGINT): the create had begun making the repositories, so it made them whole before stopping');
  expect(code).toBe(130);
  const repo = path.join(projectDir, 'app');
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('hello\n');
  expect(fs.readdirSync(projectDir).filter(name => name.startsWith('.'))).toEqual([]);
});

test('SIGKILL while the blueprint runs for create: the work folder it had in the cache is removed by the next create', async () => {
  const dir = tempDir('bluesynth-create-faults-');
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const pause = process.env.PAUSE;
    if (pause) {
      fs.writeFileSync(pause, String(process.pid));
      const sleep = new Int32Array(new SharedArrayBuffer(4));
      for (;;) Atomics.wait(sleep, 0, 0, 1000);
    }
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
  }
}
`);
  const cache = path.join(dir, 'cache');
  const pause = path.join(dir, 'paused');
  const cli = startCli(['create', '--blueprint', blueprint, path.join(dir, 'killed')], { cwd: dir, env: { ...IDENTITY, BLUESYNTH_CACHE_DIR: cache, PAUSE: pause }, group: true });
  await waitFor(() => fs.existsSync(pause), 'the blueprint to run');
  process.kill(-cli.child.pid!, 'SIGKILL');
  await cli.exited;
  // What the killed create left in the cache: its work folder, named after an instantiation id no later run has.
  expect(fs.readdirSync(path.join(cache, 'work'))).toHaveLength(1);

  const again = runCli(['create', '--blueprint', blueprint, path.join(dir, 'project')], { cwd: dir, env: { ...IDENTITY, BLUESYNTH_CACHE_DIR: cache } });
  expect(again.code).toBe(0);
  expect(fs.readdirSync(path.join(cache, 'work'))).toEqual([]);
});

test('two creates into one folder at once: the one that comes second refuses, exit 2, and leaves the first one\'s repository whole', async () => {
  const dir = tempDir('bluesynth-create-faults-');
  // Pauses in its second run (the one that sees the project it made), after create has checked the folders are free.
  const blueprint = makeBlueprint(path.join(dir, 'blueprint'), `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    const pause = process.env.PAUSE;
    if (pause && !fs.existsSync(pause + '.first')) fs.writeFileSync(pause + '.first', '');
    else if (pause) {
      fs.writeFileSync(pause, String(process.pid));
      const sleep = new Int32Array(new SharedArrayBuffer(4));
      while (fs.existsSync(pause)) Atomics.wait(sleep, 0, 0, 20);
    }
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
  }
}
`);
  const projectDir = path.join(dir, 'project');
  const pause = path.join(dir, 'paused');
  const first = startCli(['create', '--blueprint', blueprint, projectDir], { cwd: dir, env: { ...IDENTITY, PAUSE: pause } });
  await waitFor(() => fs.existsSync(pause), 'the first create to check the folders and run the blueprint again');
  const second = runCli(['create', '--blueprint', blueprint, projectDir], { cwd: dir, env: IDENTITY });
  expect(second.code).toBe(0);
  const repo = path.join(projectDir, 'app');
  const baseline = git(repo, 'rev-parse', 'HEAD');

  fs.rmSync(pause);
  const code = await first.exited;
  expect(first.output()).toContain(`${repo}: exists and is not empty; create makes each repository in a new or empty folder`);
  expect(code).toBe(2);
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(baseline);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(fs.readdirSync(projectDir).filter(name => name.startsWith('.'))).toEqual([]);
});
