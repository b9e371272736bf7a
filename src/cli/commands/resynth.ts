import { defaultsFileOf, singleConfiguration } from '../../blueprint/options-files';
import { runResynthesis } from '../../runner/resynthesis';
import { blueprintFolderOption, Command, outputFolder, parseCommandArgs, requireOption } from '../command';
import { printResynth, printResynthSummary } from '../print-resynth';
import { RESYNTH_OPTIONS, RESYNTH_USAGE, resynthFlags } from '../resynth-options';
import { isolationFlags, ISOLATION_OPTION, ISOLATION_USAGE, runFlags, RUNNER_OPTIONS, runnerUsage, withoutSdkCleanUp } from '../runner-options';
import { stopOnSignals } from '../interrupt';

/** `blueprint resynth`: what updating an existing project with these options would do. */
export const command: Command = {
  name: 'resynth',
  summary: 'resynthesize with one options file: ancestor, existing, proposed and resolved bundles',
  usage: `Usage: blueprint resynth [--blueprint DIR] --options FILE --outdir OUT [options]

Writes OUT/resynth.<config>/ (<config>: FILE's name without .json):
  ancestor-bundle/   the prior blueprint with the prior options (RESYNTH_PHASE=ANCESTOR);
                     a hand-made mock already there is kept
  existing-bundle/   the project now: a copy of --existing-bundle (seeded from the ancestor
                     when empty); without it a hand-made mock already there is kept, else it
                     is seeded from the ancestor
  proposed-bundle/   the blueprint with FILE merged over its defaults (RESYNTH_PHASE=PROPOSED)
  resolved-bundle/   the three merged by the blueprint's own resynth() (RESYNTH_PHASE=RESYNTH)
  resynth-report.json, diffs/<repository>.diff (existing to resolved)

  --blueprint DIR         the blueprint folder [default: .]
  --options FILE          the options file (required)
  --outdir OUT            the output folder (required)
${RESYNTH_USAGE}
${runnerUsage('one')}
${ISOLATION_USAGE}`,
  async run(args) {
    const { values } = parseCommandArgs({
      args: withoutSdkCleanUp(args),
      options: { 'blueprint': { type: 'string' }, 'options': { type: 'string' }, 'outdir': { type: 'string' }, ...RESYNTH_OPTIONS, ...RUNNER_OPTIONS, ...ISOLATION_OPTION },
    });
    const blueprintDir = blueprintFolderOption(values.blueprint);
    const outdir = outputFolder(requireOption(values, 'outdir'), '--outdir');
    const configuration = singleConfiguration(requireOption(values, 'options'), defaultsFileOf(blueprintDir));
    const started = Date.now();
    const results = await runResynthesis({
      blueprintDir,
      outdir,
      configurations: [configuration],
      ...resynthFlags(values),
      ...runFlags(values),
      ...isolationFlags(values),
      onResult: result => printResynth(result, !!values.verbose),
      signal: stopOnSignals(),
    });
    return printResynthSummary(results, started, !!values['fail-on-conflict']);
  },
};
