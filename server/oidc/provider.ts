import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import { pickLocale } from '../../i18n/locales';
import type { Database } from '../db/schema';
import type { Pool } from '../pool';
import { cookieName, cookieOptions, isSecureIssuer } from '../http/cookies';
import { renderPostPage } from '../http/post-page';
import type { PageRenderer } from '../http/rendered-page';
import { ACCOUNT_CLIENT_ID } from '../pool/account/client';
import { clientSecretMatches } from '../pool/client-secrets';
import { adapterFactory } from './adapter';
import { extendGrant, lifetimesOf, refreshTokenTtl } from './lifetimes';
import { cognitoLogoutOf, cognitoLogoutRequest, cognitoLogoutTarget, type CognitoLogout } from './cognito-logout';
import { providerScopes } from './adapter';
import { scopeWords } from '../config/seed';
import { resourcePolicy } from './resources';
import { policyWithAppMfa } from './mfa-policy';

export interface ProviderOptions {
  issuer: string;
  db: Kysely<Database>;
  pool: Pool;
  /** Private JWKs: the first signs; the others (the next key, the previous ones) are only published. */
  keys: JWK[];
  cookieKeys: string[];
  /** Renders one of our pages (the error page) for the provider to answer with. */
  renderPage: PageRenderer;
  /**
   * Federated sign-out: for a session that came from an outside provider, where to send the
   * browser first (the provider's logout, which brings it back to `target`); undefined otherwise.
   */
  upstreamLogout?: (session: { accountId?: string; loginTs?: number; amr?: string[] }, target: string) => Promise<string | undefined>;
}

/** `url` with these query parameters added (URL-encoded). */
function withQuery(url: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

/** Only the first key signs: the others carry `key_ops: ["verify"]`, which oidc-provider honours when choosing. */
function keySet(keys: JWK[]): JWK[] {
  return keys.map((k, i) => (i === 0 ? k : { ...k, key_ops: ['verify'] }));
}

/** The request's locale (i18n/locales.ts `pickLocale`); `user` is the signed-in user's `locale` attribute. */
export function localeOf(ctx: KoaContextWithOIDC, user?: string): string {
  const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
  const requested = [params.ui_locales, params.lang].map((v) => (typeof v === 'string' ? v : undefined));
  const cookie = ctx.cookies.get(cookieName('locale', isSecureIssuer(ctx.oidc?.issuer ?? '')));
  return pickLocale({ requested, user, cookie, acceptLanguage: ctx.get('accept-language') });
}

/**
 * `client_id` of the app a request concerns, for the page it ends on to wear its theme; only an
 * id our pages' query check accepts. Not the account pages' own client: what they end on takes
 * the pool's theme, as they do without an app.
 */
function themedClient(ctx: KoaContextWithOIDC): Record<string, string> {
  const id = ctx.oidc?.client?.clientId;
  return id && id !== ACCOUNT_CLIENT_ID && /^[A-Za-z0-9._~-]{1,128}$/.test(id) ? { client_id: id } : {};
}

function screenFor(prompt: string, params: Record<string, unknown>): string {
  if (prompt === 'consent') return 'consent';
  if (params.screen === 'signup') return 'signup';
  if (params.screen === 'forgot') return 'forgot-password';
  return 'login';
}

export async function createProvider(opts: ProviderOptions): Promise<Provider> {
  const { issuer, pool } = opts;
  // One token request asks for a user's claims twice (ID token, access token): load them once.
  const perRequest = new WeakMap<object, Map<string, ReturnType<Pool['users']['claims']>>>();
  const claimsOf = (ctx: object, sub: string) => {
    let cache = perRequest.get(ctx);
    if (!cache) perRequest.set(ctx, (cache = new Map()));
    let claims = cache.get(sub);
    if (!claims) cache.set(sub, (claims = pool.users.claims({ id: sub })));
    return claims;
  };
  const secure = isSecureIssuer(issuer);
  const scopeClaims = await pool.scopeClaims();
  const resources = resourcePolicy({ issuer, pool, oidcScopes: providerScopes });

  const configuration: Configuration = {
    adapter: adapterFactory(opts.db),
    clients: [],
    jwks: { keys: keySet(opts.keys) as never },
    extraClientMetadata: { properties: ['token_validity', 'resource_scopes'] },
    // Client secrets are stored hashed: client_secret_jwt (an HMAC keyed with the secret) cannot be offered.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    scopes: [...providerScopes],
    // How and when the user signed in ride on `openid`, so every ID token says it.
    claims: { ...scopeClaims, openid: [...scopeClaims.openid, 'acr', 'amr', 'auth_time'], sid: null },
    acrValues: ['urn:foyer:pwd', 'urn:foyer:mfa', 'urn:foyer:fed'],
    conformIdTokenClaims: false, // Cognito puts scope claims in the ID token
    responseTypes: ['code'],
    pkce: { required: () => true },
    // Cognito's: skip to an outside provider by name, or by one of its identifiers.
    extraParams: ['lang', 'screen', 'identity_provider', 'idp_identifier'],
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      userinfo: '/oauth2/userInfo',
      revocation: '/oauth2/revoke',
      introspection: '/oauth2/introspect',
      end_session: '/logout',
      jwks: '/.well-known/jwks.json',
    },
    cookies: {
      keys: opts.cookieKeys,
      names: { session: cookieName('session', secure), interaction: cookieName('interaction', secure), resume: cookieName('resume', secure) },
      long: { signed: true, ...cookieOptions('session', secure) },
      // Interaction and resume; oidc-provider sets the resume cookie's path itself.
      short: { signed: true, ...cookieOptions('interaction', secure) },
    },
    // Per client (its token_validity); oidc-provider passes the client, or it is the request's.
    ttl: {
      AccessToken: (ctx, _token, client) => lifetimesOf(client ?? ctx?.oidc?.client).access_token_seconds,
      ClientCredentials: (ctx, _token, client) => lifetimesOf(client ?? ctx?.oidc?.client).access_token_seconds,
      AuthorizationCode: 300,
      IdToken: (ctx, _token, client) => lifetimesOf(client ?? ctx?.oidc?.client).id_token_seconds,
      Interaction: 3600,
      // Grants are made with an explicit lifetime (loadExistingGrant, finishConsent); this is the fallback.
      Grant: (ctx) => lifetimesOf(ctx?.oidc?.client).refresh_token_seconds,
      RefreshToken: (ctx, token, client) => refreshTokenTtl(lifetimesOf(client ?? ctx?.oidc?.client), token),
      Session: 14 * 24 * 3600,
    },
    // Refresh tokens live as the client says, not as long as the browser's session: signing out
    // and the account pages revoke the grants themselves.
    expiresWithSession: () => false,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // Popup and silent (prompt=none, hidden iframe) sign-in: the answer is posted to the opener
      // or parent, with the registered redirect URI's origin as the only target.
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      // /oauth2/introspect is ours (server/oidc/introspection.ts): the library's refuses JWT access tokens.
      introspection: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      // Which resource server a token is for, and its scopes: see ./resources.
      resourceIndicators: {
        enabled: true,
        defaultResource: resources.defaultResource,
        useGrantedResource: resources.useGrantedResource,
        getResourceServerInfo: resources.getResourceServerInfo,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        async postLogoutSuccessSource(ctx) {
          ctx.status = 303;
          ctx.redirect(withQuery(`/${localeOf(ctx)}/logout/done`, themedClient(ctx)));
        },
      },
    },
    async findAccount(ctx, sub) {
      const claims = await claimsOf(ctx, sub);
      if (!claims) return undefined;
      return {
        accountId: sub,
        async claims(use) {
          const out: Record<string, unknown> = { ...claims, sub };
          if (use === 'id_token') out.token_use = 'id';
          if (Array.isArray(out['cognito:groups']) && out['cognito:groups'].length === 0) delete out['cognito:groups'];
          return out as { sub: string };
        },
      };
    },
    async extraTokenClaims(ctx, token) {
      if (token.kind === 'ClientCredentials') return { token_use: 'access' };
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const claims = await claimsOf(ctx, token.accountId);
      const groups = (claims?.['cognito:groups'] as string[] | undefined) ?? [];
      return {
        token_use: 'access',
        username: claims?.['cognito:username'],
        origin_jti: token.grantId,
        ...(groups.length ? { 'cognito:groups': groups } : {}),
      };
    },
    formats: {
      customizers: {
        // The admin API's contract (server/config/resource-servers.ts FOYER_RESOURCE_SERVER): `sub`
        // only when a user is involved (the library would put the client's id there).
        jwt(_ctx, token, jwt) {
          if (!('accountId' in token) || !token.accountId) delete jwt.payload.sub;
          jwt.payload.aud = resources.audienceOf(jwt.payload.aud, token.scope) as string;
        },
      },
    },
    discovery: {
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    },
    // Cognito issues refresh tokens to every client allowed the grant, no offline_access dance.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    revokeGrantPolicy: () => true,
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      // A grant lives as long as the refresh tokens issued under it may: from this sign-in on.
      const lifetime = lifetimesOf(client).refresh_token_seconds;
      const app = await pool.clients.find({ clientId: client.clientId });
      const firstParty = !!app && !app.third_party;
      // First-party apps get what they ask for within their registered scope, as in Cognito:
      // OIDC scopes, and custom scopes (which getResourceServerInfo narrows to those that exist).
      const allowed = new Set([...scopeWords(client.scope), ...scopeWords((client as { resource_scopes?: string }).resource_scopes)]);
      const requested = scopeWords(String(ctx.oidc.params?.scope ?? 'openid')).filter((s) => allowed.has(s));
      const grantAsked = (grant: InstanceType<typeof ctx.oidc.provider.Grant>) => {
        grant.addOIDCScope(requested.filter((s) => providerScopes.includes(s)).join(' '));
        grant.addResourceScope(issuer, requested.join(' '));
      };
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) {
          // The same browser session asking for more of what the app may have (a custom scope).
          const more = firstParty && requested.some((s) => !(grant.getResourceScope(issuer) ?? '').split(' ').includes(s));
          if (more) grantAsked(grant);
          if (extendGrant(grant, lifetime) || more) await grant.save();
          return grant;
        }
      }
      if (!firstParty || !session.accountId) return undefined;
      const grant = Object.assign(new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId }), { expiresIn: lifetime });
      grantAsked(grant);
      await grant.save();
      return grant;
    },
    interactions: {
      policy: policyWithAppMfa(pool),
      async url(ctx, interaction) {
        const screen = screenFor(interaction.prompt.name, interaction.params as Record<string, unknown>);
        // A user already signed in here (consent, a new sign-in asked for) reads their own language.
        const accountId = ctx.oidc.session?.accountId;
        const user = accountId ? ((await claimsOf(ctx, accountId))?.locale as string | undefined) : undefined;
        return `/${localeOf(ctx, user)}/${screen}?uid=${interaction.uid}`;
      },
    },
    clientBasedCORS(_ctx, origin, client) {
      return client.redirectUris?.some((u) => new URL(u).origin === origin) ?? false;
    },
    async renderError(ctx, out) {
      const code = typeof out.error === 'string' ? out.error : 'server_error';
      try {
        // In the theme of the client concerned, when the request named a known one.
        const page = await opts.renderPage(withQuery(`/${localeOf(ctx)}/error`, { code, ...themedClient(ctx) }), {
          cookie: ctx.get('cookie') || undefined,
          'accept-language': ctx.get('accept-language') || undefined,
        });
        ctx.type = 'html';
        for (const [k, v] of Object.entries(page.headers)) ctx.set(k, v);
        ctx.body = page.html;
      } catch {
        ctx.type = 'text/plain';
        ctx.body = `${code}`;
      }
    },
  };

  /**
   * RP-initiated logout, through oidc-provider's `logoutSource`: by now the library has validated
   * an `id_token_hint` (signature, audience) into `entities.IdTokenHint` and put this browser's
   * xsrf value in `session.state.secret`. Without a hint for this session's user our translated
   * page asks first, its form posting that value to end_session_confirm (works without JavaScript).
   */
  async function logoutSource(ctx: KoaContextWithOIDC): Promise<void> {
    const session = ctx.oidc.session!;
    const { secret, state, postLogoutRedirectUri } = (session.state ?? {}) as { secret?: string; state?: string; postLogoutRedirectUri?: string };
    const cognito = cognitoLogoutOf(ctx);
    if (cognito) return endSessionNow(ctx, cognito.target);
    const hinted = ctx.oidc.entities.IdTokenHint?.payload.sub;
    if (hinted !== undefined && hinted === session.accountId) {
      // The app proved it signs out its own user: like Cognito's /logout, no confirmation page.
      return endSessionNow(ctx, postLogoutRedirectUri ? withQuery(postLogoutRedirectUri, state ? { state } : {}) : withQuery(`/${localeOf(ctx)}/logout/done`, themedClient(ctx)));
    }
    const client = ctx.oidc.client?.clientId;
    ctx.status = 303;
    ctx.redirect(withQuery(`/${localeOf(ctx)}/logout`, { xsrf: secret ?? '', ...(client ? { client_id: client } : {}) }));
  }

  /**
   * Signs this browser out without a confirmation page, then sends it to `target`. The library ends
   * a session only on a post to end_session_confirm (there is no hook to skip it), so this does what
   * that step does: the session's grants and tokens revoked, the session and its cookie gone,
   * `end_session.success` emitted; a federated session also ends upstream.
   */
  async function endSessionNow(ctx: KoaContextWithOIDC, target: string): Promise<void> {
    const session = ctx.oidc.session!;
    const signedIn = { accountId: session.accountId, loginTs: session.loginTs, amr: session.amr };
    for (const { grantId } of Object.values(session.authorizations ?? {})) {
      if (!grantId) continue;
      await ctx.oidc.provider.Grant.adapter.revokeByGrantId!(grantId);
      await ctx.oidc.provider.Grant.adapter.destroy(grantId);
    }
    await session.destroy();
    ctx.cookies.set(ctx.oidc.provider.cookieName('session'), null, configuration.cookies!.long);
    ctx.oidc.provider.emit('end_session.success', ctx);
    ctx.status = 303;
    ctx.redirect((await opts.upstreamLogout?.(signedIn, target)) ?? target);
  }

  /** Our error page for `code`, with `status`. */
  async function sendErrorPage(ctx: KoaContextWithOIDC, code: string, status: number): Promise<void> {
    await configuration.renderError!(ctx, { error: code }, new Error(code));
    ctx.status = status;
  }

  const provider = new Provider(issuer, configuration);
  // The client's `client_secret` is the stored hash (server/pool/client-secrets.ts): compare through it.
  provider.Client.prototype.compareClientSecret = function (this: InstanceType<typeof provider.Client>, actual: string) {
    return clientSecretMatches(opts.db, this.clientId, this.clientSecret, actual);
  };
  // server/http/forwarded.ts rewrites X-Forwarded-* from PUBLIC_URL, so Koa may believe them.
  provider.proxy = true;
  // Cognito's /logout (server/oidc/cognito-logout.ts): checked here, then run by end_session as a
  // plain request for the client, so the library still loads the session and its xsrf state.
  provider.use(async (ctx, next) => {
    if (ctx.path !== '/logout' || ctx.method !== 'GET') return next();
    const asked = cognitoLogoutRequest(new URLSearchParams(ctx.querystring));
    if (!asked) return next();
    const c = ctx as KoaContextWithOIDC;
    if ('error' in asked) return sendErrorPage(c, 'invalid_request', 400);
    const client = await provider.Client.find(asked.clientId).catch(() => undefined);
    if (!client) return sendErrorPage(c, 'invalid_client', 400);
    const target = cognitoLogoutTarget(asked, client);
    if (!target) return sendErrorPage(c, 'invalid_request', 400);
    ctx.state.cognitoLogout = { target } satisfies CognitoLogout;
    ctx.querystring = new URLSearchParams({ client_id: asked.clientId, ...(asked.lang ? { ui_locales: asked.lang } : {}) }).toString();
    await next();
    // Nobody was signed in here: nothing to end, straight on (the library would post a form).
    if (c.oidc?.route === 'end_session' && ctx.status === 200 && !c.oidc.session?.accountId) {
      ctx.body = null;
      ctx.status = 303;
      ctx.redirect(target);
    }
  });
  // Sign-out confirmed on our logout page: the session is gone; a federated one also ends upstream.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    const csp = ctx.response.get('content-security-policy');
    if (oidc?.params?.response_mode === 'web_message' && ctx.type === 'text/html' && csp && !csp.includes('frame-ancestors')) {
      // The library's web_message page drops frame-ancestors altogether (any site could frame
      // it); only the page it posts to, the redirect URI's origin, may (a hidden iframe's renewal).
      const target = String(oidc.params.redirect_uri);
      ctx.set('content-security-policy', `${csp}; frame-ancestors ${URL.canParse(target) ? new URL(target).origin : "'none'"}`);
    }
    if (oidc?.route === 'end_session' && ctx.status === 200 && !oidc.session?.accountId) {
      // No session left to confirm: oidc-provider posts the sign-out on by itself (without calling
      // logoutSource), with an English page; ours says it in the user's language (and shows a
      // button without JavaScript), posting the same xsrf value from the session's state.
      const xsrf = (oidc.session?.state as { secret?: string } | undefined)?.secret;
      if (xsrf) {
        // In the theme of the app that asked (client_id or id_token_hint), else the pool's.
        const brand = await pool.pageBrand(oidc.client?.clientId ?? null);
        const page = renderPostPage({ url: oidc.urlFor('end_session_confirm'), fields: { xsrf, logout: 'yes' } }, { locale: localeOf(ctx as KoaContextWithOIDC), purpose: 'signOutHere', brand });
        ctx.body = page.html;
        ctx.set('content-security-policy', page.csp);
        ctx.set('cache-control', 'no-store');
      }
      return;
    }
    if (oidc?.route !== 'end_session_confirm' || ctx.status !== 303 || !oidc.params?.logout || !opts.upstreamLogout) return;
    const session = oidc.session;
    const upstream = await opts.upstreamLogout({ accountId: session?.accountId, loginTs: session?.loginTs, amr: session?.amr }, String(ctx.response.get('location')));
    if (upstream) ctx.redirect(upstream);
  });
  return provider;
}
