import * as path from 'path';
import { lastLines, printJob } from '../../src/runner/print-job';
import { makeBlueprint, runCli, tempDir } from '../util';

/** What printJob wrote, stream by stream. */
function printed(run: () => void): { stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  try {
    run();
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return { stdout: out.join('\n'), stderr: err.join('\n') };
}

const OUTPUT = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const FAILED = {
  name: 'synth.defaults', ok: false, ms: 1234, files: 0, output: OUTPUT,
  error: { name: 'TypeError', message: 'no region', location: 'src/index.ts:7:11', stack: 'TypeError: no region\n    at new Blueprint' },
};

describe('printJob: one finished job, as every command and the preview print it', () => {
  test('a job that succeeded: one line on stdout with its time and files, and where it went', () => {
    const { stdout, stderr } = printed(() => printJob({ name: 'synth.defaults', ok: true, ms: 1234, files: 7, output: 'chatter\n' }, false, 'out/synth.defaults'));
    expect(stdout).toBe(`  ok    ${'synth.defaults'.padEnd(28)}   1.23 s      7 files  out/synth.defaults`);
    expect(stderr).toBe('');
  });

  test('a failed job: its error at the blueprint\'s line, then the end of what it printed and how to see the rest', () => {
    const { stdout, stderr } = printed(() => printJob(FAILED, false));
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines[0]).toBe(`  FAIL  ${'synth.defaults'.padEnd(28)}   1.23 s  TypeError: no region`);
    expect(lines[1]).toBe('        at src/index.ts:7:11');
    expect(lines[2]).toBe('        | ... (30 earlier lines; --verbose shows all)');
    expect(lines.slice(3)).toEqual(Array.from({ length: 20 }, (_, i) => `        | line ${i + 31}`));
    expect(stderr).not.toContain('at new Blueprint');
  });

  test('--verbose adds the stack and the whole output', () => {
    const { stderr } = printed(() => printJob(FAILED, true));
    expect(stderr).toContain('        | TypeError: no region\n        |     at new Blueprint');
    expect(stderr).toContain('        | line 1\n');
    expect(stderr).not.toContain('earlier lines');
  });

  test('lastLines keeps the end of a text, without its trailing newline', () => {
    expect(lastLines(OUTPUT, 2)).toBe('line 49\nline 50');
    expect(lastLines('one\n', 5)).toBe('one');
  });
});

test('the preview prints a failed job as synth does, with the end of what the blueprint printed', () => {
  const dir = makeBlueprint(tempDir(), `
import { Blueprint as ParentBlueprint } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    for (let i = 1; i <= 30; i++) console.log('step ' + i);
    throw new TypeError('no region');
  }
}
`);
  const root = tempDir();
  const result = runCli(['preview', '--blueprint', dir, '--outdir', path.join(root, 'synth'), '--export', path.join(root, 'site')]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/ {2}FAIL {2}synth\.defaults +\d+\.\d\d s {2}TypeError: no region\n {8}at src\/index\.ts:7:/);
  expect(result.stderr).toContain('        | ... (10 earlier lines; --verbose shows all)\n        | step 11\n');
  expect(result.stderr).toContain('        | step 30');
}, 120_000);
