import * as path from 'path';
import { blueprintFolderOption, Command, parseCommandArgs, UsageError } from '../command';
import { RESYNTH_OPTIONS, resynthFlags } from '../resynth-options';
import { RUNNER_OPTIONS, RUNNER_USAGE, runnerAlias, tellSandboxedByDefault, timeoutMs, validationMode } from '../runner-options';
import { defaultRunnerAlias } from '../../runner/sandbox';

/** `blueprint preview`: a live local page over a blueprint's synthesis and resynthesis results. */
export const command: Command = {
  name: 'preview',
  summary: 'serve a live local page of what a blueprint generates (and what a resynthesis would change)',
  usage: `Usage: blueprint preview [--blueprint DIR] [--outdir OUT] [--port N] [--host H] [--open] [--resynth] [options]
       blueprint preview --export SITE [--blueprint DIR] [--outdir OUT] [--resynth] [options]

Synthesizes every configuration (as drive-synth does; with --resynth also resynthesizes them, as
drive-resynth does) into OUT, serves a page over the results on http://127.0.0.1:PORT/, and re-runs
the jobs a change affects while it watches the blueprint's sources, defaults.json, wizard
configurations and static assets. Runs until interrupted (Ctrl-C).

  --blueprint DIR           the blueprint folder [default: .]
  --outdir OUT              the output folder [default: synth]
  --port N                  the port to listen on; 0 picks a free one [default: 4700]
  --host H                  the address to listen on [default: 127.0.0.1]
  --open                    open the page in the default browser
  --resynth                 also resynthesize every configuration
  --export SITE             run the jobs once and write the page as a static site into SITE, then exit
  --existing-bundle DIR, --prior-options FILE, --prior-blueprint DIR, --fallback ID, --style merge|diff3
                            as for drive-resynth
${RUNNER_USAGE}`,
  async run(args) {
    const { values } = parseCommandArgs({
      args,
      options: {
        'blueprint': { type: 'string' },
        'outdir': { type: 'string' },
        'port': { type: 'string' },
        'host': { type: 'string' },
        'open': { type: 'boolean' },
        'resynth': { type: 'boolean' },
        'export': { type: 'string' },
        ...RESYNTH_OPTIONS,
        ...RUNNER_OPTIONS,
      },
    });
    const port = values.port === undefined ? 4700 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got '${values.port}'`);
    const { startPreview } = require('../../preview') as typeof import('../../preview');
    const blueprintDir = blueprintFolderOption(values.blueprint);
    const runner = runnerAlias(values);
    if (runner === undefined && defaultRunnerAlias(blueprintDir) === 'sandbox') tellSandboxedByDefault(path.resolve(blueprintDir));
    const preview = await startPreview({
      blueprintDir,
      outdir: values.outdir ?? 'synth',
      resynth: !!values.resynth,
      runner,
      timeoutMs: timeoutMs(values.timeout),
      validation: validationMode(values.validation),
      ...resynthFlags(values),
      verbose: !!values.verbose,
      exportTo: values.export,
      port,
      host: values.host ?? '127.0.0.1',
      open: !!values.open,
    });
    if (values.export) {
      console.log(`wrote ${path.relative(process.cwd(), path.resolve(values.export)) || '.'}/index.html (${preview.exported} files)`);
      return preview.failed ? 1 : 0;
    }
    await preview.closed;
    return 0;
  },
};
