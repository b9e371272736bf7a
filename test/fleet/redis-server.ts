import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import { tempDir } from '../util';

/** Debian's Redis server (`.ci/run` installs the `redis-server` package when it is missing). */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A real `redis-server` on a free 127.0.0.1 port, with no persistence, in a temporary folder. */
export interface RedisServer {
  /** Its `--queue` URL (database 0). */
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops it (SIGKILL: there is nothing to save) and waits until it has exited. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's choice for port 0). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/** Starts a Redis server and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('bluesynth-redis-');
  const child = spawn(REDIS_SERVER, [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
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
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
