import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../util';
import { git } from '../project/git-fixtures';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';

/**
 * A remote that refuses the push (a pre-receive hook) and a forge that fails one pull request after its branch
 * was pushed: each fails its repository only, and the report says which branch is on the remote and why the
 * rest did not happen, in the remote's and the forge's words, not as a git command line. The next run opens
 * the missing pull request and pushes nothing again.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-fleet-push-faults-');
// One seed each: three instantiations, three update branches, three pull requests in the one forge repository.
const fleet = makeFleet(work, 3, { seeds: 3 });
const children = new CliChildren(work);
afterAll(() => children.killAll());

test('a push the remote refuses and a pull request the forge fails are reported as such; the next run opens the pull request', async () => {
  const [frozen, rateLimited, fine] = fleet.remotes;
  const hook = path.join(frozen, 'hooks', 'pre-receive');
  fs.writeFileSync(hook, '#!/bin/sh\necho "pushes to this repository are frozen" >&2\nexit 1\n', { mode: 0o755 });
  const forge = await ForgeServer.start({ kind: 'github', token: 'ghp_test', repositories: ['acme/web'] });
  try {
    // --jobs 1, in the file's order: the first pull request asked for is the second repository's, and it fails
    // three times (with no wait asked for), as a forge's lasting fault.
    for (let i = 0; i < 3; i++) forge.answerNext(503, { message: 'Service Unavailable' }, { 'Retry-After': '0' });
    const args = ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--forge', 'github',
      '--forge-option', `api-url=${forge.url}`, '--forge-option', 'repository=acme/web', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'];
    const env = { GITHUB_TOKEN: 'ghp_test' };
    const first = children.start(args, env);
    expect(await first.exited).toBe(1);
    const report = JSON.parse(first.output.stdout);
    const [refused, prFailed, updated] = report.repositories;
    const branch = updated.branch;

    expect(refused).toMatchObject({ state: 'failed', pushed: false });
    expect(refused.reason).toBe(`push to origin/${refused.branch} refused: [remote rejected] (pre-receive hook declined); pushes to this repository are frozen`);
    expect(git(frozen, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')).toBe('main');

    expect(prFailed).toMatchObject({ state: 'failed', pushed: true, branch: expect.any(String) });
    expect(prFailed.reason).toBe(`pushed origin/${prFailed.branch}, but its pull request failed: github: POST ${forge.url}/repos/acme/web/pulls answered 503: Service Unavailable; the next run opens it`);
    expect(git(rateLimited, 'rev-parse', `refs/heads/${prFailed.branch}`)).toBe(prFailed.commit);

    expect(updated).toMatchObject({ state: 'updated', pushed: true, pullRequest: { action: 'opened' } });
    expect(git(fine, 'rev-parse', `refs/heads/${branch}`)).toBe(updated.commit);

    fs.rmSync(hook);
    const second = children.start(args, env);
    expect(await second.exited).toBe(0);
    const again = JSON.parse(second.output.stdout).repositories;
    expect(again.map((outcome: any) => outcome.state)).toEqual(['updated', 'skipped', 'skipped']);
    expect(again[1].pullRequest).toEqual({ action: 'opened', url: expect.any(String) });
    expect(forge.pullRequests.map(pull => pull.head).sort()).toEqual([again[0].branch, prFailed.branch, branch].sort());
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});
