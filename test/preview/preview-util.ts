import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { PreviewState } from '../../src/preview/state';
import { CLI, stopBeforeCleanup, stopChild, tempDir } from '../util';

/** The preview tests' blueprint. */
export const FIXTURE = path.join(__dirname, 'fixtures', 'blueprint');

/**
 * A copy of the fixture blueprint in a temporary folder (the tests edit it), with a binary static asset
 * (a NUL byte makes it binary, as git decides) and an executable script.
 */
export function copyFixture(): string {
  const dir = path.join(tempDir('bluesynth-preview-'), 'blueprint');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'lib'), { recursive: true, force: true });
  fs.writeFileSync(path.join(dir, 'static-assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
  fs.chmodSync(path.join(dir, 'static-assets', 'run.sh'), 0o755);
  return dir;
}

/** A `blueprint preview` running as a child process, as users run it. */
export interface RunningPreview {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `blueprint preview ARGS --port 0` and resolves once it printed its address. */
export function startPreview(args: string[]): Promise<RunningPreview> {
  const child = spawn(process.execPath, [CLI, 'preview', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
        const stop = () => stopChild(child, 'SIGTERM');
        stopBeforeCleanup(stop);
        resolve({ url: match[1], child, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', code => reject(new Error(`preview exited (${code}) before serving:\n${output}`)));
  });
}

/** The preview's state, polled until `done` holds (or the time is up). */
export async function waitForState(url: string, done: (state: PreviewState) => boolean, timeoutMs = 30_000): Promise<PreviewState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = (await (await fetch(`${url}api/state.json`)).json()) as PreviewState;
    if (done(state)) return state;
    if (Date.now() > until) throw new Error(`timed out waiting for the preview; last state: ${JSON.stringify(state, null, 1)}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** Every job has a good result and nothing is running. */
export function allOk(state: PreviewState): boolean {
  return !state.busy && state.jobs.length > 0 && state.jobs.every(job => job.status === 'ok');
}
