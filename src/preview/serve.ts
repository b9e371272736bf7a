import type * as http from 'http';
import type { AddressInfo } from 'net';
import { InputError } from '../errors';

/** Starts `server` listening on `host:port` and resolves with the page's address; a port in use is an input error. */
export async function listen(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', error => reject(portInUse(error as NodeJS.ErrnoException, port, host)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}/`;
}

/** A port already taken, said in words with the way out; any other listen error as it is. */
function portInUse(error: NodeJS.ErrnoException, port: number, host: string): Error {
  if (error.code !== 'EADDRINUSE') return error;
  return new InputError(`port ${port} on ${host} is already in use (another preview?): pick another with --port N, or --port 0 for any free port`);
}

/** Opens `url` in the default browser, or says how to when that cannot be done. */
export function openBrowser(url: string): void {
  const { spawn } = require('child_process') as typeof import('child_process');
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => console.error(`could not run ${command}; open ${url} yourself`));
  child.unref();
}

/**
 * Closes `server` on Ctrl-C or SIGTERM, or when `close()` is called: `before` runs first (stop watching),
 * then open connections (the event stream) are cut and the server closed, then `after` (let running jobs
 * end). `closed` resolves when all that is done.
 */
export function closeOnSignal(server: http.Server, hooks: { before?: () => Promise<unknown>; after?: () => Promise<unknown> } = {}): { closed: Promise<void>; close(): Promise<void> } {
  let resolveClosed!: () => void;
  const closed = new Promise<void>(resolve => (resolveClosed = resolve));
  const close = async () => {
    process.off('SIGINT', close);
    process.off('SIGTERM', close);
    await hooks.before?.();
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
    await hooks.after?.();
    resolveClosed();
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  return { closed, close };
}
