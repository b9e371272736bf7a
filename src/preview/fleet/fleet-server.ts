import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { PAGE_CSP, pageHtml } from '../page-html';
import { ASSETS, ASSETS_DIR } from '../assets';
import { sameOrigin, send, sendJson } from '../server';
import type { FleetView } from './fleet-view';

/** The fleet page's title: the repositories file's name. */
export function fleetTitle(fleet: FleetView): string {
  return `fleet ${path.basename(fleet.state.reposFile)}`;
}

/**
 * The fleet page's HTTP server: the page (the preview's own, in its fleet view), its assets, and three
 * read-only views: `api/fleet.json` (one row per repository), `api/fleet/report/NAME.json` (the last update's
 * outcome) and `api/fleet/diff/NAME.diff` (its unified diff). NAME is looked up among the fleet's repositories,
 * never used as a path. Like the preview's server, it refuses requests whose Host or Origin is not its own.
 */
export function createFleetServer(fleet: FleetView, assetsDir = ASSETS_DIR): http.Server {
  return http.createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      send(response, 500, (error as Error).message);
    }
  });

  function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    if (!sameOrigin(request)) return send(response, 403, 'foreign host or origin');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed');
    const pathname = (request.url ?? '/').split(/[?#]/)[0];
    const [, head, ...rest] = pathname.split('/');
    if (pathname === '/' || pathname === '/index.html') {
      return send(response, 200, pageHtml(fleetTitle(fleet), undefined, 'fleet'), { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP });
    }
    if (head === 'assets' && rest.length === 1 && ASSETS[rest[0]]) {
      return send(response, 200, fs.readFileSync(path.join(assetsDir, rest[0])), { 'Content-Type': ASSETS[rest[0]], 'Cache-Control': 'no-cache' });
    }
    if (pathname === '/favicon.ico') return send(response, 204, '');
    if (pathname === '/api/fleet.json') return sendJson(response, fleet.state);
    if (head === 'api' && rest[0] === 'fleet' && rest.length === 3) {
      const [, view, file] = rest;
      if (view === 'report' && file.endsWith('.json')) {
        const name = repositoryName(file.slice(0, -'.json'.length));
        const report = name === undefined ? undefined : fleet.report(name);
        if (!report) return send(response, 404, name === undefined ? 'no such repository' : `no fleet update of ${name} recorded`);
        return sendJson(response, report);
      }
      if (view === 'diff' && file.endsWith('.diff')) {
        const name = repositoryName(file.slice(0, -'.diff'.length));
        if (name === undefined) return send(response, 404, 'no such repository');
        const diff = fleet.diff(name);
        if (diff === undefined) return send(response, 404, fleet.state.rows.find(row => row.name === name)?.noDiff ?? 'no diff');
        return send(response, 200, diff, { 'Content-Type': 'text/plain; charset=utf-8' });
      }
    }
    send(response, 404, 'not found');
  }

  /** A repository's name from a request, if it is one of the fleet's. */
  function repositoryName(encoded: string): string | undefined {
    let name: string;
    try {
      name = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
    return fleet.has(name) ? name : undefined;
  }
}
