import * as crypto from 'crypto';
import * as path from 'path';
import { cacheDir } from '../cache/cache-dir';
import { requireWithCodeCache } from './code-cache';
import { installCompileCache } from './compile-cache';
import { JobError, JobMessage, JobSpec, JobWarmUp } from './job';
import { FRAMEWORK_ROOT } from '../cache/framework-root';
import { shareFrameworkModules } from './module-map';
import { registerTypeScript } from './transpile';

/**
 * A job process. It is started before its job is known (see `JobProcess` in run-job.ts), and spends that
 * time loading what every job of its runner loads; then it receives one job over IPC, loads the blueprint,
 * constructs it with its options, and synthesizes it or merges three bundles with its `resynth()`. It
 * reports `done` only after that returned, so a blueprint that exits early has failed.
 */

/** Writes back the caches of compiled code; each is set by the loading it speeds up. */
const saveCaches: (() => void)[] = [];

/** What can be done before the job is known: everything that depends only on the blueprint folder and runner. */
function warmUp(warm: JobWarmUp): void {
  shareFrameworkModules(warm.blueprintDir);
  if (warm.transpile) {
    saveCaches.push(installCompileCache(cacheDir('compiled', `${hash(FRAMEWORK_ROOT)}.v8`)));
    registerTypeScript();
    // Every blueprint imports the framework, and through it projen: the bulk of a job's loading.
    require(path.join(FRAMEWORK_ROOT, 'lib', 'index.js'));
  }
}

async function runJob(spec: JobSpec): Promise<JobMessage> {
  Object.assign(process.env, spec.env);
  let exports: any;
  if (spec.transpile) {
    exports = require(spec.entry);
  } else {
    const loaded = requireWithCodeCache(spec.entry);
    exports = loaded.exports;
    saveCaches.push(loaded.saveCache);
  }
  const { Blueprint } = exports;
  if (typeof Blueprint !== 'function') {
    throw new Error(`${path.relative(spec.blueprintDir, spec.entry)} does not export a class 'Blueprint'`);
  }
  const blueprint = new Blueprint({ ...spec.options, outdir: spec.outdir });
  // The blueprint's pull request (SDK API) titles an update's commit; a blueprint may set it in synth().
  const pullRequest = () => pullRequestOf(blueprint);
  if (spec.kind === 'synth') {
    await blueprint.synth();
    return { type: 'done', pullRequest: pullRequest() };
  }
  const { ancestor, existing, proposed } = spec.bundles;
  const returned = await blueprint.resynth(ancestor, existing, proposed, spec.merge);
  // A blueprint that overrides resynth() may return nothing; the base class keeps its report.
  return { type: 'done', report: blueprint.resynthReport ?? returned, pullRequest: pullRequest() };
}

/** The blueprint's `resynthPullRequest` when it has the SDK's shape, as plain data for IPC. */
function pullRequestOf(blueprint: any): { title: string; description: string; originBranch: string; targetBranch?: string } | undefined {
  const pr = blueprint.resynthPullRequest;
  if (!pr || typeof pr.title !== 'string' || typeof pr.originBranch !== 'string') return undefined;
  return { title: pr.title, description: String(pr.description ?? ''), originBranch: pr.originBranch, ...(typeof pr.targetBranch === 'string' ? { targetBranch: pr.targetBranch } : {}) };
}

/** Finds the innermost stack frame in the blueprint's own files (not its dependencies). */
export function blueprintLocation(stack: string | undefined, blueprintDir: string): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const match = /\(?((?:\/|[a-zA-Z]:\\)[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[1];
    if (file.startsWith(blueprintDir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      return `${path.relative(blueprintDir, file)}:${match[2]}:${match[3]}`;
    }
  }
  return undefined;
}

function describe(error: unknown, blueprintDir: string): JobError {
  const denied = error as { code?: string; permission?: string; resource?: string };
  if (error instanceof Error && denied.code === 'ERR_ACCESS_DENIED') {
    return { name: 'SandboxError', message: sandboxMessage(denied.permission, denied.resource), stack: error.stack, location: blueprintLocation(error.stack, blueprintDir) };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, location: blueprintLocation(error.stack, blueprintDir) };
  }
  return { name: 'Error', message: `the blueprint threw a non-error value: ${String(error)}` };
}

/** What the sandbox refused, in words: Node's error says only "Access to this API has been restricted". */
export function sandboxMessage(permission: string | undefined, resource: string | undefined): string {
  const what: Record<string, string> = {
    FileSystemRead: 'reading',
    FileSystemWrite: 'writing',
    ChildProcess: 'starting a child process',
    WorkerThreads: 'starting a worker thread',
  };
  const operation = what[permission ?? ''] ?? `the operation ${permission ?? '(unknown)'}`;
  return `the sandbox refused ${operation}${resource ? ` '${resource}'` : ''}: a sandboxed blueprint reads only its own folder and the framework, writes only its bundle and durable storage, and starts no process (--runner fast runs it unconfined)`;
}

/** A cache that cannot be written only costs speed. */
function saveCache(save: () => void): void {
  try {
    save();
  } catch {
    // see above
  }
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function send(message: JobMessage): Promise<void> {
  return new Promise(resolve => process.send!(message, () => resolve()));
}

/**
 * Ends this process when the one that started it is gone: a CLI killed with SIGKILL cannot end its job
 * processes, and a blueprint that waits (on a timer, a socket) would otherwise run on for ever. The IPC
 * channel closes with the parent; should its 'disconnect' not come, being adopted by another process
 * (init or a subreaper) says the same. Neither is seen while a blueprint blocks the event loop.
 */
function exitWithParent(): void {
  const parent = process.ppid;
  process.once('disconnect', () => process.exit(1));
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 1000).unref();
}

if (require.main === module) {
  const warm: JobWarmUp = JSON.parse(process.argv[2]);
  exitWithParent();
  // Listen first: the job may arrive while the warm-up's synchronous loading runs.
  process.once('message', (spec: JobSpec) => {
    runJob(spec).then(
      async message => {
        // Made after the job ran, the caches also hold the functions the job compiled. A sandboxed job
        // only reads them: code it left there would run unconfined in the next job of another runner.
        if (!spec.sandbox) saveCaches.forEach(saveCache);
        await send(message);
        process.exit(0);
      },
      async error => {
        await send({ type: 'error', error: describe(error, spec.blueprintDir) });
        process.exit(1);
      },
    );
  });
  // An error while warming up surfaces again when the job loads the same modules, with its location.
  try {
    warmUp(warm);
  } catch {
    // see above
  }
}
