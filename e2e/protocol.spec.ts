import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Page } from '@playwright/test';
import {
  ALICE,
  PARTNER_CLIENT_SECRET,
  PARTNER_REDIRECT_URI,
  RP_CLIENT_SECRET,
  RP_REDIRECT_URI,
  SPA_REDIRECT_URI,
  expect,
  test,
  type Foyer,
} from './fixtures/foyer';
import { signIn } from './fixtures/pages';

/**
 * Foyer as an OpenID provider, seen from an OUTSIDE relying party: openid-client v6 does the
 * protocol, jose checks signatures, and the browser is only used to sign in on the hosted pages.
 * Every redirect URI lives on http://127.0.0.1:9, where nothing listens: the page intercepts it.
 */

const RP_HOST = 'http://127.0.0.1:9';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPE = 'openid email profile';

// ---------------------------------------------------------------------------------------------
// Helpers

function discover(foyer: Foyer, clientId: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(foyer.url), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
}

const rpConfig = (foyer: Foyer) => discover(foyer, 'rp', oidc.ClientSecretBasic(RP_CLIENT_SECRET));

/**
 * Watches the browser's requests to the RP's host (where nothing listens).
 *
 * The brief's `page.route(...)` fulfilment is installed, but with the system Chromium (156) and
 * Playwright 1.65 the browser does not hand REDIRECTED requests to route handlers, and port 9 is
 * one of Chromium's unsafe ports anyway (net::ERR_UNSAFE_PORT). So the source of truth is the
 * `request` event, which fires for the redirect target before the browser gives up on it: the
 * browser *was* sent there, with that URL. The failed navigation that follows is harmless, and
 * stays failed: playwright.config.ts turns off Chromium's reload of error pages, which requested
 * every failed landing again 1 s later.
 */
type RpWatch = {
  /** Every URL on the RP's host the browser requested, in order. */
  seen: URL[];
  /** The next not-yet-returned request to `redirectUri` (waits for it). */
  next(redirectUri: string): Promise<URL>;
};

async function watchRp(page: Page): Promise<RpWatch> {
  const seen: URL[] = [];
  // One ordered log of RP requests and main-frame commits, to know when a landing has settled.
  const log: ({ kind: 'request'; url: URL } | { kind: 'commit'; url: string })[] = [];
  let taken = 0;
  // Callbacks carrying the same code: a real RP would redeem it twice (and the provider then revokes
  // the grant). Each flow's code reaches the RP once.
  const repeated: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(`${RP_HOST}/`)) return;
    const url = new URL(r.url());
    if (url.searchParams.has('code') && seen.some((u) => u.href === url.href)) repeated.push(url.href);
    seen.push(url);
    log.push({ kind: 'request', url });
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) log.push({ kind: 'commit', url: f.url() });
  });
  await page.route(`${RP_HOST}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' }));
  const landed = (u: string) => u.startsWith('chrome-error:') || u.startsWith(`${RP_HOST}/`);
  return {
    seen,
    async next(redirectUri) {
      const matches = (u: URL) => u.href === redirectUri || u.href.startsWith(`${redirectUri}?`);
      let found: URL | undefined;
      await expect
        .poll(
          () => {
            const i = log.findIndex((e, j) => j >= taken && e.kind === 'request' && matches(e.url));
            if (i === -1) return undefined;
            // Wait as well for the browser to be done with it (our fulfilment, or its error
            // page), or the test's next page.goto is "interrupted by another navigation".
            if (!log.some((e, j) => j > i && e.kind === 'commit' && landed(e.url))) return undefined;
            found = (log[i] as { url: URL }).url;
            taken = i + 1;
            return found.href;
          },
          { message: `the browser is sent to ${redirectUri}`, timeout: 15_000 },
        )
        .toBeTruthy();
      expect(repeated, 'a code callback the browser requested twice').toEqual([]);
      return found!;
    },
  };
}

/** page.goto for a request that ends at the RP: the browser's failure to load it is expected. */
async function gotoRp(page: Page, url: string): Promise<void> {
  try {
    await page.goto(url);
  } catch (e) {
    if (!/net::ERR_|interrupted by another navigation/.test((e as Error).message)) throw e;
  }
}

type Started = { url: URL; verifier: string; state: string; nonce: string };

async function authorizationUrl(
  config: oidc.Configuration,
  redirectUri = RP_REDIRECT_URI,
  extra: Record<string, string> = {},
): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/** Starts an authorization request, signs alice in on the hosted page, returns the callback URL. */
async function signInThrough(
  page: Page,
  rp: RpWatch,
  config: oidc.Configuration,
  redirectUri = RP_REDIRECT_URI,
): Promise<Started & { callback: URL }> {
  const started = await authorizationUrl(config, redirectUri);
  await page.goto(started.url.href);
  await signIn(page, ALICE.username, ALICE.password);
  const callback = await rp.next(redirectUri);
  return { ...started, callback };
}

async function codeFlow(page: Page, rp: RpWatch, config: oidc.Configuration, redirectUri = RP_REDIRECT_URI) {
  const s = await signInThrough(page, rp, config, redirectUri);
  const tokens = await oidc.authorizationCodeGrant(config, s.callback, {
    pkceCodeVerifier: s.verifier,
    expectedState: s.state,
    expectedNonce: s.nonce,
    idTokenExpected: true,
  });
  return { ...s, tokens };
}

/**
 * Runs `fn`, which must reject with an OAuth error response `error` (e.g. invalid_grant). A 401
 * carrying a WWW-Authenticate challenge surfaces in openid-client as WWWAuthenticateChallengeError
 * with the body unread; the error code is then read from the body.
 */
async function expectOAuthError(fn: () => Promise<unknown>, error: string, status?: number): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  let got: { status: number; error: unknown };
  if (caught instanceof oidc.ResponseBodyError) got = { status: caught.status, error: caught.error };
  else if (caught instanceof oidc.WWWAuthenticateChallengeError) {
    const body = (await caught.response.json().catch(() => ({}))) as { error?: unknown };
    got = { status: caught.status, error: body.error };
  } else throw new Error(`expected an ${error} error response, got ${caught === undefined ? 'success' : String(caught)}`, { cause: caught });
  expect(got.error).toBe(error);
  if (status !== undefined) expect(got.status).toBe(status);
}

async function userinfo(foyer: Foyer, accessToken?: string): Promise<Response> {
  return fetch(`${foyer.url}/oauth2/userInfo`, {
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });
}

async function expectUserinfoRefused(foyer: Foyer, accessToken?: string): Promise<void> {
  const res = await userinfo(foyer, accessToken);
  const body = await res.text();
  expect(res.status, `userInfo answered ${res.status}: ${body}`).toBe(401);
  expect(res.headers.get('www-authenticate') ?? '').toMatch(/^Bearer\b.*\berror="invalid_token"/);
}

async function expectUserinfoAccepted(foyer: Foyer, accessToken: string): Promise<Record<string, unknown>> {
  const res = await userinfo(foyer, accessToken);
  const body = await res.text();
  expect(res.status, `userInfo answered ${res.status}: ${body}`).toBe(200);
  return JSON.parse(body) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// 1. Discovery

test('discovery publishes the Cognito-shaped endpoints, S256-only PKCE and code-only responses', async ({ foyer }) => {
  const config = await rpConfig(foyer);
  const md = config.serverMetadata();
  expect(md.issuer).toBe(foyer.url);
  expect(md.authorization_endpoint).toBe(`${foyer.url}/oauth2/authorize`);
  expect(md.token_endpoint).toBe(`${foyer.url}/oauth2/token`);
  expect(md.userinfo_endpoint).toBe(`${foyer.url}/oauth2/userInfo`);
  expect(md.revocation_endpoint).toBe(`${foyer.url}/oauth2/revoke`);
  expect(md.end_session_endpoint).toBe(`${foyer.url}/logout`);
  expect(md.jwks_uri).toBe(`${foyer.url}/.well-known/jwks.json`);
  expect(md.code_challenge_methods_supported).toEqual(['S256']);
  expect(md.response_types_supported).toEqual(['code']);

  // The published key set really is there and holds only public keys.
  const jwks = (await (await fetch(md.jwks_uri!)).json()) as { keys: Record<string, unknown>[] };
  expect(jwks.keys.length).toBeGreaterThan(0);
  for (const k of jwks.keys) {
    expect(k.kid).toEqual(expect.any(String));
    for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(priv);
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Authorization code + PKCE

test('code + PKCE round trip: verified ID token, JWT access token, userInfo', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  const { callback, state, nonce, tokens } = await codeFlow(page, rp, config);
  expect(callback.searchParams.get('state')).toBe(state);
  expect(callback.searchParams.get('code')).toBeTruthy();
  expect(tokens.token_type.toLowerCase()).toBe('bearer');
  expect(tokens.refresh_token).toEqual(expect.any(String));

  const jwks = createRemoteJWKSet(new URL(`${foyer.url}/.well-known/jwks.json`));

  // ID token: signature checked by us, not just by openid-client.
  const id = await jwtVerify(tokens.id_token!, jwks, { issuer: foyer.url, audience: 'rp' });
  expect(id.payload.sub).toMatch(UUID);
  expect(id.payload.email).toBe(ALICE.email);
  expect(id.payload.email_verified).toBe(true);
  expect(id.payload['cognito:username']).toBe('alice');
  expect(id.payload['cognito:groups']).toContain('admins');
  expect(id.payload.token_use).toBe('id');
  expect(id.payload.auth_time).toEqual(expect.any(Number));
  expect(id.payload.amr).toContain('pwd');
  expect(id.payload.nonce).toBe(nonce);
  expect(tokens.claims()?.sub).toBe(id.payload.sub);

  // Access token: a JWT too, typed at+jwt.
  expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
  const at = await jwtVerify(tokens.access_token, jwks, { issuer: foyer.url, typ: 'at+jwt' });
  expect(at.protectedHeader.typ).toBe('at+jwt');
  expect(at.payload.sub).toBe(id.payload.sub);
  expect(at.payload.token_use).toBe('access');
  expect(String(at.payload.scope).split(' ')).toContain('openid');
  expect(at.payload.client_id).toBe('rp');
  expect(at.payload.username).toBe('alice');
  expect(at.payload['cognito:groups']).toEqual(['admins']);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, id.payload.sub!);
  expect(info.sub).toBe(id.payload.sub);
  expect(info.email).toBe(ALICE.email);
  expect(info.username).toBe('alice');
});

// ---------------------------------------------------------------------------------------------
// 3. Refresh token rotation and reuse detection

test('refresh rotates the refresh token; reusing an old one revokes the whole grant', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  const { tokens: first } = await codeFlow(page, rp, config);
  const rt0 = first.refresh_token!;
  const sub = first.claims()!.sub;

  const second = await oidc.refreshTokenGrant(config, rt0);
  const rt1 = second.refresh_token!;
  expect(rt1).toEqual(expect.any(String));
  expect(rt1).not.toBe(rt0);
  const info = await oidc.fetchUserInfo(config, second.access_token, sub);
  expect(info.sub).toBe(sub);

  // Replay of the rotated-away token: refused, and the whole family goes with it.
  await expectOAuthError(() => oidc.refreshTokenGrant(config, rt0), 'invalid_grant', 400);
  await expectOAuthError(() => oidc.refreshTokenGrant(config, rt1), 'invalid_grant', 400);
  await expectUserinfoRefused(foyer, second.access_token);
  await expectUserinfoRefused(foyer, first.access_token);
});

// ---------------------------------------------------------------------------------------------
// 4. Revocation

test('revoking the refresh token kills it and the access token of its grant', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  const { tokens } = await codeFlow(page, rp, config);
  await expectUserinfoAccepted(foyer, tokens.access_token);

  await oidc.tokenRevocation(config, tokens.refresh_token!);

  await expectOAuthError(() => oidc.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant', 400);
  await expectUserinfoRefused(foyer, tokens.access_token);
});

// ---------------------------------------------------------------------------------------------
// 5. PKCE is mandatory and codes are one-time

test('an authorization request without PKCE, or with plain PKCE, is refused at the redirect URI', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);

  // No code_challenge at all.
  const state1 = oidc.randomState();
  const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: RP_REDIRECT_URI, scope: SCOPE, state: state1 });
  await gotoRp(page, noPkce.href);
  const cb1 = await rp.next(RP_REDIRECT_URI);
  expect(cb1.searchParams.get('error')).toBe('invalid_request');
  expect(cb1.searchParams.get('state')).toBe(state1);
  expect(cb1.searchParams.has('code')).toBe(false);

  // code_challenge_method=plain (with a challenge that would be a valid plain one).
  const state2 = oidc.randomState();
  const verifier = oidc.randomPKCECodeVerifier();
  const plain = oidc.buildAuthorizationUrl(config, {
    redirect_uri: RP_REDIRECT_URI,
    scope: SCOPE,
    state: state2,
    code_challenge: verifier,
    code_challenge_method: 'plain',
  });
  await gotoRp(page, plain.href);
  const cb2 = await rp.next(RP_REDIRECT_URI);
  expect(cb2.searchParams.get('error')).toBe('invalid_request');
  expect(cb2.searchParams.get('state')).toBe(state2);
  expect(cb2.searchParams.has('code')).toBe(false);

  // Neither request showed a login page on the way: these were the only two trips to the RP.
  expect(rp.seen).toHaveLength(2);
});

test('a code redeemed with the wrong verifier, or twice, is refused', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  const s = await signInThrough(page, rp, config);

  // Wrong verifier (well-formed, just not the one behind the challenge).
  await expectOAuthError(
    () => oidc.authorizationCodeGrant(config, s.callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: s.state, expectedNonce: s.nonce }),
    'invalid_grant',
    400,
  );

  // The right verifier works once…
  const tokens = await oidc.authorizationCodeGrant(config, s.callback, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });
  await expectUserinfoAccepted(foyer, tokens.access_token);
  // …and never again; the replay also revokes what the code gave out (RFC 6749 §4.1.2).
  await expectOAuthError(
    () => oidc.authorizationCodeGrant(config, s.callback, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce }),
    'invalid_grant',
    400,
  );
  await expectUserinfoRefused(foyer, tokens.access_token);
  await expectOAuthError(() => oidc.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant', 400);
});

// ---------------------------------------------------------------------------------------------
// 6. Exact redirect URI matching

test.describe('a bad client or redirect URI gets Foyer’s error page, never a redirect', () => {
  const cases: { name: string; clientId: string; redirectUri: string; code: string }[] = [
    { name: 'redirect URI with a trailing slash', clientId: 'rp', redirectUri: `${RP_REDIRECT_URI}/`, code: 'invalid_redirect_uri' },
    { name: 'redirect URI with an extra query parameter', clientId: 'rp', redirectUri: `${RP_REDIRECT_URI}?next=evil`, code: 'invalid_redirect_uri' },
    { name: 'unknown client_id', clientId: 'no-such-client', redirectUri: RP_REDIRECT_URI, code: 'invalid_client' },
  ];
  for (const c of cases) {
    test(c.name, async ({ foyer, page }) => {
      const rp = await watchRp(page);
      const url = new URL(`${foyer.url}/oauth2/authorize`);
      url.search = new URLSearchParams({
        client_id: c.clientId,
        redirect_uri: c.redirectUri,
        response_type: 'code',
        scope: SCOPE,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      }).toString();
      const res = await page.goto(url.href);
      expect(res).not.toBeNull();
      expect(res!.status()).toBe(400);
      expect(new URL(page.url()).origin).toBe(foyer.url);
      const html = await res!.text();
      expect(html).toContain('data-testid="error-page"');
      await expect(page.getByTestId('error-page')).toBeVisible();
      await expect(page.getByTestId('error-page')).toHaveAttribute('data-code', c.code);
      // Nothing on the page sends the browser on (no refresh, no auto-posting form), and once the
      // page has stopped loading, nothing went to the RP.
      expect(html).not.toMatch(/http-equiv=["']?refresh|<form[^>]*action=["']?https?:/i);
      await page.waitForLoadState('networkidle');
      expect(rp.seen).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 7. Public client, and a confidential client with the wrong secret

test('the public client spa does code + PKCE without a secret', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await discover(foyer, 'spa', oidc.None());
  const { tokens } = await codeFlow(page, rp, config, SPA_REDIRECT_URI);
  const jwks = createRemoteJWKSet(new URL(`${foyer.url}/.well-known/jwks.json`));
  const id = await jwtVerify(tokens.id_token!, jwks, { issuer: foyer.url, audience: 'spa' });
  expect(id.payload['cognito:username']).toBe('alice');
  const at = await jwtVerify(tokens.access_token, jwks, { issuer: foyer.url, typ: 'at+jwt' });
  expect(at.payload.client_id).toBe('spa');
  const info = await oidc.fetchUserInfo(config, tokens.access_token, id.payload.sub!);
  expect(info.username).toBe('alice');
});

test('a confidential client with the wrong secret is refused at the token endpoint', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const good = await rpConfig(foyer);
  const s = await signInThrough(page, rp, good);
  const bad = await discover(foyer, 'rp', oidc.ClientSecretBasic(`${RP_CLIENT_SECRET}x`));
  await expectOAuthError(
    () => oidc.authorizationCodeGrant(bad, s.callback, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce }),
    'invalid_client',
    401,
  );
  // And no secret at all, as if rp were public.
  const none = await discover(foyer, 'rp', oidc.None());
  await expectOAuthError(
    () => oidc.authorizationCodeGrant(none, s.callback, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce }),
    'invalid_client',
    401,
  );
});

// ---------------------------------------------------------------------------------------------
// 8. Third-party client: consent

test.describe('third-party client partner asks for consent', () => {
  const partnerConfig = (foyer: Foyer) => discover(foyer, 'partner', oidc.ClientSecretBasic(PARTNER_CLIENT_SECRET));

  async function toConsent(page: Page, config: oidc.Configuration) {
    const started = await authorizationUrl(config, PARTNER_REDIRECT_URI);
    await page.goto(started.url.href);
    await signIn(page, ALICE.username, ALICE.password);
    await expect(page).toHaveURL(/\/[a-z]{2}(-[A-Z]{2})?\/consent\?uid=/);
    const scopes = page.getByTestId('consent-scopes').getByRole('listitem');
    await expect(scopes).toHaveText(['Your account identifier', 'Your e-mail address', 'Your name and profile']);
    return started;
  }

  test('deny sends access_denied to the redirect URI', async ({ foyer, page }) => {
    const rp = await watchRp(page);
    const config = await partnerConfig(foyer);
    const { state } = await toConsent(page, config);
    expect(rp.seen).toEqual([]);
    await page.getByTestId('deny').click();
    const cb = await rp.next(PARTNER_REDIRECT_URI);
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect(cb.searchParams.get('state')).toBe(state);
    expect(cb.searchParams.has('code')).toBe(false);
  });

  test('allow returns a code that exchanges for tokens', async ({ foyer, page }) => {
    const rp = await watchRp(page);
    const config = await partnerConfig(foyer);
    const s = await toConsent(page, config);
    await page.getByTestId('allow').click();
    const cb = await rp.next(PARTNER_REDIRECT_URI);
    expect(cb.searchParams.get('error')).toBeNull();
    const tokens = await oidc.authorizationCodeGrant(config, cb, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce, idTokenExpected: true });
    const jwks = createRemoteJWKSet(new URL(`${foyer.url}/.well-known/jwks.json`));
    const id = await jwtVerify(tokens.id_token!, jwks, { issuer: foyer.url, audience: 'partner' });
    expect(id.payload.email).toBe(ALICE.email);
    const at = await jwtVerify(tokens.access_token, jwks, { issuer: foyer.url, typ: 'at+jwt' });
    expect(at.payload.client_id).toBe('partner');
    expect(String(at.payload.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, id.payload.sub!);
    expect(info.email).toBe(ALICE.email);
  });
});

// ---------------------------------------------------------------------------------------------
// 9. userInfo refuses what it should

test('userInfo refuses a missing, garbage, unsigned or foreign-signed token with 401 invalid_token', async ({ foyer, page }) => {
  await expectUserinfoRefused(foyer);
  await expectUserinfoRefused(foyer, 'garbage');
  await expectUserinfoRefused(foyer, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln');

  // A real access token, to copy claims and key id from.
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  const { tokens } = await codeFlow(page, rp, config);
  await expectUserinfoAccepted(foyer, tokens.access_token);
  const header = decodeProtectedHeader(tokens.access_token);
  const claims = decodeJwt(tokens.access_token);

  // Same header (kid included) and claims, signed by a key that is not Foyer's.
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: header.kid }).sign(privateKey);
  await expectUserinfoRefused(foyer, forged);

  // The same, carrying the foreign key in the header (jwk header injection).
  const injected = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
    .sign(privateKey);
  await expectUserinfoRefused(foyer, injected);

  // alg "none".
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  await expectUserinfoRefused(foyer, `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`);

  // The ID token is not an access token.
  await expectUserinfoRefused(foyer, tokens.id_token!);
});

// ---------------------------------------------------------------------------------------------
// 10. RP-initiated logout

test('logout with a valid id_token_hint goes straight to the post-logout URI and ends the session', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  const { tokens } = await codeFlow(page, rp, config);

  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) documents.push(r.url());
  });
  const state = oidc.randomState();
  const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: RP_REDIRECT_URI, state });
  expect(end.origin + end.pathname).toBe(`${foyer.url}/logout`);
  await gotoRp(page, end.href);
  const back = await rp.next(RP_REDIRECT_URI);
  expect(back.searchParams.get('state')).toBe(state);
  // No confirmation page on the way: only /logout itself and then the RP.
  expect(documents.map((u) => new URL(u).pathname)).toEqual(['/logout', '/rp/callback']);

  // The session is gone: a new authorization request asks to sign in again.
  const again = await authorizationUrl(config);
  await page.goto(again.url.href);
  await expect(page.getByTestId('login-form')).toBeVisible();
});

/** Whether this browser is still signed in to Foyer: a new request for `config` goes straight back. */
async function stillSignedIn(page: Page, rp: RpWatch, config: oidc.Configuration): Promise<boolean> {
  const again = await authorizationUrl(config);
  await gotoRp(page, again.url.href);
  if (await page.getByTestId('login-form').isVisible().catch(() => false)) return false;
  await rp.next(RP_REDIRECT_URI);
  return true;
}

test("Cognito's /logout?client_id&logout_uri signs out with no confirmation and goes to the registered sign-out URL", async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  await signInThrough(page, rp, config);

  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) documents.push(r.url());
  });
  await gotoRp(page, `${foyer.url}/logout?client_id=rp&logout_uri=${encodeURIComponent(RP_REDIRECT_URI)}`);
  const back = await rp.next(RP_REDIRECT_URI);
  expect(back.href).toBe(RP_REDIRECT_URI);
  expect(documents.map((u) => new URL(u).pathname)).toEqual(['/logout', '/rp/callback']);
  expect(await stillSignedIn(page, rp, config)).toBe(false);

  // Signed out already: straight on again, nothing to end.
  await gotoRp(page, `${foyer.url}/logout?client_id=rp&logout_uri=${encodeURIComponent(RP_REDIRECT_URI)}`);
  expect((await rp.next(RP_REDIRECT_URI)).href).toBe(RP_REDIRECT_URI);
});

test("Cognito's /logout refuses a sign-out URL the client did not register, an unknown client and an ambiguous request, and signs nobody out", async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  await signInThrough(page, rp, config);
  const refused = [
    `client_id=rp&logout_uri=${encodeURIComponent('https://evil.example/')}`,
    `client_id=rp&logout_uri=${encodeURIComponent(`${RP_REDIRECT_URI}/x`)}`,
    `client_id=nobody&logout_uri=${encodeURIComponent(RP_REDIRECT_URI)}`,
    `client_id=rp&logout_uri=${encodeURIComponent(RP_REDIRECT_URI)}&redirect_uri=${encodeURIComponent(RP_REDIRECT_URI)}&response_type=code`,
    `client_id=rp&client_id=rp&logout_uri=${encodeURIComponent(RP_REDIRECT_URI)}`,
    `client_id=rp&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code`,
    `client_id=rp&redirect_uri=${encodeURIComponent(RP_REDIRECT_URI)}&response_type=token`,
  ];
  for (const query of refused) {
    const res = await page.request.get(`${foyer.url}/logout?${query}`, { maxRedirects: 0 });
    expect(res.status(), query).toBe(400);
    expect(res.headers()['location'], query).toBeUndefined();
    expect(await res.text(), query).not.toContain('evil.example');
  }
  expect(await stillSignedIn(page, rp, config)).toBe(true);
});

test("Cognito's /logout?client_id&redirect_uri&response_type=code signs out, then signs in again and returns a code", async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  await signInThrough(page, rp, config);

  const again = await authorizationUrl(config);
  const params = new URLSearchParams(again.url.search);
  expect(params.get('response_type')).toBe('code');
  await page.goto(`${foyer.url}/logout?${params.toString()}`);
  // Signed out: the sign-in page asks again, for the same request.
  await signIn(page, ALICE.username, ALICE.password);
  const callback = await rp.next(RP_REDIRECT_URI);
  expect(callback.searchParams.get('state')).toBe(again.state);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: again.verifier,
    expectedState: again.state,
    expectedNonce: again.nonce,
    idTokenExpected: true,
  });
  expect(tokens.claims()?.sub).toMatch(UUID);
});

test('logout without id_token_hint asks for confirmation first', async ({ foyer, page }) => {
  const rp = await watchRp(page);
  const config = await rpConfig(foyer);
  await signInThrough(page, rp, config);

  await page.goto(`${foyer.url}/logout`);
  const form = page.getByTestId('logout-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('confirm-logout')).toBeVisible();
  expect(new URL(page.url()).pathname).toMatch(/^\/[a-z]{2}(-[A-Z]{2})?\/logout$/);

  await form.getByTestId('confirm-logout').click();
  await expect(page).toHaveURL(/\/logout\/done$/);
  const again = await authorizationUrl(config);
  await page.goto(again.url.href);
  await expect(page.getByTestId('login-form')).toBeVisible();
});
