/**
 * Foyer's browser SDK: sign in with Foyer from a single-page app, by full-page redirect, in a
 * popup, or in an iframe on the page, with PKCE (S256), state and nonce checks and the ID token
 * verified (signature by WebCrypto against the issuer's JWKS). Tokens live in memory only: a
 * reload forgets them, and `renew()` (a hidden `prompt=none` iframe) gets fresh ones while the
 * Foyer session lasts. No dependencies.
 */
import { codeOf, type AuthorizationResponse } from './answer';
import { randomToken } from './encoding';
import { FoyerError } from './errors';
import { verifyIdToken, type IdTokenClaims } from './id-token';
import { pkcePair } from './pkce';

export { codeOf, type AuthorizationResponse } from './answer';
export { FoyerError } from './errors';
export { verifyIdToken, type IdTokenClaims } from './id-token';
export { pkcePair, s256 } from './pkce';

export type SignInMode = 'redirect' | 'popup' | 'iframe';

export interface FoyerOptions {
  /** Foyer's issuer URL, e.g. `https://login.example.com`. */
  issuer: string;
  clientId: string;
  /** One of the client's registered redirect URIs, on this page's origin (answers are posted to its origin). */
  redirectUri: string;
  /** Default `openid email profile`. */
  scope?: string;
  /** How long a popup, frame or silent renewal may take before it fails with `timeout` (ms). Default 5 minutes; renewal 10 s. */
  timeoutMs?: number;
  /** The sign-in frame's accessible title, in your page's language (default `Sign in`). */
  frameTitle?: string;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  claims: IdTokenClaims;
}

export interface SignInOptions {
  mode?: SignInMode;
  /** `iframe` mode: the element the sign-in frame is shown in (required). */
  container?: HTMLElement;
  /** Extra authorization parameters, e.g. `{ ui_locales: 'ar', login_hint: 'alice' }`. */
  params?: Record<string, string>;
}

export interface SignOutOptions {
  /** `iframe` ends the session in a hidden frame (where an iframe sign-in keeps it); default: how you signed in. */
  mode?: 'redirect' | 'iframe';
  /** One of the client's registered sign-out URLs. */
  postLogoutRedirectUri?: string;
}

export interface Foyer {
  signIn(o?: SignInOptions): Promise<Tokens>;
  /** On the redirect URI page after `mode: 'redirect'`: checks the answer and gets the tokens. */
  handleRedirectCallback(url?: string): Promise<Tokens>;
  /** Fresh tokens without showing anything (`prompt=none` in a hidden iframe); `login_required` when signed out. */
  renew(): Promise<Tokens>;
  signOut(o?: SignOutOptions): Promise<void>;
  getTokens(): Tokens | undefined;
}

type Discovery = { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string; end_session_endpoint?: string };
type Transaction = { state: string; nonce: string; verifier: string };

const TX_PREFIX = 'foyer.tx.';
const POPUP_NAME = 'foyer-sign-in';
const POPUP_FEATURES = 'popup,width=480,height=720';
/** What Foyer's framed screen posts when the browser withholds its cookies and the user picks a popup. */
const CONTINUE_IN_POPUP = 'foyer.continue_in_popup';

export function createFoyer(options: FoyerOptions): Foyer {
  const issuer = options.issuer.replace(/\/+$/, '');
  const issuerOrigin = new URL(issuer).origin;
  const scope = options.scope ?? 'openid email profile';
  let discovery: Promise<Discovery> | undefined;
  let keys: Promise<JsonWebKey[]> | undefined;
  let tokens: Tokens | undefined;
  let lastMode: SignInMode | 'silent' | undefined;

  const getJson = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(url, { credentials: 'omit', ...init });
    const body = (await res.json().catch(() => ({}))) as T & { error?: string; error_description?: string };
    if (!res.ok) throw new FoyerError(body.error ?? 'http_error', body.error_description ?? String(res.status));
    return body;
  };
  const meta = () => (discovery ??= getJson<Discovery>(`${issuer}/.well-known/openid-configuration`).catch((e: unknown) => ((discovery = undefined), Promise.reject(e))));
  const jwks = () => (keys ??= meta().then((d) => getJson<{ keys: JsonWebKey[] }>(d.jwks_uri)).then((s) => s.keys).catch((e: unknown) => ((keys = undefined), Promise.reject(e))));

  async function authorizeUrl(extra: Record<string, string>): Promise<{ url: string; tx: Transaction }> {
    const [d, pkce] = await Promise.all([meta(), pkcePair()]);
    const tx: Transaction = { state: randomToken(), nonce: randomToken(), verifier: pkce.verifier };
    const url = new URL(d.authorization_endpoint);
    const params = { client_id: options.clientId, redirect_uri: options.redirectUri, response_type: 'code', scope, state: tx.state, nonce: tx.nonce, code_challenge: pkce.challenge, code_challenge_method: 'S256', ...extra };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { url: url.href, tx };
  }

  /** The answer's state must be this sign-in's; then the code is exchanged and the ID token checked. */
  async function finish(answer: AuthorizationResponse, tx: Transaction): Promise<Tokens> {
    const code = codeOf(answer, { state: tx.state, issuer });
    const d = await meta();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, client_id: options.clientId, code_verifier: tx.verifier });
    const t = await getJson<{ id_token: string; access_token: string; refresh_token?: string; expires_in: number }>(d.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const claims = await verifyIdToken(t.id_token, { issuer, clientId: options.clientId, nonce: tx.nonce, keys: await jwks() });
    tokens = { idToken: t.id_token, accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000, claims };
    return tokens;
  }

  /**
   * Waits for Foyer's `web_message` answer from one of `sources` (the popup or frame), accepted only from
   * the issuer's origin. Foyer posts it to this page's registered origin only.
   */
  function answerFrom(sources: () => (Window | null)[], timeoutMs: number, closed?: () => boolean): Promise<AuthorizationResponse> {
    return new Promise((resolve, reject) => {
      let seenClosed = 0;
      const done = () => {
        window.removeEventListener('message', onMessage);
        clearTimeout(timer);
        clearInterval(watch);
      };
      const onMessage = (e: MessageEvent) => {
        const data = e.data as { type?: string; response?: AuthorizationResponse } | null;
        if (e.origin !== issuerOrigin || !e.source || !sources().includes(e.source as Window) || data?.type !== 'authorization_response' || !data.response) return;
        done();
        resolve(data.response);
      };
      const timer = setTimeout(() => (done(), reject(new FoyerError('timeout'))), timeoutMs);
      // A popup closed by the user never answers; its answer may still be queued the first time.
      const watch = setInterval(() => {
        if (!closed?.() || ++seenClosed < 2) return;
        done();
        reject(new FoyerError('popup_closed'));
      }, 300);
      window.addEventListener('message', onMessage);
    });
  }

  function frame(url: string, parent: HTMLElement, hidden: boolean): HTMLIFrameElement {
    const f = document.createElement('iframe');
    f.src = url;
    f.title = options.frameTitle ?? 'Sign in';
    if (hidden) f.hidden = true;
    else f.style.cssText = 'border:0;width:100%;height:100%;min-height:32rem';
    parent.appendChild(f);
    return f;
  }

  const foyer: Foyer = {
    async signIn(o = {}) {
      const mode = o.mode ?? 'redirect';
      const timeoutMs = options.timeoutMs ?? 5 * 60_000;
      if (mode === 'popup') {
        // Opened before any await, within the click, or popup blockers refuse it.
        const popup = window.open('about:blank', POPUP_NAME, POPUP_FEATURES);
        if (!popup) throw new FoyerError('popup_blocked');
        try {
          const { url, tx } = await authorizeUrl({ ...o.params, response_mode: 'web_message' });
          popup.location.href = url;
          const answer = await answerFrom(() => [popup], timeoutMs, () => popup.closed);
          lastMode = 'popup';
          return await finish(answer, tx);
        } finally {
          if (!popup.closed) popup.close();
        }
      }
      if (mode === 'iframe') {
        if (!o.container) throw new FoyerError('invalid_options', 'iframe mode needs a container');
        const { url, tx } = await authorizeUrl({ ...o.params, response_mode: 'web_message' });
        // Where the browser withholds the frame's cookies, Foyer offers to continue on a full
        // page: its answer then comes back to the redirect URI, where handleRedirectCallback needs this.
        sessionStorage.setItem(TX_PREFIX + tx.state, JSON.stringify(tx));
        const f = frame(url, o.container, false);
        // Or in a popup (first-party, so cookies work), when the frame asks on the user's click:
        // the click activates this page too, and the popup's answer comes to its opener only.
        const asked: { popup?: Window | null } = {};
        const onAsk = (e: MessageEvent) => {
          if (e.origin === issuerOrigin && e.source === f.contentWindow && (e.data as { type?: string } | null)?.type === CONTINUE_IN_POPUP) asked.popup = window.open(url, POPUP_NAME, POPUP_FEATURES);
        };
        window.addEventListener('message', onAsk);
        try {
          const answer = await answerFrom(() => [f.contentWindow, asked.popup ?? null], timeoutMs);
          lastMode = 'iframe';
          return await finish(answer, tx);
        } finally {
          window.removeEventListener('message', onAsk);
          if (asked.popup && !asked.popup.closed) asked.popup.close();
          sessionStorage.removeItem(TX_PREFIX + tx.state);
          f.remove();
        }
      }
      const { url, tx } = await authorizeUrl({ ...o.params });
      sessionStorage.setItem(TX_PREFIX + tx.state, JSON.stringify(tx));
      window.location.assign(url);
      return new Promise<never>(() => undefined); // the page goes away
    },

    async handleRedirectCallback(url = window.location.href) {
      const u = new URL(url);
      const answer = Object.fromEntries(u.searchParams) as AuthorizationResponse;
      const key = TX_PREFIX + (answer.state ?? '');
      const stored = sessionStorage.getItem(key);
      sessionStorage.removeItem(key);
      if (!stored) throw new FoyerError('state_mismatch', 'no sign-in was started with this state');
      if (url === window.location.href) window.history.replaceState(null, '', u.pathname + u.hash);
      lastMode = 'redirect';
      return finish(answer, JSON.parse(stored) as Transaction);
    },

    async renew() {
      const { url, tx } = await authorizeUrl({ prompt: 'none', response_mode: 'web_message' });
      const f = frame(url, document.body, true);
      try {
        const answer = await answerFrom(() => [f.contentWindow], options.timeoutMs ?? 10_000);
        return await finish(answer, tx);
      } catch (e) {
        if (e instanceof FoyerError && ['login_required', 'interaction_required', 'consent_required'].includes(e.code)) tokens = undefined;
        throw e;
      } finally {
        f.remove();
      }
    },

    async signOut(o = {}) {
      const d = await meta();
      const hint = tokens?.idToken;
      const mode = o.mode ?? (lastMode === 'iframe' ? 'iframe' : 'redirect');
      tokens = undefined;
      if (!d.end_session_endpoint) return;
      const url = new URL(d.end_session_endpoint);
      url.searchParams.set('client_id', options.clientId);
      if (hint) url.searchParams.set('id_token_hint', hint);
      if (o.postLogoutRedirectUri) url.searchParams.set('post_logout_redirect_uri', o.postLogoutRedirectUri);
      if (mode === 'redirect') {
        window.location.assign(url.href);
        return new Promise<never>(() => undefined);
      }
      // The session an iframe sign-in made lives in this site's partition: ended from a frame too.
      await new Promise<void>((resolve) => {
        const f = frame(url.href, document.body, true);
        f.addEventListener('load', () => (f.remove(), resolve()), { once: true });
      });
    },

    getTokens: () => tokens,
  };
  return foyer;
}
