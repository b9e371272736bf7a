import * as path from 'path';
import { blueprintFolderOption, Command, parseCommandArgs, UsageError } from '../command';
import { driveResynthFlags, RESYNTH_OPTIONS } from '../resynth-options';
import { RUNNER_OPTIONS, runnerUsage, runnerAlias, tellSandboxedByDefault, timeoutMs, validationMode, withoutSdkCleanUp } from '../runner-options';
import { defaultRunnerAlias } from '../../runner/sandbox';
import { DEFAULT_FLEET_WORK_DIR } from './fleet-update';
import { shellWord } from '../shell-word';

/** The options that run a blueprint's jobs: meaningless on the fleet page. */
const BLUEPRINT_ONLY = ['blueprint', 'outdir', 'resynth', ...Object.keys(RESYNTH_OPTIONS), ...Object.keys(RUNNER_OPTIONS).filter(o => o !== 'verbose')];

/** `blueprint preview`: a live local page over a blueprint's synthesis and resynthesis results. */
export const command: Command = {
  name: 'preview',
  summary: 'serve a live local page of what a blueprint generates (and what a resynthesis would change)',
  usage: `Usage: blueprint preview [--blueprint DIR] [--outdir OUT] [--port N] [--host H] [--open] [--resynth] [options]
       blueprint preview --export SITE [--blueprint DIR] [--outdir OUT] [--resynth] [options]
       blueprint preview --repos FILE [--work-dir DIR] [--port N] [--host H] [--open] [--export SITE]

Synthesizes every configuration (as drive-synth does; with --resynth also resynthesizes them, as
drive-resynth does) into OUT, serves a page over the results on http://127.0.0.1:PORT/, and re-runs
the jobs a change affects while it watches the blueprint's sources, defaults.json, wizard
configurations and static assets. Runs until interrupted (Ctrl-C).

With --repos, serves the fleet page instead, and only it (no blueprint is run, so --blueprint, --outdir,
--resynth and the runner options are refused): the status of each repository of the repositories file,
read once at the start as 'blueprint fleet status' reads it (fetching each work clone), in a table with
its blueprint, version, options digest, whether it is behind, and its last 'fleet update' outcome, and
links to that update's report and to its diff (the update branch against its base branch). With
--export, the page is written as a static site instead of served.

  --blueprint DIR         the blueprint folder [default: .]
  --outdir OUT            the output folder [default: synth]
  --port N                the port to listen on; 0 picks a free one [default: 4700]
  --host H                the address to listen on [default: 127.0.0.1]
  --open                  open the page in the default browser
  --resynth               also resynthesize every configuration
  --export SITE           run the jobs once and write the page as a static site into SITE (a new or empty
                          folder, or an earlier export, which it replaces whole), then exit; serve SITE
                          over HTTP (python3 -m http.server -d SITE): opened as a file, the browser
                          refuses the page's requests for the files
  --repos FILE            show the fleet page of this repositories file (see 'blueprint fleet update --help')
  --work-dir DIR          the fleet's work folder, with --repos [default: ${DEFAULT_FLEET_WORK_DIR}]
  --existing-bundle DIR, --prior-options FILE, --prior-blueprint DIR, --fallback ID, --style merge|diff3|zdiff3
                          as for drive-resynth
${runnerUsage('each')}`,
  async run(args) {
    const { values } = parseCommandArgs({
      args: withoutSdkCleanUp(args),
      options: {
        'blueprint': { type: 'string' },
        'outdir': { type: 'string' },
        'port': { type: 'string' },
        'host': { type: 'string' },
        'open': { type: 'boolean' },
        'resynth': { type: 'boolean' },
        'export': { type: 'string' },
        'repos': { type: 'string' },
        'work-dir': { type: 'string' },
        ...RESYNTH_OPTIONS,
        ...RUNNER_OPTIONS,
      },
    });
    const port = values.port === undefined ? 4700 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got '${values.port}'`);
    const serving = { exportTo: values.export, port, host: values.host ?? '127.0.0.1', open: !!values.open };
    if (values.repos !== undefined) {
      const given = BLUEPRINT_ONLY.find(option => values[option as keyof typeof values] !== undefined);
      if (given) throw new UsageError(`--${given} does not go with --repos: the fleet page runs no blueprint (start a second preview for that)`);
      const { startFleetPreview } = require('../../preview/fleet') as typeof import('../../preview/fleet');
      const fleet = await startFleetPreview({
        reposFile: values.repos,
        workDir: path.resolve(values['work-dir'] ?? DEFAULT_FLEET_WORK_DIR),
        ...serving,
      });
      if (values.export) {
        printWrote(values.export, fleet.exported);
        return 0;
      }
      await fleet.closed;
      return 0;
    }
    if (values['work-dir'] !== undefined) throw new UsageError('--work-dir goes with --repos');
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
      // Without --resynth nothing merges: the existing bundle is only read by the blueprint.
      ...driveResynthFlags(values, { merges: !!values.resynth }),
      verbose: !!values.verbose,
      ...serving,
    });
    if (values.export) {
      printWrote(values.export, preview.exported);
      return preview.failed ? 1 : 0;
    }
    await preview.closed;
    return 0;
  },
};

/**
 * Where an export went, under the folder as the user gave it (relative to where the command runs, climbing out of
 * it, an absolute path read badly), and how to open it: browsers refuse a page opened as a file its requests.
 */
function printWrote(site: string, files: number | undefined): void {
  console.log(`wrote ${path.join(site, 'index.html')} (${files} files); serve it over HTTP, for example: python3 -m http.server -d ${shellWord(site)}`);
}
