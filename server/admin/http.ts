import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { currentRequestId, log } from '../log';
import type { Limit, Pool } from '../pool';
import { failedAuthenticationLimit, insufficientScope, tooManyFailures, unauthenticated, type Authenticator, type Principal } from './auth';
import { readJson } from './body';
import { checkIfMatch } from './etag';
import { API_BASE, openApiDocument } from './openapi';
import { invalidInput, Problem, type FieldError } from './problem';
import type { Call, Method, Reply, Route } from './route';
import { adminRoutes } from './routes';

/** Whether the admin API answers this path (server/main.ts sends it here, before Next.js). */
export const isAdminApiPath = (pathname: string): boolean => pathname === '/admin/api' || pathname.startsWith('/admin/api/');

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`)).replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** The API's own headers: JSON only, never framed, never cached (answers hold personal data). */
function apiHeaders(res: ServerResponse) {
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', 'no-store');
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('content-type', `${type}; charset=utf-8`);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

function parsed<S extends z.ZodType>(schema: S | undefined, value: unknown, where: 'body' | 'query' | 'path'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(where, result.error, value);
  return result.data;
}

/** What an in-process call answers: the reply, or the problem an HTTP client would have got. */
export type AdminCallResult =
  | { ok: true; status: number; body: unknown; etag?: string }
  | { ok: false; status: number; problem: { kind: string; title: string; detail?: string; errors: FieldError[] } };

export interface AdminApi {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * The same operation as over HTTP (validation, If-Match, audit), for a caller already
   * authenticated in this process: the console's server actions. `path` is relative to
   * /admin/api/v1 and may carry a query string; JSON Lines come back as an array.
   */
  call(o: { principal: Principal; method: Method; path: string; body?: unknown; ifMatch?: string }): Promise<AdminCallResult>;
}

/**
 * The admin REST API as a plain Node handler. `authenticators` are tried in order (bearer tokens;
 * later the console's session); `issuer` names the server in the OpenAPI document.
 */
export function createAdminApi(opts: {
  pool: Pick<Pool, 'admin'>;
  authenticators: Authenticator[];
  issuer: string;
  routes?: readonly Route[];
  /** Refused credentials per client address before 429 (default `failedAuthenticationLimit`). */
  failedAuthLimit?: Limit;
}): AdminApi {
  const routes = opts.routes ?? adminRoutes;
  const compiled = routes.map(compile);
  let document: Record<string, unknown> | undefined;

  async function authenticate(req: IncomingMessage): Promise<Principal> {
    try {
      for (const a of opts.authenticators) {
        const p = await a(req);
        if (p) return p;
      }
    } catch (e) {
      // A credential was presented and refused: counted per client address (server/main.ts has
      // set x-foyer-client-ip from the socket and the trusted proxies), refused outright past the limit.
      if (e instanceof Problem && e.status === 401) {
        const ip = String(req.headers['x-foyer-client-ip'] ?? req.socket.remoteAddress ?? 'unknown');
        const counted = await opts.pool.admin.failedAuthentication({ ip, limit: opts.failedAuthLimit ?? failedAuthenticationLimit });
        if (!counted.allowed) throw tooManyFailures(counted.retryAfter);
      }
      throw e;
    }
    throw unauthenticated();
  }

  /** One request, from wherever it came (HTTP, or the console in-process): its reply, or a thrown Problem. */
  async function run(r: {
    method: string;
    pathname: string;
    search: string;
    principal: () => Promise<Principal>;
    body: (limit: number | undefined) => Promise<unknown>;
    ifMatch: string | undefined;
  }): Promise<Reply> {
    const { method, pathname, search } = r;
    if (!pathname.startsWith(`${API_BASE}/`)) throw new Problem(404, 'not-found', 'No such resource', `the admin API is under ${API_BASE}/`);
    const sub = pathname.slice(API_BASE.length);
    if (sub === '/openapi.json') {
      if (method !== 'GET' && method !== 'HEAD') throw new Problem(405, 'method-not-allowed', 'Method not allowed', undefined, { headers: { allow: 'GET, HEAD' } });
      // The document describes shapes, not data: anyone may read it, as any API description.
      document ??= openApiDocument(routes, opts.issuer);
      return { status: 200, body: document };
    }
    const matches = compiled.map((c) => ({ c, m: c.pattern.exec(sub) })).filter((x) => x.m);
    if (matches.length === 0) throw new Problem(404, 'not-found', 'No such resource', `no operation at ${pathname}`);
    const hit = matches.find((x) => x.c.route.method === method || (method === 'HEAD' && x.c.route.method === 'GET'));
    if (!hit) {
      const allow = [...new Set(matches.map((x) => x.c.route.method))].join(', ');
      throw new Problem(405, 'method-not-allowed', 'Method not allowed', `${pathname} allows ${allow}`, { headers: { allow } });
    }
    const { route, names } = hit.c;
    const principal = await r.principal();
    if (route.method !== 'GET' && !principal.canWrite) throw insufficientScope();
    const rawParams: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      try {
        rawParams[name] = decodeURIComponent(hit.m![i + 1]);
      } catch {
        throw new Problem(400, 'invalid-request', 'The request is not valid', `the path segment for ${name} is not valid percent-encoding`);
      }
    }
    const params = parsed(route.params, rawParams, 'path');
    const query = parsed(route.query, Object.fromEntries(new URLSearchParams(search)), 'query') ?? {};
    if (!route.query && search) throw new Problem(400, 'invalid-request', 'The request is not valid', `${route.path} takes no query parameters`);
    const body = route.body ? parsed(route.body, await r.body(route.bodyLimit), 'body') : undefined;
    const header = r.ifMatch;
    const requestId = currentRequestId() ?? randomUUID();
    const call: Call<unknown, unknown, unknown> = {
      params,
      query,
      body,
      principal,
      admin: opts.pool.admin,
      ifMatch: (current) => checkIfMatch(header, current, route.ifMatch === 'required'),
      write: (fn) =>
        opts.pool.admin.atomically((admin) =>
          fn(admin, (note) => admin.audit.record({ ...note, actor: principal.actor, requestId })),
        ),
    };
    return route.handle(call as Call<never, never, never>);
  }

  async function respond(res: ServerResponse, method: string, reply: Reply): Promise<void> {
    if ('lines' in reply) {
      res.statusCode = 200;
      res.setHeader('content-type', 'application/jsonl; charset=utf-8');
      if (method === 'HEAD') return void res.end();
      for await (const line of reply.lines) {
        if (!res.write(`${JSON.stringify(line)}\n`)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
      return;
    }
    if (reply.etag) res.setHeader('etag', reply.etag);
    if (reply.status === 204) {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (reply.location) res.setHeader('location', reply.location);
    if (method === 'HEAD') {
      res.statusCode = reply.status;
      res.end();
      return;
    }
    send(res, reply.status, reply.body);
  }

  return {
    async handle(req, res) {
      apiHeaders(res);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const pathname = q === -1 ? url : url.slice(0, q);
      const method = (req.method ?? 'GET').toUpperCase();
      const header = req.headers['if-match'];
      try {
        const reply = await run({
          method,
          pathname,
          search: q === -1 ? '' : url.slice(q + 1),
          principal: () => authenticate(req),
          body: (limit) => readJson(req, limit),
          ifMatch: typeof header === 'string' ? header : undefined,
        });
        await respond(res, method, reply);
      } catch (e) {
        if (res.headersSent) {
          log.error({ err: e }, 'admin API: failed while answering');
          res.destroy();
          return;
        }
        const problem = e instanceof Problem ? e : undefined;
        if (!problem) log.error({ err: e }, 'admin API: request failed');
        const p = problem ?? new Problem(500, 'internal', 'Internal error');
        send(res, p.status, p.body(), 'application/problem+json', p.extra.headers ?? {});
      }
    },
    async call({ principal, method, path, body, ifMatch }) {
      const q = path.indexOf('?');
      try {
        const reply = await run({
          method,
          pathname: `${API_BASE}${q === -1 ? path : path.slice(0, q)}`,
          search: q === -1 ? '' : path.slice(q + 1),
          principal: async () => principal,
          body: async () => body,
          ifMatch,
        });
        if ('lines' in reply) {
          const lines: unknown[] = [];
          for await (const line of reply.lines) lines.push(line);
          return { ok: true, status: 200, body: lines };
        }
        return { ok: true, status: reply.status, body: 'body' in reply ? reply.body : undefined, etag: reply.etag };
      } catch (e) {
        if (e instanceof Problem) return { ok: false, status: e.status, problem: { kind: e.kind, title: e.title, detail: e.detail, errors: e.extra.errors ?? [] } };
        throw e;
      }
    },
  };
}
