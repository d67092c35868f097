import type { Page } from '@playwright/test';
import { ALICE, expect, freePort, startFoyer, testConfig } from './fixtures/foyer';
import { startAmplifyApp, type AmplifyApp } from './fixtures/amplify-app';
import { httpsRequest, startTlsProxy, type TlsProxy } from './fixtures/tls-proxy';
import { test as tlsTest } from './fixtures/trusted-tls';
import type { Foyer } from './fixtures/server';

/**
 * An unmodified AWS Amplify JS v6 app against Foyer (issue 13, point 7): Foyer behind the TLS
 * proxy at https://localhost:<port> as the app's OAuth domain and `userPoolEndpoint`, the app
 * bundled from node_modules and served at https://127.0.0.1:<port>. Sign-in by redirect, the
 * session's tokens, a forced refresh (Cognito's GetTokensFromRefreshToken at `POST /`, with its
 * CORS preflight), getCurrentUser, fetchUserAttributes (GetUser), a global sign-out back to the app; its refresh tokens are then
 * refused with Cognito's NotAuthorizedException. (Reuse of a rotated token: the vitest suite.)
 */
type Stack = { foyer: Foyer; proxy: TlsProxy; app: AmplifyApp };

const CLIENT = 'amplify';
const SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'];

const test = tlsTest.extend<object, { stack: Stack }>({
  stack: [
    async ({ pki }, use) => {
      const port = await freePort();
      const publicUrl = `https://localhost:${port}`;
      const app = await startAmplifyApp({ pki, foyerUrl: publicUrl, clientId: CLIENT, scopes: SCOPES });
      const foyer = await startFoyer({
        publicUrl,
        env: { TRUST_PROXY: '1', NODE_EXTRA_CA_CERTS: pki.caFile },
        config: (url: string) => {
          const c = testConfig(url);
          const amplify = { client_id: CLIENT, token_endpoint_auth_method: 'none', scope: SCOPES.join(' '), redirect_uris: [`${app.url}/`], post_logout_redirect_uris: [`${app.url}/`] };
          return { ...c, clients: [...c.clients, amplify] };
        },
      });
      const proxy = await startTlsProxy({ upstreams: [`127.0.0.1:${foyer.port}`], port, pki });
      await use({ foyer, proxy, app });
      await proxy.stop();
      await foyer.stop();
      await app.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

type Result = { n: number; email?: string; email_verified?: string; error?: string; message?: string; access?: string; id?: string; sub?: string; username?: string; userId?: string; signedOut?: boolean };

/** Clicks one of the app's buttons and reads what the Amplify call gave (the n-th result). */
async function run(page: Page, button: string, n: number): Promise<Result> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const out = page.getByTestId('result');
  await expect(out).toContainText(`{"n":${n},`);
  return JSON.parse((await out.textContent()) ?? '{}') as Result;
}

const refreshTokenIn = (page: Page) =>
  page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('CognitoIdentityServiceProvider.') && k.endsWith('.refreshToken'))?.[1]);

/** The user-pool API called from the app's page, as an SDK calls it (cross-origin, preflighted). */
const callFromApp = (page: Page, foyerUrl: string, op: string, body: object) =>
  page.evaluate(
    async ([url, target, payload]) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` }, body: payload });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    [`${foyerUrl}/`, op, JSON.stringify(body)] as const,
  );

test('Amplify v6 signs in by redirect, refreshes through GetTokensFromRefreshToken, knows its user, and signs out globally', async ({ page, stack }) => {
  const { foyer, app } = stack;
  await page.goto(`${app.url}/`);

  // signInWithRedirect: Foyer's hosted sign-in, then back to the app, which trades the code.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${foyer.url}/en/login\\?uid=`));
  const form = page.getByTestId('login-form');
  await form.locator('[name="identifier"]').fill(ALICE.username);
  await form.locator('[name="password"]').fill(ALICE.password);
  await form.getByTestId('sign-in').click();
  // The password check, the redirect back and Amplify's code exchange: a few round trips on a busy machine.
  await expect(page.getByTestId('events')).toContainText('signInWithRedirect', { timeout: 30_000 });
  await expect(page).toHaveURL(`${app.url}/`);

  const session = await run(page, 'Session', 1);
  expect(session).toMatchObject({ username: ALICE.username, access: expect.any(String), id: expect.any(String) });
  const firstRefresh = await refreshTokenIn(page);
  expect(firstRefresh).toBeTruthy();

  // A forced refresh goes to POST / (Cognito's API) from the app's origin: the browser let it
  // through only because the preflight (which Playwright does not see) allowed that origin.
  const call = page.waitForResponse((r) => r.url() === `${foyer.url}/` && r.request().method() === 'POST');
  const refreshed = await run(page, 'Refresh', 2);
  expect((await call).request().headers()['x-amz-target']).toBe('AWSCognitoIdentityProviderService.GetTokensFromRefreshToken');
  expect((await call).headers()['access-control-allow-origin']).toBe(app.url);
  expect(refreshed).toMatchObject({ username: ALICE.username, sub: session.sub });
  expect(refreshed.access).not.toBe(session.access);
  // An ID token minted in the same second for the same user is the same token (it has no jti): only the access token must differ.
  const held = await refreshTokenIn(page);
  expect(held).toBeTruthy();
  expect(held).not.toBe(firstRefresh);
  expect(await run(page, 'Current user', 3)).toMatchObject({ username: ALICE.username, userId: session.sub });
  // fetchUserAttributes: Cognito's GetUser, with the refreshed access token.
  expect(await run(page, 'Attributes', 4)).toMatchObject({ sub: session.sub, email: ALICE.email, email_verified: 'true' });

  // signOut({ global: true }): GlobalSignOut, then Cognito's /logout straight back to the app.
  const globalSignOut = page.waitForResponse((r) => r.url() === `${foyer.url}/` && r.request().headers()['x-amz-target'] === 'AWSCognitoIdentityProviderService.GlobalSignOut');
  const logout = page.waitForRequest((r) => r.url().startsWith(`${foyer.url}/logout?`));
  const back = page.waitForResponse((r) => r.url() === `${app.url}/` && r.request().isNavigationRequest());
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  expect((await globalSignOut).status()).toBe(200);
  expect(new URL((await logout).url()).searchParams.get('logout_uri')).toBe(`${app.url}/`);
  await back;
  // The app's page anew (its last result gone), no confirmation screen on the way.
  await expect(page.getByTestId('result')).toHaveText('');
  await expect(page).toHaveURL(`${app.url}/`);
  expect(await refreshTokenIn(page)).toBeUndefined();
  expect(await run(page, 'Session', 1)).toMatchObject({ signedOut: true });
  expect(await run(page, 'Current user', 2)).toMatchObject({ error: 'UserUnAuthenticatedException' });
  // Both refresh tokens of the session are refused now, as Cognito refuses them.
  for (const token of [held, firstRefresh]) {
    expect(await callFromApp(page, foyer.url, 'GetTokensFromRefreshToken', { ClientId: CLIENT, RefreshToken: token })).toEqual({
      status: 400,
      body: { __type: 'NotAuthorizedException', message: expect.any(String) },
    });
  }
  // Foyer's own session ended too: signing in again asks for the password.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('login-form')).toBeVisible();
});

test('`/` through the proxy: a preflight from a stranger gets no CORS, one from the app its origin; GET still goes to the pages', async ({ stack }) => {
  const { foyer, app, proxy } = stack;
  const preflight = (origin: string) =>
    httpsRequest(`${foyer.url}/`, { caFile: proxy.caFile, method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' } });
  const stranger = await preflight('https://evil.example');
  expect(stranger.status).toBe(204);
  expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  const own = await preflight(app.url);
  expect(own.status).toBe(204);
  expect(own.headers['access-control-allow-origin']).toBe(app.url);
  expect(own.headers['access-control-allow-headers']).toBe('content-type, x-amz-target');
  const home = await httpsRequest(`${foyer.url}/`, { caFile: proxy.caFile });
  expect(home.status).toBeGreaterThanOrEqual(300);
  expect(home.status).toBeLessThan(400);
  expect(home.headers.location).toMatch(/\/en$/);
});
