import type { Browser, Page } from '@playwright/test';
import { spaAuthorizeUrl } from './fixtures/flows';
import { expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { startSamlIdp, type SamlIdp } from '../server/testing/saml-idp';

/**
 * The theme of the app concerned beyond the sign-in screens: on the pages Foyer renders itself
 * (the SAML HTTP-POST to an identity provider, the "signing you out" post), on the error and
 * sign-out pages, and on the account pages an app links to; the pool's theme where no app is named.
 */

const ACME = { background: '#fdf6e3', brand: '#8a1538' };
const DEFAULT = { background: '#f4f5f7', brand: '#1f5fbf' };
const LOGO_ALT = 'Acme Corporation';
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" rx="6" fill="#8a1538"/></svg>').toString('base64')}`;
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

let partner: SamlIdp;
let foyer: Foyer;

test.beforeAll(async () => {
  partner = await startSamlIdp({ ssoBindings: ['post'] });
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      return {
        ...c,
        themes: [{ id: 'acme', name: 'Acme', logo: { light: LOGO, alt: LOGO_ALT, height: 40 }, colors: { light: { background: ACME.background, brand: ACME.brand, link: ACME.brand, focus: ACME.brand } } }],
        identity_providers: [{ name: 'Partner', type: 'saml', metadata_xml: partner.metadataXml, request_binding: 'HTTP-POST', attribute_mapping: { email: 'email' } }],
        // `demo` (named "Demo") wears acme; `spa` the pool's theme, the built-in default.
        clients: c.clients.map((cl) =>
          cl.client_id === 'demo' ? { ...cl, theme: 'acme', supported_identity_providers: ['COGNITO', 'Partner'] } : cl.client_id === 'spa' ? { ...cl, supported_identity_providers: ['COGNITO', 'Partner'] } : cl,
        ),
      };
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await partner?.stop();
});

/** Without JavaScript, so a posting page stays on screen with its Continue button. */
async function noScriptPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false, colorScheme: 'light' })).newPage();
}

const isPostPage = (csp: string | undefined) => (csp ?? '').startsWith("default-src 'none'; script-src 'nonce-");

/** What a person sees of the theme on one of our posting pages, and the CSP it came with. */
async function postPageLook(page: Page, csp: string) {
  const button = page.getByRole('button', { name: 'Continue' });
  await expect(button).toBeVisible();
  const logo = page.getByRole('img', { name: LOGO_ALT });
  return {
    stylesOwnOnly: csp.includes("style-src 'self'") && !csp.includes('unsafe-inline'),
    background: await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor),
    button: await button.evaluate((b) => getComputedStyle(b).backgroundColor),
    logo: (await logo.count()) === 1 ? await logo.evaluate((img: HTMLImageElement) => img.naturalWidth > 0) : false,
    appName: (await page.locator('.foyer-app-name').count()) === 1 ? await page.locator('.foyer-app-name').textContent() : null,
  };
}

test("the SAML HTTP-POST page wears the signing-in app's theme (logo, name, colours) under a CSP without unsafe-inline; another app's the pool's", async ({ browser }) => {
  for (const [start, look] of [
    ['/en/demo', { stylesOwnOnly: true, background: rgb(ACME.background), button: rgb(ACME.brand), logo: true, appName: 'Demo' }],
    [spaAuthorizeUrl('', 'spa'), { stylesOwnOnly: true, background: rgb(DEFAULT.background), button: rgb(DEFAULT.brand), logo: false, appName: 'spa' }],
  ] as const) {
    const page = await noScriptPage(browser);
    await page.goto(start);
    if (start === '/en/demo') await page.getByTestId('demo-sign-in').click();
    await expect(page).toHaveURL(/\/en\/login\?uid=/);
    const answered = page.waitForResponse((r) => isPostPage(r.headers()['content-security-policy']));
    await page.getByTestId('idp-Partner').click();
    const csp = (await answered).headers()['content-security-policy'];
    expect(await postPageLook(page, csp), start).toEqual(look);
    await page.context().close();
  }
});

test("the sign-out post (no session left to confirm) wears the theme of the app signing out, else the pool's", async ({ browser }) => {
  for (const [query, look] of [
    ['?client_id=demo', { stylesOwnOnly: true, background: rgb(ACME.background), button: rgb(ACME.brand), logo: true, appName: 'Demo' }],
    ['', { stylesOwnOnly: true, background: rgb(DEFAULT.background), button: rgb(DEFAULT.brand), logo: false, appName: null }],
  ] as const) {
    const page = await noScriptPage(browser);
    const answered = page.waitForResponse((r) => isPostPage(r.headers()['content-security-policy']));
    await page.goto(`/logout${query}`);
    const csp = (await answered).headers()['content-security-policy'];
    expect(await postPageLook(page, csp), query || 'no client').toEqual(look);
    await page.context().close();
  }
});

/** The page's background and its logo, as shown. */
async function pageLook(page: Page) {
  const background = page.locator('.background-customizable').first();
  await expect(background).toBeVisible();
  return { background: await background.evaluate((el) => getComputedStyle(el).backgroundColor), logo: await page.getByRole('img', { name: LOGO_ALT }).count() };
}

test('the error page takes the theme of the client the failed request named, the sign-out and signed-out pages that of the app signing out; neither otherwise', async ({ browser }) => {
  const page = await (await browser.newContext({ baseURL: foyer.url, colorScheme: 'light' })).newPage();
  const badRedirect = (clientId: string) => `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: 'https://evil.example/cb', response_type: 'code', scope: 'openid' })}`;
  await page.goto(badRedirect('demo'));
  await expect(page.getByTestId('error-page')).toHaveAttribute('data-code', 'invalid_redirect_uri');
  expect(await pageLook(page)).toEqual({ background: rgb(ACME.background), logo: 1 });
  await page.goto(badRedirect('spa'));
  await expect(page.getByTestId('error-page')).toHaveAttribute('data-code', 'invalid_redirect_uri');
  expect(await pageLook(page)).toEqual({ background: rgb(DEFAULT.background), logo: 0 });

  await page.goto('/en/logout?xsrf=abcdefABCDEF0123456789&client_id=demo');
  expect(await pageLook(page)).toEqual({ background: rgb(ACME.background), logo: 1 });
  await page.goto('/en/logout?xsrf=abcdefABCDEF0123456789');
  expect(await pageLook(page)).toEqual({ background: rgb(DEFAULT.background), logo: 0 });

  // Signed out (oidc-provider's success step names the app when it knows it).
  await page.goto('/logout/success?client_id=demo');
  await expect(page).toHaveURL(/\/en\/logout\/done\?client_id=demo$/);
  expect(await pageLook(page)).toEqual({ background: rgb(ACME.background), logo: 1 });
  await page.goto('/logout/success');
  await expect(page).toHaveURL(/\/en\/logout\/done$/);
  expect(await pageLook(page)).toEqual({ background: rgb(DEFAULT.background), logo: 0 });
});

test("the account pages keep the theme of the app that linked to them, through their sign-in; else the account client's", async ({ browser }) => {
  const linked = await (await browser.newContext({ baseURL: foyer.url, colorScheme: 'light' })).newPage();
  await linked.goto('/en/account?client_id=demo');
  // Not signed in: the account pages' own sign-in, in the app's theme.
  await expect(linked).toHaveURL(/\/en\/login\?uid=/);
  expect(await pageLook(linked)).toEqual({ background: rgb(ACME.background), logo: 1 });
  await linked.goto('/en/account/password');
  await expect(linked).toHaveURL(/\/en\/login\?uid=/);
  expect(await pageLook(linked)).toEqual({ background: rgb(ACME.background), logo: 1 });

  const direct = await (await browser.newContext({ baseURL: foyer.url, colorScheme: 'light' })).newPage();
  await direct.goto('/en/account');
  await expect(direct).toHaveURL(/\/en\/login\?uid=/);
  expect(await pageLook(direct)).toEqual({ background: rgb(DEFAULT.background), logo: 0 });
});
