import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Locale } from '../../../i18n/locales';
import { FederationError } from '../errors';
import { setCookie } from '../../http/cookies';
import type { FederationHttpCore } from '../http';
import { IDP_LOGOUT_PATH } from '../paths';
import { sendPostPage } from '../../http/post-page';
import type { IdentityProvider } from '../providers';
import type { VerifiedIdentity } from '../sign-in';
import { consumeResponse } from './consume';
import { SAML_PATHS } from './endpoints';
import { answerLogoutRequest, consumeLogoutRequest, consumeLogoutResponse, type SamlInbound } from './logout';
import { samlContext, samlIdentity, samlProviderOf, unwrap, verifySamlAnswer, type SamlIdentityProvider } from './protocol';
import { findProvider } from './route';
import { spMetadataXml } from './sp-metadata';

/**
 * The largest HTTP-POST binding body read at the ACS: a SAMLResponse of RESPONSE_MAX_BYTES
 * (256 KiB) is about 350 KB in base64, a little more once form-encoded. Other posts keep 64 KiB.
 */
export const ACS_FORM_LIMIT_BYTES = 400 * 1024;
/** A parked IdP-initiated identity waits this long for its app to start a sign-in. */
const PARKED_SECONDS = 5 * 60;

export const isSamlPath = (pathname: string) => pathname.startsWith('/saml2/');

const isSaml = (p: IdentityProvider | undefined): p is SamlIdentityProvider => p?.type === 'saml';

/**
 * The SAML 2.0 routes: assertion consumer (SP- and IdP-initiated), SP metadata and single
 * logout. Verification is the SAML core's (server/federation/saml); a verified assertion goes
 * the way of every protocol's answer (`complete`), failures to the translated error page.
 */
export function createSamlHttp(core: FederationHttpCore) {
  const { pool, federation, publicUrl, fail, redirect } = core;
  const sctx = samlContext(pool.ctx.db, publicUrl);
  const samlProviders = async () => (await federation.providers.list()).filter(isSaml);
  const parkedCookie = (value: string, maxAge: number) => setCookie('parked', core.secure, value, maxAge);

  async function acs(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'GET') return answer(req, res, url);
    if (req.method !== 'POST') return fail(req, res, 'saml_bad_response', { locale: core.localeOf(req), detail: `method ${req.method}` });
    const form = await core.readForm(req, ACS_FORM_LIMIT_BYTES);
    const locale = core.localeOf(req);
    if (form === 'too_large') return fail(req, res, 'request_too_large', { locale, detail: 'SAMLResponse over the limit' });
    if (!form || !form.get('SAMLResponse')) return fail(req, res, 'saml_bad_response', { locale, detail: 'no SAMLResponse' });
    if (await core.stashAndReturn(res, SAML_PATHS.acs, form.get('RelayState'), form)) return;
    return unsolicited(req, res, form, locale);
  }

  /** An answer to our AuthnRequest, back by GET with its RelayState as `state`. */
  async function answer(req: IncomingMessage, res: ServerResponse, url: URL) {
    const taken = await core.takeAnswer(req, res, url, true);
    if (!taken) return;
    const { request, locale, idp } = taken;
    const ctx = { locale, uid: request.uid, provider: idp.name };
    if (!isSaml(idp)) return;
    try {
      const identity = await verifySamlAnswer(sctx, idp, request);
      if (request.test) return await core.concludeTest(res, { idp, identity, session: request.test.session, locale: request.locale });
      return await core.complete(req, res, { uid: request.uid, locale, idp, identity });
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      if (request.test) return core.testFailed(req, res, { provider: idp.name, code: e.code, session: request.test.session, locale: request.locale, detail: e.message });
      return fail(req, res, e.code, { ...ctx, detail: e.message });
    }
  }

  /**
   * A response no request of ours is waiting for: IdP-initiated, or a replay. The provider is
   * picked from the message and its keys verify it (replays and IdP-initiated sign-ins the
   * provider does not allow are refused there). A verified IdP-initiated identity is parked for
   * this browser, which goes to the app's login URL; the app's own authorization request then
   * comes back here through the login page (`resumeParked`).
   */
  async function unsolicited(req: IncomingMessage, res: ServerResponse, form: URLSearchParams, locale: Locale) {
    try {
      // Each unsolicited answer costs a signature check: counted like a sign-in attempt.
      await federation.limitAttempt(String(req.headers['x-foyer-client-ip'] ?? 'unknown'));
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return fail(req, res, e.code, { locale, detail: e.message });
    }
    const providers = await samlProviders();
    const message = { SAMLResponse: form.get('SAMLResponse'), RelayState: form.get('RelayState') ?? undefined };
    const chosen = await findProvider(sctx, providers.map(samlProviderOf), message);
    const idp = chosen ? providers.find((p) => p.name === chosen.name) : undefined;
    if (!chosen || !idp) return fail(req, res, 'saml_unknown_request', { locale, detail: 'no provider for this response' });
    const ctx = { locale, provider: idp.name };
    try {
      const signIn = unwrap(await consumeResponse(sctx, chosen, message));
      // An answer to a request of ours whose sign-in is gone (the federation request expired first).
      if (signIn.inResponseTo !== null) return fail(req, res, 'bad_state', { ...ctx, detail: 'answer to an expired sign-in' });
      const identity = samlIdentity(idp, signIn);
      const target = idp.idp_initiated_login;
      if (!identity) return fail(req, res, 'saml_bad_response', { ...ctx, detail: 'NameID unusable' });
      if (!target) return fail(req, res, 'saml_unsolicited', { ...ctx, detail: 'no idp_initiated_login' });
      const handle = randomBytes(32).toString('base64url');
      await federation.requests.save(handle, { provider: idp.name, uid: '', locale, browser: '', data: { parked: identity, client_id: target.client_id } });
      res.setHeader('set-cookie', parkedCookie(handle, PARKED_SECONDS));
      const to = new URL(target.login_uri);
      to.searchParams.set('iss', publicUrl);
      return redirect(res, to.href);
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return fail(req, res, e.code, { ...ctx, detail: e.message });
    }
  }

  /**
   * The login page of an app's sign-in saw a parked identity: it signs this sign-in in when the
   * identity was parked for this app. Otherwise (another app, expired) it is dropped and the login
   * page shows its options (the sign-in is marked started, so it does not come back here).
   */
  async function resumeParked(req: IncomingMessage, res: ServerResponse, a: { uid: string; locale: Locale; clientId: string; allowed: IdentityProvider[] }) {
    const handle = core.cookieOf(req, 'parked');
    res.setHeader('set-cookie', parkedCookie('', 0));
    const parked = handle && handle.length <= 64 ? await federation.requests.take(handle) : undefined;
    const idp = parked?.data.parked ? a.allowed.find((p) => p.name === parked.provider) : undefined;
    if (!parked || !idp || parked.data.client_id !== a.clientId) {
      console.warn(`federation: parked IdP-initiated sign-in not used for client ${a.clientId}: ${parked ? `parked for ${String(parked.data.client_id)}` : 'gone'}`);
      return redirect(res, `/${a.locale}/login?uid=${encodeURIComponent(a.uid)}`);
    }
    return core.complete(req, res, { uid: a.uid, locale: a.locale, idp, identity: parked.data.parked as VerifiedIdentity });
  }

  async function metadata(req: IncomingMessage, res: ServerResponse, url: URL) {
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice(SAML_PATHS.metadataPrefix.length));
    } catch {
      name = '';
    }
    const idp = req.method === 'GET' ? await federation.providers.get(name) : undefined;
    if (!isSaml(idp)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('content-type', 'application/samlmetadata+xml');
    res.setHeader('cache-control', 'public, max-age=300');
    res.end(await spMetadataXml(sctx, { name: idp.name, sign_requests: true }));
  }

  /**
   * Single logout: our parked HTTP-POST LogoutRequest (`?post=`), the IdP's LogoutResponse to it
   * (back to the app through IDP_LOGOUT_PATH), or the IdP's own LogoutRequest (the Foyer sessions
   * of that NameID / SessionIndex end, and the IdP gets its LogoutResponse).
   */
  async function logout(req: IncomingMessage, res: ServerResponse, url: URL) {
    const locale = core.localeOf(req);
    const posted = url.searchParams.get('post');
    if (req.method === 'GET' && posted) {
      const parked = posted.length <= 64 ? await federation.requests.take(`post:${posted}`) : undefined;
      const post = parked?.data.post as { url: string; fields: Record<string, string> } | undefined;
      if (!post) return redirect(res, `${IDP_LOGOUT_PATH}?state=${encodeURIComponent(posted)}`);
      // Asked by no app (a parked sign-out or the IdP's own request): the pool's theme.
      return sendPostPage(res, post, { locale, purpose: 'signOut', brand: await pool.pageBrand(null) });
    }
    let message: SamlInbound;
    if (req.method === 'POST') {
      const form = await core.readForm(req);
      if (form === 'too_large') return fail(req, res, 'request_too_large', { locale });
      if (!form) return fail(req, res, 'saml_bad_response', { locale, detail: 'not a form' });
      message = { SAMLRequest: form.get('SAMLRequest') ?? undefined, SAMLResponse: form.get('SAMLResponse') ?? undefined, RelayState: form.get('RelayState') ?? undefined };
    } else if (req.method === 'GET') {
      message = { query: url.search.replace(/^\?/, '') };
    } else {
      return fail(req, res, 'saml_bad_response', { locale, detail: `method ${req.method}` });
    }
    const providers = await samlProviders();
    const chosen = await findProvider(sctx, providers.map(samlProviderOf), message);
    if (!chosen) return fail(req, res, 'saml_bad_response', { locale, detail: 'no provider for this logout message' });
    const ctx = { locale, provider: chosen.name };
    const isResponse = 'query' in message ? url.searchParams.has('SAMLResponse') : message.SAMLResponse !== undefined;
    try {
      if (isResponse) {
        const done = unwrap(await consumeLogoutResponse(sctx, chosen, message));
        return redirect(res, `${IDP_LOGOUT_PATH}?state=${encodeURIComponent(done.relayState ?? '')}`);
      }
      const asked = unwrap(await consumeLogoutRequest(sctx, chosen, message));
      const ended = await federation.endUpstreamSessions(chosen.name, { nameId: asked.nameId, sessionIndex: asked.sessionIndex });
      console.info(`federation: ${chosen.name} signed out ${ended} session(s) by SAML logout request`);
      const reply = unwrap(await answerLogoutRequest(sctx, chosen, { requestId: asked.requestId, relayState: asked.relayState }));
      if (reply.binding === 'redirect') return redirect(res, reply.url);
      return sendPostPage(res, { url: reply.url, fields: reply.fields }, { locale, purpose: 'signOut', brand: await pool.pageBrand(null) });
    } catch (e) {
      if (!(e instanceof FederationError)) throw e;
      return fail(req, res, e.code, { ...ctx, detail: e.message });
    }
  }

  return {
    resumeParked,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      if (url.pathname === SAML_PATHS.acs) return acs(req, res, url);
      if (url.pathname === SAML_PATHS.slo) return logout(req, res, url);
      if (url.pathname.startsWith(SAML_PATHS.metadataPrefix)) return metadata(req, res, url);
      res.statusCode = 404;
      res.end();
    },
  };
}
