import { describeDisassociated } from '../../project/disassociated';
import { repositoryStatus } from '../../project/status';
import { describeUpdateInProgress } from '../../project/update-in-progress';
import { Command, parseCommandArgs, UsageError } from '../command';
import { plural } from '../../plural';

/** `blueprint status`: the instantiations recorded in the repository. */
export const command: Command = {
  name: 'status',
  summary: 'show which blueprints made this repository, at which version, with which options',
  usage: `Usage: blueprint status [--json]

Run inside a repository made by 'blueprint create'. Prints each recorded instantiation: its id, package,
version, source, baseline commit and options, and an update whose conflicts are still open (git's merge
state), and the blueprints 'blueprint disassociate' let go. Reads only.

  --json                  print it as JSON

Exit codes: 0 shown, 2 bad input (not a repository, no or malformed record) or an instantiation whose
baseline cannot be used, which update and check refuse too (shown all the same, with why and the way on).`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, verbose: { type: 'boolean' } } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const status = repositoryStatus(process.cwd());
    // What update refuses is no state to report as fine.
    const code = status.instantiations.some(i => i.baselineRefusal !== undefined) ? 2 : 0;
    if (values.json) {
      console.log(JSON.stringify(status, null, 2));
      return code;
    }
    console.log(`${status.repository}: ${plural(status.instantiations.length, 'instantiation')}`);
    for (const i of status.instantiations) {
      console.log(`  ${i.packageName}@${i.versionId}  (instantiation ${i.id}, repository '${i.repository}')`);
      // A folder's revision is the folder itself: said once. A git source's is the commit, an npm source's the version.
      console.log(`    source    ${i.source}${i.sourceRevision === i.source ? '' : `  (${i.sourceRevision})`}`);
      console.log(`    baseline  ${i.baseline ?? `none usable: ${i.baselineRefusal}`}`);
      console.log(`    options   ${JSON.stringify(i.options)}`);
    }
    for (const d of status.disassociated ?? []) console.log(`  ${describeDisassociated(d)}: no longer updates this repository`);
    if (status.updateInProgress) console.log(describeUpdateInProgress(status.updateInProgress));
    return code;
  },
};
