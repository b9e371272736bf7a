import { defaultsFileOf, singleConfiguration } from '../../blueprint/options-files';
import { synthesize } from '../../runner/synthesize';
import { blueprintFolderOption, Command, folderOption, outputFolder, parseCommandArgs, requireOption } from '../command';
import { printJob } from '../../runner/print-job';
import { printSummary } from '../print-jobs';
import { isolationFlags, ISOLATION_OPTION, ISOLATION_USAGE, runFlags, RUNNER_OPTIONS, runnerUsage, withoutSdkCleanUp } from '../runner-options';
import { stopOnSignals } from '../interrupt';

/** `blueprint synth`: one job, one options file. */
export const command: Command = {
  name: 'synth',
  summary: 'synthesize a blueprint with one options file into OUT/synth.<config>/proposed-bundle',
  usage: `Usage: blueprint synth [--blueprint DIR] --options FILE --outdir OUT [options]

Runs the blueprint with FILE deep-merged over the blueprint's src/defaults.json (a published package's
lib/defaults.json), into OUT/synth.<config>/proposed-bundle/, where <config> is FILE's name without .json.

  --blueprint DIR         the blueprint folder [default: .]
  --options FILE          the options file (required)
  --outdir OUT            the output folder (required)
  --existing-bundle DIR   an existing project bundle the blueprint can read
${runnerUsage('one')}
${ISOLATION_USAGE}`,
  async run(args) {
    const { values } = parseCommandArgs({
      args: withoutSdkCleanUp(args),
      options: { 'blueprint': { type: 'string' }, 'options': { type: 'string' }, 'outdir': { type: 'string' }, 'existing-bundle': { type: 'string' }, ...RUNNER_OPTIONS, ...ISOLATION_OPTION },
    });
    const blueprintDir = blueprintFolderOption(values.blueprint);
    const outdir = outputFolder(requireOption(values, 'outdir'), '--outdir');
    const existingBundle = folderOption(values['existing-bundle'], '--existing-bundle');
    const configuration = singleConfiguration(requireOption(values, 'options'), defaultsFileOf(blueprintDir));
    const started = Date.now();
    const results = await synthesize({
      blueprintDir,
      outdir,
      configurations: [configuration],
      ...runFlags(values),
      ...isolationFlags(values),
      existingBundle,
      onResult: result => printJob(result, !!values.verbose),
      signal: stopOnSignals(),
    });
    return printSummary(results, started);
  },
};
