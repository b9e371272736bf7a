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

/** The abort signal that the first SIGINT or SIGTERM to this process aborts, with the signal's name as its reason. */
export function stopOnSignals(): AbortSignal {
  if (controller) return controller.signal;
  const own = (controller = new AbortController());
  const stop = (signal: NodeJS.Signals) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    own.abort(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return own.signal;
}
