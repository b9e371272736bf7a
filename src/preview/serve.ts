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

/**
 * Opens `url` in the default browser, or says how to when that cannot be done. Resolves when the opener ends:
 * true where it handed the page to a browser, false where it could not (said on stderr, with the address).
 */
export function openBrowser(url: string): Promise<boolean> {
  const { spawn } = require('child_process') as typeof import('child_process');
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise(resolve => {
    // The environment is passed as this module sees it, so that a test's PATH picks the opener.
    const child = spawn(command, [url], { detached: true, stdio: 'ignore', env: process.env });
    const failed = (why: string) => {
      console.error(`could not open a browser (${why}): open ${url} yourself`);
      resolve(false);
    };
    child.on('error', () => failed(`${command} did not run`));
    // On a machine without a desktop, xdg-open is there but finds no browser and exits 3; where it hands the
    // page to a browser it exits 0. explorer exits 1 even when it opened the page, so only xdg-open and open
    // are taken at their word.
    child.on('exit', code => (code && command !== 'explorer' ? failed(`${command} exited with ${code}`) : resolve(true)));
    child.unref();
  });
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
