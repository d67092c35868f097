import { afterEach, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { describeEachDb } from '../../testing/databases';
import { secretOf, startOidcBed, type OidcBed } from '../../testing/oidc-testbed';

const SCOPE = 'openid email aws.cognito.signin.user.admin';
const APP_ORIGIN = 'https://app.example';
const clients = [
  { client_id: 'spa', token_endpoint_auth_method: 'none', scope: SCOPE },
  { client_id: 'web', scope: SCOPE },
];

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

const beds: OidcBed[] = [];
afterEach(async () => {
  await Promise.all(beds.splice(0).map((b) => b.stop()));
});

/**
 * Cognito's user-pool API at `POST /` on the test bed's provider, driven over HTTP as an SDK does;
 * every refresh goes through the provider's own token endpoint, so the tokens here and at
 * /oauth2/token are one family (rotation, reuse detection, revocation).
 */
describeEachDb('Cognito user-pool API', (open) => {
  async function setup() {
    const bed = await startOidcBed(await open(), clients);
    beds.push(bed);
    const call = async (op: string, body: unknown, o: { contentType?: string; origin?: string; target?: string | null; raw?: string } = {}): Promise<Answer> => {
      const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/x-amz-json-1.1' };
      if (o.target !== null) headers['x-amz-target'] = o.target ?? `AWSCognitoIdentityProviderService.${op}`;
      if (o.origin) headers.origin = o.origin;
      const res = await fetch(`${bed.issuer}/`, { method: 'POST', headers, body: o.raw ?? JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
    };
    const refused = (type: string) => ({ status: 400, body: { __type: type, message: expect.any(String) } });
    const short = (a: Answer) => ({ status: a.status, body: a.body });
    return { bed, call, refused, short };
  }

  it('GetTokensFromRefreshToken rotates like /oauth2/token, and a reused token ends the grant on both', async () => {
    const { bed, call, refused, short } = await setup();
    const first = await bed.signIn('spa', undefined, SCOPE);
    const answer = await call('GetTokensFromRefreshToken', { ClientId: 'spa', RefreshToken: first.refresh_token });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const result = answer.body.AuthenticationResult as Record<string, unknown>;
    expect(result).toEqual({ AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String), ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result.RefreshToken).not.toBe(first.refresh_token);
    expect(decodeJwt(String(result.AccessToken))).toMatchObject({ client_id: 'spa', sub: bed.aliceId, username: 'alice', token_use: 'access' });
    expect(decodeJwt(String(result.IdToken))).toMatchObject({ aud: 'spa', email: 'alice@example.com', token_use: 'id' });

    // The rotated token now works at the token endpoint, which rotates it again.
    const viaOAuth = await bed.refresh('spa', String(result.RefreshToken));
    expect(viaOAuth.status).toBe(200);
    // The first token, used again here: refused, and its whole grant ends (the newest token too).
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'spa', RefreshToken: first.refresh_token }))).toEqual(refused('NotAuthorizedException'));
    expect((await bed.refresh('spa', String(viaOAuth.body.refresh_token))).status).toBe(400);
  });

  it('a token rotated at /oauth2/token and replayed here is refused, and its grant ends there too', async () => {
    const { bed, call, refused, short } = await setup();
    const first = await bed.signIn('spa', undefined, SCOPE);
    const rotated = await bed.refresh('spa', first.refresh_token!);
    expect(rotated.status).toBe(200);
    expect(short(await call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'spa', AuthParameters: { REFRESH_TOKEN: first.refresh_token } }))).toEqual(refused('NotAuthorizedException'));
    expect((await bed.refresh('spa', String(rotated.body.refresh_token))).status).toBe(400);
  });

  it('InitiateAuth REFRESH_TOKEN_AUTH answers a public client; other flows and confidential clients are refused', async () => {
    const { bed, call, refused, short } = await setup();
    const spa = await bed.signIn('spa', undefined, SCOPE);
    const ok = await call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN', ClientId: 'spa', AuthParameters: { REFRESH_TOKEN: spa.refresh_token } });
    expect(ok.status).toBe(200);
    expect(ok.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String), TokenType: 'Bearer' });

    const web = await bed.signIn('web', undefined, SCOPE);
    const asWeb = { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'web', AuthParameters: { REFRESH_TOKEN: web.refresh_token } };
    expect(short(await call('InitiateAuth', asWeb))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('InitiateAuth', { ...asWeb, AuthParameters: { ...asWeb.AuthParameters, SECRET_HASH: 'abc=' } }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'spa', AuthParameters: { USERNAME: 'alice', PASSWORD: 'x' } }))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'spa', AuthParameters: {} }))).toEqual(refused('InvalidParameterException'));
    // The refused attempts consumed nothing: the confidential client still refreshes with its secret.
    expect((await call('GetTokensFromRefreshToken', { ClientId: 'web', RefreshToken: web.refresh_token, ClientSecret: secretOf('web') })).status).toBe(200);
  });

  it('a confidential client needs its secret; another client\'s token, an unknown client, a bad token are refused', async () => {
    const { bed, call, refused, short } = await setup();
    const web = await bed.signIn('web', undefined, SCOPE);
    const spa = await bed.signIn('spa', undefined, SCOPE);
    const missing = await call('GetTokensFromRefreshToken', { ClientId: 'web', RefreshToken: web.refresh_token });
    expect(short(missing)).toEqual(refused('NotAuthorizedException'));
    expect(missing.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'web', RefreshToken: web.refresh_token, ClientSecret: 'not-the-secret-0123456789' }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'web', RefreshToken: spa.refresh_token, ClientSecret: secretOf('web') }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'nobody', RefreshToken: spa.refresh_token }))).toEqual(refused('ResourceNotFoundException'));
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'spa', RefreshToken: 'not-a-refresh-token' }))).toEqual(refused('NotAuthorizedException'));
    const ok = await call('GetTokensFromRefreshToken', { ClientId: 'web', RefreshToken: web.refresh_token, ClientSecret: secretOf('web') });
    expect(ok.status).toBe(200);
  });

  it('RevokeToken ends the refresh token and its grant; the access tokens of that grant stop working', async () => {
    const { bed, call, refused, short } = await setup();
    const spa = await bed.signIn('spa', undefined, SCOPE);
    expect(short(await call('GetUser', { AccessToken: spa.access_token }))).toMatchObject({ status: 200 });
    expect(short(await call('RevokeToken', { ClientId: 'spa', Token: spa.refresh_token }))).toEqual({ status: 200, body: {} });
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'spa', RefreshToken: spa.refresh_token }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GetUser', { AccessToken: spa.access_token }))).toEqual(refused('NotAuthorizedException'));
    expect(await bed.userinfo(spa.access_token)).toBe(401);
    // A confidential client revokes only with its secret.
    const web = await bed.signIn('web', undefined, SCOPE);
    expect(short(await call('RevokeToken', { ClientId: 'web', Token: web.refresh_token }))).toEqual(refused('NotAuthorizedException'));
    expect((await bed.refresh('web', web.refresh_token!)).status).toBe(200);
  });

  it('GlobalSignOut ends every sign-in of the user; GetUser answers as Cognito and checks the token', async () => {
    const { bed, call, refused, short } = await setup();
    const spa = await bed.signIn('spa', undefined, SCOPE);
    const web = await bed.signIn('web', undefined, SCOPE);
    const user = await call('GetUser', { AccessToken: spa.access_token });
    expect(user.status).toBe(200);
    expect(user.body.Username).toBe('alice');
    expect(user.body.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'sub', Value: bed.aliceId },
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
    expect((user.body.UserAttributes as { Name: string }[]).map((a) => a.Name)).not.toContain('cognito:username');

    const narrow = await bed.signIn('spa', undefined, 'openid email');
    expect(short(await call('GetUser', { AccessToken: narrow.access_token }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GlobalSignOut', { AccessToken: narrow.access_token }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GetUser', { AccessToken: `${spa.access_token.slice(0, -4)}AAAA` }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GetUser', { AccessToken: spa.id_token }))).toEqual(refused('NotAuthorizedException'));

    expect(short(await call('GlobalSignOut', { AccessToken: spa.access_token }))).toEqual({ status: 200, body: {} });
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'spa', RefreshToken: spa.refresh_token }))).toEqual(refused('NotAuthorizedException'));
    expect((await bed.refresh('web', web.refresh_token!)).status).toBe(400);
    expect(short(await call('GetUser', { AccessToken: web.access_token }))).toEqual(refused('NotAuthorizedException'));
    expect(short(await call('GlobalSignOut', { AccessToken: spa.access_token }))).toEqual(refused('NotAuthorizedException'));
  });

  it('refuses what is not a Cognito call: content type, target, JSON, body shape', async () => {
    const { call, refused, short } = await setup();
    const body = { ClientId: 'spa', RefreshToken: 'x' };
    expect(short(await call('GetTokensFromRefreshToken', body, { contentType: 'application/json' }))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('GetTokensFromRefreshToken', body, { target: null }))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('GetTokensFromRefreshToken', body, { target: 'SomeOtherService.GetTokensFromRefreshToken' }))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('AdminDeleteUser', { UserPoolId: 'p', Username: 'alice' }))).toEqual(refused('UnsupportedOperationException'));
    expect(short(await call('constructor', {}))).toEqual(refused('UnsupportedOperationException'));
    expect(short(await call('GetTokensFromRefreshToken', null, { raw: '{"ClientId": "spa",' }))).toEqual(refused('SerializationException'));
    expect(short(await call('GetTokensFromRefreshToken', { RefreshToken: 'x' }))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('GetTokensFromRefreshToken', { ClientId: 'no spaces allowed', RefreshToken: 'x' }))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('GetUser', [1, 2]))).toEqual(refused('InvalidParameterException'));
    expect(short(await call('GetUser', { AccessToken: 'x'.repeat(70_000) }))).toEqual(refused('InvalidParameterException'));
  });

  it('CORS: a registered origin gets its own origin back, any other none', async () => {
    const { bed, call } = await setup();
    const preflight = (origin: string) =>
      fetch(`${bed.issuer}/`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,cache-control,x-evil' },
      });
    const ok = await preflight(APP_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST');
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-target, x-amz-user-agent, cache-control');
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(204);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-headers')).toBeNull();

    const posted = await call('GetUser', { AccessToken: 'x' }, { origin: APP_ORIGIN });
    expect(posted.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect((await call('GetUser', { AccessToken: 'x' }, { origin: 'https://app.example.evil' })).headers.get('access-control-allow-origin')).toBeNull();
  });
});
