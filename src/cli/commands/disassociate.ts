import { disassociateInstantiation } from '../../project/disassociate';
import { RECORD_PATH } from '../../project/instantiation-record';
import { InterruptedError } from '../../errors';
import { Command, parseCommandArgs, UsageError } from '../command';
import { holdingSignals } from '../interrupt';
import { plural } from '../../plural';

/** `blueprint disassociate`: a blueprint stops updating the repository; its files stay the project's. */
export const command: Command = {
  name: 'disassociate',
  summary: 'stop a blueprint from updating this repository (its files stay)',
  usage: `Usage: blueprint disassociate [--instantiation ID] [--dry-run] [--json]

Run inside a repository made by 'blueprint create'. Commits, on the current branch, the instantiation's
removal from ${RECORD_PATH} (the file goes with the last one) and from its durable state. Every
file stays as it is, the project's own from then on; the blueprint's baselines stay in the history. The way
on where a new version no longer generates this repository (its update is refused), or where the team takes
the files over. Afterwards 'update' and a fleet no longer touch the instantiation, and 'check' lists it as
let go, not checked. To apply the blueprint again, as a new instantiation, keeping the team's edits to its files:
'update --add --adopt --blueprint SOURCE --to VERSION --options FILE', with the version and options it had, as
'update' names them here (a folder or a tarball as it was then, without --to; 'update --add' without --adopt
merges from nothing: the blueprint's content overrides the team's edits).

  --instantiation ID      which instantiation, when the repository records several: its id, or its
                          blueprint's package name
  --dry-run               say what would change; change nothing
  --json                  print the result as JSON

Exit codes: 0 disassociated (or a dry run), 2 bad input (not a repository, no or malformed record, an unknown
instantiation, a detached HEAD, a merge in progress, tracked files changed); nothing changed. Ctrl-C or SIGTERM
once it has begun landing waits for the landing's end: it lands whole, is printed, and exits 130 or 143 saying so.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { 'instantiation': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'json': { type: 'boolean' } },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    let held: NodeJS.Signals | undefined;
    const result = await disassociateInstantiation({
      repositoryDir: process.cwd(), instantiationId: values.instantiation, dryRun: values['dry-run'],
      // Ctrl-C between the checkout and the branch's move left the record gone from the work tree and the branch
      // where it was; and one while git moved the branch ended the command saying nothing of the commit git made.
      guardLanding: async land => {
        const { value, signal } = await holdingSignals(land);
        held = signal;
        return value;
      },
    });
    const landed = () => {
      if (held) throw new InterruptedError(held, `the disassociation had begun landing, so it landed whole before stopping: commit ${result.commit?.slice(0, 12)}`);
    };
    if (values.json) {
      console.log(JSON.stringify(result, null, 2));
      landed();
      return 0;
    }
    const i = result.instantiation;
    const what = `${i.packageName}@${i.versionId} (instantiation ${i.id})`;
    console.log(result.commit ? `disassociated ${what} in ${result.commit.slice(0, 12)}` : `dry run: would disassociate ${what}; nothing changed`);
    const state = result.changed.length - 1;
    console.log(`  ${result.remaining.length === 0 ? `${RECORD_PATH} removed (it recorded no other instantiation)` : `${RECORD_PATH}: ${plural(result.remaining.length, 'instantiation')} left`}` +
      `${state > 0 ? `; ${plural(state, 'file')} of durable state removed` : ''}; every other file stays as it is`);
    if (result.remaining.length === 0 && result.commit) console.log("  nothing updates this repository now: a CI step running 'blueprint check' here passes, and can go");
    landed();
    return 0;
  },
};
