import * as path from 'path';
import { BlueprintFolder } from '../../blueprint/blueprint-folder';
import { wizardConfigurations } from '../../blueprint/options-files';
import { synthesize } from '../../runner/synthesize';
import type { JobResult } from '../../runner/run-job';
import { Command, parseCommandArgs, UsageError } from '../command';
import { findExampleBlueprints } from '../examples';
import { printJob, printSummary } from '../print-jobs';
import { RUNNER_OPTIONS, RUNNER_USAGE, runnerAlias, timeoutMs } from '../runner-options';

/** `blueprint drive-synth`: one job per wizard configuration, in parallel. */
export const command: Command = {
  name: 'drive-synth',
  summary: 'synthesize a blueprint with every wizard configuration (or its defaults), in parallel',
  usage: `Usage: blueprint drive-synth --blueprint DIR --outdir OUT [options]
       blueprint drive-synth --examples ROOT --outdir OUT [--blueprint NAME] [options]

Runs one job for each wizard configuration (each deep-merged over the defaults; arrays are
replaced), or one job for the defaults alone when there are none, into
OUT/synth.<config>/proposed-bundle/. Jobs run in separate processes, up to one per core.
With --examples, does this for every blueprint folder under ROOT, into OUT/<blueprint>/.

  --blueprint DIR           the blueprint folder (with --examples: the name of one) [default: .]
  --outdir OUT              the output folder (required)
  --default-options FILE    [default: DIR/src/defaults.json]
  --additional-options DIR  wizard configurations [default: DIR/src/wizard-configurations]
  --existing-bundle DIR     an existing project bundle the blueprints can read
  --examples ROOT           run every blueprint folder under ROOT
  --jobs N                  jobs at once [default: number of cores]
${RUNNER_USAGE}`,
  async run(args) {
    const { values } = parseCommandArgs({
      args,
      options: {
        'blueprint': { type: 'string' },
        'outdir': { type: 'string' },
        'default-options': { type: 'string' },
        'additional-options': { type: 'string' },
        'existing-bundle': { type: 'string' },
        'examples': { type: 'string' },
        'jobs': { type: 'string' },
        ...RUNNER_OPTIONS,
      },
    });
    if (!values.outdir) throw new UsageError('missing required option --outdir');
    const targets = values.examples
      ? findExampleBlueprints(values.examples, values.blueprint).map(e => ({ dir: e.dir, outdir: path.join(values.outdir!, e.name) }))
      : [{ dir: values.blueprint ?? '.', outdir: values.outdir }];
    if (values.examples && (values['default-options'] || values['additional-options'])) {
      throw new UsageError('--default-options and --additional-options apply to one blueprint, not to --examples');
    }
    const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new UsageError(`--jobs must be a positive whole number, got '${values.jobs}'`);

    const started = Date.now();
    const results: JobResult[] = [];
    for (const target of targets) {
      if (targets.length > 1) console.log(`${path.basename(target.dir)}:`);
      const configurations = wizardConfigurations(
        values['default-options'] ?? path.join(target.dir, BlueprintFolder.DEFAULTS),
        values['additional-options'] ?? path.join(target.dir, BlueprintFolder.WIZARD_CONFIGURATIONS),
      );
      results.push(
        ...(await synthesize({
          blueprintDir: target.dir,
          outdir: target.outdir,
          configurations,
          runner: runnerAlias(values),
          existingBundle: values['existing-bundle'],
          timeoutMs: timeoutMs(values.timeout),
          concurrency: jobs,
          onResult: result => printJob(result, !!values.verbose),
        })),
      );
    }
    return printSummary(results, started);
  },
};
