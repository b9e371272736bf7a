import { AsyncLocalStorage } from 'async_hooks';
import * as vm from 'vm';
import { watchEventLoop } from './event-loop-watchdog';

/**
 * Runs a job that executes in this process (see `runInProcess`) so that what a blueprint does wrong fails the
 * job instead of ending, or outliving, the process that called it. A job process would die of any of these, and
 * its caller would see a failed job; in the caller's own process each needs a guard of its own:
 *
 * - `process.exit()` would end the caller midway (an update before it lands: a zero exit that did nothing), so
 *   for the job's time it throws instead, and fails the job even when the blueprint catches that;
 * - an error thrown from a timer, or a promise rejected with nobody awaiting it, would end the caller with a
 *   stack trace that does not say whose it was, so for the job's time such an error fails the job;
 * - a time limit cannot be kept by a timer while the blueprint's code is running synchronously (`for (;;) {}`
 *   blocks the event loop the timer needs), so the job's synchronous part runs under `vm`'s own time limit,
 *   which V8 enforces from another thread by terminating the script; what runs after the job's first `await`
 *   is kept to what remains of the limit by a timer, and, should the blueprint block the thread there, by a
 *   watchdog thread that ends the whole process (see {@link watchEventLoop}): the caller must be one that such an
 *   end leaves whole (an update before it lands).
 *
 * - code the blueprint leaves behind would run in the caller after the job, as the caller's own: a
 *   `setTimeout(() => process.exit(0))` would end an update with exit 0 before, or while, it lands, and an
 *   error it throws would end it with a stack trace. A job process ends once it reported, so such code never
 *   runs there: here the timers the blueprint set (`setTimeout`, `setInterval`, `setImmediate`) and did not
 *   clear are cleared when the job ends, and a promise it rejected with nobody awaiting it, which Node reports
 *   only once the current turn of the event loop is over, is given that turn and fails the job.
 * - a listener the blueprint adds for a signal (`process.on('SIGTERM', ...)`, as a command-line tool cleans up on
 *   Ctrl-C) would take the signal's default action away from the caller: Ctrl-C and SIGTERM, which must end a
 *   blueprint that holds the only thread (see the CLI's `signalsEndProcess`), would be queued for a listener that
 *   runs only once the job is over, and the command would go on to exit 0; and the listener would stay, to run
 *   when the caller is interrupted later (an update while it lands). A job process is killed with SIGKILL, so no
 *   such listener ever runs there: here it is not added at all.
 *
 * `proc` is Node's own process object (under jest, `process` is a copy); `who` names the blueprint in messages.
 * Resolves to what `job` resolves to; rejects with the first failure. Code the blueprint left waiting on
 * something else (a socket, a file read) may still run after the job: the blueprint is code you trust.
 */
export async function guardJob<T>(proc: NodeJS.Process, who: string, limitMs: number | undefined, job: () => Promise<T>): Promise<T> {
  let fail!: (error: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const exit = proc.exit;
  proc.exit = ((code?: number | string) => {
    const error = new BlueprintExitError(who, code);
    fail(error);
    throw error;
  }) as typeof proc.exit;
  const thrownLater = (error: unknown) => fail(new BlueprintAsyncError(who, error));
  proc.on('uncaughtException', thrownLater);
  proc.on('unhandledRejection', thrownLater);
  const begun = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let stopWatching: (() => void) | undefined;
  const timers = trackTimers();
  const restoreListeners = dropSignalListeners(proc, timers.running);
  try {
    const inJob = () => timers.within(job);
    const started = limitMs === undefined ? inJob() : startWithin(inJob, limitMs, who);
    if (limitMs !== undefined) {
      const remaining = Math.max(0, limitMs - (Date.now() - begun));
      timer = setTimeout(() => fail(new BlueprintTimeoutError(who, limitMs)), remaining);
      // A blueprint that blocks the thread after its first await keeps the timer from firing: the watchdog then ends the process, a grace period after the limit.
      stopWatching = watchEventLoop(`${new BlueprintTimeoutError(who, limitMs).message}: it blocked this process's only thread after its first await, so the process is ended (SIGKILL); nothing was written\n`, remaining + WATCHDOG_GRACE_MS);
    }
    const result = await Promise.race([started, failed]);
    // The job has ended: its timers still pending are cleared now, not after the turn below, in which they could fire.
    timers.clearPending();
    // Node reports a promise rejected with nobody awaiting it after the turn that rejected it.
    await Promise.race([new Promise(resolve => timers.setImmediate(resolve)), failed]);
    return result;
  } finally {
    timers.clearLeftOver();
    restoreListeners();
    stopWatching?.();
    clearTimeout(timer);
    proc.off('uncaughtException', thrownLater);
    proc.off('unhandledRejection', thrownLater);
    proc.exit = exit;
  }
}

/**
 * Records the timers set through the global `setTimeout`, `setInterval` and `setImmediate` by code that runs
 * `within` (the job, and whatever its callbacks and promises start: an `AsyncLocalStorage` follows them), not
 * those that other code of the process sets meanwhile (a queue's lock renewal, the caller's own timers).
 * Returns the original `setImmediate` (for the guard's own use), how to clear the job's timers still pending,
 * and how to put the globals back, clearing those set since.
 */
function trackTimers(): { within: <T>(job: () => T) => T; running: () => boolean; setImmediate: typeof setImmediate; clearPending: () => void; clearLeftOver: () => void } {
  const original = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval, setImmediate: globalThis.setImmediate };
  const job = new AsyncLocalStorage<true>();
  const timeouts = new Set<NodeJS.Timeout>();
  const immediates = new Set<NodeJS.Immediate>();
  const track = <T>(set: Set<T>, handle: T): T => (job.getStore() ? set.add(handle) : undefined, handle);
  globalThis.setTimeout = Object.assign((...args: Parameters<typeof setTimeout>) => track(timeouts, original.setTimeout(...args)), original.setTimeout);
  globalThis.setInterval = Object.assign((...args: Parameters<typeof setInterval>) => track(timeouts, original.setInterval(...args)), original.setInterval);
  globalThis.setImmediate = Object.assign((...args: Parameters<typeof setImmediate>) => track(immediates, original.setImmediate(...args)), original.setImmediate);
  const clearPending = () => {
    timeouts.forEach(handle => clearTimeout(handle));
    immediates.forEach(handle => clearImmediate(handle));
    timeouts.clear();
    immediates.clear();
  };
  return {
    within: run => job.run(true, run),
    running: () => job.getStore() === true,
    setImmediate: original.setImmediate,
    clearPending,
    clearLeftOver: () => {
      Object.assign(globalThis, original);
      clearPending();
    },
  };
}

/** Node's name for a signal's event (`SIGINT`, `SIGTERM`, ...). */
const SIGNAL_EVENT = /^SIG[A-Z0-9]+$/;

/**
 * Keeps the code for which `inJob()` holds (the job, and what its callbacks start) from adding a listener for a
 * signal to `proc` (see {@link guardJob}), through any of the emitter's methods that add one; other code of the
 * process adds its own as before. Returns how to put the methods back. The blueprint under the fast runner is code
 * you trust: this keeps a habit of command-line tools from breaking the caller, it does not confine the blueprint.
 */
function dropSignalListeners(proc: NodeJS.Process, inJob: () => boolean): () => void {
  const methods = ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener'] as const;
  const own = methods.filter(name => Object.prototype.hasOwnProperty.call(proc, name)).map(name => [name, proc[name]] as const);
  for (const name of methods) {
    const add = proc[name] as (this: NodeJS.Process, event: string | symbol, listener: (...args: unknown[]) => void) => NodeJS.Process;
    proc[name] = function (this: NodeJS.Process, event: string | symbol, listener: (...args: unknown[]) => void) {
      if (typeof event === 'string' && SIGNAL_EVENT.test(event) && inJob()) return this;
      return add.call(this, event, listener);
    } as never;
  }
  return () => {
    for (const name of methods) delete (proc as unknown as Record<string, unknown>)[name];
    for (const [name, method] of own) proc[name] = method as never;
  };
}

/** How long past the time limit the watchdog waits for a blocked thread before it ends the process. */
const WATCHDOG_GRACE_MS = 2000;

/**
 * Calls `job` under `vm`'s time limit: its synchronous part (loading the blueprint, its constructor, and its
 * `synth()` up to the first `await`: most of a blueprint's work) is stopped by V8 when it runs past `limitMs`,
 * even in a loop that never yields. `vm` limits only the running of a script, so a one-line script in a context
 * of its own calls `job` (a function of this context, which runs as it would anywhere).
 */
function startWithin<T>(job: () => Promise<T>, limitMs: number, who: string): Promise<T> {
  const context = vm.createContext({ job });
  try {
    return vm.runInContext('job()', context, { timeout: Math.max(1, Math.round(limitMs)) }) as Promise<T>;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new BlueprintTimeoutError(who, limitMs);
    throw error;
  }
}

/** A blueprint called `process.exit()` while it ran: in its caller's process, or (`when`) in a job process before it reported. */
export class BlueprintExitError extends Error {
  constructor(who: string, code: number | string | undefined, when = "while it ran in the caller's own process") {
    super(`${who} called process.exit(${code ?? ''}) ${when}: a blueprint must return, or throw, instead (nothing was written)`);
    this.name = 'BlueprintExitError';
  }
}

/** A blueprint running in its caller's process threw from a timer, or left a rejected promise unawaited. */
export class BlueprintAsyncError extends Error {
  constructor(who: string, thrown: unknown) {
    super(`${who} threw outside its synthesis (from a timer, or a promise nobody awaited): ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`);
    this.name = 'BlueprintAsyncError';
    if (thrown instanceof Error) this.stack = `${this.name}: ${this.message}\n${thrown.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  }
}

/** A blueprint running in its caller's process ran past its time limit, and was stopped. */
export class BlueprintTimeoutError extends Error {
  constructor(who: string, limitMs: number) {
    super(`timed out after ${limitMs} ms: ${who} did not finish within the time limit (${limitMs / 1000} s), and was stopped`);
    this.name = 'BlueprintTimeoutError';
  }
}
