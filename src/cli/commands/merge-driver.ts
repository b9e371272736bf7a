import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../../cache/atomic-write';
import { InputError } from '../../errors';
import { Git, givenRepositoryEnvironment } from '../../project/git';
import { mergeAttributesOf } from '../../project/merge-attributes';
import { conflictMarkerSize, driverMarkerLabels, gitMergeSettings, innerMergeDepth } from '../../project/merge-settings';
import type { ResynthOptions } from '../../blueprint/blueprint';
import { describeRecord } from '../../resynth/explain';
import type { BluesynthDriver } from '../../resynth/merge-attribute';
import { DRIVER_STRATEGY, mergeFileVersions } from '../../resynth/file-merge';
import type { DiffAlgorithm } from '../../resynth/merge';
import { isDiffAlgorithm } from '../../resynth/merge/types';
import type { StrategyDefinition } from '../../resynth/strategies/builtins';
import { MergeRecorder } from '../../resynth/strategies/recorder';
import { StrategyRegistry } from '../../resynth/strategies/registry';
import { plural } from '../../plural';
import { Command, parseCommandArgs, UsageError } from '../command';
import { conflictStyle } from '../resynth-options';
import { shellWord } from '../shell-word';

/** The driver's name in git's configuration (`merge.bluesynth.driver`) and in `.gitattributes` (`merge=bluesynth`). */
const DRIVER_NAME = 'bluesynth';

/** The placeholders git replaces, in the order the driver takes them (`%S %X %Y`: git 2.44 and later). */
const PLACEHOLDERS = '%O %A %B %L %P %S %X %Y';

/** `blueprint merge-driver`: the structured merge of one file, as git runs a merge driver. */
export const command: Command = {
  name: 'merge-driver',
  summary: 'merge one file as a git merge driver (JSON/YAML by structure where git\'s lines conflict)',
  usage: `Usage: blueprint merge-driver ANCESTOR CURRENT OTHER [MARKER_SIZE [PATH [ANCESTOR_LABEL CURRENT_LABEL OTHER_LABEL]]]
                              [options]
       blueprint merge-driver --install [--global] [--strategy ID] [--style STYLE] [--diff-algorithm ALG]
       blueprint merge-driver --explain PATH [options]

git runs it for the files .gitattributes gives merge=${DRIVER_NAME}, once git's config defines the driver
(blueprint merge-driver --install writes it; or by hand, in .git/config or ~/.gitconfig):

  [merge "${DRIVER_NAME}"]
          name = bluesynth structured merge of JSON and YAML
          driver = blueprint merge-driver ${PLACEHOLDERS}

and in .gitattributes:  package.json merge=${DRIVER_NAME}   *.json merge=${DRIVER_NAME}   *.yaml merge=${DRIVER_NAME}

It merges the three versions (%O the ancestor, %A the current branch's, %B the other's) line by line,
byte for byte as git merge does; where the lines conflict in a JSON or YAML file (by PATH's name), it
merges the values key by key and element by element, and marks what still conflicts around that member's
lines. The result replaces %A (atomically). A result with conflicts is used only where it has no more
conflict hunks than git's own merge; else git's result is written. A binary side keeps %A, as git does.
%S %X %Y are the labels git writes after the markers (git 2.44 and later pass them; older git passes
them unreplaced, and the markers then read HEAD and, in git merge, the merged branch's name; in a
rebase or cherry-pick, theirs).

  --strategy ID          the strategy that merges the file: structuredMerge, or packageJsonMerge for
                         the package.json policies (newerRange, removalWins, newerVersion), or any id
                         \`blueprint strategies\` lists [default: ${DRIVER_STRATEGY}]
  --style STYLE          conflict markers: merge, diff3 or zdiff3
                         [default: git's merge.conflictStyle of the repository it runs in, else merge]
  --diff-algorithm ALG   histogram (git merge's) or myers (git merge-file's) [default: histogram]
  --explain PATH         print what the driver decides for PATH in the merge under way (git's three stages of
                         an unmerged PATH; during git merge, the merge base, HEAD and MERGE_HEAD; after it, the
                         merge commit HEAD's), and why, with the options of the driver line PATH's merge attribute
                         names; writes nothing
  --verbose              also say on stderr how the file was merged (merged cleanly, or its conflict hunks,
                         and by what), which git shows as the merge runs; a failure's full stack
  --install              write the [merge "${DRIVER_NAME}"] section into this repository's git config
                         (with --global: ~/.gitconfig), its driver line carrying the --strategy, --style and
                         --diff-algorithm given, and print the .gitattributes lines to add

Exit codes: 0 merged cleanly, 1 conflicts left in CURRENT (git marks the path unmerged), 2 bad input;
on any failure CURRENT is left as it was and the message names PATH.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: {
        'strategy': { type: 'string' },
        'style': { type: 'string' },
        'diff-algorithm': { type: 'string' },
        'install': { type: 'boolean' },
        'explain': { type: 'string' },
        'global': { type: 'boolean' },
        'verbose': { type: 'boolean' },
      },
    });
    // git starts the driver once per file, and it asks git one or two questions: the helper shell that serves a
    // command's many git calls would cost more to start (about 0.25 s here) than it saves.
    process.env.BLUESYNTH_GIT_HELPER ??= '0';
    const registry = StrategyRegistry.create();
    const git = new Git(process.cwd(), givenRepositoryEnvironment());
    if (values.install) {
      if (positionals.length) throw new UsageError(`--install takes no files (given: ${positionals.join(' ')})`);
      // Each is a command of its own: an --explain given beside --install was dropped, and the config written.
      if (values.explain !== undefined) throw new UsageError('--install and --explain are two uses of merge-driver: give one (nothing written)');
      if (values.strategy !== undefined) registry.require(values.strategy, '--strategy');
      // Validated here, as the driver would refuse them on every file git hands it: a driver line that fails
      // leaves each file unmerged with no word of why.
      if (values.style !== undefined) conflictStyle(values.style);
      if (values['diff-algorithm'] !== undefined) diffAlgorithmOf(values['diff-algorithm']);
      return install(git, !!values.global, { strategy: values.strategy, style: values.style, diffAlgorithm: values['diff-algorithm'] });
    }
    if (values.global) throw new UsageError('--global goes with --install');
    if (values.explain !== undefined) {
      if (positionals.length) throw new UsageError(`--explain takes no other files (given: ${positionals.join(' ')})`);
      // The merge git ran: the options of the driver line the path's attribute names, where this command gave none.
      const driver = configuredDriver(git, values.explain);
      const strategy = registry.require(values.strategy ?? driver.asks?.strategy ?? DRIVER_STRATEGY, '--strategy');
      const merge = { style: conflictStyle(values.style ?? driver.asks?.style), diffAlgorithm: diffAlgorithmOf(values['diff-algorithm'] ?? driver.asks?.diffAlgorithm) };
      const lines = explain(git, values.explain, strategy, gitMergeSettings(git, merge).settings());
      lines.splice(1, 0, `  driver       ${driver.describe}`);
      console.log(lines.join('\n'));
      return 0;
    }
    if (positionals.length < 3 || positionals.length > 8) {
      throw new UsageError(`expected ANCESTOR CURRENT OTHER [MARKER_SIZE [PATH [labels]]] (git's ${PLACEHOLDERS}), got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
    }
    const [ancestorFile, currentFile, otherFile, size, given, ...labelArgs] = positionals;
    const filePath = given ?? currentFile;
    try {
      const strategy = registry.require(values.strategy ?? DRIVER_STRATEGY, '--strategy');
      const markerSize = markerSizeOf(size);
      const style = conflictStyle(values.style);
      const diffAlgorithm = diffAlgorithmOf(values['diff-algorithm']);
      const settings = gitMergeSettings(git, { style, diffAlgorithm }).settings();
      const versions = {
        ancestor: fs.readFileSync(ancestorFile),
        existing: fs.readFileSync(currentFile),
        proposed: fs.readFileSync(otherFile),
        path: filePath.split(path.sep).join('/'),
      };
      // Only git before 2.44, which leaves %S %X %Y unreplaced, needs telling an inner merge from the outer one.
      const labelsGiven = labelArgs.length === 3 && labelArgs.every(label => !/^%[SXY]$/.test(label));
      const depth = labelsGiven ? 0 : innerMergeDepth(git, versions.path, markerSize);
      const labels = driverMarkerLabels(git, labelArgs, settings.style ?? 'merge', depth);
      const merged = mergeFileVersions(versions, { strategy, style: settings.style, diffAlgorithm: settings.diffAlgorithm, labels, markerSize });
      // git reads CURRENT back whatever the exit code: written whole or not at all, so a failure leaves its version.
      if (!merged.buffer.equals(versions.existing)) writeFileAtomically(currentFile, merged.buffer);
      // git passes on what a driver prints: the one place a note about a clean merge can reach the person merging.
      for (const note of merged.notes) console.error(`warning: ${filePath}: ${note}`);
      if (values.verbose) console.error(`${filePath}: ${merged.conflicts ? `${merged.conflicts} conflict hunk(s)` : 'merged cleanly'} (${merged.madeBy === 'strategy' ? strategy.id : merged.madeBy})`);
      return merged.conflicts > 0 ? 1 : 0;
    } catch (error) {
      // git prints nothing of its own about a driver that failed (the bad option of a driver line fails every file
      // alike): the message must say which file.
      if (error instanceof Error) error.message = `${filePath}: ${error.message}`;
      throw error;
    }
  },
};

/** git's `%L`: a positive count; git itself gives 7 unless a `conflict-marker-size` attribute says otherwise. */
function markerSizeOf(value: string | undefined): number | undefined {
  if (value === undefined || value === '%L') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`MARKER_SIZE (git's %L) must be a positive number, not '${value}'`);
  return Number(value);
}

function diffAlgorithmOf(value: string | undefined): DiffAlgorithm {
  if (value === undefined) return 'histogram';
  if (!isDiffAlgorithm(value)) throw new UsageError(`--diff-algorithm must be 'histogram' or 'myers', not '${value}'`);
  return value;
}

/** The options `--install` writes into the driver line, for every merge git runs it in. */
interface InstalledOptions {
  readonly strategy?: string;
  readonly style?: string;
  readonly diffAlgorithm?: string;
}

/**
 * `--install`: the driver's section in git's config, pointing at this installation, and the attributes to add. The
 * options given with it go into the driver line, where git's merges (and `--explain`, and an update) read them:
 * an `--install --style diff3` that wrote a line without it would leave the user believing it was set.
 */
function install(git: Git, global: boolean, options: InstalledOptions): number {
  const cli = path.resolve(__dirname, '..', 'main.js');
  const flags = ([['strategy', options.strategy], ['style', options.style], ['diff-algorithm', options.diffAlgorithm]] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` --${name} ${shellWord(value!)}`)
    .join('');
  const driver = [process.execPath, cli].map(shellWord).join(' ') + ` merge-driver${flags} ${PLACEHOLDERS}`;
  const scope = global ? ['--global'] : [];
  for (const [key, value] of [['name', 'bluesynth structured merge of JSON and YAML'], ['driver', driver]]) {
    const result = git.tryRun(['config', ...scope, `merge.${DRIVER_NAME}.${key}`, value]);
    if (result.status !== 0) {
      const where = global ? '' : ` (run it in the repository, or give --global for ~/.gitconfig)`;
      throw new InputError(`${['git config', ...scope, `merge.${DRIVER_NAME}.${key}`].join(' ')} failed${where}: ${result.stderr.trim()}`);
    }
  }
  console.log(`wrote [merge "${DRIVER_NAME}"] to ${global ? 'the global git config' : 'this repository\'s git config'}:\n  driver = ${driver}\n` +
    `Add the files it should merge to .gitattributes (this command does not edit it), for example:\n` +
    `  package.json merge=${DRIVER_NAME}\n  *.json merge=${DRIVER_NAME}\n  *.yaml merge=${DRIVER_NAME}\n  *.yml merge=${DRIVER_NAME}`);
  return 0;
}

/**
 * The merge driver git runs for `given`, read as an update reads it (`mergeAttributesOf`: the attribute, `merge.default`,
 * the driver lines), said in one line, and what its command line asks where it runs this command.
 */
function configuredDriver(git: Git, given: string): { describe: string; asks?: BluesynthDriver } {
  const [attribute] = mergeAttributesOf(git, [given]).values();
  if (attribute?.kind !== 'driver') {
    const written = attribute?.kind === 'binary' ? attribute.written : attribute?.kind === 'union' ? 'merge=union' : 'the text merge';
    return { describe: `git's own merge (${written}): git does not run this driver for it; below is what it would do` };
  }
  if (attribute.command === undefined) return { describe: `merge=${attribute.name}, which git's configuration gives no driver line; below is what this driver would do` };
  if (!attribute.bluesynth) return { describe: `merge=${attribute.name} runs another driver (${attribute.command}); below is what this one would do` };
  return { describe: `merge=${attribute.name}: ${attribute.command}`, asks: attribute.bluesynth };
}

/**
 * `--explain PATH`: the driver's merge of PATH run again, on what git merged, and what each stage decided; nothing is
 * written. The three versions are the index's stages of an unmerged PATH (any operation that merges: merge, rebase,
 * cherry-pick, revert, stash), or, for a PATH merged cleanly during `git merge`, its versions at the merge base,
 * HEAD and MERGE_HEAD.
 */
function explain(git: Git, given: string, strategy: StrategyDefinition, settings: ResynthOptions): string[] {
  const top = git.tryRun(['rev-parse', '--show-toplevel']);
  if (top.status !== 0) throw new InputError(`--explain ${given}: not in a git repository (run it in the repository git is merging in)`);
  const stages = new Map<number, string>();
  let filePath: string | undefined;
  const unmerged = git.tryRun(['ls-files', '-u', '--full-name', '--', given]);
  // A path out of the repository: git's own words say so.
  if (unmerged.status !== 0) throw new InputError(`--explain ${given}: ${unmerged.stderr.trim().replace(/^fatal: /, '')}`);
  for (const line of unmerged.stdout.toString('utf8').split('\n').filter(Boolean)) {
    const [, blob, stage, name] = /^\d+ ([0-9a-f]+) (\d)\t(.*)$/.exec(line) ?? [];
    if (filePath !== undefined && name !== filePath) throw new UsageError(`--explain takes one file, and '${given}' names several unmerged paths`);
    filePath = name;
    stages.set(Number(stage), blob);
  }
  const blob = (object: string) => git.runBuffer(['cat-file', 'blob', object]);
  let versions: { ancestor: Buffer; existing: Buffer; proposed: Buffer };
  let source: string;
  if (filePath !== undefined) {
    const [ancestor, existing, proposed] = [1, 2, 3].map(stage => stages.get(stage));
    if (!existing || !proposed) {
      throw new InputError(`--explain ${given}: ${existing ? 'the other side' : 'the current branch'} deleted it, a conflict git decides without a merge driver (git status shows it; keep or remove the file by hand)`);
    }
    versions = { ancestor: ancestor ? blob(ancestor) : Buffer.alloc(0), existing: blob(existing), proposed: blob(proposed) };
    // Both branches added the file: git has no stage 1, and the driver got an empty ancestor.
    source = ancestor ? 'git\'s stages 1, 2 and 3 of the unmerged path' : 'git\'s stages 2 and 3 of the unmerged path; both branches added it, so the ancestor is empty';
  } else {
    const tracked = git.run(['ls-files', '--full-name', '--', given]).split('\n').filter(Boolean);
    if (tracked.length > 1) throw new UsageError(`--explain takes one file, and '${given}' names ${tracked.length}`);
    filePath = tracked[0];
    // A merge under way, else the merge commit HEAD (git commits a merge the driver left clean at once).
    const merging = git.resolveCommit('MERGE_HEAD');
    const parents = merging ? ['HEAD', merging] : git.tryRun(['rev-parse', '--verify', '-q', 'HEAD^2']).status === 0 ? ['HEAD^1', 'HEAD^2'] : undefined;
    if (!parents || filePath === undefined) {
      throw new InputError(`--explain ${given}: ${filePath === undefined ? 'git has no such file' : 'not unmerged, no git merge is under way, and HEAD is no merge commit'}: ` +
        'run it while git reports the conflict, or on the merge commit (in a rebase, cherry-pick or revert, only an unmerged path can be explained)');
    }
    const base = git.tryRun(['merge-base', ...parents]).stdout.toString('utf8').trim().split('\n')[0];
    const at = (commit: string) => {
      const shown = git.tryRun(['cat-file', 'blob', `${commit}:${filePath}`]);
      return shown.status === 0 ? shown.stdout : undefined;
    };
    const [ancestor, existing, proposed] = [base, ...parents].map(commit => (commit ? at(commit) : undefined));
    if (!existing || !proposed) throw new InputError(`--explain ${given}: ${existing ? parents[1] : parents[0]} has no such file: git merged it without a merge driver`);
    versions = { ancestor: ancestor ?? Buffer.alloc(0), existing, proposed };
    source = merging ? 'the merge base, HEAD and MERGE_HEAD' : 'the merge commit HEAD: its parents\' merge base, HEAD^1 and HEAD^2';
  }
  const recorder = new MergeRecorder();
  const markerSize = conflictMarkerSize(git, given) ?? 7;
  const merged = mergeFileVersions({ ...versions, path: filePath }, { strategy, style: settings.style, diffAlgorithm: settings.diffAlgorithm, markerSize, recorder });
  const record = recorder.recordFor(merged.madeBy === 'strategy' ? merged.buffer : undefined);
  const bytes = (buffer: Buffer) => `${buffer.length} bytes`;
  const lines = [
    `${filePath}: ancestor ${bytes(versions.ancestor)}, existing ${bytes(versions.existing)}, proposed ${bytes(versions.proposed)} (${source})`,
    `  strategy     ${strategy.id}`,
  ];
  if (merged.madeBy === 'binary') lines.push('  binary       a side is binary: the current branch\'s version kept, as a conflict, as git\'s binary merge');
  else if (record) lines.push(...describeRecord(record));
  if (merged.madeBy === 'line merge' && record?.structured?.stage !== 'line') {
    lines.push(`  line merge   git's result written: the strategy's left more conflict hunks than git's ${merged.conflicts}`);
  }
  lines.push(`  outcome      ${merged.conflicts ? `conflict: ${plural(merged.conflicts, 'conflict hunk')} marked` : 'merged cleanly'}` +
    `${merged.conflictLines.length ? ` (at line ${merged.conflictLines.join(', ')} of the driver's result)` : ''}`);
  for (const note of merged.notes) lines.push(`  note         ${note}`);
  return lines;
}
