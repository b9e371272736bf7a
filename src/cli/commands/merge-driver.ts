import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../../cache/atomic-write';
import { InputError } from '../../errors';
import { Git, givenRepositoryEnvironment } from '../../project/git';
import { driverMarkerLabels, gitMergeSettings, innerMergeDepth } from '../../project/merge-settings';
import { DRIVER_STRATEGY, mergeFileVersions } from '../../resynth/file-merge';
import type { DiffAlgorithm } from '../../resynth/merge';
import { isDiffAlgorithm } from '../../resynth/merge/types';
import { StrategyRegistry } from '../../resynth/strategies/registry';
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
       blueprint merge-driver --install [--global] [--strategy ID]

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
  --install              write the [merge "${DRIVER_NAME}"] section into this repository's git config
                         (with --global: ~/.gitconfig) and print the .gitattributes lines to add

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
      if (values.strategy !== undefined) registry.require(values.strategy, '--strategy');
      return install(git, !!values.global, values.strategy);
    }
    if (values.global) throw new UsageError('--global goes with --install');
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

/** `--install`: the driver's section in git's config, pointing at this installation, and the attributes to add. */
function install(git: Git, global: boolean, strategy: string | undefined): number {
  const cli = path.resolve(__dirname, '..', 'main.js');
  const driver = [process.execPath, cli].map(shellWord).join(' ') + ` merge-driver${strategy ? ` --strategy ${shellWord(strategy)}` : ''} ${PLACEHOLDERS}`;
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
