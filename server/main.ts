import http from 'node:http';
import next from 'next';
import { clientIp, readEnv } from './config/env';
import { entryRedirect, isFederationPath, isProtocolPath } from './http/routes';
import { protocolHeaders } from './http/headers';
import { DRAIN_LIMIT_BYTES, FORM_BODY_LIMIT_BYTES } from './http/limits';
import { sendRenderedPage } from './http/rendered-page';
import { applyStatusSignal } from './http/status-signal';
import { isLocale } from '../i18n/locales';
import { installRuntime, startRuntime } from './runtime';

/**
 * One process: oidc-provider answers the protocol paths directly (fast, Node req/res), Next.js
 * renders everything else. Both share the runtime (database, pool, provider).
 */
async function main() {
  const env = readEnv();
  const httpServer = http.createServer();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(env.port, env.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : env.port;
  const internal = `http://${env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host}:${port}`;

  const renderPage = async (path: string, headers: Record<string, string | undefined>) => {
    const res = await fetch(`${internal}${path}`, {
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
  const handleOidc = rt.provider.callback();
  const secure = env.publicUrl.startsWith('https://');

  httpServer.on('request', (req, res) => {
    // Who is calling, as far as we can tell; never what the client claims.
    req.headers['x-foyer-client-ip'] = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], env.trustProxy);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const entry = entryRedirect(pathname, q === -1 ? '' : url.slice(q + 1));
    if (entry) {
      res.statusCode = 302;
      res.setHeader('location', entry);
      res.end();
      return;
    }
    if (isProtocolPath(pathname)) {
      // Next prefetches an action's redirect target as RSC; make the browser navigate for real.
      if (req.headers.rsc) {
        res.statusCode = 204;
        res.end();
        return;
      }
      protocolHeaders(res, secure);
      if (isFederationPath(pathname)) {
        rt.federation.handle(req, res).catch((e: unknown) => fail(res, e));
        return;
      }
      if (pathname.toLowerCase() === '/oauth2/userinfo') {
        rt.userinfo(req, res).catch((e: unknown) => fail(res, e));
        return;
      }
      handleOidc(req, res);
      return;
    }
    if (req.method === 'POST') {
      const length = req.headers['content-length'];
      const tooLarge = length === undefined ? req.headers['transfer-encoding'] !== undefined : Number(length) > FORM_BODY_LIMIT_BYTES;
      if (tooLarge) {
        refuseLargePost(req, res, pathname).catch((e: unknown) => fail(res, e));
        return;
      }
    }
    applyStatusSignal(res);
    handleNext(req, res).catch((e: unknown) => fail(res, e));
  });

  /** Next turns an over-limit action body into a 500; we answer 413 with our error page first. */
  async function refuseLargePost(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
    const segment = pathname.split('/')[1];
    const locale = isLocale(segment) ? segment : 'en';
    let read = 0;
    await new Promise<void>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > DRAIN_LIMIT_BYTES) req.destroy();
      });
      req.on('end', resolve);
      req.on('close', resolve);
    });
    await sendRenderedPage(req, res, renderPage, `/${locale}/error?code=request_too_large`, 413, { connection: 'close' });
  }

  const url = env.publicUrl;
  console.log(`Foyer listening on ${env.host}:${port}: open ${url} (database ${rt.db.dialect}${rt.outboxVisible ? `, dev mail outbox at ${url}/en/dev/outbox` : ''})`);

  if (!env.smtpUrl && !rt.outboxVisible) {
    console.warn('Warning: SMTP_URL is not set, so no e-mail leaves this server (codes are kept in the dev outbox, which is not served on a public issuer). Set SMTP_URL.');
  }
  if (!env.smsWebhookUrl && !rt.outboxVisible && (await rt.pool.settings()).mfa.factors.includes('sms')) {
    console.warn('Warning: SMS_WEBHOOK_URL is not set, so no text message leaves this server (codes are kept in the dev outbox, which is not served on a public issuer). Set SMS_WEBHOOK_URL.');
  }

  const stop = async () => {
    httpServer.close();
    await rt.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function fail(res: http.ServerResponse, e: unknown) {
  console.error(e);
  if (!res.headersSent) {
    res.statusCode = 500;
    res.end('Internal error');
  }
}

main().catch((e: unknown) => {
  console.error(`Foyer failed to start: ${(e as Error).message}`);
  process.exit(1);
});
