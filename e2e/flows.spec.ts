import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { ALICE, FORCED, expect, startFoyer, startFoyerExpectingFailure, test, testConfig, type SmtpSink } from './fixtures/foyer';
import { cookieRuleViolations } from './fixtures/cookie-rules';
import { waitForDevOutbox } from './fixtures/dev-outbox';
import { enterCode, expectError, expectNotice, requestPasswordReset, resetPassword, setNewPassword, signIn, signUp } from './fixtures/pages';

/** The hosted UI round trips through the demo app, as a new user would do them. */

const fresh = () => {
  const id = randomBytes(4).toString('hex');
  return { username: `user-${id}`, email: `user-${id}@example.test`, password: `a quiet river at dawn ${id}` };
};

async function startAtDemo(page: Page, locale = 'en', action: 'demo-sign-in' | 'demo-sign-up' = 'demo-sign-in') {
  await page.goto(`/${locale}/demo`);
  await page.getByTestId(action).click();
  await expect(page).toHaveURL(action === 'demo-sign-in' ? /\/login\?uid=/ : /\/signup\?uid=/);
}

async function expectSignedIn(page: Page, username: string) {
  await expect(page).toHaveURL(/\/demo$/);
  await expect(page.getByTestId('signed-in-as')).toContainText(username);
  const claims = page.getByTestId('id-token-claims');
  await expect(claims.locator('tr[data-claim="cognito:username"] td')).toHaveText(username);
  await expect(claims.locator('tr[data-claim="token_use"] td')).toHaveText('id');
  await expect(claims.locator('tr[data-claim="amr"] td')).toHaveText('["pwd"]');
  await expect(claims.locator('tr[data-claim="sub"] td')).toHaveText(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('userinfo-claims').locator('tr[data-claim="username"] td')).toHaveText(username);
}

/** A new account, confirmed and signed out again, with the demo app's sign-in page showing. */
async function confirmedUserAtLogin(page: Page, smtp: SmtpSink) {
  const u = fresh();
  await startAtDemo(page, 'en', 'demo-sign-up');
  const t = Date.now();
  await signUp(page, u);
  await enterCode(page, await smtp.codeFor(u.email, t));
  await expectSignedIn(page, u.username);
  await page.getByTestId('demo-sign-out').click();
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(/\/login\?uid=/);
  return u;
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`with JavaScript ${javaScriptEnabled ? 'enabled' : 'disabled'}`, () => {
    test.use({ javaScriptEnabled });

    test('sign up, confirm the e-mailed code, see the tokens, sign out', async ({ page, smtp }) => {
      const u = fresh();
      await startAtDemo(page, 'en', 'demo-sign-up');
      const before = Date.now();
      await signUp(page, u);
      await expect(page).toHaveURL(/\/confirm\?uid=/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your account');
      const code = await smtp.codeFor(u.email, before);
      await enterCode(page, code);
      await expectSignedIn(page, u.username);
      await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="email_verified"] td')).toHaveText('true');

      await page.getByTestId('demo-sign-out').click();
      await expect(page).toHaveURL(/\/demo\?signed_out=1$/);
      // The Foyer session is gone too: signing in again asks for the password.
      await page.getByTestId('demo-sign-in').click();
      await expect(page).toHaveURL(/\/login\?uid=/);
      await signIn(page, u.email, u.password);
      await expectSignedIn(page, u.username);
    });

    test('forgot password, reset with the code, sign in with the new password only', async ({ page, smtp }) => {
      const u = await confirmedUserAtLogin(page, smtp);
      await page.getByTestId('forgot-link').click();
      const t = Date.now();
      await requestPasswordReset(page, u.username);
      await expect(page).toHaveURL(/\/reset-password\?uid=/);
      const code = await smtp.codeFor(u.email, t);
      const newPassword = `${u.password} renewed`;
      await resetPassword(page, code, newPassword);
      await expect(page).toHaveURL(/\/login\?uid=.*notice=password_changed/);
      await expectNotice(page, 'Your password has been changed');
      const changed = await smtp.waitFor(u.email, (m) => /was changed/.test(m.subject));
      expect(changed.subject).toContain('Foyer test');

      await signIn(page, u.username, u.password);
      await expectError(page, 'Incorrect username or password.');
      await signIn(page, u.username, newPassword);
      await expectSignedIn(page, u.username);
    });
  });
}

test('signing out of the app when the Foyer session is already gone still ends at the app', async ({ page, foyer, smtp }) => {
  await confirmedUserAtLogin(page, smtp);
  await signIn(page, ALICE.username, ALICE.password);
  await expect(page.getByTestId('signed-in-as')).toContainText(ALICE.username);
  // Foyer's session ends elsewhere (expiry, another tab); the app still holds its ID token.
  const kept = (await page.context().cookies(foyer.url)).filter((c) => c.name !== 'foyer.session' && c.name !== 'foyer.session.sig');
  await page.context().clearCookies();
  await page.context().addCookies(kept);
  await page.getByTestId('demo-sign-out').click();
  await expect(page).toHaveURL(/\/demo\?signed_out=1$/);
});

test('without JavaScript, that sign-out shows a translated page with a button to go on', async ({ browser, foyer }) => {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/ar/demo');
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, ALICE.username, ALICE.password);
  await expect(page).toHaveURL(/\/ar\/demo$/);
  const kept = (await context.cookies(foyer.url)).filter((c) => c.name !== 'foyer.session' && c.name !== 'foyer.session.sig');
  await context.clearCookies();
  await context.addCookies(kept);
  await page.getByTestId('demo-sign-out').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('جارٍ تسجيل خروجك');
  await page.getByRole('button', { name: 'متابعة' }).click();
  await expect(page).toHaveURL(/\/ar\/demo\?signed_out=1$/);
  await context.close();
});

test('a wrong password and an unknown user get the same answer', async ({ page }) => {
  await startAtDemo(page);
  await signIn(page, ALICE.username, 'not the right password at all');
  await expectError(page, 'Incorrect username or password.');
  const known = await page.getByTestId('error-message').textContent();
  await signIn(page, `nobody-${randomBytes(4).toString('hex')}`, 'not the right password at all');
  await expectError(page);
  expect(await page.getByTestId('error-message').textContent()).toBe(known);
  await signIn(page, ALICE.email.toUpperCase(), ALICE.password);
  await expectSignedIn(page, ALICE.username);
});

test('five failures lock the account; even the right password waits', async ({ page, smtp }) => {
  const u = await confirmedUserAtLogin(page, smtp);
  for (let i = 1; i <= 4; i++) {
    await signIn(page, u.username, `wrong password number ${i}`);
    await expectError(page, 'Incorrect username or password.');
  }
  await signIn(page, u.username, 'wrong password number 5');
  await expectError(page, /Too many failed attempts\. Try again in \d+ seconds\./);
  await signIn(page, u.username, u.password);
  await expectError(page, /Too many failed attempts/);
  await expect(page).toHaveURL(/\/login\?uid=/);
});

test('a user created with a temporary password must choose a new one', async ({ page }) => {
  await startAtDemo(page);
  await signIn(page, FORCED.username, FORCED.password);
  await expect(page).toHaveURL(/\/new-password\?uid=/);
  await setNewPassword(page, 'password');
  await expectError(page, /at least 15 characters/);
  await setNewPassword(page, 'a brand new passphrase of my own');
  await expectSignedIn(page, FORCED.username);
});

test('a later step cannot be reached by its URL', async ({ page }) => {
  await startAtDemo(page);
  const uid = new URL(page.url()).searchParams.get('uid')!;
  for (const screen of ['new-password', 'confirm', 'reset-password']) {
    await page.goto(`/en/${screen}?uid=${uid}`);
    await expect(page).toHaveURL(new RegExp(`/en/login\\?uid=${uid}$`));
  }
  // The authorization cannot be resumed without signing in either.
  const res = await page.goto(`/oauth2/authorize/${uid}`);
  await expect(page).toHaveURL(/\/login\?uid=/);
  expect(res?.status()).toBeLessThan(500);
});

test('an unregistered redirect_uri shows our error page and never redirects there', async ({ page, foyer }) => {
  const contacted: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith('https://evil.example')) contacted.push(r.url());
  });
  const params = new URLSearchParams({
    client_id: 'demo',
    redirect_uri: 'https://evil.example/callback',
    response_type: 'code',
    scope: 'openid',
    state: 'xyz',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const res = await page.goto(`${foyer.url}/oauth2/authorize?${params}`);
  expect(res?.status()).toBe(400);
  await expect(page.getByTestId('error-page')).toHaveAttribute('data-code', 'invalid_redirect_uri');
  await expect(page.getByTestId('error-page')).toContainText('not registered');
  expect(contacted).toEqual([]);

  const cognito = await page.goto(`${foyer.url}/login?client_id=nope&redirect_uri=https://evil.example/cb&response_type=code&lang=ar`);
  expect(cognito?.status()).toBe(400);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('error-page')).toHaveAttribute('data-code', 'invalid_client');
  expect(contacted).toEqual([]);
});

test('Arabic screens render right to left, and the language follows the whole flow', async ({ page, smtp }) => {
  await page.goto('/ar/demo');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await page.getByTestId('demo-sign-up').click();
  await expect(page).toHaveURL(/\/ar\/signup\?uid=/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/[\u0600-\u06FF]/);
  const u = fresh();
  const t = Date.now();
  await signUp(page, { ...u, password: 'short' });
  await expectError(page, /[\u0600-\u06FF]/);
  await signUp(page, u);
  await expect(page).toHaveURL(/\/ar\/confirm\?uid=/);
  const mail = await smtp.waitFor(u.email, (m) => m.at >= t);
  expect(mail.text).toMatch(/[\u0600-\u06FF]/);
  // Switching language keeps the same sign-in.
  await page.getByRole('navigation', { name: 'اللغة' }).locator('summary').click();
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/en\/confirm\?uid=/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await enterCode(page, await smtp.codeFor(u.email, t));
  await expectSignedIn(page, u.username);
});

test("Cognito's /signup and /forgotPassword entry URLs open those screens, in the asked language", async ({ page, foyer }) => {
  const params = new URLSearchParams({
    client_id: 'demo',
    redirect_uri: `${foyer.url}/api/demo/callback`,
    response_type: 'code',
    scope: 'openid email',
    state: 'st',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  await page.goto(`/signup?${params}&lang=ar`);
  await expect(page).toHaveURL(/\/ar\/signup\?uid=/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  // Without lang, the language the browser last used (its cookie) stays.
  await page.goto(`/forgotPassword?${params}`);
  await expect(page).toHaveURL(/\/ar\/forgot-password\?uid=/);
  await page.goto(`/login?${params}&lang=en`);
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
});

test('the locale comes from ui_locales, then the cookie, then Accept-Language', async ({ browser, foyer }) => {
  const ctx = await browser.newContext({ locale: 'ar-EG', baseURL: foyer.url });
  const page = await ctx.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/ar$/);
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(/\/en\/login/);
  await page.goto('/ar/demo');
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(/\/ar\/login/);
  await ctx.close();
});

test('an invalid pool config stops start-up with a message naming the field', async () => {
  const bad = testConfig('http://127.0.0.1:1');
  (bad.clients[0] as { redirect_uris: string[] }).redirect_uris = ['not a url'];
  const result = await startFoyerExpectingFailure(bad);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('clients.0.redirect_uris.0');
});

test('without SMTP, mail goes to the dev outbox and the screens say so', async ({ browser }) => {
  const foyer = await startFoyer({ config: testConfig });
  try {
    const ctx = await browser.newContext({ baseURL: foyer.url });
    const page = await ctx.newPage();
    await startAtDemo(page, 'en', 'demo-sign-up');
    const u = fresh();
    await signUp(page, u);
    await expect(page.getByTestId('dev-outbox-notice')).toBeVisible();
    await waitForDevOutbox(ctx.request, u.email);
    await page.goto('/en/dev/outbox');
    const mail = page.getByTestId('outbox').locator('li').first();
    await expect(mail).toContainText(u.email);
    const code = /\b(\d{6})\b/.exec((await mail.textContent()) ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await ctx.close();
  } finally {
    await foyer.stop();
  }
});

test('with SMTP and an SMS provider configured, there is no outbox and no notice', async ({ page }) => {
  const res = await page.goto('/en/dev/outbox');
  expect(res?.status()).toBe(404);
  await startAtDemo(page, 'en', 'demo-sign-up');
  await signUp(page, fresh());
  await expect(page).toHaveURL(/\/confirm/);
  await expect(page.getByTestId('dev-outbox-notice')).toHaveCount(0);
});

test('per-IP limits answer 429 with a translated message', async ({ browser }) => {
  const foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      return { ...c, pool: { ...c.pool, rate_limits: { sign_in_per_ip_per_5_minutes: 3, sign_up_per_ip_per_hour: 100, forgot_password_per_ip_per_hour: 100 } } };
    },
  });
  try {
    const ctx = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await startAtDemo(page);
    for (let i = 0; i < 3; i++) {
      await signIn(page, `someone${i}`, 'a wrong password for sure');
      await expectError(page, 'Incorrect username or password.');
    }
    const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/login'));
    await signIn(page, ALICE.username, ALICE.password);
    expect((await response).status()).toBe(429);
    await expectError(page, /Too many requests/);
    await ctx.close();
  } finally {
    await foyer.stop();
  }
});

test('security headers and cookies', async ({ page, foyer, request }) => {
  const res = await page.goto('/en/demo');
  const csp = res!.headers()['content-security-policy'];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toContain("'unsafe-inline'");
  expect(res!.headers()['x-content-type-options']).toBe('nosniff');
  await page.getByTestId('demo-sign-in').click();
  const cookies = await page.context().cookies(foyer.url);
  for (const name of ['foyer.csrf', 'foyer.interaction']) {
    const c = cookies.find((x) => x.name === name);
    expect(c, name).toBeDefined();
    expect(c!.httpOnly).toBe(true);
  }
  const discovery = await request.get('/.well-known/openid-configuration');
  expect(discovery.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
});

test('over TLS every cookie is Secure, __Host- where its path is / and __Secure- elsewhere', async ({ request }) => {
  const foyer = await startFoyer({ config: testConfig, env: { PUBLIC_URL: 'https://foyer.test' } });
  try {
    const headers = { 'x-forwarded-proto': 'https', host: 'foyer.test' };
    const auth = await request.get(
      `${foyer.url}/oauth2/authorize?client_id=demo&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${foyer.url}/api/demo/callback`)}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`,
      { headers, maxRedirects: 0 },
    );
    expect(auth.status()).toBe(303);
    const authCookies = auth.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
    expect(authCookies.length).toBeGreaterThan(0);
    for (const c of authCookies) expect(cookieRuleViolations(c)).toEqual([]);
    // oidc-provider scopes the resume cookie to /oauth2/authorize/<uid>: browsers drop __Host- there.
    expect(authCookies.some((c) => /^__Secure-foyer\.resume=.*; path=\/oauth2\/authorize\/[^;]+/i.test(c))).toBe(true);
    const page = await request.get(`${foyer.url}/en`, { headers, maxRedirects: 0 });
    const pageCookies = page.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
    expect(pageCookies.some((c) => c.startsWith('__Host-foyer.csrf='))).toBe(true);
    for (const c of pageCookies) expect(cookieRuleViolations(c)).toEqual([]);
    expect(page.headers()['strict-transport-security']).toContain('max-age=');
    // No SMTP, but the issuer is not a loopback address: the outbox stays hidden.
    const outbox = await request.get(`${foyer.url}/en/dev/outbox`, { headers, maxRedirects: 0 });
    expect(outbox.status()).toBe(404);
  } finally {
    await foyer.stop();
  }
});
