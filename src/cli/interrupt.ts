/**
 * Ctrl-C (SIGINT) and SIGTERM for a command whose work can stop cleanly. By default Node ends the process at
 * once, midway through whatever it writes: a job's bundle half-written, a staging folder or a work folder
 * left behind. A command that asks for {@link stopOnSignals} gets an abort signal instead, which its library
 * call watches: the jobs are killed, what they were writing is put back, and the call rejects with an
 * `InterruptedError`, which `main` prints and turns into exit 130 (SIGINT) or 143 (SIGTERM).
 *
 * Only the first signal is handled: a second one ends the process at once, as it would have by default (the
 * user means it), and the next run puts back what that left (see `recoverBundle`).
 */

let controller: AbortController | undefined;

/** What a command does at the signals besides the abort (see {@link stopOnSignals}). */
export interface StopOnSignalsOptions {
  /** Called at the first signal, once the run is aborted: to say what the command does now. @default nothing */
  readonly onFirst?: (signal: NodeJS.Signals) => void;
  /**
   * Called at a second signal in place of its default action, which ends the process at once: for a command whose
   * child processes would outlive it (a pool that leaves SIGINT to its owner), to end them, and then the process.
   * @default the default action
   */
  readonly onSecond?: (signal: NodeJS.Signals) => void;
}

/**
 * The abort signal that the first SIGINT or SIGTERM to this process aborts, with the signal's name as its reason.
 * The first call's `options` hold for the process.
 */
export function stopOnSignals(options: StopOnSignalsOptions = {}): AbortSignal {
  if (controller) return controller.signal;
  const own = (controller = new AbortController());
  const { onFirst, onSecond } = options;
  const stop = (signal: NodeJS.Signals) => {
    if (own.signal.aborted) return onSecond!(signal); // still listening after the first only with onSecond
    if (!onSecond) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    own.abort(signal);
    onFirst?.(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return own.signal;
}

/** What {@link holdingSignals} returns: the work's value, and the first signal that came while it ran. */
export interface Held<T> {
  /** What the work returned. */
  readonly value: T;
  /** The first SIGINT or SIGTERM that came while the work ran, if one did. */
  readonly signal?: NodeJS.Signals;
}

/**
 * Runs synchronous `work` that must not be cut midway (an update's landing: git writing the index, the work tree
 * and the merge state), with SIGINT and SIGTERM held: every one that comes meanwhile, however many, waits for the
 * work's end instead of ending the process, and the first is returned for the caller to act on.
 *
 * The work being synchronous, a signal that comes while it runs is only queued; it reaches a listener at the next
 * turn of the event loop, so the listeners stay one turn after the work. Outside the work the signals do as
 * before (a command that did not ask for {@link stopOnSignals} is ended at once).
 */
export async function holdingSignals<T>(work: () => T): Promise<Held<T>> {
  let signal: NodeJS.Signals | undefined;
  const hold = (received: NodeJS.Signals) => {
    signal ??= received;
  };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  let value: T;
  try {
    value = work();
  } finally {
    // Also when the work failed: a signal held meanwhile then gives way to the failure, rather than ending the process.
    await queuedSignalsDelivered();
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
  return { value, signal };
}

/**
 * Runs `work`, a blueprint's job in this process (see `RunOptions.aroundInProcessJob`), with SIGINT and SIGTERM
 * back to their default action, which ends the process at once. The listeners of {@link stopOnSignals} would only
 * be queued while the blueprint's code holds the only thread, so Ctrl-C on a blueprint that never returns would do
 * nothing. What that leaves is what a run killed outright leaves, which the next run puts right: `create` and an
 * update before it lands have written nothing of the user's yet (their bundles are in their work folder, which the
 * next run removes); a synthesis leaves the bundle it was writing beside the earlier one, which the next run into
 * that folder puts back. The listeners are back once the job is over.
 */
export async function signalsEndProcess<T>(work: () => Promise<T>): Promise<T> {
  // A signal that came while this process was busy before the job (compiling the blueprint, validating its options:
  // seconds on a cold start) waits in the event loop for the listeners removed below, which would drop it: the
  // command then ran the job and exited 0. Delivered first, it aborts the run, and the job does not start.
  await queuedSignalsDelivered();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const listeners = signals.map(name => process.listeners(name));
  for (const name of signals) process.removeAllListeners(name);
  try {
    return await work();
  } finally {
    signals.forEach((name, i) => listeners[i].forEach(listener => process.on(name, listener)));
  }
}

/**
 * Resolves once the signals that came while this process was busy have reached their listeners. Node reads them in
 * the event loop's poll phase: a single `setImmediate` resolves in the check phase right after the current poll
 * phase when called from it (from an I/O callback, say), before any signal that came meanwhile is read; the second
 * comes after the next poll phase.
 */
export async function queuedSignalsDelivered(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise(resolve => setImmediate(resolve));
}
