import * as fs from 'fs';
import * as path from 'path';
import { isRunning, waitFor } from '../runner/process-util';
import { makeBlueprint, tempDir } from '../util';
import { startPreview, waitForState } from './preview-util';

/**
 * Ctrl-C stops the preview even while a blueprint never returns: the job running is killed, as in `synth`,
 * rather than waited for (one Ctrl-C then did nothing visible, and only a second one ended the preview).
 */
jest.setTimeout(60_000);

/** What a failing test leaves running (a preview that did not end, its job): killed, so jest can end. */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

/** The blueprint's job process: a child of the preview running `job-process.js`. */
function jobProcesses(parent: number): number[] {
  return fs.readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number).filter(pid => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('job-process');
    } catch {
      return false;
    }
  });
}

test.each(['SIGINT', 'SIGTERM'] as const)('%s ends a preview whose blueprint loops forever: its job is killed and nothing is left of its bundle', async signal => {
  const dir = makeBlueprint(path.join(tempDir('bluesynth-preview-stop-'), 'blueprint'), `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) { super(options); for (;;) {} }
}`);
  const outdir = path.join(path.dirname(dir), 'out');
  const preview = await startPreview(['--blueprint', dir, '--outdir', outdir]);
  started.push(preview.child.pid!);
  await waitForState(preview.url, state => state.jobs.some(job => job.status === 'running'));
  let jobs: number[] = [];
  await waitFor(() => (jobs = jobProcesses(preview.child.pid!)).length > 0, 'the job process');
  started.push(...jobs);
  const exited = new Promise<number | null>(resolve => preview.child.once('exit', code => resolve(code)));
  preview.child.kill(signal);
  await waitFor(() => preview.child.exitCode !== null, `the preview to end after ${signal}`, 15_000);
  expect(await exited).toBe(0);
  expect(preview.output()).toContain('the run was interrupted');
  expect(jobs.filter(isRunning)).toEqual([]);
  expect(fs.existsSync(path.join(outdir, 'synth.defaults', 'proposed-bundle'))).toBe(false);
});
