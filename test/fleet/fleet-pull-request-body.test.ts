import * as fs from 'fs';
import * as path from 'path';
import { commitAll, git, replaceInFile } from '../project/git-fixtures';
import { runCli, tempDir } from '../util';
import { makeFleet } from './fleet-fixture';

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
