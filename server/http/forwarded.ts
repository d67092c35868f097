import type { IncomingMessage } from 'node:http';
import { clientIp } from '../config/env';

/**
 * What the rest of the process may believe about a request. Where we are (scheme, host, port)
 * comes from PUBLIC_URL alone: `Host`, `X-Forwarded-Host`, `X-Forwarded-Proto` and `Forwarded` are
 * set by whoever sends the request, and a URL built from them (discovery, redirects, e-mails) would
 * send relying parties' codes elsewhere. Who is calling comes from the socket, or with
 * `trustProxy` proxies in front, from the X-Forwarded-For entry the nearest trusted proxy added.
 *
 * The headers are rewritten in place so that oidc-provider (Koa with `proxy` on) and Next.js, which
 * read them, see the public origin and the real client address.
 */
export function normaliseForwarded(req: IncomingMessage, publicUrl: URL, trustProxy: number): string {
  const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy);
  const h = req.headers;
  h.host = publicUrl.host;
  h['x-forwarded-host'] = publicUrl.host;
  h['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
  h['x-forwarded-port'] = publicUrl.port || (publicUrl.protocol === 'https:' ? '443' : '80');
  h['x-forwarded-for'] = ip;
  delete h.forwarded;
  // Our own internal headers are only ever set by us.
  h['x-foyer-client-ip'] = ip;
  return ip;
}
