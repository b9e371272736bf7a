import type { FleetJob, FleetOutcome, FleetOutcomeState } from '../../src/fleet/fleet-job';
import { runWaves } from '../../src/fleet/waves';

const jobs: FleetJob[] = Array.from({ length: 10 }, (_, i) => ({ repository: { url: `/r/${i}`, name: `r${i}`, where: `repos.txt:${i + 1}` }, settings: { workDir: '/w' } }));

/** Runs each job after a short wait, failing those named (on the fleet's settings: `badSettings`), and records how many ran at once. */
function runner(failing: Set<string>, badSettings = new Set<string>()) {
  const started: string[] = [];
  let running = 0;
  let most = 0;
  const run = async (job: FleetJob): Promise<FleetOutcome> => {
    started.push(job.repository.name);
    most = Math.max(most, ++running);
    await new Promise(resolve => setTimeout(resolve, 5));
    running--;
    const name = job.repository.name;
    if (badSettings.has(name)) return { name, url: job.repository.url, state: 'failed', reason: "version 'v9' does not exist", badSettings: true };
    const state: FleetOutcomeState = failing.has(name) ? 'failed' : 'updated';
    return { name, url: job.repository.url, state };
  };
  return { run, started, most: () => most };
}

describe('fleet waves', () => {
  test('every job once, in order, at most `concurrency` at a time', async () => {
    const r = runner(new Set());
    const seen: string[] = [];
    const outcomes = await runWaves(jobs, r.run, { concurrency: 3, onOutcome: o => seen.push(o.name) });
    expect(outcomes.map(o => o.name)).toEqual(jobs.map(j => j.repository.name));
    expect(r.most()).toBe(3);
    expect(seen.sort()).toEqual(jobs.map(j => j.repository.name).sort());
  });

  test('a failed canary stops the run: the rest are not started, with the reason', async () => {
    const r = runner(new Set(['r1']));
    const outcomes = await runWaves(jobs, r.run, { concurrency: 4, canary: 2 });
    expect(r.started).toEqual(['r0', 'r1']);
    expect(outcomes.slice(2).every(o => o.state === 'not-started' && o.reason === 'not started: the canary r1 failed (--canary 2)')).toBe(true);
  });

  test('a canary that passes lets the rest run', async () => {
    const r = runner(new Set(['r5']));
    const outcomes = await runWaves(jobs, r.run, { concurrency: 2, canary: 3 });
    expect(outcomes.filter(o => o.state === 'updated')).toHaveLength(9);
    expect(outcomes[5].state).toBe('failed');
  });

  test('--max-failures starts no new repository once reached', async () => {
    const r = runner(new Set(['r0', 'r1', 'r2', 'r3']));
    const outcomes = await runWaves(jobs, r.run, { concurrency: 1, maxFailures: 2 });
    expect(r.started).toEqual(['r0', 'r1']);
    expect(outcomes.filter(o => o.state === 'not-started')).toHaveLength(8);
    expect(outcomes[2].reason).toBe('not started: 2 repositories failed (--max-failures 2)');
  });

  test('a failure on the fleet\'s own settings starts no new repository: the rest would fail the same way', async () => {
    const r = runner(new Set(), new Set(['r0', 'r1', 'r2']));
    const outcomes = await runWaves(jobs, r.run, { concurrency: 1 });
    expect(r.started).toEqual(['r0']);
    expect(outcomes[0]).toMatchObject({ state: 'failed', badSettings: true });
    expect(outcomes.slice(1).every(o => o.state === 'not-started' && o.reason === 'not started: the fleet\'s settings are wrong, as r0 showed (every repository would fail the same way)')).toBe(true);
  });

  test('the settings\' reason stands over the canary\'s and --max-failures\'', async () => {
    const r = runner(new Set(), new Set(['r0']));
    const outcomes = await runWaves(jobs, r.run, { concurrency: 1, canary: 2, maxFailures: 1 });
    expect(r.started).toEqual(['r0']);
    expect(outcomes.slice(1).every(o => o.state === 'not-started' && /settings are wrong, as r0 showed/.test(o.reason!))).toBe(true);
  });
});
