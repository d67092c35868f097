import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import next from 'next';
import { readEnv } from './config/env';
import { entryRedirect, isFederationPath, isProtocolPath } from './http/routes';
import { allowFraming, framingTarget, isFramedRequest, isScriptRequest } from './http/embedding';
import { answerFontFile, isFontFilePath } from './http/font-files';
import { protocolHeaders, securityHeaderList, securityHeaders } from './http/headers';
import { loadActionIds } from './http/action-shape';
import { queryProblem } from './http/query';
import { isPagePost, originFormTarget, readBody, replay, screenActionCall, screenHead, type Refusal } from './http/screen';
import { normaliseForwarded } from './http/forwarded';
import { withRequestId } from './http/request-id';
import { answerHealth, HEALTH_PATHS } from './http/health';
import { drainer, freePort, listen } from './http/lifecycle';
import { DRAIN_LIMIT_BYTES, formPolicy } from './http/limits';
import { answerMetrics, METRICS_PATH } from './http/metrics-endpoint';
import { routeLabeller } from './http/route-label';
import { metrics } from './metrics';
import { sendRenderedPage, type PageRenderer } from './http/rendered-page';
import { applyStatusSignal } from './http/status-signal';
import { answerSdk, SDK_PATH } from './http/sdk';
import { answerThemeFile, isThemeFilePath } from './http/theme-files';
import { captureConsole, errorMessage, log } from './log';
import { isLocale } from '../i18n/locales';
import { installRuntime, startRuntime } from './runtime';
import { isCognitoApiRequest } from './oidc/cognito-api';
import { adminRouteLabels, isAdminApiPath } from './admin';

/** Methods counted by name in metrics; anything else is `other` (no unbounded labels). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * One process: oidc-provider answers the protocol paths directly (fast, Node req/res), Next.js
 * renders everything else. Both share the runtime (database, pool, provider).
 *
 * The port opens only when every route can answer (migrations, keys, config, Next prepared); on
 * SIGTERM it closes, requests in flight finish, queued messages go out, and the process exits 0.
 */
async function main() {
  captureConsole();
  const env = readEnv();
  const shutdownMs = env.shutdownTimeoutSeconds * 1000;
  const publicUrl = new URL(env.publicUrl);
  const port = env.port === 0 ? await freePort(env.host) : env.port;

  // Raw handlers (oidc-provider's errors, the 413 page) answer with our rendered pages. They are
  // fetched from a loopback listener of our own, which stays open while the public one drains.
  const internal = http.createServer();
  const internalPort = await listen(internal, 0, '127.0.0.1');
  const renderPage: PageRenderer = async (path, headers) => {
    const res = await fetch(`http://127.0.0.1:${internalPort}${path}`, {
      headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v)) as Record<string, string>,
      redirect: 'manual',
    });
    const keep = ['content-security-policy', 'content-language'];
    return {
      html: await res.text(),
      headers: Object.fromEntries(keep.flatMap((k) => (res.headers.get(k) ? [[k, res.headers.get(k)!]] : []))),
    };
  };

  const rt = await installRuntime(startRuntime({ ...env, port }, renderPage));
  const app = next({ dev: false, dir: process.cwd(), hostname: env.host, port });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const handleOidc = rt.handleOidc;
  const secure = publicUrl.protocol === 'https:';
  const server = http.createServer({ keepAliveTimeout: env.keepAliveTimeoutSeconds * 1000 });
  // A request's headers may arrive on a connection that was idle up to the keep-alive timeout.
  server.headersTimeout = env.keepAliveTimeoutSeconds * 1000 + 5000;
  const metricsServer = env.metricsPort !== undefined ? http.createServer() : undefined;
  const lifecycle = drainer([server]);
  const distDir = path.resolve(process.env.NEXT_DIST_DIR || '.next');
  const routeOf = routeLabeller(distDir, adminRouteLabels);
  const actionIds = loadActionIds(distDir);

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    lifecycle.track(res);
    withRequestId(req, res, env.trustProxy, (reqId) => route(req, res, reqId));
  };

  const route = (req: http.IncomingMessage, res: http.ServerResponse, reqId: string) => {
    const started = process.hrtime.bigint();
    const ip = normaliseForwarded(req, publicUrl, env.trustProxy);
    securityHeaders(res, secure);
    const url = originFormTarget(req) ?? '/';
    req.url = url;
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { reqId, method: req.method, path: pathname, status: res.statusCode, ms: Math.round(ms * 10) / 10, ip };
      if (HEALTH_PATHS.has(pathname)) log.debug(line, 'request');
      else log.info(line, 'request');
      const route = routeOf(pathname);
      const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
      metrics.httpRequests.inc({ method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method, route }, ms / 1000);
    });

    // A JSON API with its own methods, refusals (problem details) and authentication (bearer
    // tokens, no cookies): none of the pages' screening applies.
    if (isAdminApiPath(pathname)) {
      rt.adminApi.handle(req, res).catch((e: unknown) => fail(res, e));
      return;
    }
    // Cognito's user-pool JSON API (POST /, its CORS preflight): JSON in and out, no cookies.
    if (isCognitoApiRequest(pathname, req.method)) {
      rt.cognitoApi.handle(req, res).catch((e: unknown) => fail(res, e));
      return;
    }
    const protocol = isProtocolPath(pathname);
    const refusal = screenHead(req, pathname, { protocol, publicOrigin: publicUrl.origin });
    const segment = pathname.split('/')[1];
    // A malformed query parameter of a page: refused here (Next.js would proxy its rewrite to the
    // error page over a connection of its own, which fails under load).
    const badQuery = !protocol && isLocale(segment) && queryProblem(pathname.slice(segment.length + 1), new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    const refused = refusal ?? (badQuery ? ({ status: 400, code: badQuery } as const) : undefined);
    if (refused) {
      refuse(req, res, pathname, refused).catch((e: unknown) => fail(res, e));
      return;
    }
    if (HEALTH_PATHS.has(pathname)) {
      answerHealth(pathname, res, { db: rt.db.kysely, draining: lifecycle.draining }).catch((e: unknown) => fail(res, e));
      return;
    }
    if (pathname === METRICS_PATH && env.metricsToken) {
      answerMetrics(req, res, env.metricsToken).catch((e: unknown) => fail(res, e));
      return;
    }
    if (isFontFilePath(pathname)) {
      answerFontFile(req, res, pathname);
      return;
    }
    if (isThemeFilePath(pathname)) {
      answerThemeFile(req, res, pathname, rt.themes).catch((e: unknown) => fail(res, e));
      return;
    }
    if (pathname === SDK_PATH) {
      answerSdk(req, res).catch((e: unknown) => fail(res, e));
      return;
    }
    const entry = entryRedirect(pathname, q === -1 ? '' : url.slice(q + 1));
    if (entry) {
      res.statusCode = 302;
      res.setHeader('location', entry);
      res.end();
      return;
    }
    const framing = framingTarget(pathname, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    if (!framing) {
      dispatch(req, res, pathname, protocol);
      return;
    }
    rt.frameAncestors(framing)
      .then((origins) => {
        if (origins.length) allowFraming(res, origins, { framed: isFramedRequest(req), script: isScriptRequest(req), secure });
        dispatch(req, res, pathname, protocol);
      })
      .catch((e: unknown) => fail(res, e));
  };

  /** Hands the request to the one that answers it: the protocol engine, federation, or Next.js. */
  const dispatch = (req: http.IncomingMessage, res: http.ServerResponse, pathname: string, protocol: boolean) => {
    if (protocol) {
      // Next prefetches an action's redirect target as RSC; make the browser navigate for real.
      if (req.headers.rsc) {
        res.statusCode = 204;
        res.end();
        return;
      }
      protocolHeaders(res, secure);
      if (isFederationPath(pathname)) {
        rt.federationHttp.handle(req, res).catch((e: unknown) => fail(res, e));
        return;
      }
      if (pathname.toLowerCase() === '/oauth2/userinfo') {
        rt.userinfo(req, res).catch((e: unknown) => fail(res, e));
        return;
      }
      if (pathname === '/oauth2/introspect') {
        rt.introspection(req, res).catch((e: unknown) => fail(res, e));
        return;
      }
      handleOidc(req, res);
      return;
    }
    if (req.method === 'POST') {
      const length = req.headers['content-length'];
      const tooLarge = length === undefined ? req.headers['transfer-encoding'] !== undefined : Number(length) > formPolicy(pathname).limit;
      // Next turns an over-limit action body into a 500; we answer 413 with our error page first.
      if (tooLarge) {
        refuse(req, res, pathname, { status: 413, code: 'request_too_large' }).catch((e: unknown) => fail(res, e));
        return;
      }
    }
    applyStatusSignal(res);
    if (isPagePost(req, pathname)) {
      screenedAction(req, res, pathname).catch((e: unknown) => fail(res, e));
      return;
    }
    handleNext(req, res).catch((e: unknown) => fail(res, e));
  };

  /** A post to a page is a server action call: read it (it is bounded), check its shape, then hand it on. */
  async function screenedAction(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
    const policy = formPolicy(pathname);
    const body = await readBody(req, policy.limit);
    const refusal = screenActionCall(req, body, actionIds, { files: policy.files });
    if (refusal) await refuse(req, res, pathname, refusal);
    else await handleNext(replay(req, body), res);
  }

  /** Our error page with `refusal`'s status, once the request's body (if any) is read or cut off. */
  async function refuse(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, refusal: Refusal | { status: 413; code: 'request_too_large' }) {
    const segment = pathname.split('/')[1];
    const locale = isLocale(segment) ? segment : 'en';
    if (!req.complete) {
      let read = 0;
      await new Promise<void>((resolve) => {
        req.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > DRAIN_LIMIT_BYTES) req.destroy();
        });
        req.on('end', resolve);
        req.on('close', resolve);
      });
    }
    const extra: Record<string, string> = refusal.status === 413 ? { connection: 'close' } : {};
    if ('allow' in refusal && refusal.allow) extra.allow = refusal.allow;
    await sendRenderedPage(req, res, renderPage, `/${locale}/error?code=${refusal.code}`, refusal.status, extra);
  }

  internal.on('request', handle);
  server.on('request', handle);
  // Requests Node cannot parse (headers over 16 KiB, broken framing) get our page, not a bare 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    renderPage('/en/error?code=invalid_request', {})
      .then((page) => {
        const body = Buffer.from(page.html);
        const headers = { ...securityHeaderList(secure), ...page.headers, 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length), connection: 'close' };
        const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${head}\r\n`), body]));
      })
      .catch(() => socket.destroy());
  });
  await listen(server, port, env.host);
  if (metricsServer) {
    metricsServer.on('request', (req, res) => {
      if ((req.url ?? '').split('?')[0] !== METRICS_PATH) {
        res.statusCode = 404;
        res.end();
        return;
      }
      answerMetrics(req, res, undefined).catch((e: unknown) => fail(res, e));
    });
    const at = await listen(metricsServer, env.metricsPort!, env.metricsHost);
    log.info({ host: env.metricsHost, port: at }, 'metrics served at /metrics on their own port');
  }

  const url = env.publicUrl;
  log.info(
    { host: env.host, port, url, database: rt.db.dialect, ...(rt.outboxVisible ? { outbox: `${url}/en/dev/outbox` } : {}) },
    `Foyer listening on ${env.host}:${port}: open ${url}`,
  );
  if (!env.smtpUrl && !rt.outboxVisible) {
    log.warn('SMTP_URL is not set, so no e-mail leaves this server (codes are kept in the dev outbox, which is not served on a public issuer). Set SMTP_URL.');
  }
  if (!env.smsWebhookUrl && !rt.outboxVisible && (await rt.pool.settings()).mfa.factors.includes('sms')) {
    log.warn('SMS_WEBHOOK_URL is not set, so no text message leaves this server (codes are kept in the dev outbox, which is not served on a public issuer). Set SMS_WEBHOOK_URL.');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, delaySeconds: env.shutdownDelaySeconds, inFlight: lifecycle.inFlight }, 'shutting down: not ready any more; the port closes after the delay');
    await lifecycle.closePort(env.shutdownDelaySeconds * 1000);
    log.info({ inFlight: lifecycle.inFlight }, 'port closed: finishing the requests in flight');
    const { unfinished } = await lifecycle.finish(shutdownMs);
    internal.close();
    internal.closeAllConnections();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    try {
      await rt.close();
    } catch (e) {
      log.error({ err: e }, 'shutdown: closing the runtime failed');
    }
    log.info({ unfinished }, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function fail(res: http.ServerResponse, e: unknown) {
  log.error({ err: e }, 'request failed');
  if (!res.headersSent) {
    res.statusCode = 500;
    res.end('Internal error');
  }
}

main().catch((e: unknown) => {
  log.fatal(`Foyer failed to start: ${errorMessage(e)}`);
  process.exit(1);
});
