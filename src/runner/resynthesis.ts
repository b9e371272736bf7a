import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ResynthOptions } from '../blueprint/blueprint';
import { Configuration, mergeOptions, readOptionsFile, UnreadableConfiguration } from '../blueprint/options-files';
import { BundleLayout, BundleNames, jobFolderName } from '../bundle/layout';
import { readBundle, readRepositoryFiles } from '../bundle/read';
import { recordOutdir, recordOutdirOfCopy } from '../bundle/recorded-outdir';
import { writeBundle } from '../bundle/sink';
import { refuseFileInTheWay } from '../bundle/replaceable';
import { InPlaceBundle, recoverBundle } from '../bundle/staging';
import { copyBundle, StagedCopy } from '../bundle/copy';
import { ensureWritableFolder } from '../bundle/writable';
import { repositoryDiffs } from '../resynth/diffs';
import { otherOwnersWarnings } from '../resynth/ownership/unapplied';
import { ownershipFilesOf } from '../resynth/resolve';
import { FolderSource } from '../bundle/source';
import type { OptionsIssue } from '../schema/validate';
import { findingsForRun, RunFindings, warnedLines } from '../schema/validate-configurations';
import { FOLDERS_REPORT_WARNING, reportFromFolders, ResynthReport, totalsOf } from '../resynth/report';
import { PreparedBlueprint } from './runner';
import type { JobWarmUp } from './job';
import { JobProcess, JobProcessPool, JobRequest, JobResult, notStarted, runJob } from './run-job';
import { withWarnedBefore } from './print-job';
import { blueprintEnvironment, configurationsAtOnce, durableStorage, invalidOptionsResult, jobLimits, jobsInProcess, notRunResult, prepareBlueprint, runAll, runJobHere, RunOptions, throwIfInterrupted } from './synthesize';
import type { ContextVariables } from '../blueprint/job-environment';

/** A resynthesis of one blueprint with one or more configurations. */
export interface ResynthesisRequest extends RunOptions {
  /** The blueprint folder (the proposed version). */
  readonly blueprintDir: string;
  /** The output folder, as the user gave it; each configuration gets `<outdir>/resynth.<config>/`. */
  readonly outdir: string;
  /** The configurations, one resynthesis each. */
  readonly configurations: Configuration[];
  /** Configurations whose file cannot be read: each is a failed resynthesis, with the file's error, and the others run. @default none */
  readonly unreadable?: readonly UnreadableConfiguration[];
  /** The project as it is now; copied into each job folder, never changed (an empty one is seeded from the ancestor). @default seeded from the ancestor */
  readonly existingBundle?: string;
  /** The options the project was generated with. @default the existing bundle's options.json, else each configuration's */
  readonly priorOptions?: string;
  /**
   * The defaults the project was generated with, in place of {@link priorOptions}: each configuration's prior
   * options are this file with the configuration's own wizard options merged over it, as its current options are
   * the defaults with them (`drive-resynth --prior-options`). @default none
   */
  readonly priorDefaults?: string;
  /** The blueprint version the project was generated with. @default `blueprintDir` */
  readonly priorBlueprintDir?: string;
  /** The CLI's merge flags. @default none */
  readonly merge?: ResynthOptions;
  /** Called as each configuration ends. @default nothing */
  readonly onResult?: (result: ResynthesisResult) => void;
}

/** How the resynthesis of one configuration ended. */
export interface ResynthesisResult {
  /** `resynth.<config>`. */
  readonly name: string;
  /** The job folder. */
  readonly folder: string;
  /** True when the resolved bundle, the report and the diffs were written. */
  readonly ok: boolean;
  /**
   * The configuration's own wall time in milliseconds, from its start to its end: its jobs, the copies and the
   * report between them; never a wait for its turn.
   */
  readonly ms: number;
  /** Each blueprint job that ran (ancestor, proposed, resolve), in that order. */
  readonly jobs: JobResult[];
  /** What the merge did. */
  readonly report?: ResynthReport;
  /** Bundles that were kept as hand-made mocks. */
  readonly kept: string[];
  /**
   * True when the ancestor was made by the current blueprint: no `priorBlueprintDir` was given, and no hand-made
   * ancestor bundle was kept in its place.
   */
  readonly ancestorFromCurrentBlueprint: boolean;
  /** True when the `existingBundle` given was empty, and the existing bundle was seeded from the ancestor. */
  readonly seededEmptyExisting?: boolean;
  /** True when the run's interrupt (`RunOptions.signal`) stopped one of its jobs or kept it from starting. */
  readonly interrupted?: boolean;
}

/**
 * What the CLI remembers it wrote in a job folder, so that the next run regenerates its own bundles but
 * keeps a bundle someone put there by hand (a mock ancestor or existing project).
 */
interface GeneratedRecord {
  ancestor?: boolean;
  existing?: 'seeded' | 'copied';
  /**
   * Each generated bundle's files, sizes and times as this CLI left them: a bundle that differs was edited
   * by hand since (the obvious way to make a mock of it), and is then kept as a mock, not generated over.
   */
  fingerprints?: { ancestor?: string; existing?: string };
}
const RECORD_FILE = '.bluesynth-generated.json';

/**
 * Resynthesizes each configuration into `<outdir>/resynth.<config>/`:
 * - `existing-bundle/`: a copy of `existingBundle`, seeded from the ancestor when empty; without one, a
 *   hand-made mock already there is kept, else it is seeded from the ancestor, as the SDK does;
 * - `ancestor-bundle/`: the prior blueprint run with the prior options (`RESYNTH_PHASE=ANCESTOR`), unless
 *   a hand-made mock is there;
 * - `proposed-bundle/`: the blueprint run with the options (`RESYNTH_PHASE=PROPOSED`);
 * - `resolved-bundle/`: the three merged by the blueprint's own `resynth()`, in its own process
 *   (`RESYNTH_PHASE=RESYNTH`), with `resynth-report.json` and `diffs/<repository>.diff` beside it.
 * Ancestor and proposed jobs see the existing bundle as `EXISTING_BUNDLE_ABS`. A configuration's jobs run one
 * after another, in that order, as the SDK's CLI runs them; up to `concurrency` configurations run side by side,
 * in their order, unless they share one durable storage folder (see {@link configurationsAtOnce}). Resolves to
 * the unreadable configurations' failed resyntheses first, then the others' in configuration order.
 */
export async function runResynthesis(request: ResynthesisRequest): Promise<ResynthesisResult[]> {
  const blueprintDir = path.resolve(request.blueprintDir);
  const priorDir = path.resolve(request.priorBlueprintDir ?? request.blueprintDir);
  ensureWritableFolder(path.resolve(request.outdir), request.outdir);
  const unreadable = request.unreadable ?? [];
  // Every bundle's place, before the first job writes anything: a run refused for one changes nothing.
  for (const configuration of [...request.configurations, ...unreadable]) checkBundlePlaces(request, configuration);
  const notRun = unreadable.map(configuration => {
    const failed = notRunResynthesis(request, configuration, name => notRunResult(name, configuration.error));
    request.onResult?.(failed);
    return failed;
  });
  if (request.configurations.length === 0) return notRun;
  const concurrency = request.concurrency ?? os.availableParallelism();
  const pool = new JobProcessPool();
  const runs: ConfigurationRun[] = [];
  // Both blueprints' jobs run in this process, or none: the prior blueprint is an older copy of the same one.
  const inProcess = jobsInProcess(request, blueprintDir) && jobsInProcess(request, priorDir);
  try {
    // The first ancestor and proposed processes boot and load the framework while this process prepares.
    const ahead = inProcess ? 0 : 1;
    const prepared = await prepareBlueprint(request, blueprintDir, pool, ahead);
    const priorPrepared = priorDir === blueprintDir ? prepared : await prepareBlueprint(request, priorDir, pool, ahead);
    if (priorDir === blueprintDir) pool.prestart({ blueprintDir, transpile: prepared.transpile, sandbox: prepared.sandbox }, ahead);
    const findings = findingsForRun(blueprintDir, request.configurations, request.validation);
    runs.push(...request.configurations.map((configuration, index) => ({ configuration, errors: findings[index].refused, found: findings[index] })));
    const priorWarm: JobWarmUp = { blueprintDir: priorDir, transpile: priorPrepared.transpile, sandbox: priorPrepared.sandbox };
    let begun = 0;
    // The process of the first job (an ancestor's, most often) of the next configuration to begin, started when
    // a configuration's last job starts: its slot is then the next to be free.
    const startNextAhead = () => {
      const next = runs.slice(begun).find(run => run.errors.length === 0 && !run.firstProcess);
      if (next && !inProcess && !request.signal?.aborted) next.firstProcess = new JobProcess(priorWarm);
    };
    // A configuration runs its jobs one after another, `concurrency` configurations at a time, in their order:
    // with a small --jobs they finish one after another, so that an interrupted run keeps the finished ones, and
    // the job processes alive are those running and, beside each, the one booting for the job that follows it.
    // Jobs in this process take turns (see runInProcess): one configuration at a time.
    const results = await runAll(runs, inProcess ? 1 : configurationsAtOnce(concurrency), async run => {
      begun++;
      const { configuration, errors } = run;
      // Said once for the whole run (see throwIfInterrupted), not as one line per configuration that never started.
      if (request.signal?.aborted) return notStartedResynth(request, configuration);
      const result = errors.length
        ? notRunResynthesis(request, configuration, name => invalidOptionsResult(name, errors))
        : withWarnedJobs(request, await resynthConfiguration(request, configuration, { blueprintDir, priorDir, prepared, priorPrepared, pool: inProcess ? undefined : pool, firstProcess: run.firstProcess, startNextAhead }), run.found);
      request.onResult?.(result);
      return result;
    });
    throwIfInterrupted(request.signal, results.filter(result => result.interrupted).map(result => result.name), 'no bundle is left half-written');
    return [...notRun, ...results];
  } finally {
    // Those started ahead for a configuration that never began (the run was interrupted); the others have ended.
    runs.forEach(run => run.firstProcess?.dispose());
    pool.disposeAll();
  }
}

/** A configuration to resynthesize, its options' schema errors, and the process started ahead for its first job. */
interface ConfigurationRun {
  readonly configuration: Configuration;
  readonly errors: OptionsIssue[];
  /** What validation found in its options: what it warned of is said with a job of it that fails. */
  readonly found: RunFindings;
  firstProcess?: JobProcess;
}

/**
 * A resynthesis whose failed jobs say what validation warned of the configuration's options (see `withWarnedBefore`).
 * An ancestor made from other options (prior ones, or the existing bundle's) or by another blueprint version is not
 * theirs to explain.
 */
function withWarnedJobs(request: ResynthesisRequest, result: ResynthesisResult, found: RunFindings): ResynthesisResult {
  const warnings = warnedLines(found);
  if (warnings.length === 0 || result.ok) return result;
  const otherAncestor = [request.priorOptions, request.priorDefaults, request.priorBlueprintDir, request.existingBundle].some(given => given !== undefined);
  return { ...result, jobs: result.jobs.map(job => (otherAncestor && job.name.endsWith(' ancestor') ? job : withWarnedBefore(job, warnings))) };
}

/** A configuration its run's interrupt kept from starting: nothing of its folder was touched. */
function notStartedResynth(request: ResynthesisRequest, configuration: Configuration): ResynthesisResult {
  const name = jobFolderName('resynth', configuration.file);
  return { name, folder: path.resolve(request.outdir, name), ok: false, ms: 0, jobs: [notStarted(name)], kept: [], ancestorFromCurrentBlueprint: request.priorBlueprintDir === undefined, interrupted: true };
}

/**
 * The resynthesis of a configuration that cannot run (see `notRunResult`): its options break the schema, or its
 * file cannot be read. No blueprint runs, and the resolved bundle, report and diffs of an earlier run are removed,
 * as when a job fails (but never a folder given as the existing bundle); `fail` makes the failed job.
 */
function notRunResynthesis(request: ResynthesisRequest, configuration: { readonly file: string }, fail: (name: string) => JobResult): ResynthesisResult {
  const name = jobFolderName('resynth', configuration.file);
  const folder = path.resolve(request.outdir, name);
  removeResults(folder, request.existingBundle);
  const failed = fail(name);
  return { name, folder, ok: false, ms: 0, jobs: [failed], kept: [], ancestorFromCurrentBlueprint: request.priorBlueprintDir === undefined };
}

/**
 * Refuses the places of a configuration's bundles that hold the user's files (see `InPlaceBundle.check`):
 * those of the proposed and resolved bundles, which are always replaced, and of the existing bundle when
 * `--existing-bundle` replaces it. A hand-made ancestor or existing bundle is kept, not replaced: only a
 * file in its place is refused.
 */
function checkBundlePlaces(request: ResynthesisRequest, configuration: { readonly file: string }): void {
  const folder = path.resolve(request.outdir, jobFolderName('resynth', configuration.file));
  const replaced: string[] = [BundleNames.PROPOSED, BundleNames.RESOLVED, ...(request.existingBundle ? [BundleNames.EXISTING] : [])];
  for (const name of Object.values(BundleNames)) {
    const bundle = path.join(folder, name);
    if (replaced.includes(name)) InPlaceBundle.check(bundle);
    else refuseFileInTheWay(bundle, bundle);
    // A bundle a killed run was writing is put back before the record is read: a partial ancestor would
    // otherwise differ from its recorded fingerprint, and be kept as a hand-made one.
    recoverBundle(bundle);
  }
}

interface Prepared {
  blueprintDir: string;
  priorDir: string;
  prepared: PreparedBlueprint;
  priorPrepared: PreparedBlueprint;
  /** Where the jobs run; none: in this process (see `RunOptions.inProcess`). */
  pool: JobProcessPool | undefined;
  /** The process started ahead for this configuration's first job, if any. */
  firstProcess?: JobProcess;
  /** Starts the process of the next configuration's first job. */
  startNextAhead: () => void;
}

async function resynthConfiguration(request: ResynthesisRequest, configuration: Configuration, ctx: Prepared): Promise<ResynthesisResult> {
  const started = Date.now();
  const name = jobFolderName('resynth', configuration.file);
  const folderAsGiven = path.join(request.outdir, name);
  const folder = path.resolve(folderAsGiven);
  const bundle = (kind: string) => path.join(folder, kind);
  fs.mkdirSync(folder, { recursive: true });
  const record = readRecord(folder);
  forgetEditedBundles(folder, record);
  const kept: string[] = [];
  const jobs: JobResult[] = [];
  const ancestorMock = hasFiles(bundle(BundleNames.ANCESTOR)) && !record.ancestor;
  // A hand-made ancestor (the bundle an older version generated, put there as the README says) is not the
  // current blueprint's, whatever --prior-blueprint says: the note that it is would send the user to an option
  // that changes nothing for this run.
  const ancestorFromCurrentBlueprint = ctx.priorDir === ctx.blueprintDir && !ancestorMock;
  let seedExisting = false;
  let givenEmpty = false;
  const finish = (ok: boolean, report?: ResynthReport): ResynthesisResult => {
    const interrupted = jobs.some(job => job.interrupted);
    // The results of an earlier run would pass for those of this failed one; but a run the user stopped loses
    // nothing of theirs: its resolved bundle was put back by its job, and its report and diffs never touched.
    if (!ok && !interrupted) removeResults(folder, request.existingBundle);
    return { name, folder, ok, ms: Date.now() - started, jobs, report, kept, ancestorFromCurrentBlueprint, ...(ok && givenEmpty ? { seededEmptyExisting: true } : {}), interrupted };
  };

  // existing-bundle: the user's project is copied, never touched; a mock is kept; otherwise seeded later.
  if (request.existingBundle) {
    // Recorded before the bundle lands: a run killed in between must not take the copy for a mock.
    record.existing = 'copied';
    writeRecord(folder, record);
    copyBundle(request.existingBundle, bundle(BundleNames.EXISTING));
    // The copy is of the same project as every bundle of this resynthesis, and records the same outdir (below).
    recordOutdirOfCopy(bundle(BundleNames.EXISTING), path.join(folderAsGiven, BundleNames.RESOLVED));
    // An empty folder is no project yet, not one that deleted every file: the SDK's CLI seeds it from the
    // ancestor too ("Nothing found in ..., seeding it with ancestor files as a default").
    givenEmpty = seedExisting = !hasFiles(bundle(BundleNames.EXISTING));
  } else if (hasFiles(bundle(BundleNames.EXISTING)) && record.existing === undefined) {
    kept.push(BundleNames.EXISTING);
  } else {
    fs.rmSync(bundle(BundleNames.EXISTING), { recursive: true, force: true });
    seedExisting = true;
  }
  const existingOptions = path.join(bundle(BundleNames.EXISTING), BundleLayout.OPTIONS_FILE);
  const durable = durableStorage(request.outdir, configuration.name);
  const env = (blueprintDir: string, phase: string) => ({
    ...blueprintEnvironment(blueprintDir, bundle(BundleNames.EXISTING)),
    RESYNTH_PHASE: phase,
    DURABLE_STORAGE_ABS: durable,
  }) satisfies ContextVariables as Record<string, string>;
  const common = jobLimits(request);

  if (ancestorMock) kept.push(BundleNames.ANCESTOR);
  const priorOptions = request.priorDefaults
    ? withoutOutdir(mergeOptions(readOptionsFile(request.priorDefaults), configuration.overlay ?? {}))
    : request.priorOptions
    ? withoutOutdir(readOptionsFile(request.priorOptions))
    : !seedExisting && fs.existsSync(existingOptions)
      ? withoutOutdir(readOptionsFile(existingOptions))
      : configuration.options;
  // Every bundle of a resynthesis describes the same project, whose result is the resolved bundle: they
  // record that as their outdir, so that options.json changes only when the options do.
  const recordedOutdir = path.join(folderAsGiven, BundleNames.RESOLVED);
  const synthJob = (kind: string, dir: string, prepared: PreparedBlueprint, options: Record<string, unknown>, phase: string): JobRequest => ({
    ...common,
    ...prepared,
    kind: 'synth',
    name: `${name} ${kind.replace('-bundle', '')}`,
    blueprintDir: dir,
    options,
    target: bundle(kind),
    targetAsGiven: recordedOutdir,
    env: env(dir, phase),
  });
  if (!ancestorMock) {
    // Before the job's bundle lands, for the same reason as above; and without the fingerprint of the bundle it
    // replaces, which would not match the new one should this run be killed before it records the new one's.
    record.ancestor = true;
    delete record.fingerprints?.ancestor;
    writeRecord(folder, record);
  }

  // The ancestor runs to its end before the proposed starts, as in the SDK's CLI, and blueprints rely on
  // that: both see this configuration's durable storage (launch-blueprint clones into it, then reuses the
  // clone), and the SDK's sam-serverless-app stages its sources in a fixed folder, /tmp/sam-lambdas/<runtime>,
  // that every run fills and trims. Run side by side, they crashed or dropped each other's files.
  // What still overlaps is the boot: the next job's process starts when the job before it starts, and loads
  // only the framework until its job is sent (see job-process.ts), so none of its blueprint code runs early.
  const warm: JobWarmUp = { blueprintDir: ctx.blueprintDir, transpile: ctx.prepared.transpile, sandbox: ctx.prepared.sandbox };
  const startedAhead: JobProcess[] = ctx.firstProcess ? [ctx.firstProcess] : [];
  const startAhead = (): JobProcess | undefined => {
    const next = ctx.pool?.take(warm);
    if (next) startedAhead.push(next);
    return next;
  };
  // In its process when one was started ahead for it, else in a new one, or in this process when the run has no pool.
  const run = (job: JobRequest, own: JobProcess | undefined, jobWarm: JobWarmUp) =>
    ctx.pool ? runJob(job, own ?? ctx.pool.take(jobWarm)) : runJobHere(request, job);
  try {
    // The process of the job to run next, when one was started ahead for it.
    let nextProcess = ctx.firstProcess;
    if (!ancestorMock) {
      const own = nextProcess;
      nextProcess = startAhead();
      const priorWarm = { blueprintDir: ctx.priorDir, transpile: ctx.priorPrepared.transpile, sandbox: ctx.priorPrepared.sandbox };
      const ancestor = await run(synthJob(BundleNames.ANCESTOR, ctx.priorDir, ctx.priorPrepared, priorOptions, 'ANCESTOR'), own, priorWarm);
      jobs.push(ancestor);
      if (ancestor.ok) recordOutdir(bundle(BundleNames.ANCESTOR), ctx.priorDir, recordedOutdir);
      // The ancestor there now is this run's, or, when its job was stopped, the earlier run's put back (files
      // untouched): either is the CLI's own, and the next run must know it as such, not as hand-made.
      if (hasFiles(bundle(BundleNames.ANCESTOR))) {
        record.fingerprints = { ...record.fingerprints, ancestor: fingerprint(bundle(BundleNames.ANCESTOR)) };
        writeRecord(folder, record);
      }
      if (!ancestor.ok) {
        // The SDK's CLI stops there too. An earlier run's proposed bundle would pass for this run's; but a run
        // the user stopped loses nothing of theirs, and the proposed bundle was never touched.
        if (!ancestor.interrupted) fs.rmSync(bundle(BundleNames.PROPOSED), { recursive: true, force: true });
        return finish(false);
      }
    }
    const resolver = startAhead();
    // The existing bundle is seeded from the ancestor while the proposed job runs, which this process only waits
    // for: a copy is a few hundred files to create, as long as a job. It lands only once the proposed job has
    // ended, so that job sees no existing bundle, as in the SDK's CLI, which seeds it after the proposed.
    const seeding = seedExisting ? new StagedCopy(bundle(BundleNames.ANCESTOR), bundle(BundleNames.EXISTING)) : undefined;
    let proposed: JobResult;
    try {
      proposed = await run(synthJob(BundleNames.PROPOSED, ctx.blueprintDir, ctx.prepared, configuration.options, 'PROPOSED'), nextProcess, warm);
    } catch (error) {
      await seeding?.discard();
      throw error;
    }
    jobs.push(proposed);
    if (!proposed.ok) {
      await seeding?.discard();
      return finish(false);
    }
    recordOutdir(bundle(BundleNames.PROPOSED), ctx.blueprintDir, recordedOutdir);

    if (seeding) {
      record.existing = 'seeded';
      delete record.fingerprints?.existing; // as for the ancestor above
      writeRecord(folder, record);
      await seeding.commit();
    }
    record.fingerprints = {
      ...(record.ancestor ? { ancestor: fingerprint(bundle(BundleNames.ANCESTOR)) } : {}),
      // A copy of --existing-bundle too: edited in place (as the README's mocks say to), it is the user's now.
      ...(record.existing !== undefined ? { existing: fingerprint(bundle(BundleNames.EXISTING)) } : {}),
    };
    writeRecord(folder, record);

    // resolved-bundle: merged in the blueprint's own process, by its own resynth(); the next configuration's
    // first process boots meanwhile.
    ctx.startNextAhead();
    const resolve = await run({
      ...common,
      ...ctx.prepared,
      kind: 'resynth',
      name: `${name} resolve`,
      blueprintDir: ctx.blueprintDir,
      options: configuration.options,
      target: bundle(BundleNames.RESOLVED),
      targetAsGiven: recordedOutdir,
      env: env(ctx.blueprintDir, 'RESYNTH'),
      bundles: { ancestor: bundle(BundleNames.ANCESTOR), existing: bundle(BundleNames.EXISTING), proposed: bundle(BundleNames.PROPOSED) },
      merge: request.merge ?? {},
    }, resolver, warm);
    jobs.push(resolve);
    if (!resolve.ok) return finish(false);
    // The earlier report no longer describes the resolved bundle now there: should this run be killed before it
    // writes its own, the next one finds none rather than a stale one.
    fs.rmSync(path.join(folder, REPORT_FILE), { force: true });
    // A blueprint on the CodeCatalyst SDK that overrides resynth() returns nothing, as the SDK's does: compare the folders.
    const merged = resolve.report ?? reportOfFolders(bundle(BundleNames.EXISTING), bundle(BundleNames.RESOLVED));
    const report = { ...merged, warnings: [...merged.warnings, ...otherOwnersOf(bundle(BundleNames.EXISTING), ctx.blueprintDir)] };
    writeReportAndDiffs(folder, report, bundle(BundleNames.EXISTING), bundle(BundleNames.RESOLVED));
    return finish(true, report);
  } finally {
    // A process started ahead for a job that never came (the one before it failed, or threw); the others have ended.
    startedAhead.forEach(unused => unused.dispose());
  }
}

/**
 * The warnings for the existing bundle's ownership-file entries that name another owner than the blueprint (a
 * team's name, most often): the merge passed them over, as the SDK's does, without a word in its report.
 */
function otherOwnersOf(existingDir: string, blueprintDir: string): string[] {
  const { PACKAGE_NAME: name, PACKAGE_VERSION: version } = blueprintEnvironment(blueprintDir);
  return otherOwnersWarnings(ownershipFilesOf(new FolderSource(existingDir)), { name, version });
}

/** The report of a resynthesis whose `resynth()` reported nothing: each file under `src/`, by comparing the existing and resolved bundles. */
function reportOfFolders(existing: string, resolved: string): ResynthReport {
  const files = reportFromFolders(readRepositoryFiles(existing), readRepositoryFiles(resolved));
  return { files, totals: totalsOf(files), warnings: [FOLDERS_REPORT_WARNING] };
}

const REPORT_FILE = 'resynth-report.json';
const DIFFS_FOLDER = 'diffs';

/**
 * Removes what a resynthesis concludes: the resolved bundle, the report and the diffs; but never a folder
 * the user gave as the existing bundle (or one holding it), which a successful run replaces anyway.
 */
function removeResults(folder: string, userGiven: string | undefined): void {
  const given = userGiven && path.resolve(userGiven);
  for (const result of [BundleNames.RESOLVED, REPORT_FILE, DIFFS_FOLDER]) {
    const absolute = path.join(folder, result);
    if (given && (given === absolute || given.startsWith(absolute + path.sep))) continue;
    fs.rmSync(absolute, { recursive: true, force: true });
  }
}

/** `resynth-report.json` and `diffs/<repository>.diff`, each replaced whole. */
function writeReportAndDiffs(folder: string, report: ResynthReport, existingDir: string, resolvedDir: string): void {
  const diffs = repositoryDiffs(readBundle(existingDir), readBundle(resolvedDir));
  writeBundle(path.join(folder, DIFFS_FOLDER), new Map([...diffs].map(([repository, patch]) => [`${repository}.diff`, { buffer: patch }])));
  const reportFile = path.join(folder, REPORT_FILE);
  fs.writeFileSync(`${reportFile}.tmp`, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(`${reportFile}.tmp`, reportFile);
}

/** Makes a generated bundle edited since this CLI wrote it a hand-made one: its files are then kept as they are. */
function forgetEditedBundles(folder: string, record: GeneratedRecord): void {
  const edited = (kind: 'ancestor' | 'existing', dir: string) => {
    const recorded = record.fingerprints?.[kind];
    return recorded !== undefined && hasFiles(dir) && fingerprint(dir) !== recorded;
  };
  const ancestor = record.ancestor && edited('ancestor', path.join(folder, BundleNames.ANCESTOR));
  const existing = record.existing !== undefined && edited('existing', path.join(folder, BundleNames.EXISTING));
  if (!ancestor && !existing) return;
  if (ancestor) delete record.ancestor;
  if (existing) delete record.existing;
  delete record.fingerprints;
  writeRecord(folder, record);
}

/** Every file's path, size and modification time under `dir`, hashed: what changes when anything is edited, added or removed. */
function fingerprint(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (absolute: string, relative: string) => {
    for (const name of fs.readdirSync(absolute).sort()) {
      const child = path.join(absolute, name);
      const stat = fs.lstatSync(child);
      if (stat.isDirectory()) walk(child, `${relative}${name}/`);
      else hash.update(`${relative}${name}\0${stat.size}\0${stat.mtimeMs}\0${stat.mode}\n`);
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}

function hasFiles(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
}

function withoutOutdir(options: Record<string, unknown>): Record<string, unknown> {
  const { outdir: _outdir, ...rest } = options;
  return rest;
}

function readRecord(folder: string): GeneratedRecord {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, RECORD_FILE), 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Replaces the record whole (a temporary file renamed over it), so that a kill never leaves half of one. It
 * is written before each bundle it names lands, never after: a record that names a bundle not there only
 * makes the next run generate it again, while a generated bundle not in the record would be kept as a mock.
 */
function writeRecord(folder: string, record: GeneratedRecord): void {
  const file = path.join(folder, RECORD_FILE);
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(record) + '\n');
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}
