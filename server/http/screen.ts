import type { IncomingMessage } from 'node:http';
import { IncomingMessage as Message } from 'node:http';
import { fetchCallIsWellFormed, formPostIsWellFormed } from './action-shape';
import { boundaryOf, parseMultipart } from './multipart';

/**
 * Screening of requests that Next.js or oidc-provider would answer with a 500 or a bare text:
 * odd methods, paths that are not percent-encoded UTF-8, form posts from another origin, and
 * server-action calls that are not shaped as our pages send them. Each gets our error page.
 */
export type Refusal = { status: number; code: 'invalid_request' | 'access_denied' | 'not_found'; allow?: string };

const PAGE_METHODS = 'GET, HEAD, POST';
/** CORS preflights reach the protocol endpoints (token, userinfo, jwks from a browser app). */
const PROTOCOL_METHODS = 'GET, HEAD, POST, OPTIONS';

/**
 * Absolute-form request targets (`GET http://elsewhere/x`) are reduced to their path: what a
 * request names as its host is never believed (see forwarded.ts).
 */
export function originFormTarget(req: IncomingMessage): string | undefined {
  const url = req.url ?? '/';
  if (url.startsWith('/')) return url;
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return undefined;
  }
}

/** What is wrong with a request from its method, path and headers alone, if anything. */
export function screenHead(req: IncomingMessage, pathname: string, o: { protocol: boolean; publicOrigin: string }): Refusal | undefined {
  const allow = o.protocol ? PROTOCOL_METHODS : PAGE_METHODS;
  if (!allow.split(', ').includes(req.method ?? '')) return { status: 405, code: 'invalid_request', allow };
  try {
    decodeURIComponent(pathname);
  } catch {
    return { status: 400, code: 'invalid_request' };
  }
  // A form posted to us from another site (login CSRF and the like); SAML and federation
  // responses come in on protocol paths, posted by other origins on purpose.
  const origin = req.headers.origin;
  if (!o.protocol && req.method === 'POST' && origin !== undefined && origin !== o.publicOrigin) return { status: 403, code: 'access_denied' };
  return undefined;
}

/** Whether a post to a page (not `/api/`) needs its body checked before Next.js reads it. */
export function isPagePost(req: IncomingMessage, pathname: string): boolean {
  return req.method === 'POST' && !pathname.startsWith('/api/');
}

/** Checks a post to a page, which can only be a server action call; its body is read whole (it is bounded). */
export function screenActionCall(req: IncomingMessage, body: Buffer, known: Set<string>, o: { files?: boolean } = {}): Refusal | undefined {
  const bad: Refusal = { status: 400, code: 'invalid_request' };
  const boundary = boundaryOf(req.headers['content-type']);
  const fields = boundary ? parseMultipart(body, boundary, o) : undefined;
  if (!fields) return bad;
  const id = req.headers['next-action'];
  if (id !== undefined) return typeof id === 'string' && fetchCallIsWellFormed(id, fields, known) ? undefined : bad;
  return formPostIsWellFormed(fields, known) ? undefined : bad;
}

/** Reads a request's body whole, up to `limit` bytes (more is an error). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new Error('body over the limit'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The same request again, with its (already read) body readable once more, for Next.js. */
export function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new Message(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}
