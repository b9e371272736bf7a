import * as fs from 'fs';
import * as path from 'path';
import { BundleLayout } from '../bundle/layout';
import { InterruptedError } from '../errors';
import type { FileMap } from '../bundle/file-map';
import { writeBundle } from '../bundle/sink';
import { createStaging } from '../bundle/staging';
import { wholeBundle } from '../runner/run-job';
import { assertStorablePaths, baselineMessage, createdMessage } from './baseline';
import { BlueprintJobs } from './blueprint-jobs';
import type { RunOptions } from '../runner/synthesize';
import { commandFiles, DurableState, isCommandPath } from './durable-state';
import { ProjectInputError } from './errors';
import { emptyTree, Git, gitConfinedTo } from './git';
import { objectStore, writeTreeWith } from './object-store';
import { Instantiation, newInstantiationId, RECORD_PATH, sdkInstantiations, serializeRecord } from './instantiation-record';
import { applyOverrides, blueprintPackage, createWayOn, defaultOptions, defaultsName, newDefaultsLayer, OptionsOverrides, overridesOrigin, readOptionsSchema, recordedWithNewDefaults, withDefaultEntropy } from './options';
import { openRepository, pickRecordedInstantiation, readRecordAt } from './repository';
import { describeUpdateInProgress, updateInProgress } from './update-in-progress';
import { blueprintSource, recordedSource, recordedVersion, resolveRequested } from './sources';
import { WorkFolder } from './work-folder';
import { idleWorkflows } from './workflow-branches';

/**
 * The folder beside the repositories that holds the rest of the bundle (environments, secrets, issues,
 * account connections, options.json), so that nothing a blueprint generates is lost.
 */
export const PROJECT_BUNDLE_FOLDER = 'project-bundle';

/** What {@link createProject} needs. */
export interface CreateRequest extends RunOptions {
  /** The blueprint source spec (folder, `URL#ref`, npm spec). Required unless {@link like} is given. */
  readonly source?: string;
  /**
   * A folder inside a repository of the project (made by create, kept by update): the blueprint is its recorded
   * source at its recorded version, the options its recorded ones (under {@link overrides}), and the instantiation
   * id its own, so that a repository a new version adds joins the project's instantiation. @default none
   */
  readonly like?: string;
  /** With {@link like}: which instantiation, when its record holds several (id or package name). @default the only one */
  readonly instantiationId?: string;
  /** With {@link like}: another version of the recorded source (a git tag, an npm version). @default the recorded version */
  readonly to?: string;
  /**
   * Only these repositories of the bundle, each one the blueprint generates; the rest of the bundle
   * (`project-bundle/`) is then not written: the project has it. @default every repository, and the rest of the bundle
   */
  readonly repositories?: readonly string[];
  /** Options over the blueprint's defaults. @default the defaults */
  readonly overrides?: OptionsOverrides;
  /** The project folder: each repository becomes `<projectDir>/<repository>/`. */
  readonly projectDir: string;
  /** Where relative sources are resolved from. @default the working directory */
  readonly baseDir?: string;
}

/** What {@link createProject} made. */
export interface CreateResult {
  /** The instantiation recorded in each repository (its `repository` is the first one's). */
  readonly instantiation: Instantiation;
  /** Each repository: its bundle name, its folder, and its baseline commit. */
  readonly repositories: { readonly name: string; readonly dir: string; readonly baseline: string }[];
  /** The folder holding the rest of the bundle, when the bundle had more than repositories. */
  readonly projectBundle?: string;
  /** What the user should know about the options the project was made with. */
  readonly warnings: string[];
  /**
   * The ids of the pull requests the blueprint proposes (`pull-request/<id>.yaml`), left in {@link projectBundle}
   * with their differences (`src-diffs/`): create makes no branch of them. @default none
   */
  readonly pullRequests?: string[];
}

/**
 * Synthesizes a blueprint and makes each source repository of its bundle a git repository under the
 * project folder, whose first commit is the baseline: the generated files plus the instantiation record
 * and the blueprint's durable state. The files the blueprint writes for a new project only (see
 * `synthesizeSeeingProject`) come in a second commit on top.
 * Every target is checked before anything is written; each repository is built in a staging folder and
 * renamed into place, and a refusal after that (git cannot sign a commit) removes what was made. The work
 * folder in the cache goes whatever happens, an interrupt (`signal`) included.
 */
export async function createProject(request: CreateRequest): Promise<CreateResult> {
  const baseDir = request.baseDir ?? process.cwd();
  const projectDir = path.resolve(baseDir, request.projectDir);
  const like = request.like === undefined ? undefined : likeInstantiation(path.resolve(baseDir, request.like), request.instantiationId, request.to);
  const source = like ? recordedSource(like.instantiation, like.root) : blueprintSource(requiredSource(request), baseDir);
  const resolved = like ? resolveRequested(source, request.to, () => recordedVersion(source, like.instantiation)) : source.resolve(undefined);
  const sourceName = request.source ?? resolved.spec;
  const pkg = blueprintPackage(resolved.blueprintDir);
  const id = like?.instantiation.id ?? newInstantiationId();
  const work = new WorkFolder(id);
  const durable = new DurableState(id, work.path('durable'));
  const jobs = new BlueprintJobs(resolved.blueprintDir, { durableStorage: durable.dir }, request, undefined, createWayOn);
  // The blueprint once more, seeing the project it has just made, as every update will see it; what it stores then is not kept.
  const seeing = new BlueprintJobs(resolved.blueprintDir, {
    existingBundle: work.path('existing'), instantiationsFile: work.path('instantiations.json'), instantiationId: id, durableStorage: work.path('durable-seeing'),
  }, request);
  try {
    // With job processes, both boot and load the framework while this one reads the options schema (which, for
    // sources changed since it was built, loads TypeScript to build it again) and the first run runs.
    jobs.start();
    seeing.start();
    const { schema, reason } = readOptionsSchema(resolved.blueprintDir);
    // Without a schema no option is known to want entropy: said, since names meant to be unique then are not.
    const warnings = [...resolved.warnings ?? []];
    if (!schema) warnings.push(`no @defaultEntropy applied to the defaults: the blueprint's options schema cannot be read (${reason})`);
    // Offline, a range or tag resolved to the newest cached version, which the registry may have passed: said, as update says it.
    if (source.unreachable) warnings.unshift(`source: ${source.unreachable}`);
    // The wizard's entropy goes on the defaults, so that a value the user gives is taken as given.
    // Like a repository, the recorded options (no new entropy: the names they made are the project's), the new
    // version's defaults filling what they lack, as update takes them.
    const given = like ? applyOverrides(like.instantiation.options, request.overrides ?? {}, schema) : undefined;
    const options = given
      ? recordedWithNewDefaults(given, resolved.blueprintDir)
      : applyOverrides(withDefaultEntropy(defaultOptions(resolved.blueprintDir), schema), request.overrides ?? {}, schema);
    // What validation names a finding by: the recorded options (as update names them) with what the defaults fill in, else the defaults.
    const layers = [...given ? newDefaultsLayer(given, resolved) : [], ...overridesOrigin(request.overrides, schema) ?? []];
    const origin = like ? { base: `the recorded options (${path.join(like.root, RECORD_PATH)})` } : { base: defaultsName(resolved) };
    const proposed = work.path('proposed');
    // Kept in memory where the blueprint allows it: git writes each repository's files once, from its objects.
    const job = await jobs.synth(options, proposed, 'PROPOSED', { origin: { ...origin, ...layers.length ? { overrides: layers } : {} }, inMemory: true });
    const bundle = wholeBundle(proposed, job.inMemory);
    const sourceDir = path.join(proposed, BundleLayout.SOURCE);
    const folders = [...(job.inMemory?.folders ?? []), ...(fs.existsSync(sourceDir) ? fs.readdirSync(sourceDir, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => `${BundleLayout.SOURCE}/${e.name}`) : [])];
    const names = repositoryNames([...bundle.keys(), ...folders.map(folder => `${folder}/`)]);
    if (names.length === 0) {
      throw new ProjectInputError(
        `${sourceName}: the blueprint generated no source repository (nothing under src/ of its bundle; a SourceRepository it writes no file into is not in the bundle: give it a file)`,
      );
    }
    const chosen = chosenRepositories(names, request.repositories, `${pkg.name}@${pkg.version}`);
    for (const name of chosen) {
      if (name === PROJECT_BUNDLE_FOLDER) throw new ProjectInputError(`repository '${name}': the name is taken by the folder for the rest of the bundle`);
      try {
        assertFreeTarget(path.join(projectDir, name));
      } catch (error) {
        // Like a project's repository, into that project's folder: what the user most likely wants is the repositories it lacks.
        const lacking = names.filter(other => isFreeTarget(path.join(projectDir, other)));
        if (like && !request.repositories && lacking.length > 0) (error as Error).message += `; to make only those the project lacks: ${lacking.map(n => `--repository ${n}`).join(' ')}`;
        throw error;
      }
    }
    // Chosen repositories join a project that has the rest of the bundle: nothing of it is written again.
    const rest: FileMap = request.repositories ? new Map() : new Map([...bundle].filter(([p]) => !p.startsWith(`${BundleLayout.SOURCE}/`)));
    if (rest.size > 0) assertFreeTarget(path.join(projectDir, PROJECT_BUNDLE_FOLDER));

    // At the recorded version, the source as recorded: resolved at its revision, its spec names the commit, not the tag.
    const recordedSpec = like && request.to === undefined ? like.instantiation.source : resolved.spec;
    const instantiationFor = (repository: string): Instantiation => ({
      id, packageName: pkg.name, versionId: pkg.version, options, source: recordedSpec, sourceRevision: resolved.revision, repository,
    });
    fs.cpSync(durable.dir, work.path('durable-seeing'), { recursive: true });
    const seen = await synthesizeSeeingProject(seeing, options, bundle, [instantiationFor(chosen[0])], work);
    const repositories: CreateResult['repositories'][number][] = [];
    const state = durable.files(); // what the blueprint stored, committed in each repository it made
    // Refused before anything is written, by bundle path.
    assertStorablePaths([...bundle.keys()].filter(p => p.startsWith(`${BundleLayout.SOURCE}/`)));
    // The last point where an interrupt leaves nothing written; what follows is quick and runs to its end.
    if (request.signal?.aborted) throw InterruptedError.of(request.signal, 'nothing was written');
    // A refusal from here on (git cannot sign the commit, a file cannot be written) says that nothing changed: what
    // this run made is taken back then, the folders it created and the repositories it put into empty folders.
    const madeFolders = new MadeFolders(projectDir);
    let projectBundle: string | undefined;
    try {
      for (const name of chosen) {
        const prefix = `${BundleLayout.SOURCE}/${name}/`;
        const repositoryFiles = (of: FileMap): FileMap => {
          const files: FileMap = new Map([...of].filter(([p]) => p.startsWith(prefix)).map(([p, file]) => [p.slice(prefix.length), file]));
          for (const [p, file] of commandFiles(serializeRecord([instantiationFor(name)]), state)) files.set(p, file);
          return files;
        };
        const files = repositoryFiles(bundle);
        // Only what the blueprint generates for the project too: a file it writes for a new project only is the project's.
        const baselineFiles = new Map([...files].filter(([p]) => seen.has(prefix + p) || isCommandPath(p)));
        // Checked again, as late as can be: another create into the same folder may have made it while the blueprint ran.
        assertFreeTarget(path.join(projectDir, name));
        const target = madeFolders.claim(path.join(projectDir, name));
        const baseline = initRepository(baselineFiles, target, baselineMessage(pkg.name, pkg.version, id, names), work.path(`changes-${name}`),
          baselineFiles.size === files.size ? undefined : { files, message: createdMessage(pkg.name, pkg.version, id) });
        madeFolders.made(target);
        repositories.push({ name, dir: target, baseline });
        // Only a branch the user's git chose can leave them idle: the service's repositories start on main.
        const branch = new Git(target).run(['symbolic-ref', '--short', 'HEAD']).trim();
        if (branch !== 'main') warnings.push(...idleWorkflows(name, branch, files));
      }
      if (rest.size > 0) {
        assertFreeTarget(path.join(projectDir, PROJECT_BUNDLE_FOLDER));
        projectBundle = madeFolders.claim(path.join(projectDir, PROJECT_BUNDLE_FOLDER));
        writeBundle(projectBundle, rest);
        madeFolders.made(projectBundle);
      }
    } catch (error) {
      madeFolders.takeBack();
      throw error;
    }
    const pullRequests = [...rest.keys()].flatMap(p => /^pull-request\/([^/]+)\.yaml$/.exec(p)?.[1] ?? []).sort();
    return { instantiation: instantiationFor(chosen[0]), repositories, projectBundle, warnings, pullRequests };
  } finally {
    jobs.dispose();
    seeing.dispose();
    work.remove();
  }
}

/** The source a create without `like` runs. */
function requiredSource(request: CreateRequest): string {
  if (request.source === undefined) throw new ProjectInputError('create needs a blueprint: --blueprint SOURCE, or --like REPOSITORY_DIR');
  if (request.to !== undefined || request.instantiationId !== undefined) {
    throw new ProjectInputError(`--${request.to !== undefined ? 'to' : 'instantiation'} goes with --like REPOSITORY_DIR (a version of the source it records); --blueprint SOURCE names its version itself (PATH_OR_URL#v2, name@2.0.0)`);
  }
  return request.source;
}

/**
 * The instantiation `create --like` takes: the one recorded at `HEAD` of the repository holding `dir` (or the
 * one `id` picks), and that repository's root, which its recorded source is resolved from (as update resolves it).
 */
function likeInstantiation(dir: string, id: string | undefined, to: string | undefined): { instantiation: Instantiation; root: string } {
  // (git, started in a folder that is not there, would fail to start, naming no folder.)
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new ProjectInputError(`--like ${dir}: no such folder; give a repository of the project (made by 'blueprint create')`);
  try {
    const repository = openRepository(dir);
    const instantiation = pickRecordedInstantiation(repository, readRecordAt(repository), id);
    // HEAD's record is still the version before an update whose merge is not committed: made from it, the
    // repository that update's warning named would be refused as one the old version does not generate.
    const update = to === undefined ? updateInProgress(repository) : undefined;
    if (update?.instantiationId === instantiation.id) {
      throw new ProjectInputError(`${describeUpdateInProgress(update)}; until it is committed, the record is ${instantiation.packageName}@${instantiation.versionId}: ` +
        'finish it and run this again (or give --to VERSION); nothing written');
    }
    return { instantiation, root: repository.root };
  } catch (error) {
    if (error instanceof ProjectInputError) error.message = `--like ${dir}: ${error.message}`;
    throw error;
  }
}

/** The repositories to make: those asked for (each one the blueprint generates), else all it generates. */
function chosenRepositories(generated: readonly string[], asked: readonly string[] | undefined, blueprint: string): string[] {
  if (!asked) return [...generated];
  const unknown = asked.filter(name => !generated.includes(name));
  if (unknown.length > 0) {
    throw new ProjectInputError(`--repository ${unknown.join(', ')}: ${blueprint}, with these options, generates no repository of that name ` +
      `(it generates: ${generated.join(', ')}); nothing written`);
  }
  return [...new Set(asked)];
}

/**
 * The bundle the blueprint generates for the project `bundle` made. A blueprint may generate differently for a
 * project that exists (through `this.context.project`, as the SDK's subscribe-blueprint writes its README only
 * where there is none). A file it writes for a new project only must not be in the baseline, the first update's
 * ancestor: the update would read its absence from the blueprint's new output as the blueprint removing it, and
 * delete it (to add it back on the update after). So the baseline leaves out the files this run does not
 * generate; they come in a commit of their own on top, the project's from then on. (The hosted service gets the
 * same ancestor by running the old version again, seeing the project; this is that run, made once, at create.)
 * A file only this run generates is left for the first update to add, as is a change of content.
 */
async function synthesizeSeeingProject(jobs: BlueprintJobs, options: Record<string, unknown>, bundle: FileMap, record: Instantiation[], work: WorkFolder): Promise<FileMap> {
  const existing = new Map([...bundle].filter(([p]) => p.startsWith(`${BundleLayout.SOURCE}/`)));
  existing.set(BundleLayout.OPTIONS_FILE, { buffer: Buffer.from(JSON.stringify(options, null, 2)) });
  writeBundle(work.path('existing'), existing);
  fs.writeFileSync(work.path('instantiations.json'), sdkInstantiations(record));
  const job = await jobs.synth(options, work.path('seen'), 'PROPOSED', { inMemory: true, repeated: true });
  return wholeBundle(work.path('seen'), job.inMemory);
}

/**
 * The folders a create makes in the project folder, so that a refusal late in the run can take them back: the
 * project folder and its parents where they did not exist, and each target (a repository, the project bundle),
 * which goes back to the empty folder it was, or to nothing.
 */
class MadeFolders {
  /** The outermost folder `mkdir -p` made for the project folder, if it made any. */
  private readonly created: string | undefined;
  private readonly targets: { readonly target: string; readonly emptyFolderMode?: number; made?: boolean }[] = [];

  constructor(projectDir: string) {
    this.created = fs.mkdirSync(projectDir, { recursive: true });
  }

  /** Notes a target about to be written (checked free by {@link assertFreeTarget}), and returns it. */
  public claim(target: string): string {
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    this.targets.push({ target, emptyFolderMode: stat?.mode });
    return target;
  }

  /** Notes that a claimed target has been written: from now on it is this run's to take back. */
  public made(target: string): void {
    const claimed = this.targets.find(entry => entry.target === target);
    if (claimed) claimed.made = true;
  }

  /**
   * Removes what was made: every target written (an empty folder that was there is made again), and the folders
   * created. A target claimed but not written is left: what is there is another run's (a create into the same
   * folder that made it meanwhile, whose repository this one removed).
   */
  public takeBack(): void {
    for (const { target, emptyFolderMode } of this.targets.reverse().filter(entry => entry.made)) {
      fs.rmSync(target, { recursive: true, force: true });
      if (emptyFolderMode !== undefined) {
        fs.mkdirSync(target);
        fs.chmodSync(target, emptyFolderMode & 0o7777);
      }
    }
    if (this.created) fs.rmSync(this.created, { recursive: true, force: true });
  }
}

/** A repository folder may be made where nothing is, or where an empty folder is. */
function isFreeTarget(target: string): boolean {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  return !stat || (stat.isDirectory() && fs.readdirSync(target).length === 0);
}

/** Refuses a target that is not {@link isFreeTarget}, naming what create would have made there. */
function assertFreeTarget(target: string): void {
  if (!isFreeTarget(target)) {
    // project-bundle/ is no repository: a message about repositories sent the user looking for one.
    const what = path.basename(target) === PROJECT_BUNDLE_FOLDER ? `writes ${PROJECT_BUNDLE_FOLDER}/ (the rest of the bundle)` : 'makes each repository';
    throw new ProjectInputError(`${target}: exists and is not empty; create ${what} in a new or empty folder`);
  }
}

/** The repositories a bundle's paths name (`src/<name>/...`; a file right inside `src/` is none), sorted. */
function repositoryNames(paths: readonly string[]): string[] {
  const names = new Set<string>();
  for (const p of paths) {
    const [top, name, ...rest] = p.split('/');
    if (top === BundleLayout.SOURCE && name && rest.length > 0) names.add(name);
  }
  return [...names].sort();
}

/**
 * Makes `target` a git repository whose first commit (the baseline) holds `files`, in a staging folder
 * renamed into place, and returns that commit. The tree and the commit are written as an update writes
 * them (see `writeTreeWith`; `scratch` is a folder for git's index when the files' attributes need it),
 * and git checks the files out once.
 */
function initRepository(files: FileMap, target: string, message: string, scratch: string, project?: { files: FileMap; message: string }): string {
  // Named after this run, as a bundle's staging folder is: one a killed create left (SIGKILL, the machine going
  // down) is removed by the next create into the same folder, where it stayed for good as a hidden whole repository.
  const staging = createStaging(target);
  try {
    // Confined: before `git init` the staging folder is no repository, and git would read the settings of the one
    // PROJECT_DIR sits in (an outer checkout's local `init.defaultBranch`, which `git init` then ignores, gave a
    // repository on git's `master` where the user chose nothing).
    const git = gitConfinedTo(staging);
    // The hosted service's repositories start on `main`, and generated workflows trigger on it: git's own
    // default (`master`, unless the user's `init.defaultBranch` names another) would leave them idle.
    const chosen = git.tryRun(['config', '--get', 'init.defaultBranch']).stdout.toString().trim();
    git.run(['init', '--quiet', ...(chosen ? [] : ['--initial-branch=main'])]);
    const store = objectStore(git, path.join(staging, '.git', 'objects'), false, emptyTree(git));
    const nothing = { treeish: undefined, entries: new Map(), blob: (oid: string) => git.runBuffer(['cat-file', 'blob', oid]) };
    const commit = store.commit(writeTreeWith(store, nothing, files, [], scratch), [], message);
    // The project's first content, where it differs from the baseline, is a commit of its own on top.
    const head = project ? store.commit(writeTreeWith(store, nothing, project.files, [], scratch), [commit], project.message) : commit;
    git.run(['update-ref', '-m', 'blueprint create', 'HEAD', head]);
    git.run(['reset', '--quiet', '--hard', 'HEAD']);
    try {
      if (fs.existsSync(target)) fs.rmdirSync(target);
      fs.renameSync(staging, target);
    } catch (error) {
      // Filled since it was checked, by another create into the same folder: refused as it would have been then.
      if (['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code!)) assertFreeTarget(target);
      throw error;
    }
    return commit;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
