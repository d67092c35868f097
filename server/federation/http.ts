import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { isLocale, localeCookie, pickLocale, type Locale } from '../../i18n/locales';
import { readInteraction } from '../oidc/interaction';
import { cookiePrefix } from '../oidc/provider';
import type { Pool } from '../pool';
import { FederationError, federationErrorStatus, type FederationErrorCode } from './errors';
import { IDP_RESPONSE_PATH, IDP_START_PATH } from './paths';
import { verifyAuthorizationResponse } from './oidc/callback';
import type { OAuthRequestData } from './oidc/authorize';
import { finishSignIn } from './finish';
import { optionsFor, providerForIdentifier, type IdentityProvider } from './providers';
import { hashOf, newBrowserKey } from './requests';
import type { VerifiedIdentity } from './sign-in';

const UID = /^[A-Za-z0-9_-]{1,64}$/;
const FORM_LIMIT_BYTES = 64 * 1024;
const BROWSER_COOKIE_DAYS = 1;

export interface FederationHttpDeps {
  publicUrl: string;
  provider: Provider;
  pool: Pool;
  renderPage: (path: string, headers: Record<string, string | undefined>) => Promise<{ html: string; headers: Record<string, string> }>;
}

function headerBag(req: IncomingMessage): Record<string, string> {
  const bag: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) bag[k] = Array.isArray(v) ? v.join(', ') : v;
  return bag;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function redirect(res: ServerResponse, to: string) {
  res.statusCode = 303;
  res.setHeader('location', to);
  res.setHeader('cache-control', 'no-store');
  res.end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > FORM_LIMIT_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const startQuery = z.object({
  uid: z.string().regex(UID),
  provider: z.string().min(1).max(32).optional(),
  idp_identifier: z.string().min(1).max(254).optional(),
  login_hint: z.string().max(254).optional(),
});

/**
 * The federation routes, answered before oidc-provider sees `/oauth2/*`: the start of a
 * federated sign-in, the OpenID Connect / OAuth 2.0 callback, and the way back from a provider's
 * logout. Failures render our translated error page with a 4xx and are logged.
 */
export function createFederationHttp(deps: FederationHttpDeps) {
  const { pool, provider, publicUrl } = deps;
  const secure = publicUrl.startsWith('https://');
  const browserCookie = `${cookiePrefix(publicUrl)}foyer.fed`;
  const interactionCookie = `${cookiePrefix(publicUrl)}foyer.interaction`;

  const localeOf = (req: IncomingMessage, wanted?: string | null): Locale =>
    isLocale(wanted) ? wanted : pickLocale({ cookie: cookie(req, localeCookie), acceptLanguage: req.headers['accept-language'] });

  /** The hash of this browser's binding key, making one (and its cookie) if it has none. */
  function bindBrowser(req: IncomingMessage, res: ServerResponse): string {
    let key = cookie(req, browserCookie);
    if (!key || !/^[A-Za-z0-9_-]{43}$/.test(key)) {
      key = newBrowserKey();
      res.setHeader('set-cookie', `${browserCookie}=${key}; Path=/; Max-Age=${BROWSER_COOKIE_DAYS * 86400}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    }
    return hashOf(key);
  }
  const browserOf = (req: IncomingMessage) => {
    const key = cookie(req, browserCookie);
    return key ? hashOf(key) : undefined;
  };

  /** The translated error page with a way back to the sign-in; logged with what went wrong. */
  async function fail(req: IncomingMessage, res: ServerResponse, code: FederationErrorCode, o: { locale: Locale; uid?: string; provider?: string; detail?: string }) {
    const ip = String(req.headers['x-foyer-client-ip'] ?? '');
    console.warn(`federation: ${code}${o.provider ? ` provider=${o.provider}` : ''} ip=${ip}${o.detail ? `: ${o.detail}` : ''}`);
    await pool.federation.recordFailure(code, { provider: o.provider, ip, detail: o.detail });
    // Back to the sign-in this browser is in, if any (the page checks that it is still alive).
    const uidCandidate = o.uid ?? cookie(req, interactionCookie);
    const uid = uidCandidate && UID.test(uidCandidate) ? uidCandidate : undefined;
    const page = await deps.renderPage(`/${o.locale}/federation/error?code=${code}${uid ? `&uid=${uid}` : ''}`, {
      cookie: req.headers.cookie,
      'accept-language': req.headers['accept-language'],
    });
    res.statusCode = federationErrorStatus[code];
    for (const [k, v] of Object.entries(page.headers)) res.setHeader(k, v);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(page.html);
  }

  async function start(req: IncomingMessage, res: ServerResponse, url: URL) {
    const locale = localeOf(req, url.searchParams.get('locale'));
    const q = startQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!q.success || (!q.data.provider && !q.data.idp_identifier)) return fail(req, res, 'unknown_provider', { locale, detail: 'malformed start request' });
    const { uid } = q.data;
    const view = await readInteraction(provider, headerBag(req), uid);
    if (!view) return fail(req, res, 'session_expired', { locale, uid });
    const client = await pool.clients.find(view.clientId);
    const all = await pool.federation.providers.list();
    const allowed = client ? optionsFor(all, client).providers : [];
    const wanted = q.data.provider ?? q.data.idp_identifier!;
    const idp = q.data.provider ? allowed.find((p) => p.name === q.data.provider) : providerForIdentifier(allowed, q.data.idp_identifier!);
    if (!idp) {
      const exists = q.data.provider ? all.some((p) => p.name === wanted) : !!providerForIdentifier(all, wanted);
      return fail(req, res, exists ? 'not_allowed' : 'unknown_provider', { locale, uid, provider: wanted.slice(0, 32) });
    }
    try {
      const result = await pool.federation.start(idp, {
        uid,
        locale,
        browser: bindBrowser(req, res),
        publicUrl,
        loginHint: q.data.login_hint || undefined,
        ip: String(req.headers['x-foyer-client-ip'] ?? 'unknown'),
      });
      if ('redirect' in result) return redirect(res, result.redirect);
      res.statusCode = 200;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.end(result.html);
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return fail(req, res, e.code, { locale, uid, provider: idp.name, detail: e.message });
    }
  }

  /**
   * A verified identity from any protocol: sign in, ask to link, or refuse; then answer the
   * browser. The SAML assertion consumer calls this too, once its assertion has been verified.
   */
  async function complete(req: IncomingMessage, res: ServerResponse, a: { uid: string; locale: Locale; idp: IdentityProvider; identity: VerifiedIdentity }) {
    const outcome = await pool.federation.signIn(a.idp, a.identity, a.uid);
    if ('error' in outcome) {
      return fail(req, res, outcome.error === 'user_disabled' ? 'user_disabled' : 'session_expired', { locale: a.locale, uid: a.uid, provider: a.idp.name, detail: outcome.error });
    }
    if ('done' in outcome) {
      const session = a.identity.session ? { provider: a.idp.name, data: a.identity.session } : undefined;
      const to = await finishSignIn({ provider, pool }, headerBag(req), a.uid, outcome.done, session);
      if (!to) return fail(req, res, 'session_expired', { locale: a.locale, provider: a.idp.name });
      return redirect(res, to);
    }
    await pool.flow.save(a.uid, outcome.next);
    return redirect(res, `/${a.locale}/federation/link?uid=${encodeURIComponent(a.uid)}`);
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'POST') {
      // response_mode=form_post arrives cross-site, without our SameSite cookies: keep it, and
      // have the browser come back by GET (a top-level navigation, which carries them).
      const form = await readForm(req);
      const state = form?.get('state');
      if (form && state) {
        await pool.federation.requests.stashResponse(state, Object.fromEntries(form));
        return redirect(res, `${IDP_RESPONSE_PATH}?state=${encodeURIComponent(state)}`);
      }
      return fail(req, res, 'bad_state', { locale: localeOf(req), detail: 'form_post without state' });
    }
    if (req.method !== 'GET') return fail(req, res, 'bad_state', { locale: localeOf(req), detail: `method ${req.method}` });
    const state = url.searchParams.get('state');
    const request = state && state.length <= 512 ? await pool.federation.requests.take(state) : undefined;
    if (!state || !request) return fail(req, res, 'bad_state', { locale: localeOf(req), detail: state ? 'unknown, used or expired state' : 'no state' });
    const locale = localeOf(req, request.locale);
    const ctx = { locale, uid: request.uid, provider: request.provider };
    // The answer must come back to the browser that was sent away, not to an attacker's.
    if (browserOf(req) !== request.browser) return fail(req, res, 'bad_state', { ...ctx, detail: 'state from another browser' });
    if (!(await readInteraction(provider, headerBag(req), request.uid))) return fail(req, res, 'session_expired', ctx);
    const idp = await pool.federation.providers.get(request.provider);
    if (!idp || idp.type === 'saml') return fail(req, res, 'unknown_provider', ctx);
    const response = request.response ? new URLSearchParams(request.response) : url.searchParams;
    try {
      const user = await verifyAuthorizationResponse(idp, response, {
        ...(request.data as unknown as OAuthRequestData),
        state,
        redirectUri: `${publicUrl}${IDP_RESPONSE_PATH}`,
      });
      return await complete(req, res, { uid: request.uid, locale, idp, identity: { provider: idp.name, ...user } });
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return fail(req, res, e.code, { ...ctx, detail: e.message });
    }
  }

  async function logoutReturn(req: IncomingMessage, res: ServerResponse, url: URL) {
    const state = url.searchParams.get('state');
    const target = state && state.length <= 128 ? await pool.federation.takeLogoutReturn(state) : undefined;
    return redirect(res, target ?? `/${localeOf(req)}/logout/done`);
  }

  return {
    bindBrowser,
    browserOf,
    complete,
    fail,
    /** Answers one of `federationPaths`. */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', publicUrl);
      res.setHeader('referrer-policy', 'no-referrer');
      try {
        if (url.pathname === IDP_START_PATH) return await start(req, res, url);
        if (url.pathname === IDP_RESPONSE_PATH) return await callback(req, res, url);
        return await logoutReturn(req, res, url);
      } catch (e) {
        // Our own bug or the database: still a page, with the sign-in to go back to.
        console.error('federation: unexpected failure', e);
        if (!res.headersSent) await fail(req, res, 'provider_error', { locale: localeOf(req), detail: (e as Error).message }).catch(() => res.end());
      }
    },
  };
}
export type FederationHttp = ReturnType<typeof createFederationHttp>;
