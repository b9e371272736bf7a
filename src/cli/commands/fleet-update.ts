import * as os from 'os';
import * as path from 'path';
import type { FleetJob, FleetOutcome, FleetUpdateSettings } from '../../fleet/fleet-job';
import { InputError } from '../../errors';
import { createForge, forgeProvider } from '../../fleet/forges';
import { FleetPool } from '../../fleet/pool';
import { readReposFile } from '../../fleet/repos-file';
import { firstOf } from '../../plural';
import { claimWorkDir } from '../../fleet/work-clone';
import { fleetReport, outcomeLine, progressLine, saveReport, summaryTable } from '../../fleet/report';
import { mixedSources } from '../../fleet/trusted-source';
import { runWaves } from '../../fleet/waves';
import { applyOverrides } from '../../project/options';
import { Command, parseCommandArgs, requireOption, UsageError } from '../command';
import { integerOption, keyValueOptions, shardOption, sourceOption, sourceRefNote } from '../fleet-args';
import { knownRunner, timeoutMs, validationMode } from '../runner-options';
import { stopOnSignals } from '../interrupt';

/** Where clones are kept between runs when `--work-dir` is not given. */
export const DEFAULT_FLEET_WORK_DIR = '.bluesynth-fleet';

/** `blueprint fleet update`: update every repository of a repositories file. */
export const command: Command = {
  name: 'fleet update',
  summary: 'update every repository of a repositories file, each on its own branch; push it and open pull requests',
  usage: `Usage: blueprint fleet update --repos FILE [--source SPEC] [--to VERSION] [--set KEY=VALUE ...] [--jobs N] [--push]
                             [--forge ALIAS [--forge-option K=V ...]] [--canary N] [--max-failures N]
                             [--queue redis://HOST:PORT/DB] [--shard I/N] [--json]

Clones (or fetches) each repository into the work folder, runs 'blueprint update' there on the branch the
blueprint names (its resynthPullRequest.originBranch), and with --push pushes that branch to the repository's
remote and asks the forge for a pull request. A repository already on the target version is reported
up-to-date; a branch the remote already has with the same update is not pushed again (skipped), so running
the same command again resumes an interrupted run.

  --repos FILE            one repository per line: a git URL or a path, optionally #branch; '#' comments
  --to VERSION            the blueprint version to update to, or a semver range ('^2': its newest version)
                          [default: each source's newest, within the range it follows]
  --blueprint NAME        the fleet's blueprint (package name): the instantiation to update where a
                          repository records several [default: each repository's only one]
  --source SPEC           the fleet's blueprint source (git URL or path with #REF, npm package, folder): a
                          repository whose record names another repository, package or folder (any version)
                          fails, its blueprint not run; its #REF picks no version, --to does
                          [default: each repository's recorded source]
  --set KEY=VALUE         set one option over the recorded ones (dotted key); repeatable
  --jobs N                repositories updated at once on this machine [default: the number of cores]
  --push                  push each update branch to its repository's remote
  --push-conflicts        also push branches whose update conflicts, with the markers committed
  --forge ALIAS           open a pull request per pushed branch (see 'blueprint fleet forges') [default: none];
                          kept in the work folder with its options (not its token) for 'fleet status'
  --forge-option K=V      an option of the forge; repeatable
  --canary N              update N repositories first; go on only if none of them failed
  --max-failures N        start no more repositories after N failures
  --queue URL             enqueue the repositories on Redis (redis://HOST:PORT/DB) for 'blueprint fleet worker'
                          processes on any machine, and follow them
  --shard I/N             update only every N-th repository, starting with the I-th (CI matrices)
  --runner ALIAS          run the blueprint with this runner (see 'blueprint update --help') [default: sandbox
                          for a package installed from a registry, else fast]
  --validation MODE       options the blueprint refuses: error (a repository whose recorded ones it refuses
                          fails; a --set it refuses stops the run), warn (say them among the repository's
                          warnings, and update it), off [default: error]
  --timeout SECONDS       fail a repository whose update takes longer (its process is killed) [default: none]
  --work-dir DIR          where clones are kept between runs [default: ${DEFAULT_FLEET_WORK_DIR}]
  --json                  print the report as JSON instead of the summary table

Ctrl-C (SIGINT or SIGTERM): start no more repositories (with --queue, the jobs no worker took yet are taken off
the queue), let those being updated finish (one waiting out a forge's rate limit gives up: the next run opens its
pull request), print and keep the report (the rest not-started) and exit 130; a second Ctrl-C stops at once,
printing no report (nor --json) and keeping for fleet status only the repositories already done.

Exit codes: 0 every repository updated, up to date, skipped or left with conflicts; 1 any failed;
2 bad input (a repositories file, option or forge that is wrong; a queue that cannot be reached; a --source
that cannot be resolved; a --to version or --set that the first repository updated shows to be wrong, or a
--source its worker does not allow, a token the forge refuses with 401: no further repository is started);
130 interrupted.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: {
        'repos': { type: 'string' }, 'to': { type: 'string' }, 'blueprint': { type: 'string' }, 'source': { type: 'string' }, 'set': { type: 'string', multiple: true },
        'jobs': { type: 'string' }, 'push': { type: 'boolean' }, 'push-conflicts': { type: 'boolean' },
        'forge': { type: 'string' }, 'forge-option': { type: 'string', multiple: true },
        'canary': { type: 'string' }, 'max-failures': { type: 'string' }, 'queue': { type: 'string' }, 'shard': { type: 'string' },
        'runner': { type: 'string' }, 'validation': { type: 'string' }, 'timeout': { type: 'string' }, 'work-dir': { type: 'string' }, 'json': { type: 'boolean' }, 'verbose': { type: 'boolean' },
      },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const concurrency = integerOption('jobs', values.jobs, 1) ?? os.availableParallelism();
    const canary = integerOption('canary', values.canary, 1);
    const maxFailures = integerOption('max-failures', values['max-failures'], 1);
    const shard = shardOption(values.shard);
    const timeout = timeoutMs(values.timeout);
    if (values['push-conflicts'] && !values.push) throw new UsageError('--push-conflicts needs --push');
    // The forge is looked up first: a name that is no forge is the mistake to name, not the missing --push.
    if (values.forge && forgeProvider(values.forge).opensPullRequests !== false && !values.push) {
      throw new UsageError(`--forge ${values.forge} opens pull requests for pushed branches: add --push`);
    }
    const settings: FleetUpdateSettings = {
      workDir: path.resolve(values['work-dir'] ?? DEFAULT_FLEET_WORK_DIR),
      blueprint: values.blueprint, to: values.to, set: values.set ?? [],
      // Left out unless given, as validation is below: a run without it keeps its queue job ids.
      ...(values.source !== undefined ? { source: sourceOption('source', values.source, { to: values.to }) } : {}),
      runner: values.runner && knownRunner(values.runner),
      // Left out unless given: the settings are the queue's job ids, which a run without the flag keeps.
      ...(values.validation !== undefined ? { validation: validationMode(values.validation) } : {}),
      push: !!values.push, pushConflicts: !!values['push-conflicts'],
      forge: values.forge ?? 'none', forgeOptions: keyValueOptions('forge-option', values['forge-option']),
    };
    const refNote = values.source === undefined ? undefined : sourceRefNote(values.source, values.to);
    if (refNote) console.error(refNote);
    // A wrong forge, option or token is bad input: found here, before any repository is touched.
    createForge(settings.forge!, settings.forgeOptions!, process.env);
    // Kept with the report, so that `fleet status` can ask it about the pull requests this run opens.
    const recordedForge = { alias: settings.forge!, options: settings.forgeOptions! };
    // So is a --set that is no key=value; whether it names an option, each repository's blueprint says.
    applyOverrides({}, { sets: settings.set });
    let repositories = readReposFile(requireOption(values, 'repos'));
    if (shard) repositories = repositories.filter((_, index) => index % shard.count === shard.index);
    const startedAt = new Date();
    const jobs: FleetJob[] = repositories.map(repository => ({ repository, settings, runStartedAt: startedAt.getTime() }));
    // This machine's pool works in the work folder's clones: one run at a time there, or each resets the other's
    // clones under it. On a queue the workers update, each in its own folder, and runs may share one (waves).
    const release = values.queue ? () => undefined : claimWorkDir(settings.workDir);
    try {
      const done: FleetOutcome[] = [];
      const onOutcome = (outcome: FleetOutcome) => {
        done.push(outcome);
        console.error(`[${done.length}/${jobs.length}] ${outcomeLine(outcome)}`);
        if (done.length % 10 === 0 || done.length === jobs.length) console.error(`  ${progressLine(done, jobs.length)}`);
      };
      // The first Ctrl-C (or SIGTERM) starts no more repositories and lets those running finish (on this machine's
      // pool, or on the queue's workers: the jobs still waiting are taken off the queue), so that the report of
      // what was done is printed and kept; the second kills the pool, whose processes leave SIGINT to this one, and
      // stops at once, keeping what was done by then (those cut off keep their last outcome in fleet status).
      let pool: FleetPool | undefined;
      const interrupted = stopOnSignals({
        onFirst: signal => {
          // Named: an operator deciding whether to press Ctrl-C again wants to know what it would cut off.
          const running = pool?.running() ?? [];
          const named = running.length ? `: ${firstOf(running, 5)}` : '';
          console.error(`${signal}: starting no more repositories, waiting for those being updated${named} (again to stop at once)`);
          pool?.stopWaiting();
        },
        onSecond: () => {
          pool?.kill();
          saveReport(settings.workDir, fleetReport(done, startedAt), recordedForge);
          release();
          process.exit(130);
        },
      });
      const options = { concurrency, canary, maxFailures, onOutcome, signal: interrupted };
      let outcomes: FleetOutcome[];
      try {
        if (values.queue) {
          const { runFleetOnQueue } = require('../../fleet/queue') as typeof import('../../fleet/queue');
          outcomes = await runFleetOnQueue(values.queue, jobs, { ...options, onNotice: message => console.error(message) });
        } else {
          pool = new FleetPool(Math.min(concurrency, Math.max(jobs.length, 1)), timeout);
          outcomes = await runWaves(jobs, job => pool!.run(job), options);
        }
      } finally {
        pool?.close();
      }
      // A record pointed elsewhere ran what it names: visible at least, where no --source refused it.
      const mixed = settings.source === undefined ? mixedSources(outcomes) : undefined;
      if (mixed) console.error(`warning: ${mixed}`);
      const report = fleetReport(outcomes, startedAt);
      saveReport(settings.workDir, report, recordedForge);
      console.log(values.json ? JSON.stringify(report, null, 2) : summaryTable(report));
      const badSettings = outcomes.find(outcome => outcome.badSettings);
      if (badSettings) throw new InputError(`${badSettings.reason} (found updating ${badSettings.name}; the run stopped there: ${report.totals['not-started']} not started)`);
      // 130 for SIGTERM too: the run ended of its own accord, with its report, not by the signal.
      if (interrupted.aborted) return 130;
      return report.totals.failed > 0 ? 1 : 0;
    } finally {
      release();
    }
  },
};
