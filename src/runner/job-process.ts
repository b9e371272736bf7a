import * as fs from 'fs';
import * as path from 'path';
import { requireWithCodeCache } from './code-cache';
import { installCompileCache, jobCompileCaches } from './compile-cache';
import { describeJobError, runBlueprintJob } from './blueprint-job';
import { BlueprintAsyncError, BlueprintExitError } from './job-guard';
import { BUNDLE_PIPE_FD, JobMessage, JobSpec, JobWarmUp } from './job';
import { FRAMEWORK_ROOT, frameworkFolders } from '../cache/framework-root';
import { fillExistingOnFirstRead } from './deferred-existing';
import { shareFrameworkModules } from './module-map';
import { refuseUncheckedCalls } from './sandbox-calls';
import { registerTypeScript } from './transpile';

/**
 * A job process. It is started before its job is known (see `JobProcess` in run-job.ts), and spends that
 * time loading what every job of its runner loads; then it receives one job over IPC, loads the blueprint,
 * constructs it with its options, and synthesizes it or merges three bundles with its `resynth()`. It
 * reports `done` only after that returned, so a blueprint that exits early has failed.
 */

/** Node's own `process.exit`, for this process's own ends: the blueprint's calls go to {@link failOnExit}. */
const exit = process.exit.bind(process);

/** Writes back the caches of compiled code; each is set by the loading it speeds up. */
const saveCaches: (() => void)[] = [];

/** What can be done before the job is known: everything that depends only on the blueprint folder and runner. */
function warmUp(warm: JobWarmUp): void {
  shareFrameworkModules(warm.blueprintDir);
  const caches = jobCompileCaches();
  saveCaches.push(warm.sandbox
    ? installCompileCache(caches.framework)
    : installCompileCache(caches.all, { file: caches.framework, folders: frameworkFolders().map(folder => fs.realpathSync(folder)) }));
  if (warm.transpile) registerTypeScript();
  // Every blueprint imports the framework, and through it projen (a `--cache` build requires them by path): the
  // bulk of a job's loading.
  require(path.join(FRAMEWORK_ROOT, 'lib', 'index.js'));
}

async function runJob(spec: JobSpec): Promise<JobMessage> {
  Object.assign(process.env, spec.env);
  fillExistingOnFirstRead(process, spec.env);
  if (spec.transpile) return runBlueprintJob(require(spec.entry), spec);
  const loaded = requireWithCodeCache(spec.entry);
  saveCaches.push(loaded.saveCache);
  return runBlueprintJob(loaded.exports, spec);
}

/** A cache that cannot be written only costs speed. */
function saveCache(save: () => void): void {
  try {
    save();
  } catch {
    // see above
  }
}

function send(message: JobMessage): Promise<void> {
  return new Promise(resolve => process.send!(message, () => resolve()));
}

/** Writes a memory bundle's bytes down the bundle pipe, and returns the message with its table instead. */
function sendBundle({ bundle, ...done }: JobMessage & { type: 'done' }): JobMessage {
  const files = [...bundle!.files];
  fs.writevSync(BUNDLE_PIPE_FD, files.map(([, file]) => file.buffer));
  fs.closeSync(BUNDLE_PIPE_FD);
  const bundleTable = { paths: files.map(([p]) => p), sizes: files.map(([, file]) => file.buffer.length), modes: files.map(([, file]) => file.mode ?? null), folders: bundle!.folders };
  return { ...done, bundleTable };
}

/**
 * Ends this process when the one that started it is gone: a CLI killed with SIGKILL cannot end its job
 * processes, and a blueprint that waits (on a timer, a socket) would otherwise run on for ever. The IPC
 * channel closes with the parent; should its 'disconnect' not come, being adopted by another process
 * (init or a subreaper) says the same. Neither is seen while a blueprint blocks the event loop.
 */
function exitWithParent(): void {
  const parent = process.ppid;
  process.once('disconnect', () => exit(1));
  setInterval(() => {
    if (process.ppid !== parent) exit(1);
  }, 1000).unref();
}

/**
 * An error the blueprint throws from a timer, or a promise it rejects with nobody awaiting it, would end this
 * process with Node's own report on its standard error, which the CLI shows only with `--verbose` (`the
 * blueprint process exited (1)`): it fails the job instead, named and placed like an error the blueprint
 * threw, as in-process jobs report it (see `guardJob`).
 */
function failOnThrownLater(spec: JobSpec): { failed(): boolean } {
  let failing = false;
  const thrownLater = (thrown: unknown) => {
    if (failing) return;
    failing = true;
    void failJob(spec, thrown instanceof BlueprintExitError ? thrown : new BlueprintAsyncError(`the blueprint ${spec.blueprintDir}`, thrown));
  };
  process.on('uncaughtException', thrownLater);
  process.on('unhandledRejection', thrownLater);
  return { failed: () => failing };
}

/** Reports the job failed with `error`, placed at the blueprint's line, and ends this process. */
async function failJob(spec: JobSpec, error: unknown): Promise<never> {
  await send({ type: 'error', error: describeJobError(error, spec.blueprintDir) });
  return exit(1);
}

/**
 * A blueprint that calls `process.exit()` would end this process before it reported, which the CLI could tell
 * only as `the blueprint process exited (0) before it completed`, with no line: the call throws instead, an
 * error placed at the blueprint's line that fails the job, even if the blueprint catches it.
 */
function failOnExit(spec: JobSpec): { called(): BlueprintExitError | undefined } {
  let called: BlueprintExitError | undefined;
  process.exit = ((code?: number | string) => {
    called ??= new BlueprintExitError(`the blueprint ${spec.blueprintDir}`, code, 'before it completed');
    throw called;
  }) as typeof process.exit;
  return { called: () => called };
}

if (require.main === module) {
  const warm: JobWarmUp = JSON.parse(process.argv[2]);
  // Before anything of the blueprint's can load, even a module of its own that the warm-up pulls in.
  if (warm.sandbox) refuseUncheckedCalls();
  exitWithParent();
  // Listen first: the job may arrive while the warm-up's synchronous loading runs.
  process.once('message', (spec: JobSpec) => {
    const thrownLater = failOnThrownLater(spec);
    const exited = failOnExit(spec);
    runJob(spec)
      // Node reports a promise rejected with nobody awaiting it after the turn that rejected it: give it that turn.
      .then(message => new Promise<JobMessage>(resolve => setImmediate(() => resolve(message))))
      .then(
      async message => {
        if (thrownLater.failed()) return; // its error is on its way, and ends the process
        const exitCalled = exited.called();
        if (exitCalled) return failJob(spec, exitCalled);
        // Made after the job ran, the caches also hold the functions the job compiled. A sandboxed job
        // only reads them: code it left there would run unconfined in the next job of another runner.
        if (!spec.sandbox) saveCaches.forEach(saveCache);
        await send(message.type === 'done' && message.bundle ? sendBundle(message) : message);
        exit(0);
      },
      async error => {
        if (thrownLater.failed()) return;
        return failJob(spec, error);
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
