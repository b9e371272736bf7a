import { sendJson } from './http';
import { Router } from './router';

/** Adds `/healthz` (liveness) and `/readyz` (readiness, from `isReady`). */
export function registerHealthRoutes(router: Router, serviceName: string, isReady: () => boolean = () => true): void {
  const started = Date.now();
  router.get('/healthz', ({ res }) => {
    sendJson(res, 200, { status: 'ok', service: serviceName, uptimeSeconds: Math.floor((Date.now() - started) / 1000) });
  });
  router.get('/readyz', ({ res }) => {
    if (isReady()) sendJson(res, 200, { status: 'ready' });
    else sendJson(res, 503, { status: 'starting' });
  });
}
