import * as path from 'path';
import { createProject } from '../../project/create';
import { InterruptedError } from '../../errors';
import { Command, outputFolder, parseCommandArgs, requireOption, UsageError } from '../command';
import { displayPath } from '../../bundle/paths';
import { optionOverrides, PROJECT_OPTION_FLAGS, PROJECT_OPTION_USAGE } from '../project-options';
import { isolationFlags, ISOLATION_OPTION, ISOLATION_USAGE, RUNNER_OPTIONS, runnerUsage, runFlags } from '../runner-options';
import { queuedSignalsDelivered, stopOnSignals } from '../interrupt';
import { plural } from '../../plural';
import { printableText } from '../../printable';

/** `blueprint create`: a new project, one git repository per source repository of the bundle. */
export const command: Command = {
  name: 'create',
  summary: 'create a project: one git repository per source repository of the blueprint\'s bundle',
  usage: `Usage: blueprint create --blueprint SOURCE [--options FILE] [--set KEY=VALUE ...] PROJECT_DIR
       blueprint create --like REPOSITORY_DIR [--to VERSION] [--instantiation ID] [--repository NAME ...]
                        [--options FILE] [--set KEY=VALUE ...] PROJECT_DIR

Synthesizes the blueprint and makes each source repository of its bundle a git repository in
PROJECT_DIR/<repository>/, whose first commit is the generated content and the instantiation record
(.bluesynth/instantiations.json). The rest of the bundle goes to PROJECT_DIR/project-bundle/, pull
requests the blueprint proposes and their differences included: they are not applied (no branch is made).

  --blueprint SOURCE      a blueprint folder, a git repository with a ref (PATH_OR_URL#v1.2.0; a semver range,
                          followed: PATH_OR_URL#^1; a monorepo's subfolder: PATH_OR_URL#v1.2.0:blueprints/service),
                          or an npm package (npm:@scope/name@^1.2, @scope/name@1.2.3, a .tgz) (required, unless --like)
  --like REPOSITORY_DIR   instead of --blueprint: a repository of a project made by create; take its
                          recorded source at its recorded version, its recorded options (under
                          --options and --set) and its instantiation id, so that what is made joins
                          that project's instantiation (a repository a new version generates: from
                          inside the updated repository, blueprint create --like . --repository NAME ..)
  --instantiation ID      with --like: which instantiation, when its record holds several (id or package name)
  --to VERSION            with --like: another version of the recorded source [default: the recorded one]
  --repository NAME       make only this repository of the bundle (repeatable; each one the blueprint
                          generates); project-bundle/ is then not written: the project has it
${PROJECT_OPTION_USAGE}
${runnerUsage('project')}
${ISOLATION_USAGE}

Exit codes: 0 created, 1 the blueprint failed, 2 bad input (a repository folder that is not empty, a source
that cannot be resolved, bad options, a --like folder with no record or with an update not committed, a
--repository the blueprint does not generate); nothing is created unless every repository is. Ctrl-C or
SIGTERM while the blueprint runs in this process ends create at once (exit status 130, 143; the next create
removes its work folder), in a job process stops the job and says so; once the repositories are being made it
waits for them: they are made whole, printed, and create exits 130 or 143 saying so.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: {
        'blueprint': { type: 'string' }, 'like': { type: 'string' }, 'instantiation': { type: 'string' }, 'to': { type: 'string' }, 'repository': { type: 'string', multiple: true },
        ...PROJECT_OPTION_FLAGS, ...RUNNER_OPTIONS, ...ISOLATION_OPTION,
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one PROJECT_DIR');
    // Two blueprints to run: the one --like records, and the one named. (Another source for a recorded project is update's --blueprint.)
    if (values.like !== undefined && values.blueprint !== undefined) throw new UsageError('--like takes the blueprint its repository records: give --like or --blueprint, not both');
    for (const flag of ['to', 'instantiation'] as const) {
      if (values[flag] !== undefined && values.like === undefined) throw new UsageError(`--${flag} goes with --like REPOSITORY_DIR`);
    }
    if (values.like === undefined && values.blueprint === undefined) throw new UsageError('missing required option --blueprint SOURCE (or --like REPOSITORY_DIR, a repository of the project to add repositories to)');
    const signal = stopOnSignals();
    const result = await createProject({
      source: values.like === undefined ? requireOption(values, 'blueprint') : undefined,
      like: values.like,
      instantiationId: values.instantiation,
      to: values.to,
      repositories: values.repository,
      overrides: optionOverrides(values),
      projectDir: outputFolder(positionals[0], 'PROJECT_DIR'),
      ...runFlags(values),
      ...isolationFlags(values),
      signal,
    });
    const { instantiation } = result;
    console.log(`created from ${instantiation.packageName}@${instantiation.versionId} (${instantiation.source}), instantiation ${instantiation.id}`);
    for (const repository of result.repositories) {
      console.log(`  ${displayPath(repository.dir)}  baseline ${repository.baseline.slice(0, 12)}`);
    }
    if (result.projectBundle) console.log(`  ${displayPath(result.projectBundle)}${path.sep}  the rest of the bundle`);
    const pullRequests = result.pullRequests ?? [];
    if (pullRequests.length > 0 && result.projectBundle) {
      // A hosted service pushes each difference to its branch and opens the pull request; create only keeps them.
      console.log(
        `  ${displayPath(path.join(result.projectBundle, 'pull-request'))}${path.sep}  ${plural(pullRequests.length, 'pull request')} the blueprint proposes ` +
          `(${pullRequests.join(', ')}), with ${pullRequests.length === 1 ? 'its changes' : 'their changes'} in src-diffs/: not applied, and no branch made for ${pullRequests.length === 1 ? 'it' : 'them'}`,
      );
    }
    // A warning may be the blueprint's own `warning:` line, which it chose, escape sequences included.
    for (const warning of result.warnings) console.error(`warning: ${printableText(warning)}`);
    // A signal that came once the repositories were being made waited for them (the steps run to their end): said,
    // and exit 130/143 as for update, where create ended 0 as though nobody had pressed Ctrl-C.
    await queuedSignalsDelivered();
    if (signal.aborted) throw InterruptedError.of(signal, 'the create had begun making the repositories, so it made them whole before stopping');
    return 0;
  },
};
