import * as net from 'net';
import { InputError } from '../../src/errors';
import { runFleetOnQueue, runFleetWorker } from '../../src/fleet/queue';
import { tempDir } from '../util';
import { CliChildren } from './cli-children';
import { testJobs } from './queue-workers';

// A --queue URL whose port is some other service's: it must end each side within seconds, exit 2, saying what answered.

/** A TCP server on a free local port: `greeting` is written on each connection; null writes nothing, ever. */
async function otherService(greeting: string | null): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
    if (greeting !== null) socket.write(greeting);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}/0`,
    connections: () => sockets.size,
    close: async () => {
      sockets.forEach(socket => socket.destroy());
      await new Promise(resolve => server.close(resolve));
    },
  };
}

const services: { close: () => Promise<void> }[] = [];
afterAll(() => Promise.all(services.map(each => each.close())));

test("a port that accepts and never answers: the worker exits 2 within seconds naming the URL, the run's side rejects, nothing left open", async () => {
  const silent = await otherService(null);
  services.push(silent);
  const children = new CliChildren(tempDir());
  const started = Date.now();
  const worker = children.start(['fleet', 'worker', '--queue', silent.url, '--jobs', '1']);
  const error = await runFleetOnQueue(silent.url, testJobs(1), { connectTimeout: 1_000 }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toBe(`--queue ${silent.url}: no Redis answered within 1 s (the server accepted the connection but never answered: not a Redis, or one that hangs)`);
  await expect(runFleetWorker(silent.url, { processor: async () => { throw new Error('never called'); }, connectTimeout: 1_000 })).rejects.toThrow(/never answered/);
  expect(await worker.exited).toBe(2);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(worker.output.stderr).toContain(`--queue ${silent.url}: no Redis answered within 3 s (the server accepted the connection but never answered`);
  // The clients of both sides hung up (ioredis ends a socket gracefully, and destroys it 2 s later), none left on the server.
  for (const waited = Date.now(); silent.connections() > 0 && Date.now() - waited < 5_000;) await new Promise(resolve => setTimeout(resolve, 50));
  expect(silent.connections()).toBe(0);
}, 30_000);

test('a port of another protocol (an SSH banner): exit 2 within seconds, saying the server is not a Redis, not to report a bug', async () => {
  const ssh = await otherService('SSH-2.0-OpenSSH_9.2p1\r\n');
  services.push(ssh);
  const children = new CliChildren(tempDir());
  const started = Date.now();
  const worker = children.start(['fleet', 'worker', '--queue', ssh.url, '--jobs', '1']);
  expect(await worker.exited).toBe(2);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(worker.output.stderr).toContain(`--queue ${ssh.url}: no Redis answered within 3 s (the server is not a Redis: it answered "S" where Redis's answers start with`);
  expect(worker.output.stderr).not.toContain('Please report this');
}, 30_000);
