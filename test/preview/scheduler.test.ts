import * as fs from 'fs';
import * as path from 'path';
import type { Configuration } from '../../src/blueprint/options-files';
import { BundleLayout, BundleNames } from '../../src/bundle/layout';
import { InPlaceBundle } from '../../src/bundle/staging';
import { PreviewScheduler, SchedulerJobs, SchedulerOptions } from '../../src/preview/scheduler';
import type { PreviewJob } from '../../src/preview/state';
import { totalsOf } from '../../src/resynth/report';
import type { ResynthesisResult } from '../../src/runner/resynthesis';
import type { JobResult } from '../../src/runner/run-job';
import { makeBlueprint, readTree, ROOT, tempDir, writeTree } from '../util';

/*
 * The preview scheduler's state machine, without a browser and without job processes: its jobs run through
 * stand-ins that write or remove bundles the way synthesize() and resynth() do (in place: the old bundle is
 * removed when the job starts; a failure removes the new one), and finish only when the test says so. Timers are jest's, so the
 * debounce is measured on a clock the test moves.
 */

/** How the stand-in ends one configuration's job: a bundle with these files, or a failure. */
type Outcome = { readonly files: Record<string, string> } | { readonly error: string; readonly output?: string };

/** One call of synthesize() or resynth() that waits for the test to finish it. */
interface PendingRun {
  readonly kind: 'synth' | 'resynth';
  /** The configurations it was asked for, by name. */
  readonly configurations: string[];
  /** Their options, by name. */
  readonly options: Record<string, Record<string, unknown>>;
  /** Ends each configuration's job as given (in the order given), then the call itself. */
  finish(outcomes: Record<string, Outcome>): Promise<void>;
}

class StandInJobs {
  readonly runs: PendingRun[] = [];

  readonly jobs: SchedulerJobs = {
    synthesize: request =>
      this.pending('synth', request, config => path.join(request.outdir, `synth.${config}`, BundleNames.PROPOSED), (config, bundle, outcome) => {
        return writeJob(bundle, `synth.${config}`, outcome);
      }),
    resynth: request =>
      this.pending('resynth', request, config => path.join(request.outdir, `resynth.${config}`, BundleNames.RESOLVED), (config, bundle, outcome): ResynthesisResult => {
        const name = `resynth.${config}`;
        const job = writeJob(bundle, `${name} resolve`, outcome);
        const report = job.ok ? { files: [], totals: { ...totalsOf([]), files: job.files, added: job.files }, warnings: [] } : undefined;
        return { name, folder: path.join(request.outdir, name), ok: job.ok, ms: job.ms, jobs: [job], report, kept: [], ancestorFromCurrentBlueprint: true };
      }),
  };

  /**
   * A call that starts each configuration's bundle at `target` (removing the old one, as a job does), then
   * waits for {@link PendingRun.finish}, which ends each job with `end` and reports it.
   */
  private pending<R>(
    kind: PendingRun['kind'],
    request: { configurations: Configuration[]; onResult?: (result: R) => void },
    target: (config: string) => string,
    end: (config: string, bundle: InPlaceBundle, outcome: Outcome) => R,
  ): Promise<R[]> {
    const bundles = new Map(request.configurations.map(c => [c.name, InPlaceBundle.begin(target(c.name))]));
    return new Promise(resolve => {
      this.runs.push({
        kind,
        configurations: request.configurations.map(c => c.name),
        options: Object.fromEntries(request.configurations.map(c => [c.name, c.options])),
        finish: async outcomes => {
          const results = Object.entries(outcomes).map(([config, outcome]) => {
            const result = end(config, bundles.get(config)!, outcome);
            request.onResult?.(result);
            return result;
          });
          resolve(results);
          await settled();
        },
      });
    });
  }

  /** The calls so far, as `kind: configurations`. */
  calls(): string[] {
    return this.runs.map(run => `${run.kind}: ${run.configurations.join(' ')}`);
  }

  /** The latest call. */
  last(): PendingRun {
    return this.runs[this.runs.length - 1];
  }
}

/**
 * Ends a job's bundle the way a job does: its files (and an options.json, which every bundle has, and without
 * which the next job would refuse to replace the folder) written and kept, or removed for a failure.
 */
function writeJob(bundle: InPlaceBundle, name: string, outcome: Outcome): JobResult {
  if ('error' in outcome) {
    bundle.discard();
    return { name, ok: false, ms: 5, files: 0, error: { name: 'TypeError', message: outcome.error }, output: outcome.output ?? '' };
  }
  writeTree(bundle.target, { [BundleLayout.OPTIONS_FILE]: '{}', ...outcome.files });
  bundle.commit();
  return { name, ok: true, ms: 5, files: Object.keys(outcome.files).length, output: '' };
}

/** Lets the scheduler's promise chains run to their next wait (a timer or a job), without moving the clock. */
async function settled(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

/** A blueprint folder with these wizard configurations (none: the defaults alone). */
function blueprintFolder(configurations: string[] = []): string {
  const dir = path.join(tempDir('bluesynth-scheduler-'), 'bp');
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'test-blueprint', version: '1.0.0' }),
    'src/index.ts': '// never loaded: the jobs are stand-ins\n',
    'src/defaults.json': '{"name": "web", "region": "eu"}',
    ...Object.fromEntries(configurations.map(name => [`src/wizard-configurations/${name}.json`, `{"name": "${name}"}`])),
  });
  return dir;
}

function start(options: Partial<SchedulerOptions> & { configurations?: string[] } = {}) {
  const { configurations, ...rest } = options;
  const blueprintDir = blueprintFolder(configurations);
  const outdir = path.join(path.dirname(blueprintDir), 'out');
  const stand = new StandInJobs();
  const results: PreviewJob[] = [];
  const scheduler = new PreviewScheduler({ blueprintDir, outdir, debounceMs: 120, onResult: job => results.push({ ...job }), ...rest }, stand.jobs);
  return { scheduler, stand, outdir, results };
}

/** What the page is served for a job (its folder's proposed bundle, or the last good mirror's), but its options.json (see {@link writeJob}). */
function served(scheduler: PreviewScheduler, job: string): Record<string, string> {
  const { [BundleLayout.OPTIONS_FILE]: _options, ...files } = readTree(path.join(scheduler.jobFolder(job), BundleNames.PROPOSED));
  return files;
}

beforeEach(() => {
  // Only the clock is faked; promises and I/O run as usual.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('PreviewScheduler', () => {
  test('a burst of changes runs once, a debounce after the last of them', async () => {
    const { scheduler, stand } = start();
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(100);
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(100);
    scheduler.request('all');
    expect(scheduler.state().busy).toBe(true); // waiting counts as busy, so the page shows it
    await jest.advanceTimersByTimeAsync(119);
    expect(stand.calls()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(stand.calls()).toEqual(['synth: defaults']);

    await stand.last().finish({ defaults: { files: { 'a.txt': 'a' } } });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(stand.calls()).toHaveLength(1);
    expect(scheduler.state().busy).toBe(false);
  });

  test('requests for some configurations coalesce into one run of those, each configuration its own job', async () => {
    const { scheduler, stand } = start({ configurations: ['large', 'medium', 'small'] });
    expect(scheduler.state().jobs.map(job => `${job.name} ${job.status}`)).toEqual(['synth.large queued', 'synth.medium queued', 'synth.small queued']);

    scheduler.request(['small']);
    scheduler.request(['large']);
    await jest.advanceTimersByTimeAsync(120);
    expect(stand.calls()).toEqual(['synth: large small']);
    const status = () => Object.fromEntries(scheduler.state().jobs.map(job => [job.name, job.status]));
    expect(status()).toEqual({ 'synth.large': 'running', 'synth.medium': 'queued', 'synth.small': 'running' });

    await stand.last().finish({ small: { files: { 'size.txt': 'small' } }, large: { error: 'too large' } });
    expect(status()).toEqual({ 'synth.large': 'failed', 'synth.medium': 'queued', 'synth.small': 'ok' });
    expect(served(scheduler, 'synth.small')).toEqual({ 'size.txt': 'small' });

    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    expect(stand.calls()).toEqual(['synth: large small', 'synth: large medium small']);
  });

  test('with resynthesis, every configuration is synthesized first, then resynthesized', async () => {
    const { scheduler, stand } = start({ configurations: ['a', 'b'], resynth: true });
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    expect(stand.calls()).toEqual(['synth: a b']);
    expect(scheduler.job('resynth.a')!.status).toBe('queued');

    await stand.last().finish({ a: { files: { 'x.txt': 'a' } }, b: { files: { 'x.txt': 'b' } } });
    expect(stand.calls()).toEqual(['synth: a b', 'resynth: a b']);
    expect(scheduler.job('resynth.b')!.status).toBe('running');

    await stand.last().finish({ a: { files: { 'x.txt': 'a', 'y.txt': 'a' } }, b: { error: 'conflict in the merge' } });
    expect(scheduler.job('resynth.a')).toMatchObject({ status: 'ok', files: 2, totals: { files: 2 }, generation: 1 });
    // The failure names the phase of the resynthesis that failed.
    expect(scheduler.job('resynth.b')).toMatchObject({ status: 'failed', error: { message: 'conflict in the merge', phase: 'resolve' } });
  });

  test('a failed run reports the failure and keeps showing the last good result, which a later good run replaces', async () => {
    const { scheduler, stand, outdir, results } = start();
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ defaults: { files: { 'app.txt': 'first' } } });
    expect(scheduler.job('synth.defaults')).toMatchObject({ status: 'ok', files: 1, generation: 1, stale: false });
    expect(served(scheduler, 'synth.defaults')).toEqual({ 'app.txt': 'first' });

    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    // While the job runs, its folder holds a partial bundle (here: an empty one): the page is served the last good.
    expect(readTree(path.join(outdir, 'synth.defaults', BundleNames.PROPOSED))).toEqual({});
    expect(served(scheduler, 'synth.defaults')).toEqual({ 'app.txt': 'first' });
    const output = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
    await stand.last().finish({ defaults: { error: 'the region is not supported', output } });
    const failed = scheduler.job('synth.defaults')!;
    expect(failed).toMatchObject({ status: 'failed', stale: true, generation: 1, error: { name: 'TypeError', message: 'the region is not supported' } });
    expect(failed.output!.split('\n')).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i + 11}`)); // its last 40 lines
    expect(results.map(job => job.status)).toEqual(['ok', 'failed']);
    // The job removed its bundle; the page is served the mirror kept before the run.
    expect(fs.existsSync(path.join(outdir, 'synth.defaults', BundleNames.PROPOSED))).toBe(false);
    expect(scheduler.jobFolder('synth.defaults')).toBe(scheduler.lastGood.folder('synth.defaults'));
    expect(served(scheduler, 'synth.defaults')).toEqual({ 'app.txt': 'first' });

    // Another failure still falls back on the last good result, not on the failure before it.
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ defaults: { error: 'still not supported' } });
    expect(scheduler.job('synth.defaults')).toMatchObject({ status: 'failed', stale: true, error: { message: 'still not supported' } });
    expect(served(scheduler, 'synth.defaults')).toEqual({ 'app.txt': 'first' });

    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ defaults: { files: { 'app.txt': 'second' } } });
    const good = scheduler.job('synth.defaults')!;
    expect(good).toMatchObject({ status: 'ok', stale: false, generation: 2 });
    expect(good.error).toBeUndefined();
    expect(good.output).toBeUndefined();
    expect(scheduler.jobFolder('synth.defaults')).toBe(path.join(outdir, 'synth.defaults'));
    expect(served(scheduler, 'synth.defaults')).toEqual({ 'app.txt': 'second' });
    expect(scheduler.lastGood.has('synth.defaults')).toBe(false);
  });

  test('a failure with no good result before it has nothing to fall back on', async () => {
    const { scheduler, stand } = start();
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ defaults: { error: 'broken from the start' } });
    expect(scheduler.job('synth.defaults')).toMatchObject({ status: 'failed', stale: false, generation: 0 });
    expect(scheduler.jobFolder('synth.defaults')).toBe(path.join(scheduler.outdir, 'synth.defaults'));
  });

  test('changes that arrive while a run is going are run once more after it, together', async () => {
    const { scheduler, stand } = start({ configurations: ['a', 'b', 'c'] });
    scheduler.request(['a']);
    await jest.advanceTimersByTimeAsync(120);
    expect(stand.calls()).toEqual(['synth: a']);

    // Three changes during the run, each past its own debounce: none starts a run beside the one going.
    scheduler.request(['b']);
    await jest.advanceTimersByTimeAsync(500);
    scheduler.request(['c']);
    scheduler.request(['b']);
    await jest.advanceTimersByTimeAsync(500);
    expect(stand.calls()).toEqual(['synth: a']);
    expect(scheduler.state().busy).toBe(true);

    await stand.last().finish({ a: { files: { 'f.txt': 'a' } } });
    expect(stand.calls()).toEqual(['synth: a', 'synth: b c']);
    await stand.last().finish({ b: { files: { 'f.txt': 'b' } }, c: { files: { 'f.txt': 'c' } } });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(stand.calls()).toHaveLength(2);
    expect(scheduler.state()).toMatchObject({ busy: false });
    expect(scheduler.state().jobs.every(job => job.status === 'ok')).toBe(true);
    await scheduler.idle();
  });

  test('an options file that does not parse fails the jobs it feeds, naming the file, and leaves their bundles', async () => {
    const { scheduler, stand, outdir, results } = start({ configurations: ['a'] });
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ a: { files: { 'f.txt': 'good' } } });

    fs.writeFileSync(path.join(scheduler.blueprintDir, 'src/wizard-configurations/a.json'), '{"name": ');
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    expect(stand.calls()).toHaveLength(1); // nothing to run
    const failed = results[results.length - 1];
    expect(failed).toMatchObject({ name: 'synth.a', status: 'failed', stale: true });
    expect(failed.error!.message).toContain('a.json');
    expect(readTree(path.join(outdir, 'synth.a', BundleNames.PROPOSED))).toEqual({ 'options.json': '{}', 'f.txt': 'good' });
  });

  test('a scratch run synthesizes the values of the form over the defaults, alone, and a change to the blueprint runs it again', async () => {
    const { scheduler, stand, outdir } = start({ configurations: ['a'] });
    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    // Asked for while a run is going: it waits its turn, and no debounce is added.
    const scratch = scheduler.runScratch({ name: 'from the form' });
    await stand.last().finish({ a: { files: { 'f.txt': 'a' } } });
    expect(stand.calls()).toEqual(['synth: a', 'synth: preview-scratch']);
    expect(stand.last().options).toEqual({ 'preview-scratch': { name: 'from the form', region: 'eu' } });
    expect(JSON.parse(fs.readFileSync(path.join(outdir, '.preview', 'preview-scratch.json'), 'utf8'))).toEqual({ name: 'from the form' });
    await stand.last().finish({ 'preview-scratch': { files: { 'f.txt': 'scratch' } } });
    expect(await scratch).toMatchObject({ name: 'synth.preview-scratch', status: 'ok', generation: 1 });
    expect(served(scheduler, 'synth.preview-scratch')).toEqual({ 'f.txt': 'scratch' });

    scheduler.request('all');
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ a: { files: { 'f.txt': 'a2' } } });
    expect(stand.calls().slice(2)).toEqual(['synth: a', 'synth: preview-scratch']);
    await stand.last().finish({ 'preview-scratch': { files: { 'f.txt': 'scratch2' } } });
    // A change to one configuration does not.
    scheduler.request(['a']);
    await jest.advanceTimersByTimeAsync(120);
    await stand.last().finish({ a: { files: { 'f.txt': 'a3' } } });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(stand.calls().slice(4)).toEqual(['synth: a']);
  });
});

describe('PreviewScheduler with real jobs', () => {
  // Job processes are forked from the build, so this loads the scheduler the CLI runs (tests run after `tsc --build`).
  const { PreviewScheduler: BuiltScheduler }: typeof import('../../src/preview/scheduler') = require(path.join(ROOT, 'lib', 'preview', 'scheduler.js'));
  const source = (body: string) => `
import { Blueprint as ParentBlueprint, SourceFile, SourceRepository } from 'bluesynth';
export class Blueprint extends ParentBlueprint {
  constructor(options: any) {
    super(options);
    ${body}
  }
}`;

  beforeEach(() => {
    jest.useRealTimers();
  });

  test('a blueprint that breaks keeps its last good bundle served, until a good run replaces it', async () => {
    const dir = makeBlueprint(tempDir('bluesynth-scheduler-'), source("new SourceFile(new SourceRepository(this, { title: 'app' }), 'v.txt', 'one');"));
    const scheduler = new BuiltScheduler({ blueprintDir: dir, outdir: path.join(dir, 'out'), debounceMs: 0 });
    const version = () => served(scheduler, 'synth.defaults')['src/app/v.txt'];
    scheduler.request('all');
    await scheduler.idle();
    expect(scheduler.job('synth.defaults')).toMatchObject({ status: 'ok', files: 2, generation: 1 });
    expect(version()).toBe('one');

    fs.writeFileSync(path.join(dir, 'src/index.ts'), source("throw new Error('broken on purpose');"));
    scheduler.request('all');
    await scheduler.idle();
    expect(scheduler.job('synth.defaults')).toMatchObject({
      status: 'failed',
      stale: true,
      error: { message: 'broken on purpose', location: 'src/index.ts:6:11' },
    });
    expect(fs.existsSync(path.join(dir, 'out/synth.defaults', BundleNames.PROPOSED))).toBe(false);
    expect(version()).toBe('one');

    fs.writeFileSync(path.join(dir, 'src/index.ts'), source("new SourceFile(new SourceRepository(this, { title: 'app' }), 'v.txt', 'two');"));
    scheduler.request('all');
    await scheduler.idle();
    expect(scheduler.job('synth.defaults')).toMatchObject({ status: 'ok', stale: false, generation: 2 });
    expect(scheduler.jobFolder('synth.defaults')).toBe(path.join(dir, 'out', 'synth.defaults'));
    expect(version()).toBe('two');
  });
});
