import * as fs from 'fs';
import * as path from 'path';
import * as url from 'url';
import * as util from 'util';
import { InputError } from '../errors';
import { BlueprintSynthesisError } from '../blueprint/errors';
import { FRAMEWORK_RESYNTH, frameworkMergeOf, inheritsSdkResynth, sdkStrategies } from '../blueprint/framework-merge';
import { resynthesizeFolders } from '../blueprint/resynth-folders';
import { FolderSink, writeAll } from '../bundle/sink';
import { reconciledWithFolders, ResynthReport } from '../resynth/report';
import { readRepositoryFiles } from '../bundle/read';
import { MEMORY_BUNDLE, OUTDIR_AS_GIVEN_ENV, SYNTHESIZED } from '../blueprint/job-environment';
import { JobError, JobMessage, JobSpec } from './job';

/**
 * One job on a loaded blueprint module, wherever it runs (a job process, or the caller's own process):
 * the blueprint is constructed with its options and `outdir`, then synthesized, or made to merge three
 * bundles with its `resynth()`. The environment is the caller's to set. Resolves to the `done` message.
 */
export async function runBlueprintJob(exports: { Blueprint?: unknown }, spec: JobSpec): Promise<JobMessage & { type: 'done' }> {
  const Blueprint = exports.Blueprint as (new (options: Record<string, unknown>) => any) | undefined;
  if (typeof Blueprint !== 'function') {
    // Bad input, not a failed job: the source named is not a blueprint (an npm package of another kind, a wrong folder).
    throw new InputError(`${spec.blueprintDir} is not a blueprint: ${path.relative(spec.blueprintDir, spec.entry)} does not export a class 'Blueprint'`);
  }
  const blueprint = new Blueprint({ ...spec.options, outdir: outdirAsSeen(spec) });
  // The blueprint's pull request (SDK API) titles an update's commit; a blueprint may set it in synth().
  const pullRequest = () => pullRequestOf(blueprint, spec);
  if (spec.kind === 'synth') {
    await blueprint.synth();
    const ownComponents = blueprint[SYNTHESIZED];
    if (typeof ownComponents === 'number' && blueprint.components.length > ownComponents) throw notSynthesized(blueprint);
    // Whether its merge needs this process: an update merges in its own process when it does not.
    const merge = frameworkMergeOf(blueprint);
    // What the blueprint wrote into memory, when the caller asked for that and the blueprint could (see BUNDLE_IN_MEMORY_ENV).
    const bundle = blueprint[MEMORY_BUNDLE]?.();
    return { type: 'done', pullRequest: pullRequest(), ...(merge ? { merge } : {}), ...(bundle ? { bundle } : {}) };
  }
  const { ancestor, existing, proposed } = spec.bundles;
  if (inheritsSdkResynth(blueprint)) return { type: 'done', report: resynthSdkBlueprint(blueprint, spec), pullRequest: pullRequest() };
  const returned = await blueprint.resynth(ancestor, existing, proposed, spec.merge);
  // A blueprint that overrides resynth() may return nothing; the base class keeps its report.
  const report: ResynthReport | undefined = blueprint.resynthReport ?? returned ?? undefined;
  // An override may change the merge's files after super.resynth(): the report says what the folder holds.
  const framework = (blueprint.resynth as { [FRAMEWORK_RESYNTH]?: boolean })[FRAMEWORK_RESYNTH];
  return {
    type: 'done',
    report: report && !framework ? reconciledWithFolders(report, readRepositoryFiles(existing), readRepositoryFiles(path.resolve(blueprint.outdir))) : report,
    pullRequest: pullRequest(),
  };
}

/**
 * The `outdir` option the blueprint is constructed with: the output folder as the user gave it when that
 * names the folder the job writes (from the blueprint folder, the job's working directory, as with the
 * SDK's CLI), else the absolute folder. Either way projen resolves it to the same `this.outdir`. The
 * option itself must name that folder: a published SDK package runs the SDK's own Blueprint class, which
 * hands the option to projen as it is.
 */
function outdirAsSeen(spec: JobSpec): string {
  const asGiven = spec.env[OUTDIR_AS_GIVEN_ENV];
  return asGiven && path.resolve(spec.blueprintDir, asGiven) === path.resolve(spec.outdir) ? asGiven : spec.outdir;
}

/**
 * The framework's merge in place of the SDK base class's `resynth()` (see `inheritsSdkResynth`), with the
 * blueprint's strategies, package and pull request, written where that method writes: the blueprint's `outdir`.
 */
function resynthSdkBlueprint(blueprint: any, spec: JobSpec & { kind: 'resynth' }): ResynthReport {
  const { files, report } = resynthesizeFolders(spec.bundles, {
    strategies: sdkStrategies(blueprint.strategies),
    owner: { name: blueprint.context?.package?.name, version: blueprint.context?.package?.version },
    pullRequest: pullRequestOf(blueprint, spec) ?? { title: '', description: '', originBranch: '' },
  }, spec.merge);
  writeAll(new FolderSink(path.resolve(blueprint.outdir)), files);
  return report;
}

/** The blueprint's `resynthPullRequest` when it has the SDK's shape, as plain data for IPC. */
function pullRequestOf(blueprint: any, spec: JobSpec): { title: string; description: string; originBranch: string; targetBranch?: string } | undefined {
  const pr = blueprint.resynthPullRequest;
  if (!pr || typeof pr.title !== 'string' || typeof pr.originBranch !== 'string') return undefined;
  const description = outdirAsRecorded(String(pr.description ?? ''), spec);
  return { title: pr.title, description, originBranch: pr.originBranch, ...(typeof pr.targetBranch === 'string' ? { targetBranch: pr.targetBranch } : {}) };
}

/**
 * A pull request's description with the options' outdir as the bundle records it. The SDK's own class, which a
 * published SDK package carries, lists the options it was constructed with (`JSON.stringify(options, null, 2)`),
 * so where it was given the absolute folder (see `outdirAsSeen`) an update's merge commit named the cache's work
 * folder on the machine that ran it; the framework's class lists the folder as the CLI names it.
 */
function outdirAsRecorded(description: string, spec: JobSpec): string {
  const asGiven = spec.env[OUTDIR_AS_GIVEN_ENV];
  const seen = outdirAsSeen(spec);
  if (!asGiven || seen === asGiven) return description;
  return description.split(`"outdir": ${JSON.stringify(seen)}`).join(`"outdir": ${JSON.stringify(asGiven)}`);
}

/**
 * Finds the innermost stack frame in the blueprint's own files (not its dependencies). A frame in a compiled
 * build (`--cache`: one file with a linked source map beside it) is first taken back to the source it came
 * from, so a job of either runner names the same line.
 */
export function blueprintLocation(stack: string | undefined, blueprintDir: string): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const match = /\(?((?:\/|[a-zA-Z]:\\)[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match) continue;
    // A source map that leads out of the blueprint folder (a package's, to sources it did not ship) is not followed.
    const place: [string, number, number] = [match[1], Number(match[2]), Number(match[3])];
    const own = ownPlace(fromSourceMap(...place), blueprintDir) ?? ownPlace(place, blueprintDir);
    if (own) return own;
  }
  return undefined;
}

/** `file:line:column` relative to the blueprint folder, when the place is in the blueprint's own code. */
function ownPlace([file, line, column]: [string, number, number], blueprintDir: string): string | undefined {
  // The blueprint's own dependencies are not its code; the folder itself may be inside node_modules (a
  // package installed from a registry), so only the part below it is looked at.
  const relative = file.startsWith(blueprintDir + path.sep) ? path.relative(blueprintDir, file) : undefined;
  return relative !== undefined && !relative.split(path.sep).includes('node_modules') ? `${relative}:${line}:${column}` : undefined;
}

/** The source maps read so far, by the file they map (only on a job's failure, so never on the way of a good run). */
const sourceMaps = new Map<string, { findEntry(line: number, column: number): Record<string, unknown> } | undefined>();

/**
 * Where a place in `file` (1-based line and column, as a stack gives them) came from, by the source map linked
 * beside it (`FILE.map`, as the `--cache` build writes it); the place itself when there is none.
 */
function fromSourceMap(file: string, line: number, column: number): [string, number, number] {
  if (!sourceMaps.has(file)) {
    let map;
    try {
      const { SourceMap } = require('module') as { SourceMap: new (payload: unknown) => { findEntry(line: number, column: number): Record<string, unknown> } };
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined; // no map (the usual case), or one that cannot be read: the place stays as it is
    }
    sourceMaps.set(file, map);
  }
  const entry = sourceMaps.get(file)?.findEntry(line - 1, column - 1);
  if (typeof entry?.originalSource !== 'string' || typeof entry.originalLine !== 'number' || typeof entry.originalColumn !== 'number') return [file, line, column];
  const source = entry.originalSource.startsWith('file://') ? url.fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
  return [source, entry.originalLine + 1, entry.originalColumn + 1];
}

/** A job's failure as the CLI shows it, from what the blueprint threw. */
export function describeJobError(error: unknown, blueprintDir: string): JobError {
  const denied = error as { code?: string; permission?: string; resource?: string };
  // Node 20 refuses a native add-on under its permission model with a code of its own.
  if (error instanceof Error && denied.code === 'ERR_DLOPEN_DISABLED') {
    return { name: 'SandboxError', message: sandboxMessage('Addons', undefined), stack: error.stack, location: blueprintLocation(error.stack, blueprintDir) };
  }
  if (error instanceof Error && denied.code === 'ERR_ACCESS_DENIED') {
    return { name: 'SandboxError', message: sandboxMessage(denied.permission, denied.resource, error.message), stack: error.stack, location: blueprintLocation(error.stack, blueprintDir) };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, location: blueprintLocation(error.stack, blueprintDir) };
  }
  // String() makes every object '[object Object]', which says nothing of what was thrown: an object is shown as
  // console.log shows it (shortened), a string as it is.
  const value = typeof error === 'string' ? error : util.inspect(error, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200 });
  return { name: 'Error', message: `the blueprint threw a non-error value: ${value}` };
}

/**
 * What the sandbox refused, in words: Node's error says only "Access to this API has been restricted". Some
 * calls are refused with no permission named (`fs.symlink`, which Node 20 allows only with read and write
 * access to everything): their refusal is told in Node's own words, `nodeMessage`.
 */
export function sandboxMessage(permission: string | undefined, resource: string | undefined, nodeMessage?: string): string {
  const what: Record<string, string> = {
    FileSystemRead: 'reading',
    FileSystemWrite: 'writing',
    ChildProcess: 'starting a child process',
    WorkerThreads: 'starting a worker thread',
    WASI: 'starting a WASI instance',
    Inspector: 'opening the inspector',
    Addons: 'loading a native add-on',
  };
  const operation = what[permission ?? ''] ?? (permission ? `the operation ${permission}` : nodeMessage ? `the call (${nodeMessage.replace(/\.$/, '')})` : 'the operation (unknown)');
  return `the sandbox refused ${operation}${resource ? ` '${resource}'` : ''}: a sandboxed blueprint reads only its own folder and the framework, writes only its bundle and durable storage, and starts no process (--runner fast runs it unconfined)`;
}

/**
 * A blueprint whose `synth()` override never called `super.synth()`: no component wrote its files, so its bundle
 * would hold `options.json` alone, and the job succeeded with a project of nothing (as the SDK's does).
 */
function notSynthesized(blueprint: object): BlueprintSynthesisError {
  const name = blueprint.constructor.name || 'Blueprint';
  return new BlueprintSynthesisError({
    message: `${name}.synth() returned without calling super.synth(): no component (SourceRepository, Environment, ...) wrote its files; call super.synth() in the override, before any code that reads the written files`,
  });
}

