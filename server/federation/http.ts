import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { isLocale, pickLocale, type Locale } from '../../i18n/locales';
import { readInteraction } from '../oidc/interaction';
import { anyStep, type Pool, type SignedIn } from '../pool';
import { DRAIN_LIMIT_BYTES } from '../http/limits';
import { cookieName, isSecureIssuer, readCookie, setCookie, type CookieKind } from '../http/cookies';
import { FederationError, failureStatus, type FailureCode } from './errors';
import { IDP_LOGOUT_PATH, IDP_RESPONSE_PATH, IDP_START_PATH } from './paths';
import { sendPostPage } from '../http/post-page';
import { sendRenderedPage, type PageRenderer } from '../http/rendered-page';
import { createSamlHttp, isSamlPath } from './saml/http';
import { verifyAuthorizationResponse } from './oidc/callback';
import type { OAuthRequestData } from './oidc/authorize';
import type { Federation } from './index';
import type { UpstreamSession } from './sessions';
import { optionsFor, providerForIdentifier, type IdentityProvider } from './providers';
import { hashOf, newBrowserKey, type PendingRequest } from './requests';
import type { VerifiedIdentity } from './sign-in';

const UID = /^[A-Za-z0-9_-]{1,64}$/;
const FORM_LIMIT_BYTES = 64 * 1024;
const BROWSER_COOKIE_DAYS = 1;

export interface FederationHttpDeps {
  publicUrl: string;
  provider: Provider;
  pool: Pool;
  federation: Federation;
  /** The pool's one way to finish a sign-in, as the runtime wires it (with federation's hook). */
  finishSignIn: (headers: Record<string, string>, uid: string, done: SignedIn, upstream?: UpstreamSession) => Promise<string | undefined>;
  renderPage: PageRenderer;
}

function headerBag(req: IncomingMessage): Record<string, string> {
  const bag: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) bag[k] = Array.isArray(v) ? v.join(', ') : v;
  return bag;
}

function redirect(res: ServerResponse, to: string) {
  res.statusCode = 303;
  res.setHeader('location', to);
  res.setHeader('cache-control', 'no-store');
  res.end();
}

/**
 * A urlencoded form post of at most `limit` bytes; 'too_large' past it (read to its end, up to
 * DRAIN_LIMIT_BYTES, so the browser sees our answer); undefined for another content type.
 */
export async function readForm(req: IncomingMessage, limit = FORM_LIMIT_BYTES): Promise<URLSearchParams | 'too_large' | undefined> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT_BYTES) {
      req.destroy();
      break;
    }
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) return 'too_large';
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const startQuery = z.object({
  uid: z.string().regex(UID),
  provider: z.string().min(1).max(32).optional(),
  idp_identifier: z.string().min(1).max(254).optional(),
  login_hint: z.string().max(254).optional(),
  /** Continue with the identity an IdP-initiated SAML sign-in parked in this browser. */
  parked: z.literal('1').optional(),
});

/**
 * The federation routes, answered before oidc-provider sees `/oauth2/*`: the start of a
 * federated sign-in, the OpenID Connect / OAuth 2.0 callback, and the way back from a provider's
 * logout. Failures render our translated error page with a 4xx and are logged.
 */
export function createFederationHttp(deps: FederationHttpDeps) {
  const { pool, federation, provider, publicUrl } = deps;
  const secure = isSecureIssuer(publicUrl);
  const cookieOf = (req: IncomingMessage, kind: CookieKind) => readCookie(req.headers.cookie, cookieName(kind, secure));

  const localeOf = (req: IncomingMessage, wanted?: string | null): Locale =>
    isLocale(wanted) ? wanted : pickLocale({ cookie: cookieOf(req, 'locale'), acceptLanguage: req.headers['accept-language'] });

  /** The hash of this browser's binding key, making one (and its cookie) if it has none. */
  function bindBrowser(req: IncomingMessage, res: ServerResponse): string {
    let key = cookieOf(req, 'federation');
    if (!key || !/^[A-Za-z0-9_-]{43}$/.test(key)) {
      key = newBrowserKey();
      res.setHeader('set-cookie', setCookie('federation', secure, key, BROWSER_COOKIE_DAYS * 86400));
    }
    return hashOf(key);
  }
  const browserOf = (req: IncomingMessage) => {
    const key = cookieOf(req, 'federation');
    return key ? hashOf(key) : undefined;
  };

  /** The translated error page with a way back to the sign-in; logged with what went wrong. */
  async function fail(req: IncomingMessage, res: ServerResponse, code: FailureCode, o: { locale: Locale; uid?: string; provider?: string; detail?: string }) {
    const ip = String(req.headers['x-foyer-client-ip'] ?? '');
    console.warn(`federation: ${code}${o.provider ? ` provider=${o.provider}` : ''} ip=${ip}${o.detail ? `: ${o.detail}` : ''}`);
    await federation.recordFailure(code, { provider: o.provider, ip, detail: o.detail });
    // Back to the sign-in this browser is in, if any (the page checks that it is still alive).
    const uidCandidate = o.uid ?? cookieOf(req, 'interaction');
    const uid = uidCandidate && UID.test(uidCandidate) ? uidCandidate : undefined;
    await sendRenderedPage(req, res, deps.renderPage, `/${o.locale}/federation/error?code=${code}${uid ? `&uid=${uid}` : ''}`, failureStatus(code), { 'cache-control': 'no-store' });
  }

  /** The console session (its id) of this browser, when its admin may use the console. */
  async function consoleSession(req: IncomingMessage): Promise<string | undefined> {
    const found = await pool.console.sessions.find({ token: cookieOf(req, 'console') });
    return found && !found.refusal ? found.session.id : undefined;
  }

  /** Back to the provider's console page, showing a test sign-in's result. */
  const testResultUrl = (locale: string, provider: string, handle: string) => `/${locale}/admin/identity-providers/${encodeURIComponent(provider)}?test=${handle}#test-sign-in`;

  /** A test sign-in refused once its console session is known: the reason goes to the console page. */
  async function testFailed(req: IncomingMessage, res: ServerResponse, o: { provider: string; code: FailureCode; session: string; locale: string; detail?: string }) {
    console.warn(`federation: test sign-in ${o.code} provider=${o.provider}${o.detail ? `: ${o.detail}` : ''}`);
    const handle = await federation.tests.failed(o.provider, o.code, o.session);
    return redirect(res, testResultUrl(o.locale, o.provider, handle));
  }

  /** A verified answer to a test sign-in: its result to the console page; nobody is signed in. */
  async function concludeTest(res: ServerResponse, o: { idp: IdentityProvider; identity: VerifiedIdentity; session: string; locale: string }) {
    const handle = await federation.tests.conclude(o.idp, o.identity, o.session);
    return redirect(res, testResultUrl(o.locale, o.idp.name, handle));
  }

  /**
   * A console admin's test sign-in (`?test=<ticket>`, the ticket made by the console's
   * CSRF-checked action for this browser's console session): starts the protocol as for a
   * sign-in, with the request bound to that session.
   */
  async function startTest(req: IncomingMessage, res: ServerResponse, url: URL) {
    const locale = localeOf(req, url.searchParams.get('locale'));
    const session = await consoleSession(req);
    if (!session) return fail(req, res, 'bad_state', { locale, detail: 'test sign-in without a console session' });
    let test;
    try {
      test = await federation.tests.redeem(url.searchParams.get('test') ?? '', session);
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return fail(req, res, e.code, { locale, detail: e.message });
    }
    const { idp } = test;
    try {
      const result = await federation.start(idp, { uid: '', locale: test.locale, browser: bindBrowser(req, res), publicUrl, ip: String(req.headers['x-foyer-client-ip'] ?? 'unknown'), test: { session } });
      if ('redirect' in result) return redirect(res, result.redirect);
      sendPostPage(res, result.post, { locale: localeOf(req, test.locale), purpose: 'signIn', brand: await pool.pageBrand(null) });
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return testFailed(req, res, { provider: idp.name, code: e.code, session, locale: test.locale, detail: e.message });
    }
  }

  async function start(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (url.searchParams.has('test')) return startTest(req, res, url);
    const locale = localeOf(req, url.searchParams.get('locale'));
    const q = startQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!q.success || (!q.data.provider && !q.data.idp_identifier && !q.data.parked)) return fail(req, res, 'unknown_provider', { locale, detail: 'malformed start request' });
    const { uid } = q.data;
    const view = await readInteraction(provider, headerBag(req), uid);
    if (!view) return fail(req, res, 'session_expired', { locale, uid });
    const client = await pool.clients.find({ clientId: view.clientId });
    const all = await federation.providers.list();
    const allowed = client ? optionsFor(all, client).providers : [];
    if (q.data.parked) return saml.resumeParked(req, res, { uid, locale, clientId: view.clientId, allowed });
    const wanted = q.data.provider ?? q.data.idp_identifier!;
    const idp = q.data.provider ? allowed.find((p) => p.name === q.data.provider) : providerForIdentifier(allowed, q.data.idp_identifier!);
    if (!idp) {
      const exists = q.data.provider ? all.some((p) => p.name === wanted) : !!providerForIdentifier(all, wanted);
      return fail(req, res, exists ? 'not_allowed' : 'unknown_provider', { locale, uid, provider: wanted.slice(0, 32) });
    }
    try {
      const result = await federation.start(idp, {
        uid,
        locale,
        browser: bindBrowser(req, res),
        publicUrl,
        loginHint: q.data.login_hint || undefined,
        ip: String(req.headers['x-foyer-client-ip'] ?? 'unknown'),
      });
      if ('redirect' in result) return redirect(res, result.redirect);
      sendPostPage(res, result.post, { locale, purpose: 'signIn', brand: await pool.pageBrand(view.clientId) });
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
    const view = await readInteraction(provider, headerBag(req), a.uid);
    if (!view) return fail(req, res, 'session_expired', { locale: a.locale, uid: a.uid, provider: a.idp.name });
    const signedIn = await federation.signIn(a.idp, a.identity, a.uid);
    if ('error' in signedIn) {
      return fail(req, res, signedIn.error === 'user_disabled' ? 'user_disabled' : 'session_expired', { locale: a.locale, uid: a.uid, provider: a.idp.name, detail: signedIn.error });
    }
    // The pool's MFA mode leaves federated sign-ins alone (as Cognito's does), but an app that
    // requires MFA does not: the user proves or enrols a second factor before it finishes.
    const gated = 'done' in signedIn && (await pool.clients.requiresMfa({ clientId: view.clientId, userId: signedIn.done.userId }));
    if (gated) {
      const ip = String(req.headers['x-foyer-client-ip'] ?? 'unknown');
      const next = await pool.flow.run({ uid: a.uid, clientId: view.clientId, ip, expect: anyStep, run: async (_step, p) => p.gate({ outcome: signedIn, locale: a.locale, ip }) });
      if ('error' in next) return fail(req, res, 'session_expired', { locale: a.locale, uid: a.uid, provider: a.idp.name, detail: next.error });
      // The MFA page sends the browser on to whichever step is current (enrolment, a code).
      if ('next' in next) return redirect(res, `/${a.locale}/mfa?uid=${encodeURIComponent(a.uid)}`);
    }
    const outcome = signedIn;
    if ('done' in outcome) {
      const session = a.identity.session ? { provider: a.idp.name, data: a.identity.session } : undefined;
      const to = await deps.finishSignIn(headerBag(req), a.uid, outcome.done, session);
      if (!to) return fail(req, res, 'session_expired', { locale: a.locale, provider: a.idp.name });
      // Signed in: the CSRF token is dropped, and the proxy mints a new one on the next page.
      res.appendHeader('set-cookie', setCookie('csrf', secure, '', 0));
      return redirect(res, to);
    }
    // The identity was checked outside the flow's transaction (a new user's insert may lose a race
    // it recovers from, which would abort it on PostgreSQL); the link step is saved through it.
    await pool.flow.run({ uid: a.uid, clientId: view.clientId, expect: anyStep, run: async () => outcome });
    return redirect(res, `/${a.locale}/federation/link?uid=${encodeURIComponent(a.uid)}`);
  }

  /**
   * A provider's answer that arrived by POST (OIDC form_post, SAML HTTP-POST) comes cross-site,
   * without our SameSite cookies: keep it with its request, and have the browser come back by GET
   * (a top-level navigation, which carries them). False when no live request has this state.
   */
  async function stashAndReturn(res: ServerResponse, path: string, state: string | null | undefined, form: URLSearchParams): Promise<boolean> {
    if (!state || state.length > 512 || !(await federation.requests.stashResponse(state, Object.fromEntries(form)))) return false;
    redirect(res, `${path}?state=${encodeURIComponent(state)}`);
    return true;
  }

  /**
   * The request a provider's answer (by GET, with `state`) belongs to, checked: unused, from this
   * browser, its sign-in still alive, its provider of the wanted kind. Undefined once it has
   * answered the browser with the error page.
   */
  async function takeAnswer(req: IncomingMessage, res: ServerResponse, url: URL, saml: boolean): Promise<{ state: string; request: PendingRequest; locale: Locale; idp: IdentityProvider } | undefined> {
    const state = url.searchParams.get('state');
    const request = state && state.length <= 512 ? await federation.requests.take(state) : undefined;
    if (!state || !request) {
      await fail(req, res, 'bad_state', { locale: localeOf(req), detail: state ? 'unknown, used or expired state' : 'no state' });
      return undefined;
    }
    const locale = localeOf(req, request.locale);
    const ctx = { locale, uid: request.uid, provider: request.provider };
    // The answer must come back to the browser that was sent away, not to an attacker's.
    if (browserOf(req) !== request.browser) return void (await fail(req, res, 'bad_state', { ...ctx, detail: 'state from another browser' }));
    if (request.test) {
      // A test sign-in has no interaction: it belongs to the console session that started it.
      try {
        federation.tests.check(request, await consoleSession(req));
      } catch (e) {
        if (!(e instanceof FederationError)) throw e;
        return void (await fail(req, res, e.code, { ...ctx, detail: e.message }));
      }
    } else if (!(await readInteraction(provider, headerBag(req), request.uid))) return void (await fail(req, res, 'session_expired', ctx));
    const idp = await federation.providers.get(request.provider);
    if (!idp || (idp.type === 'saml') !== saml) return void (await fail(req, res, 'unknown_provider', ctx));
    return { state, request, locale, idp };
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'POST') {
      const form = await readForm(req);
      if (form === 'too_large') return fail(req, res, 'request_too_large', { locale: localeOf(req) });
      if (form && (await stashAndReturn(res, IDP_RESPONSE_PATH, form.get('state'), form))) return;
      return fail(req, res, 'bad_state', { locale: localeOf(req), detail: 'form_post without a live state' });
    }
    if (req.method !== 'GET') return fail(req, res, 'bad_state', { locale: localeOf(req), detail: `method ${req.method}` });
    const answer = await takeAnswer(req, res, url, false);
    if (!answer) return;
    const { state, request, locale, idp } = answer;
    if (idp.type === 'saml') return;
    const response = request.response ? new URLSearchParams(request.response) : url.searchParams;
    try {
      const user = await verifyAuthorizationResponse(idp, response, {
        ...(request.data as unknown as OAuthRequestData),
        state,
        redirectUri: `${publicUrl}${IDP_RESPONSE_PATH}`,
      });
      const identity = { provider: idp.name, ...user };
      if (request.test) return await concludeTest(res, { idp, identity, session: request.test.session, locale: request.locale });
      return await complete(req, res, { uid: request.uid, locale, idp, identity });
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      if (request.test) return testFailed(req, res, { provider: idp.name, code: e.code, session: request.test.session, locale: request.locale, detail: e.message });
      return fail(req, res, e.code, { locale, uid: request.uid, provider: request.provider, detail: e.message });
    }
  }

  async function logoutReturn(req: IncomingMessage, res: ServerResponse, url: URL) {
    const state = url.searchParams.get('state');
    const target = state && state.length <= 128 ? await federation.takeLogoutReturn(state) : undefined;
    return redirect(res, target ?? `/${localeOf(req)}/logout/done`);
  }

  const core = { pool, federation, publicUrl, secure, cookieOf, localeOf, redirect, readForm, fail, complete, stashAndReturn, takeAnswer, concludeTest, testFailed };
  const saml = createSamlHttp(core);

  return {
    bindBrowser,
    browserOf,
    complete,
    fail,
    /** Answers one of `federationPaths`, or a SAML path (isSamlPath). */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', publicUrl);
      res.setHeader('referrer-policy', 'no-referrer');
      try {
        if (url.pathname === IDP_START_PATH) return await start(req, res, url);
        if (url.pathname === IDP_RESPONSE_PATH) return await callback(req, res, url);
        if (url.pathname === IDP_LOGOUT_PATH) return await logoutReturn(req, res, url);
        if (isSamlPath(url.pathname)) return await saml.handle(req, res, url);
        res.statusCode = 404;
        res.end();
      } catch (e) {
        // Our own bug or the database: still a page, with the sign-in to go back to.
        console.error('federation: unexpected failure', e);
        if (!res.headersSent) await fail(req, res, 'provider_error', { locale: localeOf(req), detail: (e as Error).message }).catch(() => res.end());
      }
    },
  };
}
export type FederationHttp = ReturnType<typeof createFederationHttp>;
/** What the SAML routes use of the federation HTTP layer. */
export type FederationHttpCore = {
  pool: Pool;
  federation: Federation;
  publicUrl: string;
  secure: boolean;
  /** A cookie of ours from the request (its name over TLS or not). */
  cookieOf: (req: IncomingMessage, kind: CookieKind) => string | undefined;
  localeOf: (req: IncomingMessage, wanted?: string | null) => Locale;
  redirect: (res: ServerResponse, to: string) => void;
  readForm: typeof readForm;
  fail: (req: IncomingMessage, res: ServerResponse, code: FailureCode, o: { locale: Locale; uid?: string; provider?: string; detail?: string }) => Promise<void>;
  complete: (req: IncomingMessage, res: ServerResponse, a: { uid: string; locale: Locale; idp: IdentityProvider; identity: VerifiedIdentity }) => Promise<void>;
  stashAndReturn: (res: ServerResponse, path: string, state: string | null | undefined, form: URLSearchParams) => Promise<boolean>;
  takeAnswer: (req: IncomingMessage, res: ServerResponse, url: URL, saml: boolean) => Promise<{ state: string; request: PendingRequest; locale: Locale; idp: IdentityProvider } | undefined>;
  /** A test sign-in's verified identity, or its refusal, back to the console (signs nobody in). */
  concludeTest: (res: ServerResponse, o: { idp: IdentityProvider; identity: VerifiedIdentity; session: string; locale: string }) => Promise<void>;
  testFailed: (req: IncomingMessage, res: ServerResponse, o: { provider: string; code: FailureCode; session: string; locale: string; detail?: string }) => Promise<void>;
};
