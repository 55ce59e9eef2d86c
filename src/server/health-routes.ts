// `GET /healthz` (the process answers), `GET /readyz` (Redis answers and the queue is open;
// always ready without Redis) and `GET /metrics` (Prometheus text format). Added to Probot's
// server with `addHandler` (after the webhook path), and served alone by `npm run worker`
// on METRICS_PORT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics as processMetrics, type Metrics } from '../metrics/metrics.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function healthHandler(notReady: () => Promise<string | undefined>, metrics: Metrics = processMetrics): RouteHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok\n');
      return true;
    }
    if (path === '/readyz') {
      const problem = await notReady().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      res.writeHead(problem ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8' }).end(problem ? `not ready: ${problem}\n` : 'ready\n');
      return true;
    }
    if (path === '/metrics') {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      return true;
    }
    return false;
  };
}
