import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import { CLI, ROOT } from '../util';

/**
 * Starts the built CLI as users run it, collecting its output; `exited` resolves with its exit code. `group`
 * starts it in a process group of its own, as a shell starts a foreground command: `process.kill(-pid, 'SIGINT')`
 * then signals it and every process it started, as Ctrl-C in a terminal does.
 */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; group?: boolean } = {}) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: !!options.group,
  });
  let output = '';
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
  return { child, exited, output: () => output };
}

/**
 * True while `pid` is a live process. A killed process whose parent died stays a zombie until init reaps
 * it, and a container's init may never do that: a zombie runs no code, so it counts as gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux'; // no /proc: trust kill(pid, 0)
  }
}

/** Polls `condition` every 50 ms until it holds, failing with `what` after `ms`. */
export async function waitFor(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
