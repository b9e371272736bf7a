import * as path from 'path';
import { tempDir } from '../util';
import { CliChildren } from './cli-children';
import { makeFleet } from './fleet-fixture';
import { ForgeServer } from './forge-server';

/**
 * `fleet update --push --push-conflicts --forge azure-devops` end to end, against the Azure DevOps stand-in: each
 * pushed branch gets its pull request, the one pushed with its conflicts as a draft, each body within the 4,000
 * characters Azure DevOps takes.
 */
jest.setTimeout(120_000);

const work = tempDir('bluesynth-fleet-azure-devops-');
const fleet = makeFleet(work, 2, { conflictEvery: 2, seeds: 2 });
const children = new CliChildren(work);

test('a pull request per pushed branch; the one with conflicts is a draft', async () => {
  const forge = await ForgeServer.start({ kind: 'azure-devops', token: 'ado-pat', repositories: ['contoso/Web Apps/services'] });
  try {
    const args = ['fleet', 'update', '--repos', fleet.reposFile, '--to', 'v2', '--push', '--push-conflicts', '--forge', 'azure-devops',
      '--forge-option', `url=${forge.url}`, '--forge-option', 'repository=contoso/Web Apps/services', '--jobs', '1', '--work-dir', path.join(work, 'clones'), '--json'];
    const run = children.start(args, { AZURE_DEVOPS_TOKEN: '', AZURE_DEVOPS_EXT_PAT: 'ado-pat' });
    expect(await run.exited).toBe(0);
    const [clean, conflicting] = JSON.parse(run.output.stdout).repositories;
    const web = `${forge.url}/contoso/Web%20Apps/_git/services/pullrequest/`;
    expect(clean).toMatchObject({ state: 'updated', pushed: true, pullRequest: { action: 'opened', url: expect.stringMatching(new RegExp(`^${web.replace(/[.?]/g, '\\$&')}\\d$`)) } });
    expect(conflicting).toMatchObject({ state: 'conflicts', pushed: true, pullRequest: { action: 'opened' } });
    const pullOf = (outcome: any) => forge.pullRequests.find(pull => pull.head === outcome.branch)!;
    expect(pullOf(clean).base).toBe('main');
    expect(pullOf(clean).draft).toBeUndefined();
    expect(pullOf(conflicting)).toMatchObject({ base: 'main', draft: true, title: `[conflicts] ${pullOf(clean).title}` });
    expect(pullOf(conflicting).body).toContain('Conflicts, committed with markers to resolve in this branch:\n- `src/health.ts`');
    for (const pull of forge.pullRequests) expect(pull.body.length).toBeLessThanOrEqual(4_000);
    expect(forge.rejections).toEqual([]);
  } finally {
    await forge.close();
  }
});
