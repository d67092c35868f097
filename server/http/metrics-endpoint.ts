import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from '../metrics';

export const METRICS_PATH = '/metrics';

/** Compares digests, so neither the token's length nor its content shows in the timing. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Prometheus's scrape. On the public port it needs `Authorization: Bearer <METRICS_TOKEN>`; on the
 * separate METRICS_PORT listener (`token` undefined) it is open to whoever can reach that port.
 */
export async function answerMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  if (token !== undefined) {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!given || !sameToken(given, token)) {
      res.statusCode = 401;
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.end();
      return;
    }
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('allow', 'GET, HEAD');
    res.end();
    return;
  }
  const body = await metrics.registry.metrics();
  res.statusCode = 200;
  res.setHeader('content-type', metrics.registry.contentType);
  res.end(req.method === 'HEAD' ? undefined : body);
}
