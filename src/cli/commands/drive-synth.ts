import * as path from 'path';
import { synthesize } from '../../runner/synthesize';
import type { JobResult } from '../../runner/run-job';
import { Command, folderOption, parseCommandArgs } from '../command';
import { DRIVE_OPTIONS, DRIVE_USAGE, driveTargets, jobsOption, noteLeftoverJobFolders } from '../drive-targets';
import { printJob } from '../../runner/print-job';
import { printSummary } from '../print-jobs';
import { isolationFlags, ISOLATION_OPTION, ISOLATION_USAGE, runFlags, RUNNER_OPTIONS, runnerUsage, withoutSdkCleanUp } from '../runner-options';
import { stopOnSignals } from '../interrupt';

/** `blueprint drive-synth`: one job per wizard configuration, in parallel. */
export const command: Command = {
  name: 'drive-synth',
  summary: 'synthesize a blueprint with every wizard configuration (or its defaults)',
  usage: `Usage: blueprint drive-synth [--blueprint DIR] --outdir OUT [options]
       blueprint drive-synth --examples ROOT --outdir OUT [--blueprint NAME] [options]

Runs one job for each wizard configuration (each deep-merged over the defaults; arrays are
replaced), or one job for the defaults alone when there are none, into
OUT/synth.<config>/proposed-bundle/. Jobs run one after another in this process, or with
--isolation process in separate processes, up to --jobs at once.

${DRIVE_USAGE}
  --existing-bundle DIR   an existing project bundle the blueprints can read
${runnerUsage('each')}
${ISOLATION_USAGE}`,
  async run(args) {
    const { values } = parseCommandArgs({ args: withoutSdkCleanUp(args), options: { ...DRIVE_OPTIONS, 'existing-bundle': { type: 'string' }, ...RUNNER_OPTIONS, ...ISOLATION_OPTION } });
    const targets = driveTargets(values);
    const existingBundle = folderOption(values['existing-bundle'], '--existing-bundle');
    const started = Date.now();
    const results: JobResult[] = [];
    for (const target of targets) {
      if (targets.length > 1) console.log(`${path.basename(target.dir)}:`);
      results.push(
        ...(await synthesize({
          blueprintDir: target.dir,
          outdir: target.outdir,
          configurations: target.configurations,
          unreadable: target.unreadable,
          ...runFlags(values),
          ...isolationFlags(values),
          existingBundle,
          concurrency: jobsOption(values.jobs),
          onResult: result => printJob(result, !!values.verbose),
          signal: stopOnSignals(),
        })),
      );
      noteLeftoverJobFolders(target, 'synth');
    }
    return printSummary(results, started);
  },
};
