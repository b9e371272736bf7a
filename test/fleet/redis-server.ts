import { ChildProcess, spawn } from 'child_process';
import * as os from 'os';
import { freePort } from './ports';

/** Debian's Redis server (`.ci/run` installs the `redis-server` package when it is missing). */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A real `redis-server` on a free 127.0.0.1 port, with no persistence unless asked (it then writes only in `dir`). */
export interface RedisServer {
  /** Its `--queue` URL (database 0). */
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops it (SIGKILL by default: there is nothing to save; SIGTERM lets a persistent one write its data) and waits until it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** How a test's Redis differs from the default one. */
export interface RedisSettings {
  /** Its `requirepass`: clients must give it (`redis://:PASSWORD@...`). @default none */
  readonly password?: string;
  /** A folder where it keeps its data in an append-only file (`appendonly yes`), so that a restart there finds it. @default none */
  readonly dir?: string;
}

/** Starts a Redis server (on `port`: a restart of one stopped) and resolves once it accepts connections. */
export async function startRedis(port?: number, settings: RedisSettings = {}): Promise<RedisServer> {
  port ??= await freePort();
  const child = spawn(REDIS_SERVER, [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', settings.dir ? 'yes' : 'no', '--dir', settings.dir ?? os.tmpdir(),
    ...(settings.password !== undefined ? ['--requirepass', settings.password] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', chunk => { output += chunk; });
  child.stderr!.on('data', chunk => { output += chunk; });
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const started = Date.now();
  while (!/Ready to accept connections/.test(output)) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited at its start:\n${output}`);
    if (Date.now() - started > 10_000) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} was not ready after 10 s:\n${output}`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    process: child,
    async stop(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
