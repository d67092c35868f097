import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { connectSqlite } from '../server/db/connect';
import { installVault, resolveDeploymentSecret } from '../server/secrets';
import { mintAdminToken } from '../server/testing/admin-token';
import { spaAuthorizeUrl } from './fixtures/flows';
import { expect, SPA_REDIRECT_URI, startFoyer, test, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { signIn } from './fixtures/pages';
import { rotatingSlice, SAMPLE_SEED } from './fixtures/sample';

/**
 * The theme editor's round trip on the production server: a draft saved through the admin API
 * shows in the preview screen (in a frame, as the console shows it) and not on the live sign-in
 * screen; published, the live screen shows it; rolled back, the old colour is back.
 */

const OLD = '#8a1538';
const NEW = '#0b5d1e';
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
const brandTheme = (brand: string) => ({ id: 'brand', name: 'Brand', colors: { light: { brand, link: brand, focus: brand } } });

/** A real account, signed in to in the browser that looks at the account previews: none of it may show there. */
const REAL = { username: 'realperson', email: 'real.person@example.test', email_verified: true, password: 'Lantern-Harbour-Passphrase-57' };

let foyer: Foyer;
let api: string;
let headers: Record<string, string>;

test.use({ colorScheme: 'light' });

test.beforeAll(async () => {
  foyer = await startFoyer({
    config: {
      pool: { name: 'Foyer theme editor', mfa: { mode: 'OPTIONAL', factors: ['totp', 'email'] } },
      themes: [brandTheme(OLD)],
      users: [REAL],
      clients: [{ client_id: 'branded', token_endpoint_auth_method: 'none', redirect_uris: [SPA_REDIRECT_URI], theme: 'brand' }],
    },
  });
  installVault(resolveDeploymentSecret({ dataDir: foyer.dataDir, previousSecrets: [] }, { create: false }).vault);
  const db = connectSqlite(path.join(foyer.dataDir, 'foyer.db'));
  try {
    headers = { authorization: `Bearer ${await mintAdminToken(db.kysely, { issuer: foyer.url, clientId: 'editor-robot' })}` };
  } finally {
    await db.close();
  }
  api = `${foyer.url}/admin/api/v1`;
});
test.afterAll(async () => {
  await foyer?.stop();
});

/** The submit button's colour on the live sign-in screen of the branded app (a fresh sign-in each time). */
async function liveBrand(page: Page): Promise<string> {
  await page.goto(spaAuthorizeUrl(foyer.url, 'branded'));
  await page.waitForURL(/\/en\/login\?uid=/);
  return page.getByTestId('sign-in').evaluate((b) => getComputedStyle(b).backgroundColor);
}

test('edit a theme → the preview shows it, the live screen does not → publish → live → roll back → the old colour again', async ({ page, request }) => {
  expect(await liveBrand(page)).toBe(rgb(OLD));

  const draft = await request.put(`${api}/themes/brand/draft`, { headers, data: brandTheme(NEW) });
  expect(draft.status()).toBe(200);
  const minted = await request.post(`${api}/themes/brand/preview`, { headers, data: {} });
  const { token } = (await minted.json()) as { token: string };

  // The preview, framed by a page of the same origin as the console frames it; its form posts nothing.
  const previewUrl = `/en/preview/login?preview=${encodeURIComponent(token)}&state=filled`;
  const direct = await request.get(`${foyer.url}${previewUrl}`);
  expect(direct.headers()['content-security-policy']).toContain("frame-ancestors 'self'");
  expect(direct.headers()['x-robots-tag']).toMatch(/noindex/);
  await page.goto(`${foyer.url}/en/error?code=not_found`);
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.title = 'preview';
    document.body.append(frame);
  }, previewUrl);
  const frame = page.frameLocator('iframe[title=preview]');
  const previewButton = frame.getByTestId('sign-in');
  await expect(previewButton).toBeVisible();
  expect(await previewButton.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(rgb(NEW));
  await expect(frame.locator('input[name=identifier]')).not.toHaveValue('');

  // Not live yet; a bad token shows nothing.
  expect(await liveBrand(page)).toBe(rgb(OLD));
  expect((await request.get(`${foyer.url}/en/preview/login?preview=${token.split('.')[0]}.${'A'.repeat(43)}`)).status()).toBe(404);

  const published = await request.post(`${api}/themes/brand/publish`, { headers, data: {} });
  expect(await published.json()).toMatchObject({ version: 2 });
  expect(await liveBrand(page)).toBe(rgb(NEW));

  const back = await request.post(`${api}/themes/brand/versions/1/republish`, { headers, data: {} });
  expect(await back.json()).toMatchObject({ version: 3 });
  expect(await liveBrand(page)).toBe(rgb(OLD));
});

/** The sample values a previewed form is filled with (app/[locale]/preview/[screen]/page.tsx), by locale. */
const samplesOf = (locale: string): string[] => {
  const { text, email, password, phone, code } = JSON.parse(fs.readFileSync(new URL(`../messages/${locale}.json`, import.meta.url), 'utf8')).preview.samples;
  return [text, email, password, phone, code];
};

/** Relative luminance (WCAG) of a computed `rgb(…)` colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Every screen of the editor's sign-in group renders from its real page (a few screens, states,
 * locales, palettes and widths a day, rotating; `PREVIEW_ALL=1` renders every screen in every
 * state) and shows what was asked: RTL in Arabic, the forced palette whatever the browser
 * prefers, the state on its forms, and at the editor's phone width no sideways scroll.
 */
test('preview screens render with sample data in every state', async ({ page, request }) => {
  const screens = ['login', 'signup', 'forgot-password', 'confirm', 'new-password', 'reset-password', 'passwordless', 'mfa-totp', 'mfa-email', 'mfa-sms', 'mfa-setup', 'mfa-setup-sms', 'passkey-setup', 'recovery-codes', 'federation-link', 'magic-link', 'invitation', 'federation-error', 'error', 'logout', 'signed-out'];
  // Pages with no form of the flow (the sign-out's form posts to the provider: it has no states).
  const formless = ['federation-error', 'error', 'logout', 'signed-out'];
  const states = ['empty', 'filled', 'error', 'loading'];
  // The console frames the preview this wide (app/[locale]/admin/themes/[id]/page.tsx WIDTHS).
  const widths = { phone: 375, desktop: 1024 };
  const day = Math.floor(Date.now() / 86_400_000);
  const all = process.env.PREVIEW_ALL === '1';
  if (all) test.setTimeout(900_000);
  const cases = all
    ? screens.flatMap((s) => states.map((st) => [s, st]))
    : [0, 1, 2, 3].map((i) => [screens[(day * 4 + i) % screens.length], states[(day + i) % states.length]]);
  const { token } = (await (await request.post(`${api}/themes/brand/preview`, { headers, data: { draft: false } })).json()) as { token: string };
  for (const [i, [screen, state]] of cases.entries()) {
    const at = `${screen} ${state}`;
    const locale = i % 2 === 0 ? 'en' : 'ar';
    const scheme = (i >> 1) % 2 === 0 ? 'light' : 'dark';
    const width = (i + day) % 2 === 0 ? 'phone' : 'desktop';
    await page.setViewportSize({ width: widths[width], height: 720 });
    const res = await page.goto(`${foyer.url}/${locale}/preview/${screen}?preview=${encodeURIComponent(token)}&state=${state}&scheme=${scheme}`);
    expect(res?.status(), at).toBe(200);
    await expect(page.locator('main h1')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');

    // The palette asked for, though the browser prefers light: background darker than text in dark.
    const look = await page.locator('.foyer-root').evaluate((e) => {
      const style = getComputedStyle(e);
      return { scheme: getComputedStyle(document.documentElement).colorScheme, background: style.backgroundColor, ink: style.color };
    });
    expect(look.scheme, at).toEqual(scheme === 'dark' ? 'dark' : expect.not.stringContaining('dark'));
    expect(luminance(look.background) < luminance(look.ink), `${at} ${scheme}: ${JSON.stringify(look)}`).toBe(scheme === 'dark');
    if (width === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${at} at ${widths.phone} px`).toBeLessThanOrEqual(0);

    // The state, on every form of the flow the screen has.
    // The passkey ceremony's form shows once the page is hydrated (and the browser has passkeys).
    if (screen === 'passkey-setup') await expect(page.getByTestId('create-passkey-form')).toBeVisible();
    const forms = page.locator('main form.foyer-form');
    expect((await forms.count()) > 0, `${at}: forms`).toBe(!formless.includes(screen));
    const fields = await forms.locator('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea').evaluateAll((es) => es.map((e) => (e as HTMLInputElement).value));
    // Empty: as the page opens (a field may have its own default); filled: every field a sample.
    const samples = samplesOf(locale);
    if (state === 'empty') expect(fields.filter((v) => samples.includes(v)), at).toEqual([]);
    if (state === 'filled') expect(fields.filter((v) => !samples.includes(v)), at).toEqual([]);
    if (state === 'error' && !formless.includes(screen)) await expect(page.locator('.foyer-error-summary').first()).toBeVisible();
    else await expect(page.locator('.foyer-error-summary'), at).toHaveCount(0);
    const busy = state === 'loading';
    for (const form of await forms.all()) {
      if (busy) await expect(form, at).toHaveAttribute('aria-busy', 'true');
      else await expect(form, at).not.toHaveAttribute('aria-busy', /.*/);
      for (const button of await form.locator('button[type=submit]').all()) await (busy ? expect(button, at).toBeDisabled() : expect(button, at).toBeEnabled());
    }
  }
});

/**
 * The screens beside the sign-in flow (consent, account pages, e-mails, texts: a few of each a day,
 * all with E2E_FULL=1) in a draft's colours, while the browser is signed in to a real account that
 * never shows through; none without a valid token; axe on an account and an e-mail preview.
 */
test(`consent, account, e-mail and text previews: the draft's colours, sample data only (sample ${SAMPLE_SEED})`, async ({ page, request }) => {
  const DRAFT = '#5b2a86';
  const accounts = ['account', 'account-email', 'account-email-code', 'account-phone', 'account-phone-code', 'account-password', 'account-totp', 'account-recovery-codes'];
  const mails = ['confirmSignUp', 'resetPassword', 'passwordChanged', 'accountExists', 'recoveryCodeUsed', 'mfaEmailCode', 'signInCode', 'magicLink', 'invitation', 'changeEmailCode', 'emailChanged', 'security-totp_added', 'security-session_revoked'].map((k) => `email-${k}`);
  const texts = ['mfaCode', 'verifyPhone', 'confirmSignUp', 'signInCode'].map((k) => `sms-${k}`);
  const screens = ['consent', ...rotatingSlice(accounts, 2), ...rotatingSlice(mails, 2, 1), ...rotatingSlice(texts, 1, 2)];
  // Two strict audits (light and dark, 320 px, 400 % zoom) take most of a minute each on a busy 2-core machine.
  test.setTimeout(150_000 + 15_000 * screens.length);

  await page.goto(`${foyer.url}/en/account`);
  await signIn(page, REAL.username, REAL.password);
  await expect(page.getByTestId('profile')).toContainText(REAL.username);

  expect((await request.put(`${api}/themes/brand/draft`, { headers, data: brandTheme(DRAFT) })).status()).toBe(200);
  const { token } = (await (await request.post(`${api}/themes/brand/preview`, { headers, data: {} })).json()) as { token: string };
  const at = (locale: string, screen: string, extra = '') => `${foyer.url}/${locale}/preview/${screen}?preview=${encodeURIComponent(token)}&state=filled${extra}`;

  for (const [i, screen] of screens.entries()) {
    const locale = i % 2 === 0 ? 'en' : 'ar';
    const res = await page.goto(at(locale, screen, '&scheme=light'));
    expect(res?.status(), screen).toBe(200);
    await expect(page.locator('main h1')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
    // The draft's link colour (the language switcher is on every hosted screen), not the published one.
    expect(await page.locator('.foyer-language-current').evaluate((e) => getComputedStyle(e).color), screen).toBe(rgb(DRAFT));
    await expect(page.locator('body')).not.toContainText(REAL.username);
    await expect(page.locator('body')).not.toContainText(REAL.email);
    if (screen.startsWith('email-')) {
      await expect(page.getByTestId('preview-mail-subject')).toContainText('Foyer theme editor');
      await expect(page.getByTestId('preview-mail-text')).not.toBeEmpty();
      // The HTML part: sandboxed, in the draft's brand colour.
      await expect(page.getByTestId('preview-mail-html')).toHaveAttribute('sandbox', '');
      const rule = page.frameLocator('[data-testid=preview-mail-html]').locator('body > div');
      await expect(rule).toBeVisible();
      expect(await rule.evaluate((e) => getComputedStyle(e).borderTopColor)).toBe(rgb(DRAFT));
    }
    if (screen.startsWith('sms-')) await expect(page.getByTestId('preview-sms')).toContainText('Foyer theme editor');
  }

  // The account preview shows the sample user, whoever is signed in here.
  await page.goto(at('en', 'account'));
  await expect(page.getByTestId('profile')).toContainText('ana.garcia');
  await expectAccessible(page, 'en', 'account preview');
  await page.goto(at('ar', 'email-resetPassword'));
  // The HTML part runs no script (sandbox), so axe cannot enter it: the screen around it is audited.
  await expectAccessible(page, 'ar', 'e-mail preview', { exclude: ['[data-testid=preview-mail-html]'] });

  // Without a valid token there is nothing to see: not the screen, not the mail's HTML.
  const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
  for (const path of ['/en/preview/account', `/en/preview/account?preview=${forged}`, `/en/preview/email-confirmSignUp?preview=${forged}`, `/en/preview/email-confirmSignUp/mail?preview=${forged}`, '/en/preview/email-confirmSignUp/mail']) {
    const r = await request.get(`${foyer.url}${path}`);
    expect(r.status(), path).toBe(404);
    expect(await r.text(), path).not.toContain('ana.garcia');
  }
  // With one, the HTML part comes with its own policy: styles inline, nothing else, framed only by us.
  const html = await request.get(`${foyer.url}/en/preview/email-confirmSignUp/mail?preview=${encodeURIComponent(token)}`);
  expect(html.status()).toBe(200);
  expect(html.headers()['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'self'; sandbox/);
});
