import * as path from 'path';
import { tempDir } from '../util';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';

/**
 * `fleet update --push --push-conflicts --forge gitea` end to end, against the Gitea stand-in: each pushed
 * branch gets its pull request, and the one pushed with its conflicts is marked work in progress by its title.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-fleet-gitea-');
// Two seeds: two instantiations with their own options, so two update branches in the one forge repository.
const fleet = makeFleet(work, 2, { conflictEvery: 2, seeds: 2 });
const children = new CliChildren(work);

test('a pull request per pushed branch; the one with conflicts has the WIP: title', async () => {
  const forge = await ForgeServer.start({ kind: 'gitea', token: 'gitea-test', repositories: ['acme/services'], prefix: '/git' });
  try {
    const args = ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--forge', 'gitea',
      '--forge-option', `url=${forge.url}`, '--forge-option', 'repository=acme/services', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'];
    const run = children.start(args, { GITEA_TOKEN: '', FORGEJO_TOKEN: 'gitea-test' });
    expect(await run.exited).toBe(0);
    const [clean, conflicting] = JSON.parse(run.output.stdout).repositories;
    expect(clean).toMatchObject({ state: 'updated', pushed: true, pullRequest: { action: 'opened', url: expect.stringMatching(/^https:\/\/gitea.invalid\/acme\/services\/pulls\/\d$/) } });
    expect(conflicting).toMatchObject({ state: 'conflicts', pushed: true, pullRequest: { action: 'opened' } });
    const pullOf = (outcome: any) => forge.pullRequests.find(pull => pull.head === outcome.branch)!;
    expect(pullOf(clean)).toMatchObject({ base: 'main', title: expect.not.stringMatching(/^WIP: /) });
    expect(pullOf(conflicting)).toMatchObject({ base: 'main', title: `WIP: [conflicts] ${pullOf(clean).title}` });
    expect(forge.pullRequests).toHaveLength(2);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});
