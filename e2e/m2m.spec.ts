import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Browser } from '@playwright/test';
import * as oidc from 'openid-client';
import { signInThroughRp, startCallbackServer, type Callbacks } from './fixtures/callbacks';
import { ALICE, expect, startFoyer, test, type Foyer } from './fixtures/foyer';
import { signIn } from './fixtures/pages';

/**
 * Machine-to-machine: client_credentials for confidential clients, resource servers with custom
 * scopes (Cognito's shape), the access token's aud and scope, introspection (RFC 7662), and
 * custom scopes in the authorization-code flow. A resource server's view: tokens verified with
 * jose against /.well-known/jwks.json. Redirects go to 127.0.0.1:9, where nothing listens: the
 * browser's request there is read, not answered.
 */

const API = 'https://api.example';
const SECRET = randomBytes(24).toString('base64url');
const REDIRECT_URI = 'http://127.0.0.1:9/m2m/callback';

const config = {
  pool: { name: 'Foyer m2m', rate_limits: { sign_in_per_ip_per_5_minutes: 10000 } },
  resource_servers: [
    {
      identifier: API,
      name: 'Example API',
      scopes: [{ name: 'read', description: 'Read things' }, { name: 'write', description: 'Write things' }],
      introspection_clients: ['api-backend'],
    },
    { identifier: 'orders', name: 'Orders', scopes: [{ name: 'list', description: 'List orders' }] },
  ],
  clients: [
    { client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], scope: `${API}/read orders/list foyer/admin.read` },
    { client_id: 'reader', client_secret: SECRET, grant_types: ['client_credentials'], scope: `${API}/read`, token_endpoint_auth_method: 'client_secret_post' },
    { client_id: 'api-backend', client_secret: SECRET, grant_types: ['client_credentials'] },
    { client_id: 'bystander', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'orders/list' },
    {
      client_id: 'web',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      // offline_access and Cognito's scope, as configs written for Cognito carry them (issue 13.4).
      scope: `openid email offline_access aws.cognito.signin.user.admin ${API}/read`,
    },
    { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT_URI] },
    // The operator's robot: everything the admin API does (see the last test).
    { client_id: 'operator', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'foyer/admin' },
  ],
  groups: [{ name: 'admins' }],
  users: [{ ...ALICE, email_verified: true }],
};

let foyer: Foyer;
let callbacks: Callbacks;
test.beforeAll(async () => {
  callbacks = await startCallbackServer();
  foyer = await startFoyer({ config });
});
test.afterAll(async () => {
  await foyer?.stop();
  callbacks?.stop();
});

const basic = (id: string, secret = SECRET) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function post(path: string, form: Record<string, string>, authorization?: string) {
  const res = await fetch(`${foyer.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function clientCredentials(clientId: string, scope?: string) {
  return post('/oauth2/token', { grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) }, basic(clientId));
}

async function tokenFor(clientId: string, scope?: string): Promise<string> {
  const res = await clientCredentials(clientId, scope);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return String(res.body.access_token);
}

const introspect = (token: string, clientId: string, secret = SECRET) => post('/oauth2/introspect', { token }, basic(clientId, secret));

const jwks = () => createRemoteJWKSet(new URL(`${foyer.url}/.well-known/jwks.json`));

test('discovery names the introspection endpoint and the client_credentials grant', async () => {
  const md = (await (await fetch(`${foyer.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  expect(md.introspection_endpoint).toBe(`${foyer.url}/oauth2/introspect`);
  expect(md.grant_types_supported).toContain('client_credentials');
});

test('client_credentials: a JWT for the resource server the scope names, verified as a resource server would', async () => {
  const res = await clientCredentials('svc', `${API}/read`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({ token_type: 'Bearer', scope: `${API}/read`, expires_in: expect.any(Number) });
  expect(res.body.refresh_token).toBeUndefined();
  expect(res.body.id_token).toBeUndefined();
  const token = String(res.body.access_token);
  const { payload, protectedHeader } = await jwtVerify(token, jwks(), { issuer: foyer.url, audience: API, typ: 'at+jwt', algorithms: ['RS256'] });
  expect(protectedHeader.kid).toEqual(expect.any(String));
  expect(payload).toMatchObject({ aud: API, scope: `${API}/read`, client_id: 'svc', token_use: 'access' });
  expect(payload.sub).toBeUndefined();
  for (const claim of ['exp', 'iat', 'jti']) expect(payload[claim]).toBeDefined();

  // Another resource server's scope: its identifier is the audience, URI or not.
  const orders = await jwtVerify(await tokenFor('svc', 'orders/list'), jwks(), { issuer: foyer.url, audience: 'orders' });
  expect(orders.payload.scope).toBe('orders/list');

  // The admin API's contract (server/config/resource-servers.ts): aud "foyer", scope foyer/admin.read.
  const admin = await jwtVerify(await tokenFor('svc', 'foyer/admin.read'), jwks(), { issuer: foyer.url, audience: 'foyer', algorithms: ['RS256'] });
  expect(admin.payload).toMatchObject({ scope: 'foyer/admin.read', client_id: 'svc' });

  // A client allowed one resource server's scopes gets them all when it names none (as in Cognito).
  const reader = await post('/oauth2/token', { grant_type: 'client_credentials', client_id: 'reader', client_secret: SECRET });
  expect(reader.status, JSON.stringify(reader.body)).toBe(200);
  expect(reader.body.scope).toBe(`${API}/read`);

  // Not usable at userInfo: no user, and not for the pool.
  const info = await fetch(`${foyer.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${token}` } });
  expect(info.status).toBe(401);
});

test('client_credentials: unknown, unallowed, OIDC and mixed scopes are invalid_scope', async () => {
  for (const scope of [`${API}/delete`, `${API}/write`, 'https://nowhere.example/read', 'openid', `${API}/read orders/list`, 'foyer/admin']) {
    const res = await clientCredentials('svc', scope);
    expect(res.status, scope).toBe(400);
    expect(res.body.error, scope).toBe('invalid_scope');
  }
  // No scope named, and the client has several servers' scopes: it must say which.
  const none = await clientCredentials('svc');
  expect(none.body.error).toBe('invalid_scope');
  // A client allowed no custom scope at all.
  expect((await clientCredentials('api-backend')).body.error).toBe('invalid_scope');
});

test('client_credentials: refused to a public client, to a client without the grant, and with a wrong secret', async () => {
  // oidc-provider answers invalid_request (RFC 6749 would say unauthorized_client), naming the grant.
  const refused = { error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' };
  const spa = await post('/oauth2/token', { grant_type: 'client_credentials', client_id: 'spa', scope: `${API}/read` });
  expect(spa.status).toBe(400);
  expect(spa.body).toEqual(refused);
  const web = await post('/oauth2/token', { grant_type: 'client_credentials', scope: `${API}/read` }, basic('web'));
  expect(web.status).toBe(400);
  expect(web.body).toEqual(refused);
  const wrong = await post('/oauth2/token', { grant_type: 'client_credentials', scope: `${API}/read` }, basic('svc', 'not-the-secret-at-all'));
  expect(wrong.status).toBe(401);
  expect(wrong.body.error).toBe('invalid_client');
});

test('introspection: the issuing client and the resource server\'s own client see it active; others see nothing', async () => {
  const token = await tokenFor('svc', `${API}/read`);
  const own = await introspect(token, 'svc');
  expect(own.status).toBe(200);
  expect(own.headers.get('cache-control')).toBe('no-store');
  expect(own.body).toMatchObject({ active: true, client_id: 'svc', scope: `${API}/read`, aud: API, iss: foyer.url, token_type: 'Bearer', token_use: 'access' });
  expect(own.body.sub).toBeUndefined();
  expect((await introspect(token, 'api-backend')).body).toMatchObject({ active: true, client_id: 'svc' });

  // A client neither issued the token nor allowed to introspect its resource server.
  expect((await introspect(token, 'bystander')).body).toEqual({ active: false });
  // api-backend may introspect the API's tokens, not the orders server's.
  expect((await introspect(await tokenFor('svc', 'orders/list'), 'api-backend')).body).toEqual({ active: false });
  // Not a token of ours.
  expect((await introspect(`${token.slice(0, -4)}AAAA`, 'svc')).body).toEqual({ active: false });
  expect((await introspect('opaque-garbage', 'svc')).body).toEqual({ active: false });

  // Unauthenticated callers learn nothing, not even {active:false}.
  const anonymous = await post('/oauth2/introspect', { token });
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.error).toBe('invalid_client');
  expect((await introspect(token, 'svc', 'not-the-secret-at-all')).status).toBe(401);
  // A client registered for client_secret_post may not use Basic.
  expect((await introspect(token, 'reader')).status).toBe(401);
  const posted = await post('/oauth2/introspect', { token, client_id: 'reader', client_secret: SECRET });
  expect(posted.status).toBe(200);
  expect(posted.body).toEqual({ active: false });
  // A public client cannot authenticate at all.
  expect((await post('/oauth2/introspect', { token, client_id: 'spa' })).status).toBe(401);
});

/** Signs alice in through `web` with PKCE; returns the token response. */
async function codeFlow(browser: Browser, scope: string) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL(`${foyer.url}/oauth2/authorize`);
  for (const [k, v] of Object.entries({ client_id: 'web', response_type: 'code', redirect_uri: REDIRECT_URI, scope, state, code_challenge: challenge, code_challenge_method: 'S256' })) {
    url.searchParams.set(k, v);
  }
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const callback = page.waitForRequest((r) => r.url().startsWith(`${REDIRECT_URI}?`));
    await page.goto(url.href);
    await signIn(page, ALICE.username, ALICE.password);
    const back = new URL((await callback).url());
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code');
    expect(code, back.href).toBeTruthy();
    const res = await post('/oauth2/token', { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: verifier }, basic('web'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { access_token: string; refresh_token?: string; id_token: string; scope: string };
  } finally {
    await context.close();
  }
}

test('code flow: a custom scope rides in the access token beside the OIDC ones; userInfo still takes it; revoked is inactive', async ({ browser }) => {
  const tokens = await codeFlow(browser, `openid email offline_access aws.cognito.signin.user.admin ${API}/read ${API}/write`);
  expect(tokens.refresh_token).toEqual(expect.any(String));
  expect(decodeProtectedHeader(tokens.access_token).alg).toBe('RS256');
  // For the pool (userInfo) and for the API: both audiences; write was not allowed, offline_access changes nothing.
  const { payload } = await jwtVerify(tokens.access_token, jwks(), { issuer: foyer.url, audience: API, typ: 'at+jwt' });
  expect(payload.aud).toEqual([foyer.url, API]);
  expect(String(payload.scope).split(' ').sort()).toEqual(['aws.cognito.signin.user.admin', 'email', `${API}/read`, 'openid'].sort());
  expect(payload).toMatchObject({ client_id: 'web', token_use: 'access', username: ALICE.username });
  expect(payload.sub).toEqual(expect.any(String));

  const info = await fetch(`${foyer.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(info.status).toBe(200);
  expect(await info.json()).toMatchObject({ sub: payload.sub, email: ALICE.email });

  expect((await introspect(tokens.access_token, 'web')).body).toMatchObject({ active: true, sub: payload.sub, username: ALICE.username, client_id: 'web' });
  expect((await introspect(tokens.access_token, 'api-backend')).body).toMatchObject({ active: true, client_id: 'web' });

  // Revoking the refresh token ends the grant: the access token is inactive from then on.
  const revoked = await fetch(`${foyer.url}/oauth2/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('web') },
    body: new URLSearchParams({ token: tokens.refresh_token!, token_type_hint: 'refresh_token' }).toString(),
  });
  expect(revoked.status).toBe(200);
  expect((await introspect(tokens.access_token, 'web')).body).toEqual({ active: false });
  expect((await introspect(tokens.access_token, 'api-backend')).body).toEqual({ active: false });
});

test('a real client_credentials token drives the admin API: it makes a resource server and two clients, an outside RP signs in through one, the other\'s token is verified and introspected', async ({ browser }) => {
  const admin = await tokenFor('operator', 'foyer/admin');
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${foyer.url}/admin/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, etag: res.headers.get('etag'), body: (res.status === 204 ? {} : await res.json()) as Record<string, unknown> };
  };

  // An API of its own, and a worker allowed its scope; the resource server's backend (operator) introspects.
  const BILLING = 'https://billing.example';
  expect((await api('PUT', `/resource-servers/${encodeURIComponent(BILLING)}`, { identifier: BILLING, name: 'Billing', scopes: [{ name: 'charge', description: 'Charge cards' }], introspection_clients: ['operator'] })).status).toBe(200);
  const worker = await api('POST', '/clients', { client_id: 'billing-worker', grant_types: ['client_credentials'], scope: `${BILLING}/charge` });
  expect(worker.status, JSON.stringify(worker.body)).toBe(201);
  const workerSecret = String(worker.body.client_secret);
  const charge = await post('/oauth2/token', { grant_type: 'client_credentials' }, basic('billing-worker', workerSecret));
  expect(charge.status, JSON.stringify(charge.body)).toBe(200);
  const chargeToken = String(charge.body.access_token);
  const { payload } = await jwtVerify(chargeToken, jwks(), { issuer: foyer.url, audience: BILLING, typ: 'at+jwt', algorithms: ['RS256'] });
  expect(payload).toMatchObject({ scope: `${BILLING}/charge`, client_id: 'billing-worker' });
  expect((await introspect(chargeToken, 'operator')).body).toMatchObject({ active: true, client_id: 'billing-worker', scope: `${BILLING}/charge` });
  expect((await introspect(`${chargeToken.slice(0, -4)}AAAA`, 'operator')).body).toEqual({ active: false });
  // A rotated secret: the old one is refused at once, the new one works.
  const rotated = await api('POST', '/clients/billing-worker/secret');
  expect((await post('/oauth2/token', { grant_type: 'client_credentials' }, basic('billing-worker', workerSecret))).status).toBe(401);
  expect((await post('/oauth2/token', { grant_type: 'client_credentials' }, basic('billing-worker', String(rotated.body.client_secret)))).status).toBe(200);

  // An app client made through the API; an outside relying party (openid-client) signs Alice in through it.
  const app = await api('POST', '/clients', { client_id: 'made-by-api', client_name: 'Made by the API', redirect_uris: [callbacks.url], scope: 'openid email' });
  expect(app.status, JSON.stringify(app.body)).toBe(201);
  const rp = await oidc.discovery(new URL(foyer.url), 'made-by-api', undefined, oidc.ClientSecretPost(String(app.body.client_secret)), { execute: [oidc.allowInsecureRequests] });
  const tokens = await signInThroughRp(browser, rp, callbacks, ALICE);
  expect(tokens.claims()).toMatchObject({ aud: 'made-by-api', email: ALICE.email, 'cognito:username': ALICE.username });
  // Deleted, the client is gone from the token endpoint at once.
  expect((await api('DELETE', '/clients/made-by-api', undefined, { 'if-match': app.etag! })).status).toBe(204);
  const gone = await post('/oauth2/token', { grant_type: 'client_credentials' }, basic('made-by-api', String(app.body.client_secret)));
  expect(gone.status).toBe(401);
});
