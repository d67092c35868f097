import type { Browser, Page } from '@playwright/test';
import { spaAuthorizeUrl, type Locale } from './fixtures/flows';
import { SPA_REDIRECT_URI, startFoyer } from './fixtures/foyer';
import { expect, test } from './fixtures/ops';

/**
 * Themes as data, in the browser: a themed app client beside an unthemed one on the same pool, the
 * stylesheet served under its hash with the page's strict CSP, and a theme changed in the database
 * showing on the next request of another instance, without restart.
 */

const ACME = { background: '#fdf6e3', brand: '#8a1538' };
const DEFAULT = { background: '#f4f5f7', brand: '#1f5fbf' };
const CHANGED_BRAND = '#0b5d1e';

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/** A favicon with a script in it: stored sanitised, served by its hash. */
const FAVICON = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" onload="alert(1)"><script>alert(2)</script><circle cx="8" cy="8" r="8" fill="#8a1538"/></svg>').toString('base64')}`;

const config = {
  pool: { name: 'Foyer themes' },
  themes: [{ id: 'acme', name: 'Acme', favicon: FAVICON, colors: { light: { background: ACME.background, brand: ACME.brand, link: ACME.brand, focus: ACME.brand } } }],
  clients: [
    { client_id: 'themed', token_endpoint_auth_method: 'none', redirect_uris: [SPA_REDIRECT_URI], theme: 'acme' },
    { client_id: 'plain', token_endpoint_auth_method: 'none', redirect_uris: [SPA_REDIRECT_URI] },
  ],
};

test.use({ colorScheme: 'light' });

/** The sign-in screen's colours as the browser computed them: the page behind the card, and the submit button. */
async function colours(page: Page) {
  const button = page.locator('main form button[type=submit]').first();
  await expect(button).toBeVisible();
  return {
    background: await page.locator('.background-customizable').evaluate((root) => getComputedStyle(root).backgroundColor),
    button: await button.evaluate((b) => getComputedStyle(b).backgroundColor),
  };
}

async function signInScreen(page: Page, issuer: string, clientId: string): Promise<string> {
  await page.goto(spaAuthorizeUrl(issuer, clientId));
  await page.waitForURL(/\/en\/login\?uid=/);
  return page.url();
}

test('a themed and an unthemed client side by side; a theme changed in the database shows on the next request of another instance', async ({ fleet, browser }) => {
  test.setTimeout(180_000);
  const cluster = await fleet.cluster({ instances: 2, config });
  const [themedPage, plainPage] = [await browser.newPage(), await browser.newPage()];

  const themedUrl = await signInScreen(themedPage, cluster.issuer, 'themed');
  await signInScreen(plainPage, cluster.issuer, 'plain');
  expect(await colours(themedPage)).toEqual({ background: rgb(ACME.background), button: rgb(ACME.brand) });
  expect(await colours(plainPage)).toEqual({ background: rgb(DEFAULT.background), button: rgb(DEFAULT.brand) });

  // One content-hashed stylesheet per theme, cached for good; the page's CSP stays without unsafe-inline.
  const href = await themedPage.locator('link[rel=stylesheet][href^="/themes/"]').getAttribute('href');
  expect(href).toMatch(/^\/themes\/[0-9a-f]{32}\.css$/);
  expect(await plainPage.locator('link[rel=stylesheet][href^="/themes/"]').getAttribute('href')).not.toBe(href);
  const sheet = await themedPage.request.get(`${cluster.issuer}${href}`);
  expect(sheet.status()).toBe(200);
  expect(sheet.headers()['content-type']).toBe('text/css; charset=utf-8');
  expect(sheet.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(await sheet.text()).toContain(`--foyer-brand:${ACME.brand};`);
  const html = await themedPage.request.get(themedUrl);
  const csp = html.headers()['content-security-policy'];
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(await themedPage.locator('head style').count()).toBe(0);

  // The theme's images: content-addressed, their real type, never sniffed, SVG sandboxed and clean.
  const icon = await themedPage.locator('link[rel=icon][href^="/assets/t/"]').getAttribute('href');
  expect(icon).toMatch(/^\/assets\/t\/[0-9a-f]{64}$/);
  // The same bytes under the type's extension; a wrong extension is no such file.
  expect((await themedPage.request.get(`${cluster.issuer}${icon}.svg`)).status()).toBe(200);
  expect((await themedPage.request.get(`${cluster.issuer}${icon}.png`)).status()).toBe(404);
  const image = await themedPage.request.get(`${cluster.issuer}${icon}`);
  expect(image.status()).toBe(200);
  expect(image.headers()).toMatchObject({
    'content-type': 'image/svg+xml',
    'x-content-type-options': 'nosniff',
    'cache-control': 'public, max-age=31536000, immutable',
    'content-security-policy': "default-src 'none'; sandbox",
  });
  const svg = await image.text();
  expect(svg).toContain('<circle');
  expect(svg).not.toMatch(/script|onload|alert/);
  expect(await plainPage.locator('link[rel=icon][href^="/assets/t/"]').count()).toBe(0);

  // The same screen from the second instance, then the theme changed in the database meanwhile.
  const second = themedUrl.replace(cluster.issuer, cluster.instances[1].origin);
  await themedPage.goto(second);
  expect((await colours(themedPage)).button).toBe(rgb(ACME.brand));
  // As an admin's edit writes it (server/pool/themes/store.ts): the definition, and a new version.
  const changed = { ...config.themes[0], favicon: `asset:${icon!.slice('/assets/t/'.length)}`, colors: { light: { ...config.themes[0].colors.light, brand: CHANGED_BRAND, link: CHANGED_BRAND, focus: CHANGED_BRAND } } };
  await cluster.db.query('update themes set definition = $1, updated_at = $2 where id = $3', [JSON.stringify(changed), Date.now(), 'acme']);
  await cluster.db.query("update settings set value = $1, updated_at = $2 where name = 'themes_version'", [JSON.stringify(`e2e-${Date.now()}`), Date.now()]);
  await themedPage.goto(second);
  expect(await colours(themedPage)).toEqual({ background: rgb(ACME.background), button: rgb(CHANGED_BRAND) });
  expect(await themedPage.locator('link[rel=stylesheet][href^="/themes/"]').getAttribute('href')).not.toBe(href);
  expect((await colours(plainPage)).button).toBe(rgb(DEFAULT.brand));
});

// ---------------------------------------------------------------------------------------------
// Everything a theme sets, as the browser computed it, in both schemes and both directions

/** A theme with a logo, its own font, radius and layout, and a palette for each scheme; and the same forced dark. */
const BRAND = {
  light: { background: '#fdf6e3', brand: '#8a1538', link: '#6b0f2a', focus: '#005a9c' },
  dark: { background: '#1a1012', brand: '#f5a3b5', link: '#ffc2cf', focus: '#ffd166' },
};
const DEFAULT_PALETTES = {
  light: { background: '#f4f5f7', brand: '#1f5fbf', link: '#1f5fbf', focus: '#1f5fbf' },
  dark: { background: '#101215', brand: '#8ab4f8', link: '#8ab4f8', focus: '#8ab4f8' },
};
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" rx="6" fill="#8a1538"/></svg>').toString('base64')}`;
const LOGO_ALT = 'Brandworks';

const lookConfig = {
  pool: { name: 'Foyer theme look' },
  themes: [
    {
      id: 'brand',
      name: 'Brand',
      logo: { light: LOGO, alt: LOGO_ALT, height: 40 },
      colors: { light: BRAND.light, dark: BRAND.dark },
      font: { family: 'ibm-plex-sans' },
      radius: 3,
      layout: 'full',
    },
    { id: 'brand-dark', name: 'Brand, always dark', extends: 'brand', mode: 'dark' },
  ],
  clients: ['brand', 'brand-dark', undefined].map((theme) => ({ client_id: theme ?? 'plain', token_endpoint_auth_method: 'none', redirect_uris: [SPA_REDIRECT_URI], theme })),
};

/** What a person sees of the theme on the sign-in screen, read from computed styles. */
async function look(page: Page) {
  const form = page.getByTestId('login-form');
  const button = form.locator('button[type=submit]');
  await expect(button).toBeVisible();
  const identifier = form.locator('[name="identifier"]');
  await identifier.focus();
  const style = (selector: string, property: string) => page.locator(selector).first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
  return {
    dir: await page.locator('html').getAttribute('dir'),
    background: await style('.background-customizable', 'background-color'),
    button: await button.evaluate((b) => getComputedStyle(b).backgroundColor),
    radius: await button.evaluate((b) => getComputedStyle(b).borderRadius),
    link: await page.getByTestId('forgot-link').evaluate((a) => getComputedStyle(a).color),
    focus: await identifier.evaluate((el) => `${getComputedStyle(el).outlineStyle} ${getComputedStyle(el).outlineColor}`),
    font: (await style('html', 'font-family')).split(',')[0].replace(/["']/g, ''),
    layout: (await page.locator('.foyer-root').getAttribute('class'))?.match(/foyer-layout-(\w+)/)?.[1],
  };
}

const expected = (p: { background: string; brand: string; link: string; focus: string }, locale: Locale, font: string, radius: string, layout: string) => ({
  dir: locale === 'ar' ? 'rtl' : 'ltr',
  background: rgb(p.background),
  button: rgb(p.brand),
  radius,
  link: rgb(p.link),
  focus: `solid ${rgb(p.focus)}`,
  font,
  layout,
});

async function openSignIn(browser: Browser, issuer: string, clientId: string, locale: Locale, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await (await browser.newContext({ colorScheme })).newPage();
  await page.goto(spaAuthorizeUrl(issuer, clientId, { ui_locales: locale }));
  await page.waitForURL(new RegExp(`/${locale}/login\\?uid=`));
  return page;
}

test('logo with its alt text, colours, focus ring, font, radius and layout of a themed client beside an unthemed one; dark by the browser and by the theme; en and ar', async ({ browser }) => {
  test.setTimeout(120_000);
  const server = await startFoyer({ config: lookConfig });
  try {
    for (const locale of ['en', 'ar'] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const themed = await openSignIn(browser, server.url, 'brand', locale, scheme);
        const plain = await openSignIn(browser, server.url, 'plain', locale, scheme);
        const at = `${locale}, ${scheme} browser`;
        expect(await look(themed), `themed, ${at}`).toEqual(expected(BRAND[scheme], locale, 'IBM Plex Sans Variable', '3px', 'full'));
        expect(await look(plain), `unthemed, ${at}`).toEqual(expected(DEFAULT_PALETTES[scheme], locale, 'Noto Sans Variable', '10px', 'card'));

        // The logo, loaded, named by its alt text; the unthemed client has none.
        const logo = themed.getByRole('img', { name: LOGO_ALT });
        await expect(logo).toBeVisible();
        expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth), `logo loaded, ${at}`).toBeGreaterThan(0);
        await expect(plain.locator('.logo-customizable')).toHaveCount(0);

        // `mode: 'dark'` wins over the browser's preference, light or dark.
        const forced = await openSignIn(browser, server.url, 'brand-dark', locale, scheme);
        expect(await look(forced), `mode dark, ${at}`).toEqual(expected(BRAND.dark, locale, 'IBM Plex Sans Variable', '3px', 'full'));
        await expect(forced.getByRole('img', { name: LOGO_ALT })).toBeVisible();
        for (const p of [themed, plain, forced]) await p.context().close();
      }
    }
  } finally {
    await server.stop();
  }
});
