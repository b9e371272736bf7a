import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { isRunning, startCli, waitFor } from './process-util';

/**
 * A blueprint that records its process id in `PID_FILE`, then never returns while `HANG` is set: spinning
 * (a synchronous loop that blocks the event loop) or waiting (an event loop with a timer, nothing else).
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
  }
  async synth() {
    if (process.env.HANG === 'wait' && process.env.RESYNTH_PHASE === (process.env.HANG_PHASE ?? 'PROPOSED')) await new Promise(() => setInterval(() => undefined, 1000));
    return super.synth();
  }
}
`;

function stagingFolders(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter(name => name.includes('.staging-')) : [];
}

describe('issue 15 item 2: kill -9 of the CLI while a job runs', () => {
  test.each(['spin', 'wait'])('leaves no job process (a blueprint that %ss) and the next run removes the staging folder it left', async hang => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const pidFile = path.join(dir, 'job.pid');
    const cli = startCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { HANG: hang, PID_FILE: pidFile } });
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 'the job to start');
    const jobPid = Number(fs.readFileSync(pidFile, 'utf8'));
    const jobFolder = path.join(dir, 'out', 'synth.defaults');
    expect(stagingFolders(jobFolder)).toHaveLength(1);
    expect(isRunning(jobPid)).toBe(true);

    cli.child.kill('SIGKILL');
    await cli.exited;
    await waitFor(() => !isRunning(jobPid), `job process ${jobPid} to end after its CLI was killed`, 5000);
    expect(stagingFolders(jobFolder)).toHaveLength(1); // nothing removes it but a later run

    const next = runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir });
    expect(next.output).toContain('ok    synth.defaults');
    expect(stagingFolders(jobFolder)).toEqual([]);
    expect(fs.readdirSync(jobFolder)).toEqual(['proposed-bundle']);
  }, 120_000);

  test('a run leaves the staging folder of a run still going into the same output folder alone', async () => {
    const dir = makeBlueprint(tempDir(), HANGING);
    const pidFile = path.join(dir, 'job.pid');
    const slow = startCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir, env: { HANG: 'wait', PID_FILE: pidFile } });
    await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 'the job to start');
    const jobFolder = path.join(dir, 'out', 'synth.defaults');
    const [live] = stagingFolders(jobFolder);
    try {
      expect(runCli(['synth', '--options', 'src/defaults.json', '--outdir', 'out'], { cwd: dir }).code).toBe(0);
      expect(stagingFolders(jobFolder)).toEqual([live]);
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
