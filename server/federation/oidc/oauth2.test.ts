import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityProviderSchema } from '../../config/identity-providers';
import { FederationError } from '../errors';
import type { OAuthProvider } from '../presets';
import { authorizationRequest } from './authorize';
import { verifyAuthorizationResponse } from './callback';

/**
 * The OAuth 2.0 presets (Facebook, Login with Amazon) against a stand-in on 127.0.0.1 with their
 * endpoint shapes: the presets' endpoints are moved there, as a proxy or test double would.
 */
let base: string;
let server: http.Server;
const seen: { token: URLSearchParams[]; profile: URL[] } = { token: [], profile: [] };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/token') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.token.push(form);
        if (form.get('code') !== 'good-code' || form.get('client_secret') !== 'app-secret') return json(400, { error: 'invalid_grant' });
        json(200, { access_token: form.get('code_verifier') ? 'token-for-user' : 'no-pkce', token_type: 'bearer', expires_in: 3600 });
      });
      return;
    }
    if (req.headers.authorization !== 'Bearer token-for-user') return json(401, { error: 'invalid_token' });
    seen.profile.push(url);
    if (url.pathname === '/me') return json(200, { id: '10155', name: 'Ann Example', email: 'ann@example.com', first_name: 'Ann', last_name: 'Example' });
    if (url.pathname === '/user/profile') return json(200, { user_id: 'amzn1.account.AB12', name: 'Ann Example', email: 'ann@example.com' });
    if (url.pathname === '/anonymous') return json(200, { name: 'no id here' });
    json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const provider = (over: Record<string, unknown>) =>
  identityProviderSchema.parse({ client_id: 'app-id', client_secret: 'app-secret', authorization_endpoint: `${base}/dialog`, token_endpoint: `${base}/token`, ...over }) as OAuthProvider;
const redirectUri = 'https://foyer.example/oauth2/idpresponse';

async function roundTrip(p: OAuthProvider, answer: (state: string) => Record<string, string>) {
  const request = await authorizationRequest(p, { redirectUri, loginHint: 'ann@example.com' });
  return { request, result: verifyAuthorizationResponse(p, new URLSearchParams(answer(request.state)), { ...request.data, state: request.state, redirectUri }) };
}

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FederationError);
  return (e as FederationError).code;
};

describe('OAuth 2.0 presets', () => {
  it('Facebook: code flow with state and PKCE, then the user from the Graph API', async () => {
    const fb = provider({ name: 'Facebook', type: 'facebook', userinfo_endpoint: `${base}/me` });
    const { request, result } = await roundTrip(fb, (state) => ({ code: 'good-code', state }));
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe(`${base}/dialog`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: 'app-id', response_type: 'code', scope: 'public_profile email', redirect_uri: redirectUri, code_challenge_method: 'S256', login_hint: 'ann@example.com' });
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(await result).toEqual({ subject: '10155', issuer: null, claims: expect.objectContaining({ id: '10155', email: 'ann@example.com', first_name: 'Ann' }) });
    expect(seen.token.at(-1)!.get('code_verifier')).toBe(request.data.verifier);
    expect(seen.profile.at(-1)!.searchParams.get('fields')).toBe('id,name,email,first_name,last_name,picture');
  });

  it('Login with Amazon: the user from /user/profile', async () => {
    const amazon = provider({ name: 'LoginWithAmazon', type: 'amazon', userinfo_endpoint: `${base}/user/profile` });
    const { result } = await roundTrip(amazon, (state) => ({ code: 'good-code', state }));
    expect(await result).toMatchObject({ subject: 'amzn1.account.AB12', claims: { name: 'Ann Example' } });
  });

  it('refuses: the user saying no, a wrong state, a refused code, a profile without an id', async () => {
    const fb = provider({ name: 'Facebook', type: 'facebook', userinfo_endpoint: `${base}/me` });
    expect(await failure((await roundTrip(fb, (state) => ({ error: 'access_denied', state }))).result)).toBe('denied');
    expect(await failure((await roundTrip(fb, (state) => ({ error: 'server_error', state }))).result)).toBe('provider_error');
    expect(await failure((await roundTrip(fb, () => ({ code: 'good-code', state: 'another-state' }))).result)).toBe('invalid_response');
    expect(await failure((await roundTrip(fb, (state) => ({ code: 'stolen-code', state }))).result)).toBe('invalid_response');
    const anonymous = provider({ name: 'Facebook', type: 'facebook', userinfo_endpoint: `${base}/anonymous` });
    expect(await failure((await roundTrip(anonymous, (state) => ({ code: 'good-code', state }))).result)).toBe('invalid_response');
  });

  it('a provider that cannot be reached is "unavailable", at discovery or at the token endpoint', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const gone = provider({ name: 'Amazon', type: 'amazon', token_endpoint: `http://127.0.0.1:${closed}/token` });
    expect(await failure((await roundTrip(gone, (state) => ({ code: 'good-code', state }))).result)).toBe('provider_unavailable');
    const oidc = identityProviderSchema.parse({ name: 'Corp', type: 'oidc', issuer: `http://127.0.0.1:${closed}`, client_id: 'a', client_secret: 'b' }) as OAuthProvider;
    await expect(authorizationRequest(oidc, { redirectUri })).rejects.toThrow(/discovery/);
    expect(await failure(verifyAuthorizationResponse(oidc, new URLSearchParams({ code: 'x', state: 's' }), { nonce: 'n', verifier: 'v', state: 's', redirectUri }))).toBe('provider_unavailable');
  });
});
