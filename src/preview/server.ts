import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { defaultsFileOf, readOptionsFile } from '../blueprint/options-files';
import { ASSETS, ASSETS_DIR } from './assets';
import { bundleTree, fileDiff, rawHeaders, readRaw } from './bundle-views';
import { PAGE_CSP, pageHtml } from './page-html';
import { guardBlueprintPath, guardPath, isSimpleName, PathRefusedError } from './path-guard';
import { displayPath } from '../bundle/paths';
import { saveConfiguration, saveFolderOf, SaveRefusedError } from './save-configuration';
import type { PreviewScheduler } from './scheduler';

/**
 * The preview's HTTP server, on `node:http`: the page, its assets, the job state (JSON and a
 * server-sent event stream), bundle trees, diffs, raw files, and two writes: a scratch synthesis and
 * saving a wizard configuration. It reads only the output folder, the blueprint folder and its own
 * assets, and refuses requests whose Host or Origin is not its own (a page on another site must not
 * drive it through the browser).
 */
export function createPreviewServer(scheduler: PreviewScheduler, assetsDir = ASSETS_DIR): http.Server {
  const events = new Set<http.ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  scheduler.on('change', () => {
    // Several jobs often end together: one event carries them all.
    pending ??= setTimeout(() => {
      pending = undefined;
      const message = `event: state\ndata: ${JSON.stringify(scheduler.state())}\n\n`;
      for (const response of events) response.write(message);
    }, 30);
  });
  const heartbeat = setInterval(() => {
    for (const response of events) response.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const server = http.createServer((request, response) => {
    handle(request, response).catch(error => {
      if (error instanceof PathRefusedError || error instanceof SaveRefusedError) return send(response, error.status, error.message);
      send(response, 500, (error as Error).message);
    });
  });
  server.on('close', () => {
    clearInterval(heartbeat);
    for (const response of events) response.end();
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!sameOrigin(request)) return send(response, 403, 'foreign host or origin');
    // The raw path, still encoded: WHATWG URL parsing would resolve `..` and `%2e%2e` before any check could see them.
    const url = request.url ?? '/';
    const pathname = url.split(/[?#]/)[0];
    const method = request.method ?? 'GET';
    const [, head, ...rest] = pathname.split('/');
    const tail = rest.join('/');

    if (method === 'POST') {
      if (pathname === '/api/scratch') return scratch(request, response);
      if (pathname === '/api/save') return save(request, response);
      return send(response, 404, 'not found');
    }
    if (method !== 'GET' && method !== 'HEAD') return send(response, 405, 'method not allowed');

    if (pathname === '/' || pathname === '/index.html') {
      return send(response, 200, pageHtml(scheduler.state().blueprint), { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP });
    }
    if (head === 'assets' && rest.length === 1 && ASSETS[rest[0]]) {
      return send(response, 200, fs.readFileSync(path.join(assetsDir, rest[0])), { 'Content-Type': ASSETS[rest[0]], 'Cache-Control': 'no-cache' });
    }
    if (pathname === '/favicon.ico') return send(response, 204, '');
    if (pathname === '/events') return openEvents(response);
    if (pathname === '/api/state.json') return sendJson(response, scheduler.state());
    if (pathname === '/api/schema.json') return sendJson(response, schemaView(scheduler));
    if (head === 'api' && rest[0] === 'tree' && rest.length === 3 && rest[2].endsWith('.json')) {
      const [job, bundle] = [rest[1], rest[2].slice(0, -'.json'.length)];
      return sendJson(response, bundleTree(guardPath(jobRoot(job), bundle)));
    }
    if (head === 'api' && rest[0] === 'diff' && rest.length >= 5) {
      const [, job, from, to, ...file] = rest;
      for (const name of [from, to]) if (!isSimpleName(name)) throw new PathRefusedError(400, 'bad bundle name');
      return send(response, 200, fileDiff(jobRoot(job), from, to, file.join('/')), { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (head === 'raw' && rest.length >= 2) {
      const [job, ...file] = rest;
      const raw = readRaw(guardPath(jobRoot(job), file.join('/')));
      return send(response, 200, raw.buffer, rawHeaders(raw));
    }
    if (head === 'blueprint' && tail) {
      const raw = readRaw(guardBlueprintPath(scheduler.blueprintDir, tail));
      return send(response, 200, raw.buffer, rawHeaders(raw));
    }
    send(response, 404, 'not found');
  }

  /** A job folder under the output folder: a failed job's last good mirror, else the folder itself. */
  function jobRoot(encodedJob: string): string {
    let job: string;
    try {
      job = decodeURIComponent(encodedJob);
    } catch {
      throw new PathRefusedError(400, 'malformed percent-encoding');
    }
    if (!isSimpleName(job)) throw new PathRefusedError(400, 'bad job name');
    // The job folder itself is checked too: a job folder that is a link out of the output folder is refused.
    const relative = path.relative(scheduler.outdir, scheduler.jobFolder(job)).split(path.sep).join('/');
    return guardPath(scheduler.outdir, relative.split('/').map(encodeURIComponent).join('/'));
  }

  function openEvents(response: http.ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'Connection': 'keep-alive' });
    response.write(`event: state\ndata: ${JSON.stringify(scheduler.state())}\n\n`);
    events.add(response);
    response.on('close', () => events.delete(response));
  }

  async function scratch(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readJsonBody(request);
    if (!isObject(body.options)) return send(response, 400, 'expected { "options": { ... } }');
    sendJson(response, await scheduler.runScratch(body.options));
  }

  async function save(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readJsonBody(request);
    if (typeof body.name !== 'string' || !isObject(body.options)) return send(response, 400, 'expected { "name": "...", "options": { ... } }');
    const defaults = readOptionsFile(defaultsFileOf(scheduler.blueprintDir));
    const folder = saveFolderOf(scheduler.blueprintDir, scheduler.outdir);
    const file = saveConfiguration(scheduler.blueprintDir, folder, body.name, body.options, defaults, body.overwrite === true);
    // A blueprint's own configuration by its path in the blueprint, as its jobs name it; one saved elsewhere as displayPath gives it.
    const shown = folder.note ? displayPath(file) : path.relative(scheduler.blueprintDir, file);
    sendJson(response, { file: shown.split(path.sep).join('/'), ...(folder.note ? { note: folder.note } : {}) });
  }

  return server;
}

/** The options schema with the defaults and each wizard configuration's own values, for the form. */
export function schemaView(scheduler: Pick<PreviewScheduler, 'blueprintDir' | 'outdir'>): unknown {
  const { currentOptionsSchema } = require('../schema/schema-file') as typeof import('../schema/schema-file');
  const lookup = currentOptionsSchema(scheduler.blueprintDir);
  const defaults = readOptionsFile(defaultsFileOf(scheduler.blueprintDir));
  const configurations: Record<string, unknown> = {};
  // Where the form saves: an installed package's configurations, saved beside the bundles, are offered as start values too.
  const dir = saveFolderOf(scheduler.blueprintDir, scheduler.outdir).dir;
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort() : []) {
    try {
      configurations[file.slice(0, -'.json'.length)] = readOptionsFile(path.join(dir, file));
    } catch {
      // A configuration that does not parse shows up as a failed job; the form just does not offer it.
    }
  }
  return { schema: lookup.schema ?? null, reason: lookup.schema ? undefined : lookup.reason, defaults, configurations };
}

/** Requests must name this server (loopback or the host it was asked to bind); a browser's Origin must match. */
export function sameOrigin(request: http.IncomingMessage): boolean {
  const host = request.headers.host;
  if (!host) return false;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return false;
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const local = request.socket.localAddress?.replace(/^::ffff:/, '');
  return name === 'localhost' || name === '127.0.0.1' || name === '::1' || name === local;
}

function readJsonBody(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      reject(new SaveRefusedError(400, 'expected a JSON body'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1 << 20) {
        reject(new SaveRefusedError(400, 'body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (!isObject(value)) throw new Error('not an object');
        resolve(value);
      } catch {
        reject(new SaveRefusedError(400, 'malformed JSON body'));
      }
    });
    request.on('error', reject);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Answers with a value as JSON. */
export function sendJson(response: http.ServerResponse, value: unknown): void {
  send(response, 200, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8' });
}

/** Answers with a body and the headers every answer carries (no sniffing, no caching). */
export function send(response: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
