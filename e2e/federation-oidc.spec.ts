import type { Page } from '@playwright/test';
import { ALICE, expect, SPA_REDIRECT_URI, test, type Foyer, type SmtpSink } from './fixtures/foyer';
import type { Upstream } from '../server/testing/upstream-oidc';
import { expectAccessible } from './fixtures/a11y';
import { expectError, signIn, submit } from './fixtures/pages';
import { spaAuthorizeUrl } from './fixtures/flows';
import { CAROL, claim, claimJson, demoLogin, expectFederationError, newPage, startOidcFederation, upstreamUser, type OidcFederation } from './fixtures/federation-oidc';

/**
 * Federation with OpenID Connect providers (see fixtures/federation-oidc.ts for the upstreams and
 * the Foyer between them and the apps). IdP mix-up, replayed answers and tampered or unsigned ID
 * tokens are refused in attacks/federation-oidc.spec.ts.
 */

let fed: OidcFederation;
let up: Upstream;
let smtp: SmtpSink;
let foyer: Foyer;

test.beforeAll(async () => {
  fed = await startOidcFederation();
  ({ up, smtp, foyer } = fed);
});
test.afterAll(async () => {
  await fed?.stop();
});

test('a first sign-in through the provider creates a user with mapped attributes; the next one reuses it; sign-out ends both sessions', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  const account = upstreamUser(up);
  up.loginAs = account.sub;
  await demoLogin(page);
  await expect(page.getByTestId('idp-Upstream')).toHaveText('Continue with Upstream Corp');
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(/\/en\/demo$/);

  // Every authorization request carried state, nonce and PKCE S256.
  const sent = up.authorizationRequests.at(-1)!;
  expect(sent.get('state')).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  expect(sent.get('nonce')).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  expect(sent.get('code_challenge_method')).toBe('S256');
  expect(sent.get('redirect_uri')).toBe(`${foyer.url}/oauth2/idpresponse`);

  await expect(claim(page, 'cognito:username')).toHaveText(`Upstream_${account.sub}`);
  await expect(claim(page, 'email')).toHaveText(account.email);
  await expect(claim(page, 'email_verified')).toHaveText('true');
  await expect(claim(page, 'name')).toHaveText(account.name);
  await expect(claim(page, 'custom:department')).toHaveText('Research');
  expect(await claimJson(page, 'amr')).toEqual(['fed']);
  await expect(claim(page, 'acr')).toHaveText('urn:foyer:fed');
  const identities = (await claimJson(page, 'identities')) as Record<string, unknown>[];
  expect(identities).toEqual([
    { userId: account.sub, providerName: 'Upstream', providerType: 'OIDC', issuer: up.issuer, primary: 'true', dateCreated: expect.stringMatching(/^\d{13}$/) },
  ]);
  const sub = await claim(page, 'sub').textContent();

  // Signing out of the app signs out of Foyer and, through its end_session_endpoint, of the provider.
  const logoutsBefore = up.logouts;
  await page.getByTestId('demo-sign-out').click();
  await expect(page).toHaveURL(new RegExp(`^${up.issuer}/`));
  await page.getByTestId('upstream-logout').click();
  await expect(page).toHaveURL(/\/en\/demo\?signed_out=1$/);
  expect(up.logouts).toBe(logoutsBefore + 1);

  // The provider's attributes changed: the next sign-in refreshes them on the same user.
  up.setAccount({ ...account, department: 'Sales', name: 'Renamed User' });
  await page.getByTestId('demo-sign-in').click();
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(claim(page, 'sub')).toHaveText(sub!);
  await expect(claim(page, 'custom:department')).toHaveText('Sales');
  await expect(claim(page, 'name')).toHaveText('Renamed User');
  expect(((await claimJson(page, 'identities')) as unknown[]).length).toBe(1);
  await page.context().close();
});

test('Sign in with Apple: the answer comes by form_post, the client secret is a JWT signed with the .p8 key', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  const account = upstreamUser(up);
  up.loginAs = account.sub;
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(`${foyer.url}/oauth2/idpresponse`)) posts.push(r.url());
  });
  const accepted = fed.appleSecretsAccepted();
  await demoLogin(page);
  await expect(page.getByTestId('idp-SignInWithApple')).toHaveText('Continue with Apple');
  await page.getByTestId('idp-SignInWithApple').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  const sent = up.authorizationRequests.at(-1)!;
  expect(sent.get('response_mode')).toBe('form_post');
  expect(sent.get('scope')).toBe('openid email name');
  expect(posts).toHaveLength(1);
  expect(fed.appleSecretsAccepted()).toBe(accepted + 1);
  await expect(claim(page, 'cognito:username')).toHaveText(`SignInWithApple_${account.sub}`);
  await expect(claim(page, 'email')).toHaveText(account.email);
  expect(await claimJson(page, 'identities')).toEqual([
    { userId: account.sub, providerName: 'SignInWithApple', providerType: 'SignInWithApple', issuer: null, primary: 'true', dateCreated: expect.stringMatching(/^\d{13}$/) },
  ]);
  await page.context().close();
});

test('a verified e-mail of an existing account is linked only after the user proves the account is theirs (password, then second factor); the account page lists and unlinks it', async ({ browser }) => {
  // carol turns on codes by e-mail (the pool makes them optional).
  const settings = await newPage(foyer, browser);
  await settings.goto('/en/account');
  await signIn(settings, CAROL.username, CAROL.password);
  await expect(settings).toHaveURL(/\/en\/account$/);
  await submit(settings, settings.getByTestId('toggle-email-codes'));
  await expect(settings).toHaveURL(/\/en\/account\?notice=email_codes_on$/);
  await settings.context().close();

  const page = await newPage(foyer, browser);
  const account = upstreamUser(up, { email: CAROL.email, email_verified: true, department: 'Legal' });
  up.loginAs = account.sub;
  await demoLogin(page);
  await page.getByTestId('idp-Upstream').click();

  // Not signed in, not linked: the linking screen asks for that account's password.
  await expect(page).toHaveURL(/\/en\/federation\/link\?uid=/);
  await expect(page.getByTestId('link-explain')).toContainText(CAROL.email);
  await expect(page.getByTestId('link-explain')).toContainText('Upstream Corp');
  const linkForm = page.getByTestId('link-form');
  await linkForm.locator('[name="password"]').fill('not-the-password-at-all');
  await submit(page, linkForm.getByTestId('link-account'));
  await expectError(page, 'Incorrect username or password.');

  // The right password, then the account's second factor, as at any sign-in.
  const before = Date.now();
  await linkForm.locator('[name="password"]').fill(CAROL.password);
  await submit(page, linkForm.getByTestId('link-account'));
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  const mfa = page.getByTestId('mfa-form');
  await mfa.locator('[name="code"]').fill(await smtp.codeFor(CAROL.email, before));
  await submit(page, mfa.getByTestId('verify-code'));

  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(claim(page, 'cognito:username')).toHaveText(CAROL.username);
  await expect(claim(page, 'custom:department')).toHaveText('Legal');
  expect(await claimJson(page, 'amr')).toEqual(['pwd', 'otp', 'mfa', 'fed']);
  expect(await claimJson(page, 'identities')).toEqual([
    { userId: account.sub, providerName: 'Upstream', providerType: 'OIDC', issuer: up.issuer, primary: 'false', dateCreated: expect.stringMatching(/^\d{13}$/) },
  ]);
  const sub = await claim(page, 'sub').textContent();

  // Linked: the provider alone now signs in to that same account (no password, no linking screen).
  await page.getByTestId('demo-sign-out').click();
  await page.getByTestId('upstream-logout').click();
  await expect(page).toHaveURL(/\/en\/demo\?signed_out=1$/);
  await page.getByTestId('demo-sign-in').click();
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(claim(page, 'sub')).toHaveText(sub!);
  expect(await claimJson(page, 'amr')).toEqual(['fed']);

  // The account page (signed in through the provider too) lists the link; unlinking it is told by e-mail.
  await page.getByTestId('manage-account').click();
  await expect(page).toHaveURL(/\/en\/account$/);
  const identity = page.getByTestId('identity');
  await expect(identity).toHaveCount(1);
  await expect(identity).toContainText('Upstream Corp');
  await expectAccessible(page, 'en', 'account page with a linked sign-in');
  const unlinkedAt = Date.now();
  await submit(page, identity.getByTestId('unlink-identity'));
  await expect(page).toHaveURL(/\/en\/account\?notice=identity_unlinked$/);
  await expect(page.getByTestId('identity')).toHaveCount(0);
  await smtp.waitFor(CAROL.email, (m) => m.at > unlinkedAt && m.text.includes('through another service was unlinked'));
  await page.context().close();
});

test('declining to link links nothing and goes back to the sign-in options', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  const account = upstreamUser(up, { email: ALICE.email, email_verified: true });
  up.loginAs = account.sub;
  await demoLogin(page);
  const login = page.url();
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(/\/en\/federation\/link\?uid=/);
  await submit(page, page.getByTestId('link-cancel-form').getByTestId('link-cancel'));
  await expect(page).toHaveURL(login);
  // Signing in as alice (no second factor turned on) now does not link the identity that was waiting.
  await signIn(page, ALICE.username, ALICE.password);
  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(claim(page, 'cognito:username')).toHaveText(ALICE.username);
  await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="identities"]')).toHaveCount(0);
  await page.context().close();
});

test('the provider refusing (access_denied) shows a translated error page with a way back to the sign-in', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  up.loginAs = 'deny';
  await demoLogin(page);
  const login = page.url();
  const answered = page.waitForResponse((r) => r.url().startsWith(`${foyer.url}/oauth2/idpresponse`));
  await page.getByTestId('idp-Upstream').click();
  await expectFederationError(page, 'denied', await answered);
  expect((await answered).status()).toBe(403);
  await expect(page.getByTestId('federation-error')).toHaveText(/cancelled or refused/);
  await page.getByTestId('federation-error-back').click();
  await expect(page).toHaveURL(login);
  await expect(page.getByTestId('login-form')).toBeVisible();
  await page.context().close();
});

test('a provider that cannot be reached gives an error page (424), not a crash', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  await demoLogin(page, 'ar');
  const answered = page.waitForResponse((r) => r.url().startsWith(`${foyer.url}/oauth2/idpstart`));
  await page.getByTestId('idp-Down').click();
  expect((await answered).status()).toBe(424);
  await expectFederationError(page, 'provider_unavailable');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('federation-error')).toHaveText('لا يمكن الوصول إلى مزوّد الهوية الآن. حاول لاحقًا، أو اختر طريقة أخرى لتسجيل الدخول.');
  await expect(page.getByTestId('federation-error-back')).toHaveAttribute('href', /\/ar\/login\?uid=/);
  await page.context().close();
});

/** An authorization request of a public client (code flow, PKCE S256), with extra parameters. */
const authorizeUrl = (clientId: string, extra: Record<string, string>) => spaAuthorizeUrl(foyer.url, clientId, extra);

/**
 * The browser's request to the app's redirect URI (nothing listens on port 9, an unsafe port
 * Chromium will not load: the request event is the proof it was sent there).
 */
function appRedirect(page: Page) {
  return page.waitForRequest((r) => r.url().startsWith(`${SPA_REDIRECT_URI}?`));
}

for (const [param, value] of [['identity_provider', 'Upstream'], ['idp_identifier', 'corp.test']] as const) {
  test(`${param}=${value} goes straight to the provider: the login page is never shown`, async ({ browser }) => {
    const page = await newPage(foyer, browser);
    const account = upstreamUser(up);
    up.loginAs = account.sub;
    const loginAnswers: number[] = [];
    page.on('response', (r) => {
      if (/\/login\?uid=/.test(r.url())) loginAnswers.push(r.status());
    });
    const redirected = appRedirect(page);
    await page.goto(authorizeUrl('spa', { [param]: value })).catch(() => undefined);
    expect(new URL((await redirected).url()).searchParams.get('code')).toBeTruthy();
    // The interaction's login URL only redirected on.
    expect(loginAnswers.length).toBeGreaterThan(0);
    expect(loginAnswers.every((s) => s >= 300 && s < 400)).toBe(true);
    expect(up.authorizationRequests.at(-1)!.get('client_id')).toBe('foyer');
    await page.context().close();
  });
}

test('an unknown identity_provider gets the error page; back at the sign-in, every option is there', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  const answered = page.waitForResponse((r) => r.url().startsWith(`${foyer.url}/oauth2/idpstart`));
  await page.goto(authorizeUrl('spa', { identity_provider: 'Nope', ui_locales: 'ar' }));
  expect((await answered).status()).toBe(400);
  await expectFederationError(page, 'unknown_provider');
  await page.getByTestId('federation-error-back').click();
  await expect(page).toHaveURL(/\/ar\/login\?uid=/);
  await expect(page.getByTestId('login-form')).toBeVisible();
  await expect(page.getByTestId('identity-providers').locator('a')).toHaveCount(4);
  await page.context().close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`domain search: a typed work e-mail goes to its provider, any other address to the password check (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const page = await newPage(foyer, browser, javaScriptEnabled);
    const account = upstreamUser(up);
    up.loginAs = account.sub;
    await demoLogin(page);
    const form = page.getByTestId('login-form');

    // Other domains answer alike whether or not the account exists: the password is required.
    for (const address of [ALICE.email, 'nobody-here@example.test']) {
      await form.locator('[name="identifier"]').fill(address);
      await submit(page, form.getByTestId('sign-in'));
      await expectError(page, 'This field is required.');
    }

    await form.locator('[name="identifier"]').fill(account.email.toUpperCase());
    await form.getByTestId('sign-in').click();
    await expect(page).toHaveURL(/\/en\/demo$/);
    await expect(claim(page, 'cognito:username')).toHaveText(`Upstream_${account.sub}`);
    // The typed address went along as a hint for the provider.
    expect(up.authorizationRequests.at(-1)!.get('login_hint')).toBe(account.email.toUpperCase());
    await page.context().close();
  });
}

test('an app that allows only a provider shows no password form and accepts no password', async ({ browser }) => {
  const page = await newPage(foyer, browser);
  const account = upstreamUser(up);
  up.loginAs = account.sub;
  await page.goto(authorizeUrl('fedonly', {}));
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  const login = page.url();
  await expect(page.getByTestId('login-form')).toHaveCount(0);
  await expect(page.getByTestId('signup-link')).toHaveCount(0);
  await expect(page.getByTestId('identity-providers').locator('a')).toHaveCount(1);
  // No sign-up either.
  await page.goto(login.replace('/login?', '/signup?'));
  await expect(page).toHaveURL(login);
  // The work e-mail form routes; an address no provider claims is refused.
  const form = page.getByTestId('work-email-form');
  await form.locator('[name="identifier"]').fill(ALICE.email);
  await submit(page, form.getByTestId('route-email'));
  await expectError(page, 'No sign-in option matches this e-mail address.');
  const redirected = appRedirect(page);
  await page.getByTestId('idp-Upstream').click();
  expect(new URL((await redirected).url()).searchParams.get('code')).toBeTruthy();
  await page.context().close();
});

for (const locale of ['en', 'ar'] as const) {
  test(`the federation screens are accessible, light and dark (${locale})`, async ({ browser }) => {
    test.setTimeout(150_000); // four pages audited twice each
    const page = await newPage(foyer, browser);
    await demoLogin(page, locale);
    await expectAccessible(page, locale, 'login page with provider buttons');

    up.loginAs = 'deny';
    await page.getByTestId('idp-Upstream').click();
    await expectFederationError(page, 'denied');
    await expectAccessible(page, locale, 'federation error page');
    await page.getByTestId('federation-error-back').click();

    const account = upstreamUser(up, { email: ALICE.email });
    up.loginAs = account.sub;
    await page.getByTestId('idp-Upstream').click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/federation/link\\?uid=`));
    await expectAccessible(page, locale, 'linking screen');
    await page.getByTestId('link-form').locator('[name="password"]').fill('wrong password here');
    await submit(page, page.getByTestId('link-form').getByTestId('link-account'));
    await expect(page.getByTestId('error-message')).toBeVisible();
    await expectAccessible(page, locale, 'linking screen with an error');
    await page.context().close();
  });
}
