import { ChildProcess, spawn } from 'child_process';
import { CLI, stopBeforeCleanup, stopChild } from '../util';

/** A CLI command running as a child process, its output collected as it comes. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  /** Its exit code, or the signal that ended it. */
  readonly exited: Promise<number | string>;
}

/** CLI commands started in one folder (workers that outlive a run, fleet runs), killed together when a test file ends. */
export class CliChildren {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly cwd: string) {
    stopBeforeCleanup(() => this.killAll());
  }

  /** Starts `blueprint ARGS` in the folder, with `env` added to this process's environment. */
  start(args: string[], env: NodeJS.ProcessEnv = {}): CliChild {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: this.cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    const output = { stdout: '', stderr: '' };
    child.stdout!.on('data', chunk => { output.stdout += chunk; });
    child.stderr!.on('data', chunk => { output.stderr += chunk; });
    const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    return { child, output, exited };
  }

  /** SIGKILLs those still running (a test that failed half-way leaves its workers) and resolves once they exited. */
  async killAll(): Promise<void> {
    await Promise.all(this.children.map(child => stopChild(child, 'SIGKILL')));
  }
}
