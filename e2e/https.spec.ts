import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { cookieRuleViolations } from './fixtures/cookie-rules';
import { expect, freePort, startFoyer, testConfig, type Foyer, type Mail } from './fixtures/foyer';
import { demoSignOut, freshUser, startAtDemo } from './fixtures/flows';
import { enterCode, signIn, signUp, submit } from './fixtures/pages';
import { addAuthenticator, addPasskeyOnAccountPage } from './fixtures/passkeys';
import { startSamlIdp, type SamlIdp } from '../server/testing/saml-idp';
import { httpsRequest, startTlsProxy, type TlsProxy } from './fixtures/tls-proxy';
import { addAuthenticatorApp, totpAt } from './fixtures/totp';
import { startUpstream, type Upstream } from '../server/testing/upstream-oidc';
import { test as tlsTest } from './fixtures/trusted-tls';

/**
 * Foyer served for real: behind nginx terminating TLS, PUBLIC_URL=https://localhost:<proxy port>,
 * TRUST_PROXY=1, the proxy's certificate from a CA made for the run. Chromium accepts it as valid
 * (its security state is "secure", not an ignored error); Foyer trusts it through
 * NODE_EXTRA_CA_CERTS, as its demo app and account pages call the issuer over HTTPS. Every Set-Cookie Foyer sends is checked
 * against the cookie rules, and browsers here forge X-Forwarded-Host and Forwarded all along.
 */

const UP_SECRET = randomBytes(24).toString('base64url');
const FORGED = 'evil.example';
/** Headers a client has no business setting; nginx passes them through (see tls-proxy.ts). */
const FORGED_HEADERS = { 'x-forwarded-host': FORGED, forwarded: `for=203.0.113.9;host=${FORGED};proto=http`, 'x-forwarded-for': '203.0.113.9' };

type Stack = { foyer: Foyer; proxy: TlsProxy; up: Upstream; saml: SamlIdp };

const test = tlsTest.extend<{ seen: SeenCookies }, { stack: Stack }>({
  stack: [
    async ({ pki, smtp }, use) => {
      const port = await freePort();
      const publicUrl = `https://localhost:${port}`;
      const [up, saml] = await Promise.all([startUpstream('up'), startSamlIdp({ ssoBindings: ['post'] })]);
      up.registerClient({ client_id: 'foyer', client_secret: UP_SECRET, redirect_uris: [`${publicUrl}/oauth2/idpresponse`], post_logout_redirect_uris: [`${publicUrl}/oauth2/idplogout`] });
      const foyer = await startFoyer({
        publicUrl,
        smtpUrl: smtp.url,
        env: { TRUST_PROXY: '1', NODE_EXTRA_CA_CERTS: pki.caFile },
        config: (url: string) => {
          const c = testConfig(url);
          const providers = ['COGNITO', 'Upstream', 'Partner'];
          return {
            ...c,
            pool: { ...c.pool, mfa: { mode: 'OPTIONAL', factors: ['totp', 'webauthn'], remember_device_days: 30 } },
            identity_providers: [
              { name: 'Upstream', type: 'oidc', issuer: up.issuer, client_id: 'foyer', client_secret: UP_SECRET },
              { name: 'Partner', type: 'saml', metadata_xml: saml.metadataXml, request_binding: 'HTTP-POST', attribute_mapping: { email: 'email' } },
            ],
            clients: c.clients.map((cl) => (cl.client_id === 'demo' ? { ...cl, supported_identity_providers: providers } : cl)),
          };
        },
      });
      const proxy = await startTlsProxy({ upstreams: [`127.0.0.1:${foyer.port}`], port, pki });
      // The SAML IdP learns Foyer's SP from the metadata Foyer serves through the proxy.
      saml.registerMetadata((await httpsRequest(`${publicUrl}/saml2/metadata/Partner`, { caFile: pki.caFile })).body);
      await use({ foyer, proxy, up, saml });
      await proxy.stop();
      await foyer.stop();
      await Promise.all([up.stop(), saml.stop()]);
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  baseURL: async ({ stack }, use) => use(stack.foyer.url),
  seen: async ({ stack }, use) => {
    const seen = new SeenCookies(stack.foyer.url);
    await use(seen);
    // Whatever the test did, every cookie Foyer sent follows the rules.
    expect(seen.violations(), 'cookies against the rules').toEqual([]);
  },
});

/** Every Set-Cookie the issuer's origin sent to a browser context, redirects included. */
class SeenCookies {
  readonly all: { url: string; value: string }[] = [];
  constructor(private readonly origin: string) {}
  watch(context: BrowserContext) {
    context.on('response', async (r) => {
      if (new URL(r.url()).origin !== this.origin) return;
      for (const h of await r.headersArray().catch(() => [])) {
        if (h.name.toLowerCase() === 'set-cookie') for (const v of h.value.split('\n')) this.all.push({ url: r.url(), value: v });
      }
    });
  }
  names(): Set<string> {
    return new Set(this.all.map((c) => c.value.slice(0, c.value.indexOf('='))));
  }
  violations(): string[] {
    return this.all.flatMap((c) => cookieRuleViolations(c.value).map((v) => `${v} (from ${new URL(c.url).pathname})`));
  }
}

async function newContext(browser: import('@playwright/test').Browser, seen: SeenCookies, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: FORGED_HEADERS });
  seen.watch(context);
  return context;
}

const claim = (page: Page, name: string) => page.getByTestId('id-token-claims').locator(`tr[data-claim="${name}"] td`);


/**
 * Chromium's own verdict on the page's connection, as its address bar shows it: "secure" only for a
 * certificate it accepts (one whose error is merely ignored makes it "insecure-broken").
 */
async function watchSecurityState(page: Page): Promise<() => string | undefined> {
  const cdp = await page.context().newCDPSession(page);
  let state: string | undefined;
  cdp.on('Security.visibleSecurityStateChanged', (e) => (state = e.visibleSecurityState.securityState));
  await cdp.send('Security.enable');
  return () => state;
}

/** The browser kept only cookies that obey the rules: the prefix its path calls for, Secure, host-only. */
async function expectJarFollowsRules(context: BrowserContext, origin: string) {
  for (const c of await context.cookies(origin)) {
    expect(c.secure, `${c.name} is Secure`).toBe(true);
    expect(c.name, `${c.name} has the prefix its path (${c.path}) calls for`).toMatch(c.path === '/' ? /^__Host-/ : /^__Secure-/);
    expect(['Lax', 'Strict'], `${c.name} SameSite`).toContain(c.sameSite);
  }
}

test('a new user over TLS: sign-up with the e-mail code, an authenticator app, sign-in with it, a passkey, the account pages, sign-out', async ({ browser, stack, smtp, seen }) => {
  test.slow(); // six sign-ins through a real proxy
  const { foyer } = stack;
  const context = await newContext(browser, seen, foyer.url);
  const page = await context.newPage();
  const authenticator = await addAuthenticator(page, { synced: true });
  const securityState = await watchSecurityState(page);
  const user = { ...freshUser('tls'), password: `a quiet harbour at dusk ${randomBytes(3).toString('hex')}` };

  // Sign-up and the code by e-mail.
  await startAtDemo(page, foyer.url, 'en', 'signup');
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  await expect.poll(securityState, { message: 'Chromium accepts the certificate' }).toBe('secure');
  const since = Date.now();
  await signUp(page, user);
  await enterCode(page, await smtp.codeFor(user.email, since));
  await expect(page).toHaveURL(`${foyer.url}/en/demo`);
  await expect(claim(page, 'cognito:username')).toHaveText(user.username);
  await expect(claim(page, 'iss')).toHaveText(foyer.url);

  // The account pages (signed in already through the pool): an authenticator app.
  await page.getByTestId('manage-account').click();
  await expect(page).toHaveURL(`${foyer.url}/en/account`);
  const secret = await addAuthenticatorApp(page);

  // Signed out, then in with the password and the app's code; this browser is remembered.
  await demoSignOut(page);
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  const mfa = page.getByTestId('mfa-form');
  await mfa.locator('[name="code"]').fill(totpAt(secret, Date.now() + 30_000));
  await mfa.locator('[name="remember"]').check();
  await submit(page, mfa.getByTestId('verify-code'));
  await expect(page).toHaveURL(`${foyer.url}/en/demo`);
  await expect(claim(page, 'amr')).toHaveText('["pwd","otp","mfa"]');
  expect(seen.names()).toContain('__Host-foyer.device');

  // A passkey made on the account page, then a sign-in with it alone (the sign-in page's autofill).
  await addPasskeyOnAccountPage(page, 'Laptop');
  expect(await authenticator.count()).toBe(1);
  await demoSignOut(page);
  for (const gone of ['__Host-foyer-demo.session', '__Host-foyer.session']) {
    expect((await context.cookies()).map((c) => c.name), `${gone} deleted`).not.toContain(gone);
  }
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(`${foyer.url}/en/demo`);
  await expect(claim(page, 'amr')).toHaveText('["swk","mfa"]');

  // Sign-out from the account pages ends the account session and the pool's.
  await page.getByTestId('manage-account').click();
  await expect(page).toHaveURL(`${foyer.url}/en/account`);
  await submit(page, page.getByTestId('sign-out'));
  await expect(page).toHaveURL(`${foyer.url}/en/logout/done`);
  const left = (await context.cookies()).map((c) => c.name);
  expect(left).not.toContain('__Host-foyer.account');
  expect(left).not.toContain('__Host-foyer.session');

  // What went through: the resume cookie's path is under /oauth2/authorize, hence __Secure-.
  for (const name of ['__Host-foyer.csrf', '__Host-foyer.interaction', '__Secure-foyer.resume', '__Host-foyer.session', '__Host-foyer.account', '__Secure-foyer-account.tx', '__Secure-foyer-demo.tx', '__Host-foyer-demo.session']) {
    expect(seen.names(), name).toContain(name);
  }
  await expectJarFollowsRules(context, foyer.url);
  // E-mails never point anywhere but PUBLIC_URL, whatever the requests said about the host.
  const mails = smtp.messages.filter((m: Mail) => m.to.includes(user.email));
  expect(mails.length).toBeGreaterThan(0);
  for (const m of mails) {
    expect(m.text).not.toContain(FORGED);
    for (const link of m.text.match(/https?:\/\/[^\s)>"]+/g) ?? []) expect(link.startsWith(`${foyer.url}/`), link).toBe(true);
  }
  await context.close();
});

test('federation over TLS: an upstream OpenID provider, and a SAML IdP by the HTTP-POST binding both ways', async ({ browser, stack, seen }) => {
  const { foyer, up, saml } = stack;
  const context = await newContext(browser, seen, foyer.url);
  const page = await context.newPage();

  const sub = `sub-${randomBytes(4).toString('hex')}`;
  up.setAccount({ sub, email: `${sub}@corp.test`, email_verified: true, name: 'Upstream User' });
  up.loginAs = sub;
  await startAtDemo(page, foyer.url, 'en', 'login');
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(`${foyer.url}/en/demo`);
  await expect(claim(page, 'cognito:username')).toHaveText(`Upstream_${sub}`);
  await expect(claim(page, 'amr')).toHaveText('["fed"]');
  expect(up.authorizationRequests.at(-1)!.get('redirect_uri')).toBe(`${foyer.url}/oauth2/idpresponse`);
  expect(seen.names()).toContain('__Host-foyer.fed');
  // Signing out goes through the provider's logout and back by /oauth2/idplogout.
  await page.getByTestId('demo-sign-out').click();
  await expect(page).toHaveURL(new RegExp(`^${up.issuer}/`));
  await page.getByTestId('upstream-logout').click();
  await expect(page).toHaveURL(`${foyer.url}/en/demo?signed_out=1`);

  // SAML: our page posts the AuthnRequest to the IdP, whose page posts the answer to the ACS
  // (cross-site, so without our SameSite cookies: Foyer keeps it and the browser returns by GET).
  const email = `saml-${randomBytes(4).toString('hex')}@partner.test`;
  saml.user = { nameId: email, sessionIndex: `_s-${email}`, attributes: { email } };
  await page.getByTestId('demo-sign-in').click();
  const acsPost = page.waitForRequest((r) => r.url() === `${foyer.url}/saml2/idpresponse` && r.method() === 'POST');
  await page.getByTestId('idp-Partner').click();
  await acsPost;
  await expect(page).toHaveURL(`${foyer.url}/en/demo`);
  await expect(claim(page, 'email')).toHaveText(email);
  expect(saml.authnRequests.at(-1)).toMatchObject({ binding: 'post', signed: true, acsUrl: `${foyer.url}/saml2/idpresponse` });
  await expectJarFollowsRules(context, foyer.url);
  await context.close();
});

test('discovery, redirects and headers come from PUBLIC_URL, whatever Host and X-Forwarded-* say; HSTS; the proxy\'s request id', async ({ stack, seen }) => {
  const { foyer, proxy } = stack;
  const forged = { ...FORGED_HEADERS, host: FORGED, 'x-forwarded-proto': 'http', 'x-forwarded-port': '80' };
  const get = async (path: string, headers: Record<string, string> = forged) => {
    const res = await httpsRequest(`${foyer.url}${path}`, { caFile: proxy.caFile, headers });
    for (const value of res.setCookies) seen.all.push({ url: `${foyer.url}${path}`, value });
    return res;
  };

  const discovery = await get('/.well-known/openid-configuration');
  expect(discovery.status).toBe(200);
  const doc = JSON.parse(discovery.body) as Record<string, unknown>;
  expect(doc.issuer).toBe(foyer.url);
  for (const [key, value] of Object.entries(doc)) {
    if (typeof value === 'string' && /^https?:/.test(value)) expect(value === foyer.url || value.startsWith(`${foyer.url}/`), `${key}: ${value}`).toBe(true);
  }
  expect(discovery.body).not.toContain(FORGED);
  expect(discovery.headers['strict-transport-security']).toMatch(/max-age=\d+/);

  // The demo app's sign-in: to the issuer's authorization endpoint, then to our login page.
  const start = await get('/api/demo/login?lang=en');
  expect(start.status).toBe(303);
  const authorize = new URL(String(start.headers.location));
  expect(authorize.origin).toBe(foyer.url);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${foyer.url}/api/demo/callback`);
  const toLogin = await get(`${authorize.pathname}${authorize.search}`);
  expect(toLogin.status).toBe(303);
  expect(new URL(String(toLogin.headers.location), foyer.url).origin).toBe(foyer.url);
  expect(toLogin.setCookies.some((c) => c.startsWith('__Secure-foyer.resume=') && /path=\/oauth2\/authorize\//i.test(c))).toBe(true);
  // next-intl's and ours: the locale's redirect and cookie, and a page's HSTS and CSRF cookie.
  const root = await get('/', { ...forged, 'accept-language': 'ar' });
  expect(root.status).toBeGreaterThanOrEqual(300);
  expect(root.status).toBeLessThan(400);
  expect(new URL(String(root.headers.location), foyer.url).href).toBe(`${foyer.url}/ar`);
  const switched = await get('/en/demo?lang=ar');
  expect(new URL(String(switched.headers.location), foyer.url).href).toBe(`${foyer.url}/ar/demo`);
  expect(switched.setCookies.some((c) => c.startsWith('__Host-NEXT_LOCALE=ar;'))).toBe(true);
  const arabic = await get('/ar/demo', { ...forged, 'accept-language': 'en' }); // next-intl's own cookie
  expect(arabic.setCookies.some((c) => c.startsWith('__Host-NEXT_LOCALE=ar;'))).toBe(true);
  const page = await get('/en/demo');
  expect(page.status).toBe(200);
  expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(page.setCookies.some((c) => c.startsWith('__Host-foyer.csrf='))).toBe(true);
  expect(page.body).not.toContain(FORGED);

  // The request id is nginx's (TRUST_PROXY=1), and the client address the one nginx saw, not the forged one.
  const id = String(page.headers['x-request-id']);
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(proxy.accessLog()).toContain(` ${id} `);
  // Foyer's log line for it arrives through a pipe: wait for it.
  const requestLine = () => foyer.logs().split('\n').find((l) => l.includes('"msg":"request"') && l.includes(`"reqId":"${id}"`));
  await expect.poll(requestLine, { message: 'Foyer logged the request under the proxy\'s id' }).toBeDefined();
  expect(JSON.parse(requestLine()!).ip).toBe('127.0.0.1');
});
