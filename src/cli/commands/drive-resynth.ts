import * as path from 'path';
import { runResynthesis, ResynthesisResult } from '../../runner/resynthesis';
import { Command, parseCommandArgs } from '../command';
import { DRIVE_OPTIONS, DRIVE_USAGE, driveTargets, jobsOption, noteLeftoverJobFolders } from '../drive-targets';
import { printResynth, printResynthSummary } from '../print-resynth';
import { driveResynthFlags, PRIOR_DEFAULTS_USAGE, RESYNTH_OPTIONS, RESYNTH_USAGE } from '../resynth-options';
import { isolationFlags, ISOLATION_OPTION, ISOLATION_USAGE, runFlags, RUNNER_OPTIONS, runnerUsage, withoutSdkCleanUp } from '../runner-options';
import { stopOnSignals } from '../interrupt';

/** `blueprint drive-resynth`: a resynthesis per wizard configuration, in parallel. */
export const command: Command = {
  name: 'drive-resynth',
  summary: 'resynthesize a blueprint with every wizard configuration (or its defaults), in parallel',
  usage: `Usage: blueprint drive-resynth [--blueprint DIR] --outdir OUT [options]
       blueprint drive-resynth --examples ROOT --outdir OUT [--blueprint NAME] [options]

For each configuration (as drive-synth picks them), builds OUT/resynth.<config>/ with
ancestor-bundle, existing-bundle, proposed-bundle and resolved-bundle, resynth-report.json
and diffs/<repository>.diff (see 'blueprint resynth --help').

${PRIOR_DEFAULTS_USAGE}

${DRIVE_USAGE}
${RESYNTH_USAGE}
${runnerUsage('each')}
${ISOLATION_USAGE}`,
  async run(args) {
    const { values } = parseCommandArgs({ args: withoutSdkCleanUp(args), options: { ...DRIVE_OPTIONS, ...RESYNTH_OPTIONS, ...RUNNER_OPTIONS, ...ISOLATION_OPTION } });
    const targets = driveTargets(values);
    const started = Date.now();
    const results: ResynthesisResult[] = [];
    for (const target of targets) {
      if (targets.length > 1) console.log(`${path.basename(target.dir)}:`);
      results.push(
        ...(await runResynthesis({
          blueprintDir: target.dir,
          outdir: target.outdir,
          configurations: target.configurations,
          unreadable: target.unreadable,
          ...driveResynthFlags(values),
          ...runFlags(values),
          ...isolationFlags(values),
          concurrency: jobsOption(values.jobs),
          onResult: result => printResynth(result, !!values.verbose),
          signal: stopOnSignals(),
        })),
      );
      noteLeftoverJobFolders(target, 'resynth');
    }
    return printResynthSummary(results, started, !!values['fail-on-conflict']);
  },
};
