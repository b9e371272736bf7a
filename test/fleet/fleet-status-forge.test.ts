import * as path from 'path';
import { tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { forgeServers, routesOf } from './forge-server';

/**
 * `fleet status --forge github` a week after `fleet update --push --forge github`: each row says what became of its
 * pull request, as the forge tells it (open, merged, merged by squash while the branch looks unmerged, closed
 * unmerged, none), and a forge's failure on one repository is that row's alone. Against the GitHub stand-in.
 */
jest.setTimeout(300_000);

const work = tempDir('bluesynth-fleet-status-forge-');
// Six repositories with their own options: six update branches, six pull requests in the one forge repository.
const fleet = makeFleet(work, 6, { seeds: 6 });
const children = new CliChildren(work);
const serve = forgeServers({ kind: 'github', repositories: ['acme/services'] });
const TOKEN = 'ghp_status_secret_123';
const clones = path.join(work, 'clones');

test('each row has its pull request\'s state, a squash merge is merged, a 500 is its row\'s; --json the same; one request per repository', async () => {
  const forge = await serve({ token: TOKEN });
  const forgeArgs = ['--forge', 'github', '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/services'];
  const env = { GITHUB_TOKEN: TOKEN, GH_TOKEN: '' };
  const update = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', ...forgeArgs, '--jobs', '2', '--work-dir', clones, '--json'], env);
  expect(await update.exited).toBe(0);
  const outcomes = JSON.parse(update.output.stdout).repositories;
  expect(outcomes.map((o: any) => o.state)).toEqual(Array(6).fill('updated'));
  const branches: string[] = outcomes.map((o: any) => o.branch);
  expect(new Set(branches).size).toBe(6);
  // Numbered in the order the pull requests were opened, which two at a time does not fix.
  const held = branches.map(branch => forge.pullRequests.find(p => p.head === branch)!);
  const pull = (i: number) => held[i];
  const number = (i: number) => held[i].number;
  const url = (i: number) => held[i].url;

  // A week later. 0 waits for review. 1 was merged with a merge commit. 2 was squash-merged: one new commit on main,
  // the branch left as pushed, which git alone reads as unmerged. 3 was closed unmerged. 4's pull request is gone
  // from the forge. 5's forge answers 500.
  const developer = (i: number) => {
    const dir = path.join(work, `developer-${i}`);
    git(work, 'clone', '--quiet', fleet.remotes[i], dir);
    return dir;
  };
  const merged = developer(1);
  git(merged, 'merge', '--quiet', '--no-ff', '-m', 'Merge the update\'s pull request', `origin/${branches[1]}`);
  git(merged, 'push', '--quiet', 'origin', 'HEAD');
  pull(1).merged = true;
  const squashed = developer(2);
  git(squashed, 'merge', '--quiet', '--squash', `origin/${branches[2]}`);
  git(squashed, 'commit', '--quiet', '-m', 'Update the service blueprint (squashed)');
  git(squashed, 'push', '--quiet', 'origin', 'HEAD');
  pull(2).merged = true;
  pull(3).closed = true;
  forge.pullRequests.splice(forge.pullRequests.indexOf(pull(4)), 1);
  forge.failListsOf(branches[5], 500);
  forge.received.length = 0;

  const json = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, ...forgeArgs, '--jobs', '3', '--json'], env);
  expect(await json.exited).toBe(0);
  const rows = JSON.parse(json.output.stdout);
  expect(rows.map((row: any) => row.pullRequestNow)).toEqual([
    { state: 'open', number: number(0), url: url(0) },
    { state: 'merged', number: number(1), url: url(1) },
    { state: 'merged', number: number(2), url: url(2) },
    { state: 'closed', number: number(3), url: url(3) },
    { state: 'none' },
    { state: 'unknown', error: expect.stringMatching(/^github: GET http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/services\/pulls\?head=.* 500/) },
  ]);
  // Git reads the squash-merged branch as unmerged (main holds its version): only the forge says it was merged.
  expect(rows[2].updateBranch).toMatchObject({ state: 'unmerged', baseRecordsTarget: true });
  expect(rows[1].updateBranch).toMatchObject({ state: 'merged' });
  // One request per repository, a 500 not asked again.
  expect(routesOf(forge)).toHaveLength(6);
  expect(routesOf(forge).every(route => route.startsWith('GET /repos/acme/services/pulls?head=acme%3A') && route.endsWith('&state=all'))).toBe(true);

  forge.received.length = 0;
  const text = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, ...forgeArgs], env);
  expect(await text.exited).toBe(0);
  const [header, ...lines] = text.output.stdout.split('\n');
  expect(header).toMatch(/update branch now\s+pull request\s+last update$/);
  const cell = (i: number) => lines.find(line => line.startsWith(`service-00${i} `))!.slice(header.indexOf('pull request'), header.indexOf('last update')).trim();
  expect(cell(0)).toBe(`open #${number(0)} ${url(0)}`);
  expect(cell(1)).toBe(`merged #${number(1)} ${url(1)}`);
  // Nothing to close: the branch is what a squash merge leaves behind.
  expect(lines.find(line => line.startsWith('service-002 '))).toContain('unmerged, as pushed; main records its version (squash or rebase merge)');
  expect(cell(2)).toBe(`merged #${number(2)} ${url(2)} (by squash or rebase: the branch stays unmerged)`);
  expect(cell(3)).toBe(`closed unmerged #${number(3)} ${url(3)}`);
  expect(cell(4)).toBe('none');
  expect(cell(5)).toMatch(/^cannot tell: github: GET .* 500/);
  expect(routesOf(forge)).toHaveLength(6);
  expect(text.output.stdout + text.output.stderr).not.toContain(TOKEN);

  // Without --forge, the forge the update used, kept in the work folder, is asked (and said so); --forge none asks none,
  // and the table is the one without a forge.
  const recorded = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--json'], env);
  expect(await recorded.exited).toBe(0);
  expect(JSON.parse(recorded.output.stdout).map((row: any) => row.pullRequestNow)).toEqual(rows.map((row: any) => row.pullRequestNow));
  expect(recorded.output.stderr).toContain('asking the github forge the last fleet update used about its pull requests (--forge none asks none)');
  forge.received.length = 0;
  const none = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--forge', 'none'], env);
  expect(await none.exited).toBe(0);
  expect(none.output.stdout.split('\n')[0]).toMatch(/update branch now\s+last update$/);
  expect(forge.received).toHaveLength(0);
});

// On the work folder the test above left: its last updates name the six branches.
test('no token, or one the forge refuses, is said on each row; the status is still shown, exit 0, the token never printed', async () => {
  const forge = await serve({ token: TOKEN });
  const forgeArgs = ['--forge', 'github', '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/services'];
  const noToken = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, ...forgeArgs, '--json'], { GITHUB_TOKEN: '', GH_TOKEN: '' });
  expect(await noToken.exited).toBe(0);
  const rows = JSON.parse(noToken.output.stdout);
  expect(rows).toHaveLength(6);
  for (const row of rows) {
    expect(row.instantiations).toHaveLength(1);
    expect(row.pullRequestNow).toEqual({ state: 'unknown', error: 'the github forge needs a token: set GITHUB_TOKEN or GH_TOKEN in the environment' });
  }
  const refused = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, ...forgeArgs], { GITHUB_TOKEN: 'ghp_wrong_secret_456', GH_TOKEN: '' });
  expect(await refused.exited).toBe(0);
  const lines = refused.output.stdout.split('\n').filter(line => line.startsWith('service-'));
  expect(lines).toHaveLength(6);
  for (const line of lines) expect(line).toMatch(/cannot tell: github: GET .* answered 401: Bad credentials/);
  expect(refused.output.stdout + refused.output.stderr).not.toContain('ghp_wrong_secret_456');
  // A forge that cannot find a branch's pull request yet says so on each row.
  const fake = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--forge', 'fake', '--forge-option', 'file=fake.jsonl', '--json'], {});
  expect(await fake.exited).toBe(0);
  expect(JSON.parse(fake.output.stdout)[0].pullRequestNow).toEqual({ state: 'unknown', error: 'the fake forge cannot tell a pull request\'s state yet (github and gitlab can)' });
  // A forge or option that does not exist is this command's bad input.
  const typo = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--forge', 'githib'], {});
  expect(await typo.exited).toBe(2);
  expect(typo.output.stderr).toContain('--forge githib: no such forge');
  const option = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--forge', 'github', '--forge-option', 'colour=red'], { GITHUB_TOKEN: TOKEN });
  expect(await option.exited).toBe(2);
  expect(option.output.stderr).toContain('--forge-option colour: the github forge has no such option');
  const alone = children.start(['fleet', 'status', '--repos', fleet.reposFile, '--work-dir', clones, '--forge-option', 'repository=acme/services'], {});
  expect(await alone.exited).toBe(2);
  expect(alone.output.stderr).toContain('blueprint fleet status: --forge-option needs --forge ALIAS');
});
