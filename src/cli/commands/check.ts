import { checkRepository } from '../../project/check';
import { describeDisassociated } from '../../project/disassociated';
import { describeUpdateInProgress } from '../../project/update-in-progress';
import { isTarball } from '../../project/sources/npm-source';
import { Command, parseCommandArgs, UsageError } from '../command';
import { inProcessFlag, ISOLATION_OPTION, ISOLATION_USAGE, RUNNER_OPTIONS, runnerUsage, runFlags } from '../runner-options';
import { firstOf, plural } from '../../plural';
import { printablePath, printableText } from '../../printable';

/** `blueprint check`: is the repository up to date with its blueprints? For CI. */
export const command: Command = {
  name: 'check',
  summary: 'say whether the repository is behind its blueprints or drifted from them (for CI)',
  usage: `Usage: blueprint check [--instantiation ID] [--no-reproduce] [--json]

Run inside a repository made by 'blueprint create'. For each recorded instantiation, without writing
anything: whether the source has a newer version than the recorded one, whether the recorded version with
the recorded options still generates the recorded baseline, which files the blueprint owns outright
(alwaysUpdate, neverUpdate, onlyAdd entries of the .ownership-files) were edited by hand, which files
the last update's merge (or any commit, in a generated file) committed with conflict markers (conflicts added
and committed unresolved) that still hold them (a blueprint 'blueprint disassociate' let go is not checked),
and which .ownership-file entries give files another strategy than they evidently mean, and which files
owned outright the last update's merge holds otherwise than their strategy gives (git made it again:
pull --rebase=merges) (warnings, which do not change the exit code).

  --instantiation ID      check only this instantiation (its id, or its blueprint's package name)
  --no-reproduce          do not re-run the recorded version
  --json                  print the findings as JSON
${runnerUsage('project')}
${ISOLATION_USAGE}

Exit codes: 0 up to date, 1 behind (an update whose conflicts are still open included), not reproducible,
an alwaysUpdate file edited by hand (neverUpdate and onlyAdd files are the project's to edit: listed only),
conflict markers committed still there, or a record edited by hand that no update applied yet,
2 bad input (not a repository, no or malformed record) or nothing found out of date but something could not
be checked (a source that cannot be resolved, a baseline missing from a shallow clone).`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { 'instantiation': { type: 'string' }, 'no-reproduce': { type: 'boolean' }, 'json': { type: 'boolean' }, ...RUNNER_OPTIONS, ...ISOLATION_OPTION },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const result = await checkRepository({
      repositoryDir: process.cwd(),
      instantiationId: values.instantiation,
      reproduce: !values['no-reproduce'],
      ...runFlags(values),
      inProcess: inProcessFlag(values),
      onBuilt: undefined,
    });
    // Said on stderr with --json too: a CI log shows why the step failed without reading the report.
    if (result.undetermined) {
      const why = result.instantiations.filter(c => c.undetermined).map(c => `${c.instantiation.packageName} (${c.instantiation.id}): ${c.undetermined}`);
      console.error(`cannot tell whether the repository is up to date:\n${why.map(line => `  ${line}`).join('\n')}`);
    }
    if (values.json) {
      console.log(JSON.stringify(result, null, 2));
      return exitCode(result);
    }
    const update = result.updateInProgress;
    for (const c of result.instantiations) {
      const i = c.instantiation;
      console.log(`${i.packageName}@${i.versionId} (instantiation ${i.id})`);
      // HEAD is the repository before the update: "behind" would send the user to update again.
      // The same version with new options is no version change: "updating to 3.0.0" under "X@3.0.0" read as nothing.
      const updating = update?.instantiationId === i.id
        ? `${update.versionId === i.versionId && update.newOptions.length ? `updating ${i.versionId} to new options (${firstOf(update.newOptions, 3)})` : `updating to ${update.versionId}`}: the merge is not committed yet`
        : undefined;
      const backedOut = c.backedOut && `up to date but for ${c.backedOut.version}, the newest, merged (${c.backedOut.merged.slice(0, 12)}) and backed out since (git revert -m 1?): ` +
        `not counted as behind until a newer version comes; 'blueprint update --to ${c.backedOut.version}' applies it again`;
      console.log(`  version       ${updating ?? backedOut ?? (c.behind ? `behind: ${c.moved ? `${c.newest} has moved to ${c.moved.slice(0, 12)} (recorded ${i.sourceRevision.slice(0, 12)})` : `${c.newest} is available`}` : versionWord(c, i))}`);
      console.log(`  reproducible  ${c.reproducible}${c.differing ? `: ${plural(c.differing.length, 'file')} ${c.differing.length === 1 ? 'differs' : 'differ'} from the baseline (${c.differing.slice(0, 5).map(printablePath).join(', ')}${c.differing.length > 5 ? ', ...' : ''})` : ''}`);
      if (c.reason) console.log(`  note          ${c.reason}`);
      // Without the baseline there is nothing to compare with: not knowing is not "none". Only the files the blueprint
      // owns outright count: a bare "none" read as "no file edited" to a team that had edited merged files.
      console.log(`  hand edits    ${!c.editedByHand ? 'unknown (no baseline to compare with)' : c.editedByHand.length === 0 ? `none to the files the blueprint owns outright (${OWNED_OUTRIGHT})` : `${plural(c.editedByHand.length, 'file')} the blueprint owns outright:`}`);
      for (const file of c.editedByHand ?? []) console.log(`    ${printablePath(file.path)} (${file.strategy}${file.declaredAt ? `, ${file.declaredAt}` : ''})${handEditFate(file)}`);
      // The update's own markers, then those a later commit left in generated files (a rebase continued over its conflicts).
      for (const [later, conflicts] of [false, true].map(after => [after, (c.unresolvedConflicts ?? []).filter(u => !!u.afterUpdate === after)] as const)) {
        if (conflicts.length === 0) continue;
        const holds = conflicts.length === 1 ? 'still holds' : 'still hold';
        console.log(`  conflicts     ${later
          ? `${plural(conflicts.length, 'file')} the blueprint generated ${holds} conflict markers a commit since the update left (a rebase or merge continued over its conflicts?): resolve them and commit`
          : `${plural(conflicts.length, 'file')} ${holds} the conflict markers the update to ${i.versionId} committed: resolve them and commit`}`);
        for (const conflict of conflicts) console.log(`    ${printablePath(conflict.path)}:${conflict.line}`);
      }
      // Not out of date: what an update would do otherwise than the ownership file evidently means.
      // They quote an ownership file's globs and paths, which a blueprint may have written: printed escaped.
      for (const warning of c.ownershipWarnings ?? []) console.log(`  ownership     ${printableText(warning)}`);
      // Nor are these: what the recorded options are to the blueprint now (an option it no longer declares, one it lacks).
      for (const warning of c.warnings ?? []) console.log(`  warning       ${printableText(warning)}`);
    }
    for (const d of result.disassociated ?? []) console.log(`${describeDisassociated(d)}: no longer updates this repository; not checked`);
    if (update) console.log(describeUpdateInProgress(update));
    // HEAD is the commit a rebase or bisect stopped at: the answer above is that commit's, not the branch's.
    const operation = result.operationInProgress;
    if (operation) console.log(`note: ${operation.what} is in progress (${operation.file}): this answers for the commit HEAD is at, not for the branch; ${operation.wayOn} to check the branch`);
    if (!result.undetermined) console.log(result.upToDate ? 'up to date' : 'not up to date');
    return exitCode(result);
  },
};

/** The entries whose files check lists when edited by hand: the strategies that give a file to one side outright. */
const OWNED_OUTRIGHT = 'alwaysUpdate, neverUpdate, onlyAdd entries';

/** What becomes of a file the blueprint owns outright that the project edited, or deleted. */
function handEditFate(file: { readonly drift: boolean; readonly deleted?: string }): string {
  if (file.deleted) return `: deleted; ${file.deleted === 'stays deleted' ? 'it stays deleted' : 'the next update writes it again'}`;
  return file.drift ? ': the next update overwrites it' : ': the project\'s to edit';
}

/** Why a source offers no version to compare with, and for a tarball how a newer one is taken. */
function noVersions(source: string, recorded: string): string {
  return isTarball(source.replace(/^npm:/, ''))
    ? `the tarball holds ${recorded} only; a newer version is another tarball, which 'blueprint update --blueprint FILE' takes`
    : 'the source has no versions';
}

/**
 * The version line of an instantiation not found behind: up to date only where the source answered; where it could
 * not be asked, what its cached copy holds is no answer (a newer version may be out), and where it has no versions, why.
 */
function versionWord(c: { newest?: string; behindUnknown?: string }, i: { source: string; versionId: string }): string {
  if (c.behindUnknown) return `unknown: the source cannot be asked (see the note)${c.newest ? `; its cached copy has nothing newer (newest ${c.newest})` : ''}`;
  return c.newest ? `up to date (newest ${c.newest})` : noVersions(i.source, i.versionId);
}

/** 0 up to date, 1 out of date (found), 2 could not tell. */
function exitCode(result: { upToDate: boolean; undetermined: boolean }): number {
  return result.upToDate ? 0 : result.undetermined ? 2 : 1;
}
