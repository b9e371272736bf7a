import { Worker } from 'worker_threads';

/**
 * Ends this process when its event loop stays blocked longer than `limitMs`, writing `message` to stderr first;
 * returns the function that stops watching. Code running in this process that never returns (a blueprint's
 * `while (true) {}`) blocks the loop, so no timer of ours can fire and no signal handler can run. Only another
 * thread can notice, and only the whole process can be stopped (a thread cannot interrupt another's JavaScript),
 * so the watchdog runs in a worker thread, reads a heartbeat the loop writes into shared memory, writes the
 * message with a direct write to fd 2 (the loop that would flush `process.stderr` is the one blocked) and kills
 * the process with SIGKILL. The caller must be sure that ending the process there leaves nothing half-written.
 */
export function watchEventLoop(message: string, limitMs: number): () => void {
  const heartbeat = new Int32Array(new SharedArrayBuffer(4));
  const beat = setInterval(() => Atomics.add(heartbeat, 0, 1), Math.min(250, limitMs / 4));
  beat.unref();
  const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { heartbeat, limitMs, message } });
  watchdog.unref();
  return () => {
    clearInterval(beat);
    void watchdog.terminate();
  };
}

// Plain JavaScript run by the worker: compare the heartbeat at each check, and act once it stood still too long.
const WATCHDOG = `
const fs = require('fs');
const { workerData } = require('worker_threads');
const { heartbeat, limitMs, message } = workerData;
let seen = Atomics.load(heartbeat, 0);
let since = Date.now();
setInterval(() => {
  const now = Atomics.load(heartbeat, 0);
  if (now !== seen) { seen = now; since = Date.now(); return; }
  if (Date.now() - since < limitMs) return;
  fs.writeSync(2, message);
  process.kill(process.pid, 'SIGKILL');
}, Math.min(500, limitMs / 4));
`;
