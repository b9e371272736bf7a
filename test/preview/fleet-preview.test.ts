import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { countingUploadPack, makeFleet } from '../fleet/fleet-fixture';
import { git } from '../project/git-fixtures';
import { runCli, tempDir } from '../util';
import { RunningPreview, startPreview } from './preview-util';

/**
 * `blueprint preview --repos`: the fleet page over a real fleet (three repositories made from the service
 * example at v1, the third with a developer edit that conflicts with v2, and one that cannot be cloned),
 * after a real `fleet update --to v2 --push --forge fake` run through the CLI. The JSON endpoints are checked
 * over HTTP against what git says of the remotes, and the page once in headless Chromium.
 */
jest.setTimeout(300_000);

const CHROMIUM = '/usr/bin/chromium';
const work = tempDir('bluesynth-fleet-preview-');
const fleet = makeFleet(work, 3, { conflictEvery: 3, seeds: 1 });
fs.appendFileSync(fleet.reposFile, 'remotes/gone.git\n');
const clones = path.join(work, 'clones');
const [clean, , conflicting] = fleet.remotes.map(remote => path.basename(remote, '.git'));

let update: ReturnType<typeof runCli>;
let preview: RunningPreview;

beforeAll(async () => {
  update = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--forge', 'fake', '--forge-option', `file=${path.join(work, 'prs.jsonl')}`, '--jobs', '2', '--work-dir', clones, '--json'], { cwd: work });
  preview = await startPreview(['--repos', fleet.reposFile, '--work-dir', clones]);
}, 300_000);

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url, { headers });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

test('the fleet update ran: two updated and pushed, one in conflict, one that cannot be cloned', () => {
  expect(update.code).toBe(1);
  expect(JSON.parse(update.stdout).totals).toMatchObject({ updated: 2, conflicts: 1, failed: 1 });
});

test('api/fleet.json: one row per repository with its blueprint, version, options digest, source, behind, and last update', async () => {
  const { status, body } = await get(`${preview.url}api/fleet.json`);
  expect(status).toBe(200);
  const state = JSON.parse(body);
  expect(state.rows.map((row: any) => row.name)).toEqual([...fleet.remotes.map(remote => path.basename(remote, '.git')), 'gone']);
  for (const row of state.rows.slice(0, 3)) {
    expect(row.instantiations).toEqual([{ id: expect.any(String), blueprint: '@bluesynth-examples/service', version: '1.0.0', optionsDigest: expect.stringMatching(/^[0-9a-f]{12}$/), source: `git ${fleet.blueprintRepo}`, newest: 'v2', behind: true, editedByHand: [], unresolvedConflicts: [] }]);
    expect(row.hasReport).toBe(true);
  }
  const byName = new Map<string, any>(state.rows.map((row: any) => [row.name, row]));
  expect(byName.get(clean).lastUpdate).toMatchObject({ state: 'updated', to: '@bluesynth-examples/service@2.0.0', branch: expect.any(String) });
  // What became of its pushed branch, read from the remote now: unmerged, as pushed (the page's 'update branch now').
  expect(byName.get(clean).updateBranch).toMatchObject({ state: 'unmerged', branch: byName.get(clean).lastUpdate.branch, commitsSincePushed: 0, baseRecordsTarget: false });
  expect(byName.get(clean).noDiff).toBeUndefined();
  expect(byName.get(clean).pullRequest).toEqual(JSON.parse((await get(`${preview.url}api/fleet/report/${clean}.json`)).body).pullRequest);
  expect(byName.get(clean).pullRequest).toBeDefined();
  expect(byName.get(conflicting).pullRequest).toBeUndefined();
  expect(byName.get(conflicting).lastUpdate.state).toBe('conflicts');
  expect(byName.get(conflicting).noDiff).toBeUndefined(); // the conflicted merge was read before the status reset the clone
  expect(byName.get('gone').error).toContain('cannot clone');
  expect(byName.get('gone').lastUpdate.state).toBe('failed');
  expect(byName.get('gone').noDiff).toContain('nothing committed (failed');
});

test('api/fleet/report/NAME.json: the last outcome, with the commit the remote branch points at', async () => {
  const report = JSON.parse((await get(`${preview.url}api/fleet/report/${clean}.json`)).body);
  expect(report).toMatchObject({ name: clean, state: 'updated', pushed: true, from: '@bluesynth-examples/service@1.0.0', to: '@bluesynth-examples/service@2.0.0' });
  expect(report.commit).toBe(git(fleet.remotes[0], 'rev-parse', `refs/heads/${report.branch}`));
  expect(report.totals.updated).toBeGreaterThan(0);
  expect(Object.keys(report.times).sort()).toEqual(['clone', 'merge', 'push', 'synthesis']);
  expect(report.pullRequest).toBeDefined();
  expect(report.finishedAt).toMatch(/^\d{4}-/);

  const conflicted = JSON.parse((await get(`${preview.url}api/fleet/report/${conflicting}.json`)).body);
  expect(conflicted).toMatchObject({ state: 'conflicts', pushed: false, conflicts: ['src/health.ts'] });
});

test('api/fleet/diff/NAME.diff: the update branch against its base, as git diff BASE...BRANCH on the remote', async () => {
  const report = JSON.parse((await get(`${preview.url}api/fleet/report/${clean}.json`)).body);
  const diff = await get(`${preview.url}api/fleet/diff/${clean}.diff`);
  expect(diff.status).toBe(200);
  expect(diff.type).toContain('text/plain');
  const base = git(fleet.remotes[0], 'symbolic-ref', '--short', 'HEAD');
  expect(diff.body.trim()).toBe(git(fleet.remotes[0], 'diff', `${base}...${report.branch}`));
  expect(diff.body).toContain('diff --git a/src/health.ts b/src/health.ts');
  expect(diff.body).toContain("+    sendJson(res, 200, { status: 'ok', service: serviceName, version: 2,");

  const conflicted = await get(`${preview.url}api/fleet/diff/${conflicting}.diff`);
  expect(conflicted.status).toBe(200);
  expect(conflicted.body).toContain('diff --git a/src/health.ts b/src/health.ts');
  expect(conflicted.body).toMatch(/^\+<<<<<<< /m);
  expect(conflicted.body).toContain('region: process.env.REGION');
  expect(conflicted.body).toContain('version: 2');
});

test('a repository without a diff, an unknown one, traversal and a foreign Host get no content', async () => {
  const gone = await get(`${preview.url}api/fleet/diff/gone.diff`);
  expect(gone.status).toBe(404);
  expect(gone.body).toContain('nothing committed');
  for (const attempt of ['api/fleet/diff/nope.diff', 'api/fleet/report/nope.json', 'api/fleet/diff/..%2f..%2f..%2fetc%2fpasswd.diff', 'api/fleet/report/%2e%2e.json', 'api/fleet/diff/%E0%A4%A.diff']) {
    const response = await get(`${preview.url}${attempt}`);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('root:');
  }
  const foreign = await new Promise<number>((resolve, reject) => {
    http.get(`${preview.url}api/fleet.json`, { headers: { Host: 'evil.example' } }, response => resolve(response.statusCode!)).on('error', reject);
  });
  expect(foreign).toBe(403);
});

(fs.existsSync(CHROMIUM) ? test : test.skip)('in a browser: the table shows each repository, the diff link opens the diff, the report link the report', async () => {
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    await page.route(url => !url.href.startsWith(preview.url), route => {
      throw new Error(`the page asked for ${route.request().url()}`);
    });
    await page.goto(preview.url);
    await page.waitForSelector('.fleet-table tbody tr');
    const names = await page.$$eval('.fleet-table tbody tr', rows => rows.map(row => row.getAttribute('data-repo')));
    expect(names).toEqual([...fleet.remotes.map(remote => path.basename(remote, '.git')), 'gone']);
    expect(await page.textContent(`tr[data-repo="${clean}"]`)).toContain('1.0.0');
    // No file its ownership entries own was edited by hand (the developer's edit is to a file the merge shares).
    expect(await page.textContent(`tr[data-repo="${conflicting}"] .fleet-edits`)).toBe('none');
    // Its update's conflict waits in the fleet's clone, not committed to the branch.
    expect(await page.textContent(`tr[data-repo="${conflicting}"] .fleet-markers`)).toBe('none');
    expect(await page.textContent(`tr[data-repo="${conflicting}"] .fleet-last`)).toContain('conflicts');
    expect(await page.textContent('tr[data-repo="gone"]')).toContain('cannot read');

    await page.click(`tr[data-repo="${clean}"] a.diff-link`);
    await page.waitForSelector(`.fleet-detail[data-repo="${clean}"] .d2h-wrapper`);
    expect(await page.textContent('.fleet-detail .d2h-wrapper')).toContain('version: 2');
    expect(new URL(page.url()).hash).toBe(`#repo=${clean}&view=diff`);

    await page.click(`tr[data-repo="${conflicting}"] a.diff-link`);
    await page.waitForSelector(`.fleet-detail[data-repo="${conflicting}"] .conflict-marker-row`);

    await page.click(`tr[data-repo="${conflicting}"] a.report-link`);
    await page.waitForSelector('.fleet-report dd[data-field="state"]');
    expect(await page.textContent('.fleet-report dd[data-field="state"]')).toBe('conflicts');
    expect(await page.textContent('.conflicted-files')).toContain('src/health.ts');
  } finally {
    await browser.close();
  }
});

test('--export writes the page and its views as files; reading the status leaves a conflicted merge in its work clone, so its diff is still there', () => {
  const site = path.join(work, 'site');
  const result = runCli(['preview', '--repos', fleet.reposFile, '--work-dir', clones, '--export', site], { cwd: work });
  expect(result.output).toContain('index.html');
  expect(result.code).toBe(0);
  const html = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  expect(html).toContain('data-view="fleet"');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  const state = JSON.parse(fs.readFileSync(path.join(site, 'api', 'fleet.json'), 'utf8'));
  expect(state.rows).toHaveLength(4);
  expect(JSON.parse(fs.readFileSync(path.join(site, 'api', 'fleet', 'report', `${clean}.json`), 'utf8')).state).toBe('updated');
  expect(fs.readFileSync(path.join(site, 'api', 'fleet', 'diff', `${clean}.diff`), 'utf8')).toContain('version: 2');
  // The preview above read the status too, which only fetches: the conflicted merge is still in the work clone.
  expect(fs.readFileSync(path.join(site, 'api', 'fleet', 'diff', `${conflicting}.diff`), 'utf8')).toContain('<<<<<<<');
  expect(state.rows.find((row: any) => row.name === conflicting).noDiff).toBeUndefined();
  for (const asset of ['page.js', 'page.css']) expect(fs.existsSync(path.join(site, 'assets', asset))).toBe(true);
});

test('bad input: blueprint options with --repos, --work-dir alone, a missing repositories file: exit 2 naming the option or file', () => {
  const mixed = runCli(['preview', '--repos', fleet.reposFile, '--blueprint', work], { cwd: work });
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toContain('--blueprint does not go with --repos');
  const alone = runCli(['preview', '--work-dir', clones, '--blueprint', fleet.blueprintRepo, '--export', path.join(work, 'x')], { cwd: work });
  expect(alone.code).toBe(2);
  expect(alone.stderr).toContain('--work-dir goes with --repos');
  const missing = runCli(['preview', '--repos', path.join(work, 'missing.txt'), '--port', '0'], { cwd: work });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('missing.txt: no such file');
  expect(fs.existsSync(path.join(work, '.bluesynth-fleet'))).toBe(false);
});

// Last: the upload-pack it sets slows every later fetch of these clones.
test('reading the status fetches the work clones side by side, as fleet status does', () => {
  // Three clones (the fourth repository cannot be cloned): four upload-packs at once take two of them.
  const uploadPack = countingUploadPack(work, 4);
  const names = fs.readdirSync(clones).filter(name => fs.existsSync(path.join(clones, name, '.git')));
  expect(names).toHaveLength(3);
  for (const name of names) git(path.join(clones, name), 'config', 'remote.origin.uploadpack', uploadPack.script);
  const result = runCli(['preview', '--repos', fleet.reposFile, '--work-dir', clones, '--export', path.join(work, 'site-again')], { cwd: work });
  expect(result.code).toBe(0);
  expect(uploadPack.mostSeen()).toBeGreaterThanOrEqual(4);
});
