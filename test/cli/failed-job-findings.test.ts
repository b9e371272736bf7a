import * as fs from 'fs';
import * as path from 'path';
import { makeBlueprint, runCli, tempDir } from '../util';
import { startPreview, waitForState } from '../preview/preview-util';

/**
 * A blueprint whose defaults.json leaves out a required option that is not a repository's title: validation only
 * warns of it (the SDK accepts such defaults), and the blueprint then fails reading it with a bare TypeError. Each
 * command that runs blueprint jobs says the warning again with the failure, as its likely cause, naming the option
 * and the file; before, the failure stood alone, lines below a warning nothing tied to it.
 */
jest.setTimeout(300_000);

const SOURCE = `
import { Blueprint as ParentBlueprint, Options as ParentOptions, SourceFile, SourceRepository } from 'bluesynth';
export interface Options extends ParentOptions {
  repositoryName: string;
  advanced: { branch: string };
}
export class Blueprint extends ParentBlueprint {
  constructor(options: Options) {
    super(options);
    const repository = new SourceRepository(this, { title: options.repositoryName });
    new SourceFile(repository, 'BRANCH', options.advanced.branch + '\\n');
  }
}
`;

let work: string;
let blueprint: string;

beforeAll(() => {
  work = tempDir('bluesynth-failed-job-findings-');
  blueprint = makeBlueprint(path.join(work, 'blueprint'), SOURCE, { 'src/defaults.json': JSON.stringify({ repositoryName: 'app' }) });
  expect(runCli(['build-schema', '--blueprint', blueprint]).code).toBe(0);
});

/** The lines of `stderr` from the failure's error on: the error, then its likely cause. */
function failureOf(stderr: string): string {
  return stderr.slice(stderr.indexOf('TypeError'));
}

const CAUSE = /likely cause: validation warned before the blueprint ran:\n +warning: (blueprint\/)?src\/defaults\.json: \$\.advanced: required: missing required option 'advanced'/;

test('synth and drive-synth say the warning beside the job that failed', () => {
  const synth = runCli(['synth', '--blueprint', 'blueprint', '--options', 'blueprint/src/defaults.json', '--outdir', 'out'], { cwd: work });
  expect(synth.code).toBe(1);
  expect(failureOf(synth.stderr)).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'branch'\)\n +at src\/index\.ts:\d+:\d+\n/);
  expect(failureOf(synth.stderr)).toMatch(CAUSE);

  const drive = runCli(['drive-synth', '--blueprint', 'blueprint', '--outdir', 'drive'], { cwd: work });
  expect(drive.code).toBe(1);
  expect(failureOf(drive.stderr)).toMatch(CAUSE);
});

test('resynth says it beside each job of the configuration that failed', () => {
  const resynth = runCli(['resynth', '--blueprint', 'blueprint', '--options', 'blueprint/src/defaults.json', '--outdir', 'resynth'], { cwd: work });
  expect(resynth.code).toBe(1);
  expect(failureOf(resynth.stderr)).toMatch(CAUSE);
});

test('create says it, with the --set that gives the option, in its error', () => {
  const create = runCli(['create', '--blueprint', 'blueprint', 'project'], { cwd: work });
  expect(create.code).toBe(1);
  expect(failureOf(create.stderr)).toMatch(/likely cause: validation warned before the blueprint ran:\n  warning: blueprint\/src\/defaults\.json: \$\.advanced: required: missing required option 'advanced': the blueprint runs without it; give it a value with --set advanced=VALUE/);
  expect(fs.existsSync(path.join(work, 'project', 'app'))).toBe(false);
});

test('a job whose options were not validated (--validation off) fails with no likely cause said', () => {
  const synth = runCli(['synth', '--blueprint', 'blueprint', '--options', 'blueprint/src/defaults.json', '--outdir', 'out', '--validation', 'off'], { cwd: work });
  expect(synth.code).toBe(1);
  expect(synth.stderr).toContain("TypeError: Cannot read properties of undefined (reading 'branch')");
  expect(synth.stderr).not.toContain('likely cause');
});

test('preview: the failed job carries the warnings (api/state.json, the page) and the terminal says them', async () => {
  const preview = await startPreview(['--blueprint', blueprint, '--outdir', path.join(work, 'preview')]);
  const state = await waitForState(preview.url, s => !s.busy && s.jobs.some(job => job.name === 'synth.defaults' && job.status === 'failed'));
  const failed = state.jobs.find(job => job.name === 'synth.defaults')!;
  expect(failed.error!.message).toBe("Cannot read properties of undefined (reading 'branch')");
  expect(failed.error!.warnedBefore).toEqual([expect.stringMatching(/src\/defaults\.json: \$\.advanced: required: missing required option 'advanced'$/)]);
  // Printed as the job ends, which the state may show first.
  for (let tries = 0; tries < 50 && !preview.output().includes('likely cause'); tries++) await new Promise(resolve => setTimeout(resolve, 100));
  expect(preview.output()).toMatch(/likely cause: validation warned before the blueprint ran:\n +warning: \S*src\/defaults\.json: \$\.advanced: required: missing required option 'advanced'/);
  // The page's script renders them (the bundled page holds the panel's words).
  const page = await (await fetch(`${preview.url}assets/page.js`)).text();
  expect(page).toContain('Likely cause: validation warned before the blueprint ran:');
  await preview.stop();
});
