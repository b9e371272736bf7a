import { fleetReport, lastUpdateLine, outcomeLine, readLastOutcomes, readRecordedForge, saveReport, stateWithReason, summaryTable, withWarnings } from '../../src/fleet/report';
import { tempDir } from '../util';
import type { FleetOutcome } from '../../src/fleet/fleet-job';

/** The summary table a team lead reads at the end of a run: who has which conflicts, and where to resolve them. */

const base = { url: 'file:///remotes/x.git', from: 'bp@1.0.0', to: 'bp@2.0.0', branch: 'update-blueprint-x' };

test('a conflicted repository names its files in the table, and where to resolve them when pushed', () => {
  const outcomes: FleetOutcome[] = [
    { ...base, name: 'kept-back', state: 'conflicts', pushed: false, conflicts: ['src/health.ts'] },
    { ...base, name: 'many', state: 'conflicts', pushed: false, conflicts: ['a.ts', 'b.ts', 'c.ts', 'd.ts'] },
    { ...base, name: 'pushed', state: 'conflicts', pushed: true, conflicts: ['config/default.json'], pullRequest: { action: 'opened', url: 'https://forge/pr/7' } },
  ];
  const lines = summaryTable(fleetReport(outcomes, new Date(0), new Date(1000))).split('\n');
  expect(lines[1]).toMatch(/^kept-back\s+conflicts\s+bp@2\.0\.0\s+not pushed: 1 conflicted: src\/health\.ts \(--push-conflicts pushes them with markers\)$/);
  expect(lines[2]).toMatch(/many\s+.*not pushed: 4 conflicted: a\.ts, b\.ts, c\.ts, \.\.\. /);
  expect(lines[3]).toMatch(/pushed\s+conflicts\s+bp@2\.0\.0\s+update-blueprint-x https:\/\/forge\/pr\/7 resolve 1 conflicted: config\/default\.json there$/);
});

test("an update's warnings end its row: the first in full, how many, and never a second line", () => {
  const downgrade = '1.0.0 is older than the recorded 2.0.0: this update is a downgrade';
  const outcomes: FleetOutcome[] = [
    { ...base, name: 'one', state: 'updated', pushed: false, warnings: [downgrade] },
    { ...base, name: 'three', state: 'conflicts', pushed: false, conflicts: ['a.ts'], warnings: [downgrade, 'second', 'third'] },
    { ...base, name: 'none', state: 'updated', pushed: false, warnings: [] },
  ];
  const lines = summaryTable(fleetReport(outcomes, new Date(0), new Date(1000))).split('\n');
  expect(lines[1]).toMatch(new RegExp(`^one\\s+updated\\s+bp@2\\.0\\.0\\s+update-blueprint-x; 1 warning: ${downgrade}$`));
  expect(lines[2]).toMatch(new RegExp(`\\(--push-conflicts pushes them with markers\\); 3 warnings: ${downgrade}; \\.\\.\\.$`));
  expect(lines[3]).toMatch(/^none\s+updated\s+bp@2\.0\.0\s+update-blueprint-x$/);
  expect(outcomeLine(outcomes[0])).toBe(`updated     one  bp@1.0.0 -> bp@2.0.0  on update-blueprint-x; 1 warning: ${downgrade}`);
  expect(withWarnings('', ['alone'])).toBe('1 warning: alone');
});

test('a last update\'s state and reason, as fleet status shows them: a reason that says the state already is not preceded by it', () => {
  expect(stateWithReason('not-started', 'not started: the canary a failed (--canary 1)')).toBe('not started: the canary a failed (--canary 1)');
  expect(stateWithReason('conflicts', '1 conflicted: src/health.ts; not pushed')).toBe('conflicts: 1 conflicted: src/health.ts; not pushed');
  expect(stateWithReason('failed', 'cannot clone x')).toBe('failed: cannot clone x');
  expect(stateWithReason('updated', undefined)).toBe('updated');
});

test('the closing line counts one repository in the singular', () => {
  const one = summaryTable(fleetReport([{ ...base, name: 'only', state: 'updated', pushed: false }], new Date(0), new Date(1000))).split('\n');
  expect(one[one.length - 1]).toMatch(/^1 repository in 1\.0 s: 1 updated, /);
  const two = summaryTable(fleetReport([{ ...base, name: 'a', state: 'updated', pushed: false }, { ...base, name: 'b', state: 'updated', pushed: false }], new Date(0), new Date(1000))).split('\n');
  expect(two[two.length - 1]).toMatch(/^2 repositories in 1\.0 s: 2 updated, /);
});

test('a repository updated at the same version (new options or content) says so, not "bp@2.0.0 -> bp@2.0.0"', () => {
  const outcome: FleetOutcome = { ...base, from: 'bp@2.0.0', name: 'options', state: 'updated', pushed: false };
  expect(outcomeLine(outcome)).toBe('updated     options  bp@2.0.0 again (same version)  on update-blueprint-x');
});

test('the summary names its version column for what it holds, the version each update goes to, not the one the repository is at (journey 40)', () => {
  // A branch someone works on: skipped, the repository still at 1.0.0 as fleet status's `version` column says.
  const outcomes: FleetOutcome[] = [{ ...base, name: 'theirs', state: 'skipped', pushed: false, reason: 'origin/update-blueprint-x has commits this fleet did not make' }];
  const [header, row] = summaryTable(fleetReport(outcomes, new Date(0), new Date(1000))).split('\n');
  expect(header).toMatch(/^repository\s+state\s+to\s+detail$/);
  expect(row).toMatch(/^theirs\s+skipped\s+bp@2\.0\.0\s+origin\/update-blueprint-x has commits/);
});

test('an update that dropped the project\'s lines with no conflict (the preferProposed fallback) says so in its line, its row and fleet status, not a bare "updated" (journey 68)', () => {
  const outcomes: FleetOutcome[] = [
    { ...base, name: 'dropped', state: 'updated', pushed: true, overridden: ['README.md'], pullRequest: { action: 'updated', url: 'https://forge/pr/22' } },
    { ...base, name: 'many', state: 'conflicts', pushed: false, conflicts: ['a.ts'], overridden: ['b.md', 'c.md', 'd.md', 'e.md'] },
  ];
  const lines = summaryTable(fleetReport(outcomes, new Date(0), new Date(1000))).split('\n');
  expect(lines[1]).toMatch(/^dropped\s+updated\s+bp@2\.0\.0\s+update-blueprint-x https:\/\/forge\/pr\/22; 1 overridden \(the project's lines dropped, no conflict\): README\.md$/);
  expect(lines[2]).toMatch(/\(--push-conflicts pushes them with markers\); 4 overridden \(the project's lines dropped, no conflict\): b\.md, c\.md, d\.md, \.\.\.$/);
  expect(outcomeLine(outcomes[0])).toBe("updated     dropped  bp@1.0.0 -> bp@2.0.0  on update-blueprint-x (pushed)  https://forge/pr/22  1 overridden (the project's lines dropped, no conflict): README.md");
  expect(lastUpdateLine(outcomes[0])).toBe("updated: update-blueprint-x https://forge/pr/22; 1 overridden (the project's lines dropped, no conflict): README.md");
});

test('an update a dead try pushed says so in its row, as the report says it (journey 68)', () => {
  const reason = 'pushed by an earlier try in this run, whose process died or lost the job before it reported: origin/update-blueprint-x has this update, in the pull request https://forge/pr/3, updated now';
  const outcomes: FleetOutcome[] = [{ ...base, name: 'retried', state: 'updated', pushed: true, reason, pullRequest: { action: 'updated', url: 'https://forge/pr/3' } }];
  const lines = summaryTable(fleetReport(outcomes, new Date(0), new Date(1000))).split('\n');
  expect(lines[1]).toMatch(/^retried\s+updated\s+bp@2\.0\.0\s+pushed by an earlier try in this run, .* in the pull request https:\/\/forge\/pr\/3, updated now$/);
});

test("the work folder keeps a repository's last update over a later run that did not start it or stopped on its own settings", () => {
  const workDir = tempDir();
  const opened: FleetOutcome = { ...base, name: 'waiting', state: 'updated', pushed: true, pullRequest: { action: 'opened', url: 'https://forge/pr/9' } };
  saveReport(workDir, fleetReport([opened, { ...base, name: 'other', state: 'updated', pushed: true }, { ...base, name: 'third', state: 'up-to-date' }], new Date(0), new Date(1000)));
  const noToken = 'cannot use the github forge on host:1: GITHUB_TOKEN is not set';
  saveReport(workDir, fleetReport([
    { ...base, name: 'waiting', state: 'failed', reason: noToken, badSettings: true },
    { ...base, name: 'other', state: 'not-started', reason: 'not started: the run stopped' },
    { ...base, name: 'third', state: 'failed', reason: 'the remote refused the push' },
    { ...base, name: 'new', state: 'failed', reason: noToken, badSettings: true },
  ], new Date(2000), new Date(3000)));
  const last = readLastOutcomes(workDir);
  expect(last.get('waiting')).toMatchObject({ state: 'updated', pullRequest: { url: 'https://forge/pr/9' } });
  expect(last.get('other')).toMatchObject({ state: 'updated' });
  // A failure of the repository's own replaces its last outcome; one with no earlier outcome is kept as it is.
  expect(last.get('third')).toMatchObject({ state: 'failed', reason: 'the remote refused the push' });
  expect(last.get('new')).toMatchObject({ state: 'failed', reason: noToken });
});

test('a token the forge refused (401) after this run pushed a branch is kept, not after a branch found as the last update left it (journey 74)', () => {
  const workDir = tempDir();
  const open: FleetOutcome = { ...base, name: 'found', state: 'skipped', pushed: true, commit: 'c1', pullRequest: { action: 'found', url: 'https://forge/pr/1' } };
  saveReport(workDir, fleetReport([open, { ...base, name: 'fresh', state: 'failed', reason: 'the remote refused the push', pushed: false }], new Date(0), new Date(1000)));
  const refused = 'but its pull request failed: github: POST https://forge/pulls answered 401: Bad credentials';
  saveReport(workDir, fleetReport([
    { ...base, name: 'found', state: 'failed', reason: refused, pushed: true, commit: 'c1', badSettings: true },
    { ...base, name: 'fresh', state: 'failed', reason: refused, pushed: true, commit: 'c2', badSettings: true },
  ], new Date(2000), new Date(3000)));
  const last = readLastOutcomes(workDir);
  expect(last.get('found')).toMatchObject({ state: 'skipped', pullRequest: { url: 'https://forge/pr/1' } });
  expect(last.get('fresh')).toMatchObject({ state: 'failed', pushed: true, commit: 'c2' });
});

test('the forge a run opened pull requests with is kept for fleet status; a later run with none keeps it, one with another replaces it', () => {
  const workDir = tempDir();
  const outcome: FleetOutcome = { ...base, name: 'a', state: 'updated', pushed: true };
  expect(readRecordedForge(workDir)).toBeUndefined();
  saveReport(workDir, fleetReport([outcome], new Date(0), new Date(1000)), { alias: 'github', options: { 'api-url': 'https://ghe.example.com/api/v3' } });
  saveReport(workDir, fleetReport([outcome], new Date(2000), new Date(3000)), { alias: 'none', options: {} });
  expect(readRecordedForge(workDir)).toEqual({ alias: 'github', options: { 'api-url': 'https://ghe.example.com/api/v3' } });
  saveReport(workDir, fleetReport([outcome], new Date(4000), new Date(5000)), { alias: 'gitlab', options: {} });
  expect(readRecordedForge(workDir)).toEqual({ alias: 'gitlab', options: {} });
  expect(readLastOutcomes(workDir).get('a')).toMatchObject({ state: 'updated' });
});
