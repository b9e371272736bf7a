import { updateRepository, UpdateResult } from '../../project/update';
import { updateChange } from '../../project/instantiation-record';
import { distinctTypes, droppedHunks, modifyDelete } from '../../project/update-report';
import { InterruptedError } from '../../errors';
import { holdingSignals } from '../interrupt';
import { Command, parseCommandArgs, UsageError } from '../command';
import { optionOverrides, PROJECT_OPTION_FLAGS, PROJECT_OPTION_USAGE } from '../project-options';
import { ALLOW_LOCAL_FLAG, ALLOW_LOCAL_OPTION, resynthOptions } from '../resynth-options';
import { inProcessFlag, ISOLATION_OPTION, ISOLATION_USAGE, RUNNER_OPTIONS, runnerUsage, runFlags } from '../runner-options';
import { firstOf, plural } from '../../plural';
import { commandPath, printablePath, printableText } from '../../printable';

/** `blueprint update`: a new blueprint version or new options, merged into the repository as a git merge. */
/**
 * The flags of git's stopped operations (`git rebase --continue`, `--abort`): an update left with conflicts is git's
 * own merge, which git's own commands finish or give up. Without these, `--abort` read as a typo of `--adopt`.
 */
const MERGE_STATE_HINTS = {
  continue: "a conflicted update is git's own merge: finish it with 'git add' of the resolved files and 'git commit'",
  abort: "a conflicted update is git's own merge: give it up with 'git merge --abort'",
};

export const command: Command = {
  name: 'update',
  summary: 'update the repository to a new blueprint version or options, as a git merge',
  usage: `Usage: blueprint update [--to VERSION] [--blueprint SOURCE] [--options FILE] [--set KEY=VALUE ...] [--dry-run] [--json]

Run inside a repository made by 'blueprint create'. Synthesizes the blueprint at the new version with
the recorded options (overridden by the flags), commits that pristine output as the new baseline (child
of the recorded one), merges it into HEAD with the blueprint's resynth(), its strategies and the
repository's .ownership-files, and lands the result as a git merge: a merge commit when clean, else git's
own merge state (index stages 1/2/3, markers, MERGE_HEAD), to finish with 'git add' + 'git commit' or
undo with 'git merge --abort'.

  --to VERSION            the version of the recorded source (a git tag, an npm version), or a semver range
                          ('^2': its newest version, and the range is followed from then on) [default: the newest,
                          within the range the source follows]
  --blueprint SOURCE      run another source (folder, PATH_OR_URL#ref, npm spec) instead of the recorded one
${PROJECT_OPTION_USAGE}
  --instantiation ID      which instantiation, when the repository records several: its id, or its
                          blueprint's package name (where the repository records that package once)
  --add                   apply the --blueprint SOURCE to this repository as one more instantiation
                          (merged from an empty ancestor; each instantiation updates on its own)
  --adopt                 with --add: the repository was made by this blueprint at this version and these
                          options elsewhere (the hosted service): record what they generate as the
                          baseline, changing no file, so that the next update merges from it;
                          on its own: the project holds what the recorded version generates, but no
                          baseline records it (an update squash-merged): record the generated commit
                          still in the repository as merged, else generate it again as the baseline,
                          changing no file
  --repository NAME       with --add: the repository of the blueprint's bundle this one holds
                          [default: the only one the blueprint generates]
  --branch [NAME]         land the update on a new branch NAME [default NAME: the blueprint's
                          resynthPullRequest.originBranch]; refused when the branch exists, here or
                          on a remote (origin/NAME, as last fetched)
  --dry-run               print what would change, per file; write nothing
  --diff                  with --dry-run: also print the changes to the project's files, as 'git diff'
                          would show them once landed (conflicted files with their markers)
  --json                  print the report as JSON
  --fallback ID           strategy for files no entry matches [default: the blueprint's, else preferProposed]
  --style STYLE           conflict markers: merge, diff3 or zdiff3 [default: the repository's
                          merge.conflictStyle, else merge]
  ${ALLOW_LOCAL_FLAG}
                          let [local] ownership-file entries run their commands
${runnerUsage('project')}
${ISOLATION_USAGE}

In its own process the blueprint cannot be stopped midway by a signal handler: Ctrl-C (SIGINT, SIGTERM) ends
the update at once (exit status 130, 143), which is safe before it lands, as it has written only git objects.
Once the landing has begun (the branch, the index, the work tree, the merge state), a signal waits for its end:
the update is landed whole, printed, and the command exits 130 or 143 saying that it landed.

Exit codes: 0 merged (or up to date, or a dry run), 1 conflicts left to resolve or a failed blueprint job,
2 bad input (no record, no baseline in the history recording what the record does (an update squash-merged
or rebased: see --adopt), a source or version that cannot be resolved, changes to tracked files, untracked
or ignored files where the update writes, a file it would write in a submodule, a merge in progress, a
detached HEAD without --branch); on bad input nothing is changed. Untracked files the update does not write
are left alone.`,
  async run(args) {
    // `--branch` alone means the blueprint's own branch name: given as an empty value.
    const normalized = args.map((arg, i) => (arg === '--branch' && (i === args.length - 1 || args[i + 1].startsWith('--')) ? '--branch=' : arg));
    const { values, positionals } = parseCommandArgs({
      args: normalized,
      allowPositionals: true,
      options: {
        'to': { type: 'string' }, 'blueprint': { type: 'string' }, ...PROJECT_OPTION_FLAGS,
        'instantiation': { type: 'string' }, 'add': { type: 'boolean' }, 'adopt': { type: 'boolean' }, 'repository': { type: 'string' }, 'branch': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'diff': { type: 'boolean' }, 'json': { type: 'boolean' },
        'fallback': { type: 'string' }, 'style': { type: 'string' }, [ALLOW_LOCAL_OPTION]: { type: 'boolean' },
        ...RUNNER_OPTIONS, ...ISOLATION_OPTION,
      },
    }, MERGE_STATE_HINTS);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.diff && !values['dry-run']) throw new UsageError("--diff goes with --dry-run (once an update has landed, 'git diff HEAD^1 HEAD' shows what it changed)");
    // Without --add the repository is the one the record names: a NAME given then was ignored, and the update ran as if
    // it were not given, where the user may have meant a repository a new version generates.
    if (values.repository !== undefined && !values.add) {
      throw new UsageError("--repository goes with --add (an update updates the repository it runs in; a repository a new version generates " +
        "is made with 'blueprint create --like . --repository NAME ..')");
    }
    let held: NodeJS.Signals | undefined;
    const result = await updateRepository({
      repositoryDir: process.cwd(),
      to: values.to,
      source: values.blueprint,
      overrides: optionOverrides(values),
      instantiationId: values.instantiation,
      add: values.add,
      adopt: values.adopt,
      repository: values.repository,
      dryRun: values['dry-run'],
      patch: values.diff,
      branch: values.branch,
      merge: resynthOptions(values),
      ...runFlags(values),
      inProcess: inProcessFlag(values),
      onBuilt: values.json ? undefined : runFlags(values).onBuilt,
      onStep: values.verbose ? (step, ms) => console.error(`  ${(ms / 1000).toFixed(2).padStart(6)} s  ${step}`) : undefined,
      // A landing cut midway would leave the work tree changed without the merge state, or the branch moved
      // without the work tree: a signal that comes during it is acted on once it is done.
      guardLanding: async land => {
        const { value, signal } = await holdingSignals(land);
        held = signal;
        return value;
      },
    });
    // JSON carries text: there a byte that is not UTF-8 reads as U+FFFD; the terminal gets git's bytes.
    if (values.json) console.log(JSON.stringify({ ...result, ...result.patch ? { patch: result.patch.toString('utf8') } : {} }, null, 2));
    else {
      printUpdate(result, !!values.adopt);
      if (result.patch?.length) process.stdout.write(Buffer.concat([Buffer.from('\n'), result.patch]));
    }
    if (held) throw new InterruptedError(held, `the update had begun landing, so it landed whole before stopping: ${result.state === 'committed' ? `merge commit ${result.commit?.slice(0, 12)}` : "conflicts left to resolve ('git merge --abort' undoes it)"}`);
    return result.state === 'conflicts' ? 1 : 0;
  },
};

/** How many JSON paths of one file the summary names; `--json` has them all. */
const SHOWN_PATHS = 3;

/** The first few paths, then how many more: a lock file can have hundreds, and the summary stays a summary. */
function fewPaths(paths: readonly string[]): string {
  return `${firstOf(paths, SHOWN_PATHS)}${paths.length > SHOWN_PATHS ? ' (update --json lists them)' : ''}`;
}

/** What is left to do about an update's conflicts, once `git rerere` resolved those it had resolutions for. */
function conflictsLeft(result: UpdateResult): string {
  const conflicts = result.files.filter(file => file.outcome === 'conflict');
  const byRerere = conflicts.filter(file => file.rerere);
  if (byRerere.length === 0) return "resolve them, then 'git add' and 'git commit'";
  if (byRerere.length < conflicts.length) {
    return `git rerere resolved ${byRerere.length} of them with previous resolutions; check those, resolve the rest, then 'git add' and 'git commit'`;
  }
  if (byRerere.every(file => file.rerere === 'staged')) return "git rerere resolved them all with previous resolutions and staged them: check them ('git diff --cached'), then 'git commit'";
  return "git rerere resolved them all with previous resolutions: check them, then 'git add' and 'git commit'";
}

function printUpdate(result: UpdateResult, adopted: boolean): void {
  const { previous, instantiation: next } = result;
  const to = `${next.packageName}@${next.versionId}`;
  const change = updateChange(previous, next);
  // A blueprint added (--add) comes from nothing: "updated nothing -> X" read as if nothing had been updated.
  const done = previous ? `updated ${change}` : `added ${to}`;
  const headline = {
    'committed': `${adopted ? `adopted as made by ${to}, no file changed` : done}: merge commit ${result.commit?.slice(0, 12)}${result.branch ? ` on ${result.branch}` : ''}`,
    'conflicts': `${done} with conflicts${result.branch ? ` on ${result.branch}` : ''}: ${conflictsLeft(result)} (or 'git merge --abort')`,
    'up-to-date': `already up to date with ${to}`,
    'dry-run': `dry run: ${previous ? change : `add ${to}`}; nothing written`,
  }[result.state];
  console.log(headline);
  if (result.recordedAsMerged) console.log(`  the generated commit ${result.recordedAsMerged.slice(0, 12)}, still in this repository outside the history, is recorded as merged; nothing generated again`);
  // (Nothing was merged then: no file to count.)
  if (result.recordedAsMerged && result.files.length === 0) return;
  const t = result.totals;
  console.log(`  ${t.updated} updated, ${t.added} added, ${t.deleted} deleted, ${t.overridden} overridden, ${t.kept} kept as the project has them, ${t.conflict} conflicted, ${t.unchanged} unchanged`);
  for (const file of result.files) {
    if (file.outcome === 'unchanged') continue;
    const detail = [file.strategy];
    const types = distinctTypes(file);
    const deletion = modifyDelete(file);
    if (types) detail.push(types);
    // A modify/delete conflict has no markers to count: its words say what is in the work tree.
    else if (file.conflicts && !(deletion && file.outcome === 'conflict')) detail.push(plural(file.conflicts, 'conflict hunk'));
    if (deletion) detail.push(deletion);
    const dropped = droppedHunks(file);
    if (dropped) detail.push(dropped);
    if (file.rerere) detail.push(`resolved by git rerere using a previous resolution${file.rerere === 'staged' ? ', and staged' : ''}`);
    if (file.bothKept) detail.push(`${plural(file.bothKept, 'conflicting hunk')} with both sides' lines kept`);
    if (file.renamedFrom) detail.push(`moved from ${printablePath(file.renamedFrom)}`);
    // (A file moved with a folder: its note says how.)
    if (file.movedByProjectFrom && !file.movedWithFolder) detail.push(`the project moved it from ${printablePath(file.movedByProjectFrom)}${file.deletedBy === 'blueprint' ? '' : "; the blueprint's changes followed"}`);
    if (file.policyDecisions) detail.push(plural(file.policyDecisions.length, 'policy decision'));
    if (file.note) detail.push(file.note);
    console.log(`  ${file.outcome.padEnd(10)} ${printablePath(file.path)} (${detail.join('; ')})`);
    // Where in the file to look, and which of the project's values the blueprint's replaced (as the merge report says).
    if (file.conflictPaths) console.log(`    conflicts  ${fewPaths(file.conflictPaths)}`);
    if (file.overriddenPaths) console.log(`    overridden ${fewPaths(file.overriddenPaths)}`);
    // Each one dropped a value of one side: shown, as 'blueprint merge --explain' shows them.
    for (const decision of file.policyDecisions ?? []) console.log(`    policy   ${decision}`);
  }
  const dropped = droppedLinesNote(result);
  if (dropped) console.log(`  note: ${dropped}`);
  // A warning may be the blueprint's own `warning:` line, which it chose, escape sequences included.
  for (const warning of result.warnings) console.log(`  warning: ${printableText(warning)}`);
}

/**
 * Where a strategy took the blueprint's lines over the project's changes to the same lines, no conflict shows it:
 * said once, with the command that shows what changed and, where the fallback (the SDK's `preferProposed`) did
 * it, how to have such lines left as conflicts.
 */
function droppedLinesNote(result: UpdateResult): string | undefined {
  const files = result.files.filter(file => file.overridden > 0);
  if (files.length === 0) return undefined;
  const first = commandPath(files[0].path);
  const shown = { 'committed': `'git diff HEAD^1 HEAD -- ${first}' shows what changed`, 'conflicts': `'git diff HEAD -- ${first}' shows what changed`, 'dry-run': '', 'up-to-date': '' }[result.state];
  const fallback = files.some(file => file.strategy === 'preferProposed') ? "; --fallback structuredMerge leaves such lines as git conflicts in the files no strategy names" : '';
  return `in ${plural(files.length, 'file')} the blueprint's lines replaced lines the project had changed, with no conflict${shown ? ` (${shown})` : ''}${fallback}`;
}
