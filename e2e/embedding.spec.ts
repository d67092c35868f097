import type { BrowserContext, Frame, Page, Response } from '@playwright/test';
import { ALICE, expect, freePort, startFoyer, testConfig } from './fixtures/foyer';
import { cookieRuleViolations } from './fixtures/cookie-rules';
import { startSdkDemo, type SdkDemo } from './fixtures/sdk-demo';
import { startTlsProxy, type TlsProxy } from './fixtures/tls-proxy';
import { test as tlsTest } from './fixtures/trusted-tls';
import type { Foyer } from './fixtures/server';
import { SDK_PATH } from '../server/http/sdk';

/**
 * Sign-in embedded in another site (issue 13, points 1-3), in a real Chromium: Foyer over TLS at
 * https://localhost:<port> (nginx in front), the app on a second origin (http://127.0.0.1:<port>)
 * using the browser SDK that Foyer serves. `embed` lists the app's origin in `frame_ancestors`;
 * `plain` has the same redirect URI and none.
 */
type Stack = { foyer: Foyer; proxy: TlsProxy; app: SdkDemo; evil: SdkDemo };

const test = tlsTest.extend<object, { stack: Stack }>({
  stack: [
    async ({ pki }, use) => {
      const port = await freePort();
      const publicUrl = `https://localhost:${port}`;
      // Two servers, two origins: the app, and a stranger that only listens.
      const [app, evil] = await Promise.all([startSdkDemo({ foyerUrl: publicUrl, sdkPath: SDK_PATH }), startSdkDemo({ foyerUrl: publicUrl, sdkPath: SDK_PATH })]);
      const foyer = await startFoyer({
        publicUrl,
        env: { TRUST_PROXY: '1', NODE_EXTRA_CA_CERTS: pki.caFile },
        config: (url: string) => {
          const c = testConfig(url);
          const spa = { token_endpoint_auth_method: 'none', redirect_uris: [`${app.url}/cb`], post_logout_redirect_uris: [`${app.url}/cb`] };
          return { ...c, clients: [...c.clients, { ...spa, client_id: 'embed', frame_ancestors: [app.url] }, { ...spa, client_id: 'plain' }] };
        },
      });
      const proxy = await startTlsProxy({ upstreams: [`127.0.0.1:${foyer.port}`], port, pki });
      await use({ foyer, proxy, app, evil });
      await proxy.stop();
      await foyer.stop();
      await Promise.all([app.stop(), evil.stop()]);
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

type Result = { n: number; sub?: string; username?: string; access?: boolean; held?: boolean; error?: string; signedOut?: boolean };

/** The app's last result, once there are `n` of them. */
async function result(page: Page, n: number): Promise<Result> {
  const out = page.getByTestId('result');
  await expect(out).toContainText(`"n":${n},`);
  return JSON.parse((await out.textContent()) ?? '{}') as Result;
}

/** Every Set-Cookie of Foyer's answers in this context. */
function watchCookies(context: BrowserContext, origin: string): string[] {
  const seen: string[] = [];
  context.on('response', async (r) => {
    if (new URL(r.url()).origin !== origin) return;
    for (const h of await r.headersArray().catch(() => [])) if (h.name.toLowerCase() === 'set-cookie') seen.push(...h.value.split('\n'));
  });
  return seen;
}

async function signInIn(frame: Page | Frame | import('@playwright/test').FrameLocator) {
  const form = frame.getByTestId('login-form');
  await expect(form).toBeVisible();
  await form.locator('[name="identifier"]').fill(ALICE.username);
  await form.locator('[name="password"]').fill(ALICE.password);
  await form.getByTestId('sign-in').click();
}

const loginPage = (r: Response) => /\/en\/login\?uid=/.test(r.url()) && r.request().method() === 'GET';

test('sign-in inside an iframe on the allowed origin: the page may be framed there only, its cookies are partitioned, and the app gets the tokens; renew works until sign-out', async ({ page, stack }) => {
  const { foyer, app } = stack;
  const cookies = watchCookies(page.context(), foyer.url);
  await page.goto(`${app.url}/?client=embed`);
  const screen = page.waitForResponse(loginPage);
  await page.getByRole('button', { name: 'Sign in (iframe)' }).click();
  const headers = await (await screen).allHeaders();
  expect(headers['content-security-policy']).toContain(`frame-ancestors ${app.url}`);
  expect(headers['content-security-policy']).not.toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBeUndefined();

  await signInIn(page.frameLocator('#container iframe'));
  const signedIn = await result(page, 1);
  expect(signedIn).toMatchObject({ username: ALICE.username, access: true, held: true });
  await expect(page.locator('#container iframe')).toHaveCount(0);

  // The cookies of the framed sign-in are third-party ones kept under the app's site only, and the
  // CSRF token is renewed after signing in there too (its deletion reaches the partition).
  expect(cookies.filter((c) => /^__Host-foyer\.csrf=;/.test(c) && /Partitioned/.test(c))).toHaveLength(1);
  const framed = cookies.filter((c) => /^__(Host|Secure)-foyer\.(session|interaction|resume|csrf)=[^;]/.test(c));
  expect(framed.length).toBeGreaterThan(0);
  for (const c of framed) {
    expect(c).toMatch(/SameSite=None/i);
    expect(c).toMatch(/Partitioned/i);
    expect(cookieRuleViolations(c)).toEqual([]);
  }

  // Silent renewal (prompt=none in a hidden iframe) finds the session the frame made.
  await page.getByRole('button', { name: 'Renew' }).click();
  expect(await result(page, 2)).toMatchObject({ sub: signedIn.sub, access: true });

  // Signed out (in a hidden frame, where the session lives): renewal now says so.
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect(await result(page, 3)).toMatchObject({ signedOut: true, held: false });
  await page.getByRole('button', { name: 'Renew' }).click();
  expect(await result(page, 4)).toMatchObject({ error: 'login_required' });
});

test('a client without frame_ancestors cannot be framed: the screen says frame-ancestors none and the frame does not render', async ({ page, stack }) => {
  const { foyer, app } = stack;
  await page.goto(`${app.url}/?client=plain`);
  const screen = page.waitForResponse(loginPage);
  await page.getByRole('button', { name: 'Sign in (iframe)' }).click();
  const headers = await (await screen).allHeaders();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  // Chromium replaces a refused frame with its error page: the form never shows.
  await expect.poll(() => page.frames().some((f) => f.url().startsWith('chrome-error://'))).toBe(true);
  await expect(page.frameLocator('#container iframe').getByTestId('login-form')).toHaveCount(0);
  expect(page.frames().some((f) => f.url().startsWith(`${foyer.url}/en/login`))).toBe(false);
});

test('popup sign-in with web_message: the app gets the tokens; opened from another origin, the answer goes to the registered origin only', async ({ page, context, stack }) => {
  const { app, evil, foyer } = stack;
  await page.goto(`${app.url}/?client=embed`);
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign in (popup)' }).click();
  const popup = await popupOpened;
  await signInIn(popup);
  await popup.waitForEvent('close');
  expect(await result(page, 1)).toMatchObject({ username: ALICE.username, access: true });

  // A stranger's page opens the same request (the user is signed in, so Foyer answers at once):
  // Foyer posts the answer to the app's origin, and the browser gives the stranger nothing.
  const stranger = await context.newPage();
  await stranger.goto(`${evil.url}/listen`);
  const answered = stranger.waitForEvent('popup');
  const webMessageSent = context.waitForEvent('response', (r) => r.url().startsWith(`${foyer.url}/oauth2/authorize`) && r.status() === 200);
  const authorize = `${foyer.url}/oauth2/authorize?${new URLSearchParams({ client_id: 'embed', redirect_uri: `${app.url}/cb`, response_type: 'code', scope: 'openid', state: 's', nonce: 'n', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', response_mode: 'web_message', prompt: 'none' })}`;
  await stranger.evaluate((url) => void window.open(url, 'x', 'popup'), authorize);
  const evilPopup = await answered;
  const webMessage = await webMessageSent;
  // Its page may be framed by the app's origin only (a hidden iframe's renewal), never by anyone.
  expect(webMessage.headers()['content-security-policy']).toContain(`frame-ancestors ${app.url}`);
  if (!evilPopup.isClosed()) await evilPopup.waitForEvent('close');
  // Messages posted before the popup closed have arrived by the time one posted now does.
  const received = await stranger.evaluate(
    () => new Promise<unknown[]>((resolve) => {
      addEventListener('message', (e) => e.data === 'flush' && resolve((window as unknown as { received: unknown[] }).received.filter((m) => (m as { data: unknown }).data !== 'flush')));
      postMessage('flush', '*');
    }),
  );
  expect(received).toEqual([]);
});

test('redirect mode: the callback page checks state and nonce and holds the tokens in memory; the SDK is served immutable with its type', async ({ page, stack, request }) => {
  const { app, foyer } = stack;
  await page.goto(`${app.url}/?client=embed`);
  await page.getByRole('button', { name: 'Sign in (redirect)' }).click();
  await signInIn(page);
  await expect(page).toHaveURL(`${app.url}/cb`);
  expect(await result(page, 1)).toMatchObject({ username: ALICE.username, access: true, held: true });
  // A replayed callback (its state already used) is refused.
  await page.goto(`${app.url}/cb?code=forged&state=forged`);
  expect(await result(page, 1)).toMatchObject({ error: 'state_mismatch' });

  const sdk = await request.get(`${foyer.url}${SDK_PATH}`, { ignoreHTTPSErrors: true });
  expect(sdk.status()).toBe(200);
  expect(sdk.headers()['content-type']).toBe('text/javascript; charset=utf-8');
  expect(sdk.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(sdk.headers()['access-control-allow-origin']).toBe('*');
  expect(await sdk.text()).toContain('createFoyer');
});

test('where the browser withholds the frame’s cookies, the screen says so (translated) and the sign-in continues on a full page', async ({ page, stack, playwright }) => {
  const { app, foyer } = stack;
  // An authorization request whose interaction cookie went elsewhere (another client, not this
  // browser): inside the app's frame the screen then finds none, as where storage is withheld.
  const elsewhere = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  const query = { client_id: 'embed', redirect_uri: `${app.url}/cb`, response_type: 'code', scope: 'openid', state: 'st-full', nonce: 'n', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', response_mode: 'web_message', ui_locales: 'ar' };
  const started = await elsewhere.get(`${foyer.url}/oauth2/authorize?${new URLSearchParams(query)}`, { maxRedirects: 0 });
  const screen = new URL(started.headers()['location'], foyer.url).href;
  expect(screen).toMatch(/\/ar\/login\?uid=/);
  await elsewhere.dispose();

  await page.goto(`${app.url}/?client=embed`);
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src;
    document.getElementById('container')!.appendChild(f);
  }, screen);
  const frame = page.frameLocator('#container iframe');
  await expect(frame.getByTestId('storage-blocked')).toHaveText('يمنع متصفحك مربع تسجيل الدخول هذا من حفظ ملفات تعريف الارتباط التي يحتاجها تسجيل الدخول.');
  // This Chromium blocks unpartitioned third-party cookies: with JavaScript the screen offers the
  // Storage Access API, which, with no earlier visit to Foyer's site, the browser refuses (said, translated).
  await frame.getByTestId('allow-storage').click();
  await expect(frame.getByTestId('storage-offer-problem')).toHaveText('لم يسمح متصفحك بذلك. تابع في نافذة منبثقة أو في صفحة كاملة بدلًا من ذلك.');
  // The same request on a full page (its own response mode), where the cookies are first-party.
  await frame.getByTestId('full-page').click();
  await signInIn(page);
  await expect(page).toHaveURL(new RegExp(`^${app.url}/cb\\?code=[^&]+&state=st-full`));
});

test('storage withheld in the SDK’s frame: the screen offers a popup, the app’s page opens the same request there, and the app gets the tokens', async ({ page, stack, playwright }) => {
  const { app, foyer } = stack;
  // The browser keeps none of the cookies the frame's authorization request sets: Foyer's answer
  // reaches the frame without them (fetched outside, where the test's CA is told to Node).
  const outside = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  await page.route(
    (url) => url.origin === foyer.url && url.pathname === '/oauth2/authorize',
    async (route) => {
      const answer = await outside.fetch(route.request().url(), { headers: route.request().headers(), maxRedirects: 0 });
      const headers = Object.fromEntries(Object.entries(answer.headers()).filter(([k]) => k !== 'set-cookie'));
      await route.fulfill({ status: answer.status(), headers, body: await answer.body() });
    },
    { times: 1 },
  );
  await page.goto(`${app.url}/?client=embed`);
  await page.getByRole('button', { name: 'Sign in (iframe)' }).click();
  const frame = page.frameLocator('#container iframe');
  await expect(frame.getByTestId('storage-blocked')).toBeVisible();
  await expect(frame.getByTestId('full-page')).toBeVisible();

  const popupOpened = page.waitForEvent('popup');
  // The frame asked earlier: the next authorization request is the popup's.
  const topLevel = page.context().waitForEvent('request', (r) => r.url().startsWith(`${foyer.url}/oauth2/authorize?`));
  await frame.getByTestId('continue-in-popup').click();
  const popup = await popupOpened;
  // The app's own request (its state, nonce and PKCE), now first-party in the popup.
  const asked = new URL((await topLevel).url()).searchParams;
  expect(asked.get('client_id')).toBe('embed');
  expect(asked.get('response_mode')).toBe('web_message');
  await signInIn(popup);
  expect(await result(page, 1)).toMatchObject({ username: ALICE.username, access: true, held: true });
  await expect(page.locator('#container iframe')).toHaveCount(0);
  if (!popup.isClosed()) await popup.waitForEvent('close');
  await outside.dispose();
});
