import * as path from 'path';
import { readFakeForgeRecord } from '../../src/fleet/forges/fake';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { makeFleet } from './fleet-fixture';

/**
 * A fleet told `--to` an older version than some repositories record: each of those is downgraded, and the
 * update's warning is said for each by name, in the progress line, the summary table, the JSON report, the
 * pull request and `fleet status`; a repository the update does not downgrade gets no warning.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-fleet-warnings-');
const fleet = makeFleet(work, 3, { seeds: 1 });
// The first two are at v2 (updated by hand, pushed to main); the third stays at v1.
const [newer, alsoNewer, older] = fleet.remotes;
const clones = path.join(work, 'clones');
const prs = path.join(work, 'pull-requests.jsonl');
const DOWNGRADE = '1.0.0 is older than the recorded 2.0.0: this update is a downgrade';

beforeAll(() => {
  for (const remote of [newer, alsoNewer]) {
    const dev = path.join(work, `dev-${path.basename(remote, '.git')}`);
    git(work, 'clone', '--quiet', remote, dev);
    expect(runCli(['update', '--to', 'v2'], { cwd: dev }).code).toBe(0);
    git(dev, 'push', '--quiet', 'origin', 'HEAD');
  }
});

const nameOf = (remote: string) => path.basename(remote, '.git');

test('the progress lines and the summary table name the downgrade of each repository it hits', () => {
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v1', '--jobs', '2', '--work-dir', clones], { cwd: work });
  expect(run.code).toBe(0);
  for (const remote of [newer, alsoNewer]) {
    const progress = run.stderr.split('\n').find(line => line.includes(` ${nameOf(remote)} `))!;
    expect(progress).toMatch(/updated\s+\S+\s+@bluesynth-examples\/service@2\.0\.0 -> @bluesynth-examples\/service@1\.0\.0 {2}on \S+; 1 warning: /);
    expect(progress.endsWith(`; 1 warning: ${DOWNGRADE}`)).toBe(true);
    const row = run.stdout.split('\n').find(line => line.startsWith(nameOf(remote)))!;
    expect(row).toMatch(new RegExp(`^${nameOf(remote)}\\s+updated\\s+@bluesynth-examples/service@1\\.0\\.0\\s+update-blueprint\\S+; 1 warning: ${DOWNGRADE}$`));
  }
  const olderRow = run.stdout.split('\n').find(line => line.startsWith(nameOf(older)))!;
  expect(olderRow).toMatch(/up-to-date\s+.*already at @bluesynth-examples\/service@1\.0\.0 with these options$/);
  expect(run.stderr.split('\n').filter(line => line.includes('warning'))).toHaveLength(2);
});

test('the JSON report, the pull request and fleet status carry the warning', () => {
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v1', '--push', '--forge', 'fake', '--forge-option', `file=${prs}`, '--jobs', '2', '--work-dir', clones, '--json'], { cwd: work });
  expect(run.code).toBe(0);
  const outcomes = new Map<string, any>(JSON.parse(run.stdout).repositories.map((o: any) => [o.url, o]));
  for (const remote of [newer, alsoNewer]) {
    expect(outcomes.get(remote)).toMatchObject({ state: 'updated', pushed: true, from: '@bluesynth-examples/service@2.0.0', to: '@bluesynth-examples/service@1.0.0', warnings: [DOWNGRADE] });
    // The pushed branch is the downgrade.
    const branch = outcomes.get(remote).branch;
    expect(JSON.parse(git(remote, 'show', `${branch}:.bluesynth/instantiations.json`))[0].versionId).toBe('1.0.0');
  }
  expect(outcomes.get(older)).toMatchObject({ state: 'up-to-date' });
  expect(outcomes.get(older)).not.toHaveProperty('warnings');

  const requests = readFakeForgeRecord(prs);
  expect(requests.map(r => r.remote).sort()).toEqual([newer, alsoNewer].sort());
  for (const request of requests) expect(request.body).toContain(`Warnings of the update:\n- ${DOWNGRADE}`);

  const status = runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: work });
  expect(status.code).toBe(0);
  const rows = new Map<string, any>(JSON.parse(status.stdout).map((row: any) => [row.url, row]));
  expect(rows.get(newer).lastUpdate).toMatchObject({ state: 'updated', warnings: [DOWNGRADE] });
  expect(rows.get(older).lastUpdate).not.toHaveProperty('warnings');
  const table = runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones], { cwd: work });
  expect(table.stdout.split('\n').find(line => line.startsWith(nameOf(alsoNewer)))).toMatch(new RegExp(`\\s+2\\.0\\.0\\s+\\S+\\s+no\\s+none\\s+none\\s+unmerged, as pushed\\s+updated: update-blueprint-\\S+; 1 warning: ${DOWNGRADE}$`));
});
