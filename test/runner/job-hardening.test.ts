import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, makeBlueprint, readTree, ROOT, runCli, tempDir } from '../util';
import { startCli } from './process-util';

const REPO = `
import * as fs from 'fs';
import * as path from 'path';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'version ' + (process.env.VERSION ?? '1') + '\\n');
  }
  async synth() {
    await super.synth();
    if (process.env.FAIL === process.env.RESYNTH_PHASE) throw new Error('failing on purpose in ' + process.env.RESYNTH_PHASE);
    if (process.env.LINK) fs.symlinkSync(process.env.LINK, path.join(this.outdir, 'src', 'app', 'link'));
    if (process.env.SELF_LINKS) for (const name of ['a', 'b']) fs.symlinkSync('.', path.join(this.outdir, 'src', 'app', name));
    if (process.env.COPY_LINK) {
      // A folder with a relative link, copied into the repository as launch-blueprint copies its clone.
      const clone = path.join(this.context.durableStoragePath, 'clone');
      fs.rmSync(clone, { recursive: true, force: true });
      fs.mkdirSync(clone, { recursive: true });
      fs.writeFileSync(path.join(clone, 'README.md'), 'cloned\\n');
      fs.symlinkSync('README.md', path.join(clone, 'link'));
      fs.cpSync(clone, path.join(this.outdir, 'src', 'app', 'clone'), { recursive: true, verbatimSymlinks: process.env.COPY_LINK === 'verbatim' });
    }
    if (process.env.SLEEP_MS) await new Promise(resolve => setTimeout(resolve, Number(process.env.SLEEP_MS)));
    if (process.env.FOREVER) await new Promise(() => setInterval(() => undefined, 1000));
  }
}
`;

describe('issue 15 item 4: a resynthesis that fails after an earlier good one', () => {
  test('leaves no resolved bundle, report or diffs of the earlier run', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const args = ['resynth', '--options', 'src/defaults.json', '--outdir', 'out'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const folder = path.join(dir, 'out', 'resynth.defaults');
    expect(fs.readdirSync(folder).sort()).toEqual(expect.arrayContaining(['diffs', 'resolved-bundle', 'resynth-report.json']));

    const failed = runCli(args, { cwd: dir, env: { FAIL: 'PROPOSED', VERSION: '2' } });
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('failing on purpose in PROPOSED');
    const left = fs.readdirSync(folder);
    for (const stale of ['diffs', 'resolved-bundle', 'resynth-report.json', 'proposed-bundle']) expect(left).not.toContain(stale);
  }, 180_000);
});

describe('a resynthesis whose ancestor or proposed job fails', () => {
  test.each(['ANCESTOR', 'PROPOSED'])('(%s) leaves no bundle of the failed job, nor the earlier proposed one, and the next run takes none of its bundles for hand-made', phase => {
    const dir = makeBlueprint(tempDir(), REPO);
    const args = ['resynth', '--options', 'src/defaults.json', '--outdir', 'out'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const folder = path.join(dir, 'out', 'resynth.defaults');

    const failed = runCli(args, { cwd: dir, env: { FAIL: phase, VERSION: '2' } });
    expect(failed.output).toContain(`failing on purpose in ${phase}`);
    expect(failed.code).toBe(1);
    // The ancestor is this run's when its job succeeded; a failed job's bundle and the one it replaced are gone.
    const left = fs.readdirSync(folder).sort();
    expect(left).toEqual(['.bluesynth-generated.json', ...(phase === 'PROPOSED' ? ['ancestor-bundle'] : [])]);

    const next = runCli(args, { cwd: dir, env: { VERSION: '2' } });
    expect(next.output).not.toContain('hand-made');
    expect(next.code).toBe(0);
    expect(readTree(path.join(folder, 'resolved-bundle'))['src/app/README.md']).toBe('version 2\n');
  }, 180_000);
});

describe('issue 15 item 5: a blueprint that creates a symbolic link pointing outside its output', () => {
  test.each([['/etc'], ['../../../..'], ['../../../../etc/passwd']])('fails the job, naming the link, and writes no bundle (%s)', target => {
    const dir = makeBlueprint(tempDir(), REPO);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { LINK: target } });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`PathEscapeError: the blueprint made symbolic links that lead outside the bundle: 'src/app/link' -> '${target}'`);
    expect(fs.existsSync(path.join(dir, 'out', 'synth.defaults'))).toBe(false); // nothing of it, not even its folder
  });

  test('a relative link copied with fs.cpSync (which makes it absolute) fails the job with the option that keeps it relative', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const args = ['synth', '--options', 'src/defaults.json', '--outdir', 'out'];
    const copied = runCli(args, { cwd: dir, env: { COPY_LINK: 'resolved' } });
    expect(copied.code).toBe(1);
    expect(copied.output).toMatch(/lead outside the bundle: 'src\/app\/clone\/link' -> '\/[^']*\/clone\/README\.md' \(fs\.cpSync and fs\.cp make every relative link they copy absolute unless given verbatimSymlinks: true\)/);

    const verbatim = runCli(args, { cwd: dir, env: { COPY_LINK: 'verbatim' } });
    expect(verbatim.code).toBe(0);
    expect(fs.readlinkSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/clone/link'))).toBe('README.md');
  });

  test('a link that climbs out with a relative target gets no word about fs.cpSync', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { LINK: '../../../..' } });
    expect(result.code).toBe(1);
    expect(result.output).toContain("lead outside the bundle: 'src/app/link' -> '../../../..'");
    expect(result.output).not.toContain('verbatimSymlinks');
  });

  test('a link that stays inside the bundle is kept as a link', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { LINK: 'README.md' } });
    expect(result.code).toBe(0);
    expect(fs.readlinkSync(path.join(dir, 'out/synth.defaults/proposed-bundle/src/app/link'))).toBe('README.md');
  });

  test('two links to their own folder (a -> ., b -> .) are kept as links by a resynthesis, which ends', () => {
    // Listed by following the links, the folder has no end: the run once ran until it was out of memory.
    const dir = makeBlueprint(tempDir(), REPO);
    const result = spawnSync(process.execPath, [CLI, 'resynth', '--options', 'src/defaults.json', '--outdir', 'out'], {
      cwd: dir, env: { ...process.env, SELF_LINKS: '1' }, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL',
    });
    expect(result.stdout + result.stderr).toContain('1 of 1 resynthesis job succeeded');
    expect(result.status).toBe(0);
    for (const bundle of ['ancestor-bundle', 'existing-bundle', 'resolved-bundle']) {
      for (const name of ['a', 'b']) expect(fs.readlinkSync(path.join(dir, 'out/resynth.defaults', bundle, 'src/app', name))).toBe('.');
    }
  }, 90_000);
});

describe('issue 15 item 9: a blueprint that never returns', () => {
  test('is reported as still running, by name, every heartbeat, until --timeout stops it', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out', '--timeout', '3'], { cwd: dir, env: { FOREVER: '1', BLUESYNTH_HEARTBEAT_MS: '700' } });
    expect(result.code).toBe(1);
    const beats = result.stderr.split('\n').filter(line => /synth\.defaults +\d+ s {2}still running \(--timeout stops it at 3 s\)/.test(line));
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(result.output).toContain('timed out after 3000 ms');
  });

  test('without --timeout it says so, and the CLI is not silent while it waits', async () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const cli = startCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { FOREVER: '1', BLUESYNTH_HEARTBEAT_MS: '500' } });
    try {
      const deadline = Date.now() + 20_000;
      while (!cli.output().includes('still running') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
      expect(cli.output()).toMatch(/synth\.defaults +\d+ s {2}still running \(no --timeout: it runs until it ends or you stop it\)/);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });
});

describe('heartbeat', () => {
  test('a job that ends before the first beat prints none', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { BLUESYNTH_HEARTBEAT_MS: '60000' } });
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('still running');
  });

  test('a slow job that ends prints its beats, then its result', () => {
    const dir = makeBlueprint(tempDir(), REPO);
    const result = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { SLEEP_MS: '2500', BLUESYNTH_HEARTBEAT_MS: '800' } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/synth\.defaults +\d+ s {2}still running/);
    expect(result.stdout).toContain('ok    synth.defaults');
  });
});

describe('a job process that cannot start', () => {
  test('fails its run with an error instead of crashing or hanging the caller', async () => {
    // The built library, as the CLI runs it: its job processes are lib/runner/job-process.js.
    const { runResynthesis } = require(path.join(ROOT, 'lib', 'runner', 'resynthesis')) as typeof import('../../src/runner/resynthesis');
    const dir = makeBlueprint(tempDir(), REPO);
    const missing = path.join(tempDir(), 'gone');
    await expect(runResynthesis({
      blueprintDir: dir,
      outdir: path.join(dir, 'out'),
      configurations: [{ name: 'defaults', file: path.join(dir, 'src', 'defaults.json'), options: {} }],
      priorBlueprintDir: missing,
    })).rejects.toThrow(`${missing}/src/index.ts: not found`);
  });

  test('is ended without signalling anything else: not the caller\'s own process group', async () => {
    // Node gives a child that could not start no pid until its 'error' event, and kill() before that signals
    // pid 0, the caller's whole group: this once ended the test run and its CI job. The caller runs in a
    // group of its own here, so that such a kill ends only it.
    const script = `
      process.on('SIGTERM', () => { console.log('the caller got SIGTERM'); process.exit(3); });
      const { JobProcess } = require(${JSON.stringify(path.join(ROOT, 'lib', 'runner', 'run-job.js'))});
      new JobProcess({ blueprintDir: ${JSON.stringify(path.join(tempDir(), 'gone'))}, transpile: true }).dispose();
      setTimeout(() => console.log('the caller goes on'), 300);
    `;
    const caller = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    caller.stdout.on('data', chunk => (output += chunk));
    const status = await new Promise(resolve => caller.on('close', resolve));
    expect(output.trim()).toBe('the caller goes on');
    expect(status).toBe(0);
  });
});
