import * as path from 'path';
import { lastUpdateLine } from '../../fleet/report';
import { behindSummary, conflictMarkersSummary, handEditsSummary, updateBranchSummary } from '../../fleet/status-words';
import { readReposFile } from '../../fleet/repos-file';
import { DEFAULT_STATUS_JOBS, fleetStatus, FleetRepositoryStatus, lastUpdateConcerns, mixedSourcesByBlueprint } from '../../fleet/status';
import { refreshWorkClones } from '../../fleet/work-clone';
import { integerOption } from '../fleet-args';
import { Command, parseCommandArgs, requireOption, UsageError } from '../command';
import { DEFAULT_FLEET_WORK_DIR } from './fleet-update';

/** `blueprint fleet status`: which repository is on which version, and how its last update went. */
export const command: Command = {
  name: 'fleet status',
  summary: 'show each repository\'s blueprint, version, options digest, behind, hand edits, conflict markers, last update',
  usage: `Usage: blueprint fleet status --repos FILE [--jobs N] [--work-dir DIR] [--json]

Reads each repository's instantiation record at the tip of its branch (fetching the work folder's clone,
or cloning it there once), asks each blueprint source for its newest version, and prints one row per
repository and blueprint: version, options digest, behind or not, the files its ownership entries own
outright that were edited by hand since its last update, the files that update (or, in a file it
generated, any commit) committed with conflict markers still in them (both as 'blueprint check' finds them;
--json lists them), what became of the branch
the last update pushed, read from the remote now (merged, unmerged with markers or resolved, gone), and that
run's outcome as it said it then, from this work folder. Warns when the repositories record one blueprint from
several sources (each record chooses the code a fleet update runs for it; --json gives each one's source).

  --repos FILE            the repositories file (see 'blueprint fleet update --help')
  --jobs N                repositories fetched (or cloned) at once [default: ${DEFAULT_STATUS_JOBS}]
  --work-dir DIR          the fleet's work folder [default: ${DEFAULT_FLEET_WORK_DIR}]
  --json                  print it as JSON

Exit codes: 0 shown (also when some repositories could not be read: their rows say why), 2 bad input.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { 'repos': { type: 'string' }, 'jobs': { type: 'string' }, 'work-dir': { type: 'string' }, 'json': { type: 'boolean' }, 'verbose': { type: 'boolean' } } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const repositories = readReposFile(requireOption(values, 'repos'));
    const workDir = path.resolve(values['work-dir'] ?? DEFAULT_FLEET_WORK_DIR);
    const refreshed = await refreshWorkClones(repositories, workDir, integerOption('jobs', values.jobs, 1) ?? DEFAULT_STATUS_JOBS);
    const rows = fleetStatus(repositories, workDir, refreshed);
    for (const warning of mixedSourcesByBlueprint(rows)) console.error(`warning: ${warning}`);
    if (values.json) {
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    const table = [['repository', 'blueprint', 'version', 'options', 'behind', 'edited by hand', 'conflict markers', 'update branch now', 'last update']];
    for (const row of rows) {
      const last = row.lastUpdate ? lastUpdateLine(row.lastUpdate) : '';
      // A repository not read now still has the branch and the pull request its last update left: an unreachable remote hides neither.
      if (row.error) table.push([row.name, '', '', '', '', '', '', '', `cannot read: ${row.error}${last && row.lastUpdate?.reason !== row.error ? `; last update: ${last}` : ''}`]);
      for (const i of row.instantiations) table.push([row.name, i.blueprint, i.version, i.optionsDigest, behindSummary(i), handEditsSummary(i), conflictMarkersSummary(i), now(row, i), lastUpdateConcerns(row, i) ? last : '']);
    }
    const widths = table[0].map((_, c) => Math.max(...table.map(r => r[c].length)));
    for (const row of table) console.log(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
    return 0;
  },
};

/** The update branch's state now, on the row of the instantiation the last update was about (what to act on; the last run's outcome beside it is history). */
function now(row: FleetRepositoryStatus, i: FleetRepositoryStatus['instantiations'][number]): string {
  return row.updateBranch && lastUpdateConcerns(row, i) ? updateBranchSummary(row.updateBranch) : '';
}

