import * as fs from 'fs';
import * as path from 'path';
import { commitAll, git, replaceInFile } from '../project/git-fixtures';
import { runCli, tempDir } from '../util';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';

jest.setTimeout(300_000);

// A reviewer decides on the pull request, not on the merge commit's message: what the update took from the project
// with no conflict to show it must be in the request's description too.
test('a pull request names the files where a strategy replaced the project\'s own changes, as the merge commit does', () => {
  const work = tempDir('bluesynth-fleet-pr-body-');
  const fleet = makeFleet(work, 1);
  // The team edits package.json, which the service blueprint regenerates (alwaysUpdate): v2 puts its own back.
  const clone = path.join(work, 'team-clone');
  git(work, 'clone', '--quiet', fleet.remotes[0], clone);
  replaceInFile(path.join(clone, 'package.json'), '"name": "service-0"', '"name": "service-0",\n  "private": true');
  commitAll(clone, 'team: mark the package private');
  git(clone, 'push', '--quiet', 'origin', 'HEAD');

  const prs = path.join(work, 'pull-requests.jsonl');
  const run = runCli(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--forge', 'fake', '--forge-option', `file=${prs}`, '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'], { cwd: work });
  expect(run.code).toBe(0);
  const [outcome] = JSON.parse(run.stdout).repositories;
  expect(outcome).toMatchObject({ state: 'updated', pushed: true });
  const [request] = fs.readFileSync(prs, 'utf8').trim().split('\n').map(line => JSON.parse(line));
  const section = "The project's changes a strategy dropped for the blueprint's (no conflict shows them):\n- package.json (projen_managed";
  expect(request.body).toContain(section);
  expect(git(fleet.remotes[0], 'log', '-1', '--format=%B', outcome.branch)).toContain(section);
  // The generated file whole, as the pull request says (the merge's second parent is the new generated commit).
  expect(git(fleet.remotes[0], 'show', `${outcome.branch}:package.json`)).toBe(git(fleet.remotes[0], 'show', `${outcome.branch}^2:package.json`));
});

// An update that conflicts in some 1,400 files lists each in its report: over GitHub's 65,536 characters, which
// GitHub refuses with 422 "body is too long", and the pushed branch got no pull request at all.
test('a body longer than the forge takes is cut at a line, its last line saying what was left out and where it is', async () => {
  const work = tempDir('bluesynth-fleet-pr-body-long-');
  const fleet = makeFleet(work, 1, { conflictEvery: 1, seeds: 1, manyConflicts: 1400 });
  const children = new CliChildren(work);
  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/services'] });
  try {
    const run = children.start(['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--forge', 'github',
      '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/services', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'],
    { GITHUB_TOKEN: 'ghp_test', GH_TOKEN: '' });
    const code = await run.exited;
    const [outcome] = JSON.parse(run.output.stdout).repositories;
    expect({ code, outcome }).toMatchObject({ code: 0, outcome: { state: 'conflicts', pushed: true, pullRequest: { action: 'opened' } } });
    expect(outcome.conflicts.length).toBeGreaterThan(1400);
    const [pull] = forge.pullRequests;
    expect(pull.body.length).toBeLessThanOrEqual(65_536);
    expect(pull.body.length).toBeGreaterThan(60_000);
    const lines = pull.body.split('\n');
    const last = lines[lines.length - 1];
    expect(last).toMatch(new RegExp(`^_\\d+ more lines \\(\\d+ characters\\) left out: the forge takes at most 65536 characters\\. The merge commit's message on \`${outcome.branch}\``));
    expect(last).toContain(`'blueprint check' in a checkout of \`${outcome.branch}\` names every file still holding conflict markers`);
    // Cut between two whole lines of the conflict list, the first conflicts kept.
    expect(lines[lines.length - 3]).toMatch(/^- `scripts\/reference\/generated-reference-page-\d{4}\.md`$/);
    expect(pull.body).toContain('Conflicts, committed with markers to resolve in this branch:\n- `');
    const left = Number(/^_(\d+) more lines/.exec(last)![1]);
    // The lines left out are the conflicts not listed (nothing follows the list in this report).
    expect(lines.filter(line => line.startsWith('- `')).length + left).toBe(outcome.conflicts.length);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
    await children.killAll();
  }
});
