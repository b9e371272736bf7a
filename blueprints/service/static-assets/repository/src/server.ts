import * as http from 'http';
import { Config } from './config';
import { registerHealthRoutes } from './health';
import { HttpError, sendEmpty, sendJson } from './http';
import { createLogger, Logger } from './logger';
import { Router } from './router';
import { registerResourceRoutes } from './routes';

/** Every route of the service. */
export function createRouter(config: Config): Router {
  const router = new Router();
  registerHealthRoutes(router, config.serviceName);
  registerResourceRoutes(router);
  return router;
}

/** The HTTP server: routing, CORS, errors as JSON, and a log line per request. */
export function createServer(config: Config, logger: Logger = createLogger(config.serviceName, config.logLevel)): http.Server {
  const router = createRouter(config);
  return http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      applyCors(config, req, res);
      if (req.method === 'OPTIONS') return sendEmpty(res);
      const match = router.match(req.method ?? 'GET', url.pathname);
      if (match.kind === 'not-found') throw new HttpError(404, `no resource at ${url.pathname}`);
      if (match.kind === 'method-not-allowed') {
        res.setHeader('allow', match.allowed.join(', '));
        throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
      }
      await match.handler({ req, res, url, params: match.params });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) logger.error('request failed', { path: url.pathname, error: String(error) });
      if (!res.headersSent) sendJson(res, status, { error: status === 500 ? 'internal error' : (error as Error).message });
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = { method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(ms) };
      if (ms >= config.slowRequestMs) logger.warn('slow request', fields);
      else logger.debug('request', fields);
    }
  });
}

function applyCors(config: Config, req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  const any = config.corsOrigins.includes('*');
  if (!any && !config.corsOrigins.includes(origin)) return;
  res.setHeader('access-control-allow-origin', any ? '*' : origin);
  res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
  res.setHeader('access-control-allow-headers', 'content-type');
  res.setHeader('vary', 'origin');
}
