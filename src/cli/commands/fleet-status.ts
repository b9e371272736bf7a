import * as path from 'path';
import { InputError } from '../../errors';
import { createForge, Forge, forgeProvider, FORGE_PROVIDERS } from '../../fleet/forges';
import { lastUpdateLine, readRecordedForge } from '../../fleet/report';
import { behindSummary, conflictMarkersSummary, handEditsSummary, pullRequestSummary, updateBranchSummary } from '../../fleet/status-words';
import { readReposFile } from '../../fleet/repos-file';
import { DEFAULT_STATUS_JOBS, fleetStatus, FleetRepositoryStatus, lastUpdateConcerns, mixedSourcesByBlueprint, withPullRequestsNow } from '../../fleet/status';
import { refreshWorkClones } from '../../fleet/work-clone';
import { integerOption, keyValueOptions } from '../fleet-args';
import { Command, parseCommandArgs, requireOption, UsageError } from '../command';
import { DEFAULT_FLEET_WORK_DIR } from './fleet-update';

/** `blueprint fleet status`: which repository is on which version, and how its last update went. */
export const command: Command = {
  name: 'fleet status',
  summary: 'show each repository\'s blueprint, version, options digest, behind, hand edits, conflict markers, last update',
  usage: `Usage: blueprint fleet status --repos FILE [--jobs N] [--work-dir DIR] [--forge ALIAS [--forge-option K=V ...]] [--json]

Reads each repository's instantiation record at the tip of its branch (fetching the work folder's clone,
or cloning it there once), asks each blueprint source for its newest version, and prints one row per
repository and blueprint: version, options digest, behind or not, the files its ownership entries own
outright that were edited by hand since its last update, the files that update (or, in a file it
generated, any commit) committed with conflict markers still in them (both as 'blueprint check' finds them;
--json lists them), what became of the branch
the last update pushed, read from the remote now (merged, unmerged with markers or resolved, gone), and that
run's outcome as it said it then, from this work folder. Warns when the repositories record one blueprint from
several sources (each record chooses the code a fleet update runs for it; --json gives each one's source).
With a forge (--forge, or the one the work folder's last fleet update opened pull requests with), a 'pull request'
column says what became of the last update's pull request, asked once per repository: open, draft, merged (a squash
merge too, which the branch cannot show), closed unmerged, none, or why the forge could not tell (github and gitlab).

  --repos FILE            the repositories file (see 'blueprint fleet update --help')
  --jobs N                repositories fetched (or cloned), and forge requests, at once [default: ${DEFAULT_STATUS_JOBS}]
  --work-dir DIR          the fleet's work folder [default: ${DEFAULT_FLEET_WORK_DIR}]
  --forge ALIAS           the forge to ask about pull requests, as 'fleet update --forge' [default: the last
                          update's, kept in the work folder; none: ask no forge]
  --forge-option K=V      an option of the forge; repeatable
  --json                  print it as JSON (pullRequestNow: state, number, url, or error)

Exit codes: 0 shown (also when some repositories could not be read: their rows say why), 2 bad input.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args, allowPositionals: true,
      options: { 'repos': { type: 'string' }, 'jobs': { type: 'string' }, 'work-dir': { type: 'string' }, 'forge': { type: 'string' }, 'forge-option': { type: 'string', multiple: true }, 'json': { type: 'boolean' }, 'verbose': { type: 'boolean' } },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values['forge-option'] && !values.forge) throw new UsageError('--forge-option needs --forge ALIAS');
    const repositories = readReposFile(requireOption(values, 'repos'));
    const workDir = path.resolve(values['work-dir'] ?? DEFAULT_FLEET_WORK_DIR);
    const jobs = integerOption('jobs', values.jobs, 1) ?? DEFAULT_STATUS_JOBS;
    const forge = statusForge(values.forge, values['forge-option'], workDir);
    const refreshed = await refreshWorkClones(repositories, workDir, jobs);
    const read = fleetStatus(repositories, workDir, refreshed);
    const rows = forge ? await withPullRequestsNow(read, forge, jobs) : read;
    for (const warning of mixedSourcesByBlueprint(rows)) console.error(`warning: ${warning}`);
    if (values.json) {
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    // The pull request column only with a forge: without one, the table is as it was.
    const pull = (row: FleetRepositoryStatus, shown: boolean) => (forge ? [shown && row.pullRequestNow ? pullRequestSummary(row.pullRequestNow, row.updateBranch?.state) : ''] : []);
    const table = [['repository', 'blueprint', 'version', 'options', 'behind', 'edited by hand', 'conflict markers', 'update branch now', ...(forge ? ['pull request'] : []), 'last update']];
    for (const row of rows) {
      const last = row.lastUpdate ? lastUpdateLine(row.lastUpdate) : '';
      // A repository not read now still has the branch and the pull request its last update left: an unreachable remote hides neither.
      if (row.error) table.push([row.name, '', '', '', '', '', '', '', ...pull(row, true), `cannot read: ${row.error}${last && row.lastUpdate?.reason !== row.error ? `; last update: ${last}` : ''}`]);
      for (const i of row.instantiations) {
        const concerns = lastUpdateConcerns(row, i);
        table.push([row.name, i.blueprint, i.version, i.optionsDigest, behindSummary(i), handEditsSummary(i), conflictMarkersSummary(i), now(row, i), ...pull(row, concerns), concerns ? last : '']);
      }
    }
    const widths = table[0].map((_, c) => Math.max(...table.map(r => r[c].length)));
    for (const row of table) console.log(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
    return 0;
  },
};

/**
 * The forge to ask about pull requests: `--forge` (an unknown alias or option is bad input, exit 2), else the one the
 * work folder's last update used; undefined for none. Where no client can be made (no token) or it cannot find a pull
 * request of a branch, that reason, which each row then says: the rest of the status is still worth reading.
 */
function statusForge(alias: string | undefined, optionValues: string[] | undefined, workDir: string): Forge | string | undefined {
  const given = alias !== undefined;
  const recorded = given ? undefined : readRecordedForge(workDir);
  const chosen = given ? { alias, options: keyValueOptions('forge-option', optionValues) } : recorded;
  if (!chosen || chosen.alias === 'none') return undefined;
  const provider = given ? forgeProvider(chosen.alias) : FORGE_PROVIDERS.find(known => known.alias === chosen.alias);
  // The recorded forge is asked only where it can tell: the table is as before otherwise. One named is answered on each row.
  if (!provider || (!given && !provider.findsPullRequests)) return undefined;
  let forge: Forge | undefined;
  try {
    forge = createForge(chosen.alias, chosen.options, process.env);
  } catch (error) {
    // A wrong option typed here is this command's bad input; a missing token, or a recorded option no longer valid, is the rows' to say.
    if (given && error instanceof InputError && error.message.startsWith('--forge')) throw error;
    return (error as Error).message;
  }
  if (!forge) return undefined;
  if (!given) console.error(`asking the ${chosen.alias} forge the last fleet update used about its pull requests (--forge none asks none)`);
  const able = FORGE_PROVIDERS.filter(known => known.findsPullRequests).map(known => known.alias);
  return forge.findPullRequest ? forge : `the ${chosen.alias} forge cannot tell a pull request's state yet (${able.join(' and ')} can)`;
}

/** The update branch's state now, on the row of the instantiation the last update was about (what to act on; the last run's outcome beside it is history). */
function now(row: FleetRepositoryStatus, i: FleetRepositoryStatus['instantiations'][number]): string {
  return row.updateBranch && lastUpdateConcerns(row, i) ? updateBranchSummary(row.updateBranch, row.pullRequestNow?.state === 'merged') : '';
}

