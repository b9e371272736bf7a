import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readFakeForgeRecord } from '../../src/fleet/forges/fake';
import { runCli, tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { makeFleet } from './fleet-fixture';

/**
 * Running a fleet update again: two repositories, one whose update conflicts, and a v2 that adds an option
 * with a default (which each update fills in and records). The same command again must skip both from the
 * records and ask the forge for nothing new; a developer's resolution amended into the pushed update must
 * survive later runs, with other settings too.
 */
jest.setTimeout(600_000);

const work = tempDir('bluesynth-fleet-rerun-');
const fleet = makeFleet(work, 2, { conflictEvery: 2, seeds: 1, v2AddsOption: true });
const [clean, conflicting] = fleet.remotes;
const prs = path.join(work, 'pull-requests.jsonl');
const clones = path.join(work, 'clones');
const fleetUpdate = (...extra: string[]) => runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--push-conflicts',
  '--forge', 'fake', '--forge-option', `file=${prs}`, '--jobs', '2', '--work-dir', clones, '--json', ...extra], { cwd: work });
const byUrl = (stdout: string) => new Map<string, any>(JSON.parse(stdout).repositories.map((r: any) => [r.url, r]));
const tipOf = (remote: string, branch: string) => git(remote, 'rev-parse', `refs/heads/${branch}`);

let branchOf: Map<string, string>;

test('the same command again skips both repositories from the records and asks the forge for no pull request again', () => {
  const first = fleetUpdate();
  expect(first.code).toBe(0);
  const firstOutcomes = byUrl(first.stdout);
  expect(firstOutcomes.get(clean)).toMatchObject({ state: 'updated', pushed: true });
  expect(firstOutcomes.get(conflicting)).toMatchObject({ state: 'conflicts', pushed: true, conflicts: ['src/health.ts'] });
  branchOf = new Map([clean, conflicting].map(remote => [remote, firstOutcomes.get(remote).branch]));
  // The update recorded the option v2 added: the records differ from the options the fleet asked for.
  const recorded = JSON.parse(git(clean, 'show', `${branchOf.get(clean)}:.bluesynth/instantiations.json`))[0];
  expect(recorded.options.owner).toBe('platform-team');
  expect(readFakeForgeRecord(prs)).toHaveLength(2);
  const tips = [clean, conflicting].map(remote => tipOf(remote, branchOf.get(remote)!));
  // The update pushed with its conflicts says so in its commit's subject and its pull request's title, and the
  // pull request is a draft; the clean one is neither.
  const subject = (remote: string) => git(remote, 'log', '-1', '--format=%s', branchOf.get(remote)!);
  const requestOf = (remote: string) => readFakeForgeRecord(prs).find(r => r.remote === remote)!;
  expect(subject(conflicting)).toBe(`[conflicts] ${subject(clean)}`);
  expect(subject(clean)).not.toContain('conflicts');
  expect(requestOf(conflicting)).toMatchObject({ title: `[conflicts] ${requestOf(clean).title}`, draft: true });
  expect(requestOf(clean).title).not.toContain('conflicts');
  expect(requestOf(clean).draft).toBeUndefined();

  const again = fleetUpdate();
  expect(again.code).toBe(0);
  const outcomes = byUrl(again.stdout);
  for (const remote of [clean, conflicting]) {
    expect(outcomes.get(remote)).toMatchObject({ state: 'skipped', branch: branchOf.get(remote) });
    expect(outcomes.get(remote).reason).toContain('already pushed by an earlier run');
    // Known from the records: no blueprint ran.
    expect(outcomes.get(remote).times.synthesis).toBe(0);
  }
  // The one pushed with its markers still waits on a person: a re-run's row and `fleet status` keep saying so
  // (journey 10: a second run's report showed it as a plain skip, 0 conflicts).
  expect(outcomes.get(conflicting).reason).toContain('with its conflicts committed (1 conflicted: src/health.ts): resolve them there');
  expect(outcomes.get(clean).reason).not.toContain('conflict');
  const status = runCli(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], { cwd: work });
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('with its conflicts committed (1 conflicted: src/health.ts)');
  expect([clean, conflicting].map(remote => tipOf(remote, branchOf.get(remote)!))).toEqual(tips);
  expect(readFakeForgeRecord(prs)).toHaveLength(2);

  // A pull request a later run opens for a pushed branch (the run that pushed it stopped first) is a draft with
  // that title too: the commit's subject says so.
  const requests = readFakeForgeRecord(prs);
  fs.writeFileSync(prs, requests.filter(r => r.remote !== conflicting).map(r => `${JSON.stringify(r)}\n`).join(''));
  expect(fleetUpdate().code).toBe(0);
  expect(requestOf(conflicting)).toMatchObject({ title: subject(conflicting), draft: true });
  expect(requestOf(conflicting).body).toContain('Opened by a later run');
});

test("a developer's resolution amended into the pushed update is never replaced, by the same command or with other settings", () => {
  const branch = branchOf.get(conflicting)!;
  const dev = path.join(work, 'dev');
  git(work, 'clone', '--quiet', '--branch', branch, conflicting, dev);
  const health = path.join(dev, 'src', 'health.ts');
  const marked = fs.readFileSync(health, 'utf8');
  expect(marked).toContain('<<<<<<<');
  const resolved = marked.replace(/<<<<<<< [^\n]*\n[^\n]*\n=======\n([^\n]*\n)>>>>>>> [^\n]*\n/, '$1');
  expect(resolved).not.toContain('<<<<<<<');
  fs.writeFileSync(health, resolved);
  // An amend made in the second the fleet committed would keep its date: wait for the next one.
  const committed = Number(git(dev, 'log', '-1', '--format=%ct'));
  while (Date.now() / 1000 < committed + 1) execFileSync('sleep', ['0.2']);
  git(dev, 'commit', '--quiet', '-a', '--amend', '--no-edit');
  git(dev, 'push', '--quiet', '--force', 'origin', branch);
  const amended = tipOf(conflicting, branch);

  for (const extra of [[], ['--set', 'description=Serves the catalog.']]) {
    const run = fleetUpdate(...extra);
    const outcomes = byUrl(run.stdout);
    expect(outcomes.get(conflicting).state).toBe('skipped');
    expect(tipOf(conflicting, branch)).toBe(amended);
    expect(git(conflicting, 'show', `${branch}:src/health.ts`)).toBe(resolved.trimEnd());
    if (extra.length) {
      expect(outcomes.get(conflicting).reason).toContain('has commits this fleet did not make');
      // The fleet's own branch is still replaced by the newer update.
      expect([outcomes.get(clean).state, outcomes.get(clean).reason]).toEqual(['updated', undefined]);
      expect(outcomes.get(clean).pushed).toBe(true);
      expect(git(clean, 'show', `${branchOf.get(clean)}:.bluesynth/instantiations.json`)).toContain('Serves the catalog.');
    }
  }
});

test('a repository made from a blueprint folder, updated again to the same content, gets no second pull request', () => {
  // A folder's content may change under the same version, so the fleet runs its update every time; the
  // branch it finds already pushed keeps its pull request as it is.
  const project = path.join(work, 'from-folder');
  expect(runCli(['create', '--blueprint', fleet.blueprintRepo, '--set', 'serviceName=folder-service', project], { cwd: work }).code).toBe(0);
  const remote = path.join(work, 'remotes', 'folder-service.git');
  git(work, 'clone', '--quiet', '--bare', path.join(project, 'folder-service'), remote);
  const reposFile = path.join(work, 'folder.txt');
  fs.writeFileSync(reposFile, `${remote}\n`);
  const folderPrs = path.join(work, 'folder-pull-requests.jsonl');
  const run = () => runCli(['fleet', 'update', '--repos', reposFile, '--set', 'description=Serves folders.', '--push', '--forge', 'fake',
    '--forge-option', `file=${folderPrs}`, '--jobs', '1', '--work-dir', clones, '--json'], { cwd: work });
  expect(byUrl(run().stdout).get(remote)).toMatchObject({ state: 'updated', pushed: true });
  expect(readFakeForgeRecord(folderPrs)).toHaveLength(1);
  const again = byUrl(run().stdout).get(remote);
  expect(again).toMatchObject({ state: 'skipped', pushed: true });
  expect(again.times.synthesis).toBeGreaterThan(0);
  expect(readFakeForgeRecord(folderPrs)).toHaveLength(1);
});
