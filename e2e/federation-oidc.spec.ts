import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { Browser, Page, Response } from '@playwright/test';
import { ALICE, expect, freePort, SPA_REDIRECT_URI, startFoyer, test, testConfig, type Foyer, type SmtpSink } from './fixtures/foyer';
import { startSmtpSink } from '../server/testing/smtp';
import { startUpstream, type Upstream } from './fixtures/upstream-oidc';
import { expectAccessible } from './fixtures/a11y';
import { expectError, signIn, submit } from './fixtures/pages';
import { spaAuthorizeUrl } from './fixtures/flows';

/**
 * Federation with OpenID Connect providers: two upstream oidc-provider instances on loopback
 * ("Upstream" and "Other"), a provider nobody listens for ("Down"), and Foyer between them and
 * the apps. The upstream's login is scripted (`loginAs`).
 */

const UP_SECRET = randomBytes(24).toString('base64url');
const OTHER_SECRET = randomBytes(24).toString('base64url');
/** Sign in with Apple, played by the upstream: its .p8 key pair, and what Apple would have registered. */
const APPLE = { client_id: 'com.example.foyer', team_id: 'TEAM123456', key_id: 'KEY1234567', secret: randomBytes(24).toString('base64url') };
const appleKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let appleSecretsAccepted = 0;

/** A user with a password, who turns on a second factor (e-mail codes) on the account page. */
const CAROL = { username: 'carol', email: 'carol@example.test', password: 'Carol-Has-A-Long-Passphrase-3' } as const;

let up: Upstream;
let other: Upstream;
let smtp: SmtpSink;
let foyer: Foyer;

test.beforeAll(async () => {
  up = await startUpstream('up');
  other = await startUpstream('other');
  smtp = await startSmtpSink();
  up.checkClientSecret = async (clientId, presented) => {
    if (clientId !== APPLE.client_id) return undefined;
    if (decodeProtectedHeader(presented).kid !== APPLE.key_id) return undefined;
    await jwtVerify(presented, appleKeys.publicKey, { algorithms: ['ES256'], issuer: APPLE.team_id, subject: APPLE.client_id, audience: up.issuer });
    appleSecretsAccepted++;
    return APPLE.secret;
  };
  const downPort = await freePort(); // nothing listens there
  foyer = await startFoyer({
    smtpUrl: smtp.url,
    config: (url: string) => {
      for (const [u, secret] of [[up, UP_SECRET], [other, OTHER_SECRET]] as const) {
        u.registerClient({ client_id: 'foyer', client_secret: secret, redirect_uris: [`${url}/oauth2/idpresponse`], post_logout_redirect_uris: [`${url}/oauth2/idplogout`] });
      }
      // The upstream checks the Apple-style client secret (a JWT signed with the .p8 key).
      up.registerClient({ client_id: APPLE.client_id, client_secret: APPLE.secret, token_endpoint_auth_method: 'client_secret_post', redirect_uris: [`${url}/oauth2/idpresponse`] });
      const c = testConfig(url);
      const everyProvider = ['COGNITO', 'Upstream', 'Other', 'SignInWithApple', 'Down'];
      return {
        ...c,
        pool: { ...c.pool, custom_attributes: [{ name: 'custom:department' }], mfa: { mode: 'OPTIONAL', factors: ['email'] } },
        identity_providers: [
          {
            name: 'Upstream',
            type: 'oidc',
            display_name: 'Upstream Corp',
            issuer: up.issuer,
            client_id: 'foyer',
            client_secret: UP_SECRET,
            attribute_mapping: { email: 'email', email_verified: 'email_verified', name: 'name', 'custom:department': 'department' },
            idp_identifiers: ['corp.test'],
          },
          { name: 'Other', type: 'oidc', issuer: other.issuer, client_id: 'foyer', client_secret: OTHER_SECRET },
          {
            name: 'SignInWithApple',
            type: 'apple',
            issuer: up.issuer, // Apple's endpoints, moved to the test's provider
            client_id: APPLE.client_id,
            team_id: APPLE.team_id,
            key_id: APPLE.key_id,
            private_key: appleKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
          },
          { name: 'Down', type: 'oidc', issuer: `http://127.0.0.1:${downPort}`, client_id: 'foyer', client_secret: 'not-used-anywhere' },
        ],
        clients: [
          ...c.clients.map((cl) => (cl.client_id === 'demo' || cl.client_id === 'spa' ? { ...cl, supported_identity_providers: everyProvider } : cl)),
          { client_id: 'fedonly', client_name: 'Federated only', token_endpoint_auth_method: 'none', redirect_uris: [SPA_REDIRECT_URI], supported_identity_providers: ['Upstream'] },
        ],
        users: [...c.users, { ...CAROL, email_verified: true }],
      };
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await Promise.all([up?.stop(), other?.stop(), smtp?.stop()]);
});

let counter = 0;
/** An upstream account no other test uses. */
function upstreamUser(u: Upstream, extra: Partial<Parameters<Upstream['setAccount']>[0]> = {}) {
  const sub = `sub-${Date.now().toString(36)}-${counter++}`;
  const account = { sub, email: `${sub}@corp.test`, email_verified: true, name: `User ${sub}`, department: 'Research', ...extra };
  u.setAccount(account);
  return account;
}

async function newPage(browser: Browser, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
  return context.newPage();
}

/** The demo app's "Sign in": Foyer's login page for the demo client. */
async function demoLogin(page: Page, locale = 'en') {
  await page.goto(`/${locale}/demo`);
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/login\\?uid=`));
}

const claim = (page: Page, name: string) => page.getByTestId('id-token-claims').locator(`tr[data-claim="${name}"] td`);
async function claimJson(page: Page, name: string): Promise<unknown> {
  return JSON.parse((await claim(page, name).textContent()) ?? 'null');
}

/** Waits for the federation error page and returns its HTTP status. */
async function expectFederationError(page: Page, code: string, response?: Response | null) {
  await expect(page.getByTestId('federation-error')).toHaveAttribute('data-code', code);
  if (response) expect(response.status(), `status of the ${code} page`).toBeGreaterThanOrEqual(400);
  if (response) expect(response.status()).toBeLessThan(500);
}

test('a first sign-in through the provider creates a user with mapped attributes; the next one reuses it; sign-out ends both sessions', async ({ browser }) => {
  const page = await newPage(browser);
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
  const page = await newPage(browser);
  const account = upstreamUser(up);
  up.loginAs = account.sub;
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().startsWith(`${foyer.url}/oauth2/idpresponse`)) posts.push(r.url());
  });
  const accepted = appleSecretsAccepted;
  await demoLogin(page);
  await expect(page.getByTestId('idp-SignInWithApple')).toHaveText('Continue with Apple');
  await page.getByTestId('idp-SignInWithApple').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  const sent = up.authorizationRequests.at(-1)!;
  expect(sent.get('response_mode')).toBe('form_post');
  expect(sent.get('scope')).toBe('openid email name');
  expect(posts).toHaveLength(1);
  expect(appleSecretsAccepted).toBe(accepted + 1);
  await expect(claim(page, 'cognito:username')).toHaveText(`SignInWithApple_${account.sub}`);
  await expect(claim(page, 'email')).toHaveText(account.email);
  expect(await claimJson(page, 'identities')).toEqual([
    { userId: account.sub, providerName: 'SignInWithApple', providerType: 'SignInWithApple', issuer: null, primary: 'true', dateCreated: expect.stringMatching(/^\d{13}$/) },
  ]);
  await page.context().close();
});

test('a verified e-mail of an existing account is linked only after the user proves the account is theirs (password, then second factor); the account page lists and unlinks it', async ({ browser }) => {
  // carol turns on codes by e-mail (the pool makes them optional).
  const settings = await newPage(browser);
  await settings.goto('/en/account');
  await signIn(settings, CAROL.username, CAROL.password);
  await expect(settings).toHaveURL(/\/en\/account$/);
  await submit(settings, settings.getByTestId('toggle-email-codes'));
  await expect(settings).toHaveURL(/\/en\/account\?notice=email_codes_on$/);
  await settings.context().close();

  const page = await newPage(browser);
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
  const page = await newPage(browser);
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
  const page = await newPage(browser);
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
  const page = await newPage(browser);
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

/**
 * Follows redirects from `url` with the browser context's cookies (its request API shares them),
 * and returns the first location that starts with `stop`, without requesting it. Playwright's
 * routes do not see redirected requests, so this is how a test holds an answer back.
 */
async function redirectsUntil(page: Page, url: string, stop: string): Promise<URL> {
  let at = new URL(url, foyer.url).href;
  for (let hop = 0; hop < 10; hop++) {
    const r = await page.request.get(at, { maxRedirects: 0 });
    const location = r.headers().location;
    if (!location) throw new Error(`${at} answered ${r.status()} without a redirect`);
    const next = new URL(location, at);
    if (next.href.startsWith(stop)) return next;
    at = next.href;
  }
  throw new Error(`no redirect to ${stop}`);
}

test('mix-up: a response naming another provider as issuer is refused for the request it claims to answer', async ({ browser }) => {
  const page = await newPage(browser);
  const victim = upstreamUser(up);
  const attacker = upstreamUser(other);
  up.loginAs = victim.sub;
  other.loginAs = attacker.sub;
  await demoLogin(page);
  const href = (name: string) => page.getByTestId(`idp-${name}`).getAttribute('href') as Promise<string>;

  // 1. A sign-in with Upstream, stopped on its way to Upstream: its state is bound to this browser.
  const toUpstream = await redirectsUntil(page, await href('Upstream'), `${up.issuer}/auth`);
  const upstreamState = toUpstream.searchParams.get('state')!;
  // 2. A sign-in with Other in the same browser: its answer (code, iss) held before Foyer sees it.
  const otherAnswer = (await redirectsUntil(page, await href('Other'), `${foyer.url}/oauth2/idpresponse`)).searchParams;
  expect(otherAnswer.get('iss')).toBe(other.issuer);

  // 3. Other's code and issuer delivered for the Upstream request: refused, no code exchanged.
  const mixed = new URLSearchParams({ code: otherAnswer.get('code')!, state: upstreamState, iss: other.issuer });
  const refused = await page.goto(`/oauth2/idpresponse?${mixed}`);
  expect(refused?.status()).toBe(400);
  await expectFederationError(page, 'wrong_issuer');

  // Other's answer for its own request is still good: only the mix-up was refused.
  await page.goto(`/oauth2/idpresponse?${otherAnswer}`);
  await expect(page).toHaveURL(/\/en\/demo$/);
  expect(((await claimJson(page, 'identities')) as { providerName: string }[])[0].providerName).toBe('Other');
  await page.context().close();
});

test('a response is accepted once; a replay, a tampered signature or an unsigned ID token is refused', async ({ browser }) => {
  const page = await newPage(browser);
  const account = upstreamUser(up);
  up.loginAs = account.sub;
  const callbacks: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${foyer.url}/oauth2/idpresponse`)) callbacks.push(r.url());
  });
  await demoLogin(page);
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  const replayed = await page.goto(callbacks[0]);
  expect(replayed?.status()).toBe(400);
  await expectFederationError(page, 'bad_state');
  await page.context().close();

  for (const tamper of ['signature', 'unsigned'] as const) {
    const p = await newPage(browser);
    up.tamper = tamper;
    try {
      await demoLogin(p);
      const answered = p.waitForResponse((r) => r.url().startsWith(`${foyer.url}/oauth2/idpresponse`));
      await p.getByTestId('idp-Upstream').click();
      expect((await answered).status(), tamper).toBe(400);
      await expectFederationError(p, 'invalid_response');
    } finally {
      up.tamper = 'none';
    }
    await p.context().close();
  }
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
    const page = await newPage(browser);
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
  const page = await newPage(browser);
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
    const page = await newPage(browser, javaScriptEnabled);
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
  const page = await newPage(browser);
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
    const page = await newPage(browser);
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
