import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import { pickLocale } from '../../i18n/locales';
import type { Database } from '../db/schema';
import type { Pool } from '../pool';
import { cookieName, cookieOptions, isSecureIssuer } from '../http/cookies';
import { renderPostPage } from '../http/post-page';
import type { PageRenderer } from '../http/rendered-page';
import { clientSecretMatches } from '../pool/client-secrets';
import { adapterFactory } from './adapter';
import { extendGrant, lifetimesOf, refreshTokenTtl } from './lifetimes';

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
  const oidcScopes = Object.keys(scopeClaims);

  const configuration: Configuration = {
    adapter: adapterFactory(opts.db),
    clients: [],
    jwks: { keys: keySet(opts.keys) as never },
    extraClientMetadata: { properties: ['token_validity'] },
    // Client secrets are stored hashed: client_secret_jwt (an HMAC keyed with the secret) cannot be offered.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    scopes: oidcScopes,
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
      introspection: { enabled: false },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // One resource, the pool itself: access tokens are JWTs for it, accepted by userInfo.
        defaultResource: () => issuer,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, _resource, client) => ({
          scope: oidcScopes.join(' '),
          audience: issuer,
          accessTokenFormat: 'jwt',
          accessTokenTTL: lifetimesOf(client).access_token_seconds,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        async postLogoutSuccessSource(ctx) {
          ctx.status = 303;
          ctx.redirect(`/${localeOf(ctx)}/logout/done`);
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
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) {
          if (extendGrant(grant, lifetime)) await grant.save();
          return grant;
        }
      }
      const app = await pool.clients.find({ clientId: client.clientId });
      if (!app || app.third_party || !session.accountId) return undefined;
      // First-party apps get what they ask for within their registered scope, as in Cognito.
      const grant = Object.assign(new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId }), { expiresIn: lifetime });
      const allowed = new Set((client.scope ?? '').split(' '));
      const requested = String(ctx.oidc.params?.scope ?? 'openid').split(' ').filter((s) => allowed.has(s));
      grant.addOIDCScope(requested.join(' '));
      grant.addResourceScope(issuer, requested.join(' '));
      await grant.save();
      return grant;
    },
    interactions: {
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
        const page = await opts.renderPage(`/${localeOf(ctx)}/error?code=${encodeURIComponent(code)}`, {
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
    const hinted = ctx.oidc.entities.IdTokenHint?.payload.sub;
    if (hinted !== undefined && hinted === session.accountId) {
      // The app proved it signs out its own user: like Cognito's /logout, no confirmation page.
      // The library ends a session only on a post to end_session_confirm (there is no hook to skip
      // it), so this does what that step does: the session's grants and tokens revoked, the
      // session and its cookie gone, `end_session.success` emitted.
      const signedIn = { accountId: session.accountId, loginTs: session.loginTs, amr: session.amr };
      for (const { grantId } of Object.values(session.authorizations ?? {})) {
        if (!grantId) continue;
        await ctx.oidc.provider.Grant.adapter.revokeByGrantId!(grantId);
        await ctx.oidc.provider.Grant.adapter.destroy(grantId);
      }
      await session.destroy();
      ctx.cookies.set(ctx.oidc.provider.cookieName('session'), null, configuration.cookies!.long);
      ctx.oidc.provider.emit('end_session.success', ctx);
      const target = postLogoutRedirectUri ? withQuery(postLogoutRedirectUri, state ? { state } : {}) : `/${localeOf(ctx)}/logout/done`;
      ctx.status = 303;
      ctx.redirect((await opts.upstreamLogout?.(signedIn, target)) ?? target);
      return;
    }
    const client = ctx.oidc.client?.clientId;
    ctx.status = 303;
    ctx.redirect(withQuery(`/${localeOf(ctx)}/logout`, { xsrf: secret ?? '', ...(client ? { client_id: client } : {}) }));
  }

  const provider = new Provider(issuer, configuration);
  // The client's `client_secret` is the stored hash (server/pool/client-secrets.ts): compare through it.
  provider.Client.prototype.compareClientSecret = function (this: InstanceType<typeof provider.Client>, actual: string) {
    return clientSecretMatches(opts.db, this.clientId, this.clientSecret, actual);
  };
  // server/http/forwarded.ts rewrites X-Forwarded-* from PUBLIC_URL, so Koa may believe them.
  provider.proxy = true;
  // Sign-out confirmed on our logout page: the session is gone; a federated one also ends upstream.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    if (oidc?.route === 'end_session' && ctx.status === 200 && !oidc.session?.accountId) {
      // No session left to confirm: oidc-provider posts the sign-out on by itself (without calling
      // logoutSource), with an English page; ours says it in the user's language (and shows a
      // button without JavaScript), posting the same xsrf value from the session's state.
      const xsrf = (oidc.session?.state as { secret?: string } | undefined)?.secret;
      if (xsrf) {
        const page = renderPostPage({ url: oidc.urlFor('end_session_confirm'), fields: { xsrf, logout: 'yes' } }, { locale: localeOf(ctx as KoaContextWithOIDC), purpose: 'signOutHere' });
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
