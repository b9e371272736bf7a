import * as fs from 'fs';
import * as path from 'path';
import { InPlaceBundle } from '../../src/bundle/staging';
import { makeBlueprint, readTree, runCli, tempDir } from '../util';
import { isRunning, startCli, waitFor } from './process-util';

/**
 * A blueprint that records its process id in `PID_FILE`, then never returns while `HANG` is set: spinning
 * (a synchronous loop that blocks the event loop) or waiting (an event loop with a timer, nothing else).
 * With `THROW` set it fails.
 */
const HANGING = `
import * as fs from 'fs';
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    new SourceFile(new SourceRepository(this, { title: 'app' }), 'README.md', 'hello\\n');
    if (process.env.PID_FILE && process.env.RESYNTH_PHASE === (process.env.HANG_PHASE ?? 'PROPOSED')) fs.writeFileSync(process.env.PID_FILE, String(process.pid));
    if (process.env.HANG === 'spin' && process.env.RESYNTH_PHASE === (process.env.HANG_PHASE ?? 'PROPOSED')) for (;;) {}
    if (process.env.THROW) throw new Error('thrown on purpose');
  }
  async synth() {
    if (process.env.HANG === 'wait' && process.env.RESYNTH_PHASE === (process.env.HANG_PHASE ?? 'PROPOSED')) await new Promise(() => setInterval(() => undefined, 1000));
    return super.synth();
  }
}
`;

/** The markers beside a bundle of the runs writing it (see InPlaceBundle). */
function writingMarkers(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter(name => name.includes('.writing-')) : [];
}

describe('issue 15 item 2: kill -9 of the CLI while a job runs', () => {
  test.each(['spin', 'wait'])('leaves no job process (a blueprint that %ss) and the next run replaces the partial bundle and the marker it left', async hang => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const pidFile = path.join(dir, 'job.pid');
    const cli = startCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { HANG: hang, PID_FILE: pidFile } });
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 'the job to start');
    const jobPid = Number(fs.readFileSync(pidFile, 'utf8'));
    const jobFolder = path.join(dir, 'out', 'synth.defaults');
    expect(writingMarkers(jobFolder)).toHaveLength(1);
    expect(isRunning(jobPid)).toBe(true);

    cli.child.kill('SIGKILL');
    await cli.exited;
    await waitFor(() => !isRunning(jobPid), `job process ${jobPid} to end after its CLI was killed`, 5000);
    expect(writingMarkers(jobFolder)).toHaveLength(1); // nothing removes it but a later run

    const next = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(next.output).toContain('ok    synth.defaults');
    expect(writingMarkers(jobFolder)).toEqual([]);
    expect(fs.readdirSync(jobFolder)).toEqual(['proposed-bundle']);
    expect(readTree(path.join(jobFolder, 'proposed-bundle'))).toEqual({ 'options.json': expect.any(String), 'src/app/README.md': 'hello\n' });
  }, 120_000);

  test('a second run into a bundle being written refuses, naming it and the run, and changes nothing', async () => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const pidFile = path.join(dir, 'job.pid');
    const slow = startCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { HANG: 'wait', PID_FILE: pidFile } });
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 'the job to start');
    const jobFolder = path.join(dir, 'out', 'synth.defaults');
    const before = fs.readdirSync(jobFolder);
    try {
      const second = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
      expect(second.code).toBe(2);
      expect(second.output).toContain(`${fs.realpathSync(path.join(jobFolder, 'proposed-bundle'))} is being written by another run (process ${slow.child.pid})`);
      expect(fs.readdirSync(jobFolder)).toEqual(before);
    } finally {
      slow.child.kill('SIGTERM');
      await slow.exited;
    }
  });
});

describe('issue 15 item 3: a kill just as the ancestor bundle lands on a first resynthesis', () => {
  test('the next run still knows it generated the ancestor bundle, and regenerates it', async () => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const pidFile = path.join(dir, 'job.pid');
    const args = ['resynth', '--options', 'src/defaults.json', '--outdir', 'out'];
    // The proposed job hangs, so the ancestor bundle lands while the run is still going.
    const cli = startCli(args, { cwd: dir, env: { HANG: 'wait', PID_FILE: pidFile } });
    const ancestor = path.join(dir, 'out', 'resynth.defaults', 'ancestor-bundle');
    await waitFor(() => fs.existsSync(ancestor), 'the ancestor bundle');
    cli.child.kill('SIGKILL');
    await cli.exited;

    const next = runCli(args, { cwd: dir });
    expect(next.output).not.toContain('kept the hand-made');
    expect(next.code).toBe(0);
    const again = runCli(args, { cwd: dir });
    expect(again.output).not.toContain('kept the hand-made');
    expect(fs.readFileSync(path.join(ancestor, 'src', 'app', 'README.md'), 'utf8')).toBe('hello\n');
  }, 180_000);
});

describe('a run killed (kill -9) while it replaces a bundle of an earlier run', () => {
  /** Starts `args` with the job of `phase` hanging, waits for that job, and kills the CLI outright. */
  async function killMidway(dir: string, args: string[], phase = 'PROPOSED'): Promise<void> {
    const pidFile = path.join(dir, 'job.pid');
    fs.rmSync(pidFile, { force: true });
    const cli = startCli(args, { cwd: dir, env: { HANG: 'spin', HANG_PHASE: phase, PID_FILE: pidFile } });
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 'the job to start');
    const jobPid = Number(fs.readFileSync(pidFile, 'utf8'));
    cli.child.kill('SIGKILL');
    await cli.exited;
    await waitFor(() => !isRunning(jobPid), `job process ${jobPid} to end after its CLI was killed`, 5000);
  }

  test('synth: the next run puts the earlier bundle back before anything else; a run that then fails leaves no bundle, as any failure', async () => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const args = ['synth', '--options', 'src/defaults.json', '--outdir', 'out'];
    expect(runCli(args, { cwd: dir }).code).toBe(0);
    const jobFolder = path.join(dir, 'out', 'synth.defaults');
    const bundle = path.join(jobFolder, 'proposed-bundle');
    const earlier = readTree(bundle);
    await killMidway(dir, args);
    expect(writingMarkers(jobFolder)).toHaveLength(1);
    // What every run into the folder does first (and all a run refused for another bundle's place does).
    InPlaceBundle.check(bundle);
    expect(fs.readdirSync(jobFolder)).toEqual(['proposed-bundle']);
    expect(readTree(bundle)).toEqual(earlier);

    await killMidway(dir, args);
    const failed = runCli(args, { cwd: dir, env: { THROW: '1' } });
    expect(failed.output).toContain('thrown on purpose');
    expect(failed.code).toBe(1);
    expect(fs.readdirSync(jobFolder)).toEqual([]);
  }, 120_000);

  test('resynth: the next run takes no bundle for hand-made and gives what the earlier run gave', async () => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const args = ['resynth', '--options', 'src/defaults.json', '--outdir', 'out'];
    const first = runCli(args, { cwd: dir });
    expect(first.code).toBe(0);
    const folder = path.join(dir, 'out', 'resynth.defaults');
    const results = () => ({ resolved: readTree(path.join(folder, 'resolved-bundle')), report: fs.readFileSync(path.join(folder, 'resynth-report.json'), 'utf8') });
    const earlier = results();
    await killMidway(dir, args, 'ANCESTOR');

    const next = runCli(args, { cwd: dir });
    expect(next.output).not.toContain('hand-made');
    expect(next.code).toBe(0);
    expect(results()).toEqual(earlier);
    expect(fs.readdirSync(folder).filter(name => name.startsWith('.') && name !== '.bluesynth-generated.json')).toEqual([]);
  }, 180_000);
});
