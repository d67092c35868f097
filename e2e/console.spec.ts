import fs from 'node:fs';
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { FULL_MATRIX, rotatingSlice, SAMPLE_SEED } from './fixtures/sample';
import { errorMessage, noticeMessage, resetPassword, posted, signIn, submit } from './fixtures/pages';
import { waitForDevOutbox } from './fixtures/dev-outbox';
import { addAuthenticatorApp, totpAt } from './fixtures/totp';
import { contrastRatio, shownRatio } from '../themes/contrast';
import { startRelyingParty, type RelyingParty } from './fixtures/callbacks';
import type { ConsoleMessages } from '../i18n/console';

/**
 * The admin console at /{locale}/admin (issue 12): signed in through the hosted UI as the
 * `foyer-console` app, open to members of `pool.admin_group` who proved a second factor. Every
 * change runs the admin API's own operation. Axe runs on a sample of screens and states × en/ar
 * per run (rotatingSlice; E2E_FULL=1 or CONSOLE_AXE_ALL=1 audits every one in both languages).
 */

const PASSWORD = 'Console-Admin-Passphrase-42';
const NEWBIE_PASSWORD = 'Violet-Harbour-Passphrase-43';
const ROOT = { username: 'root', email: 'root@example.test', email_verified: true, password: PASSWORD, groups: ['admins'] };
const NINA = { username: 'nina', email: 'nina@example.test', email_verified: true, password: PASSWORD };
/** A user without a second factor, made an admin while signed in to the console (then refused as no_mfa). */
const OLGA = { username: 'olga', email: 'olga@example.test', email_verified: true, password: PASSWORD };

/** Every console screen, as a path under /{locale}/admin. */
const SCREENS = ['', '/users', '/users/root', '/groups', '/clients', '/clients/foyer-console', '/resource-servers', '/resource-servers/foyer', '/identity-providers', '/themes', '/themes/brand', '/custom-text', '/settings', '/events', '/audit'];

/** The pool's own theme, whose brand colour the theme screens edit. */
const OLD_BRAND = '#8a1538';
const NEW_BRAND = '#0b5d1e';
const BRAND_TEXT = '#ffffff';
const BRAND = { id: 'brand', name: 'Brand', colors: { light: { brand: OLD_BRAND, brandText: BRAND_TEXT } } };
/** A published theme from the start, which the app-client test assigns to the client it creates, then to the pool. */
const STORE_BRAND = '#6b2d5c';
const STORE = { id: 'store', name: 'Store', colors: { light: { brand: STORE_BRAND, brandText: BRAND_TEXT } } };
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

let foyer: Foyer;
/** An outside app, signing in through the client the admin creates in the console. */
let rp: RelyingParty;
test.beforeAll(async () => {
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      return { ...c, pool: { ...c.pool, theme: BRAND.id, mfa: { mode: 'OPTIONAL', factors: ['totp'] } }, themes: [BRAND, STORE], users: [...c.users, ROOT, NINA, OLGA] };
    },
  });
  rp = await startRelyingParty(foyer.url);
});
test.afterAll(async () => {
  rp?.stop();
  await foyer?.stop();
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: foyer.url });
  return context.newPage();
}

let rootSecret: string | undefined;
/** The admin's console, kept for the next tests: a second sign-in would need a third TOTP period. */
let rootPage: Page | undefined;

/**
 * The admin signs in to the console with a second factor: the first time, after setting up an
 * authenticator app on the account pages (the pool's MFA is optional, the console's is not).
 */
async function consoleAsRoot(browser: Browser): Promise<Page> {
  if (rootPage) return rootPage;
  // The first test to run (any, alone) pays for this sign-in on top of its own work.
  test.info().setTimeout(test.info().timeout + 60_000);
  const page = await newPage(browser);
  if (!rootSecret) {
    await page.goto('/en/account');
    await signIn(page, ROOT.username, PASSWORD);
    await expect(page).toHaveURL(/\/en\/account$/);
    rootSecret = await addAuthenticatorApp(page);
  }
  // Signed in to the pool with a password only (or not at all): the console, which requires a
  // second factor of admins, asks to sign in again rather than taking the pool's session.
  await page.goto('/en/admin');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await signIn(page, ROOT.username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  // The code of the next period: the one the set-up used is spent.
  await page.getByTestId('mfa-form').locator('[name="code"]').fill(totpAt(rootSecret, Date.now() + 30_000));
  await submit(page, page.getByTestId('verify-code'));
  await expect(page).toHaveURL(/\/en\/admin$/);
  await expect(page.getByTestId('console-user')).toContainText('root');
  rootPage = page;
  return page;
}

/** The overview's newest row (today, UTC): its sign-ins and failures. */
async function today(admin: Page): Promise<{ signIns: number; failures: number }> {
  await admin.goto('/en/admin');
  const row = admin.getByTestId('overview-per-day').locator('tbody tr').first();
  const count = async (id: string) => Number(await row.getByTestId(id).textContent());
  return { signIns: await count('overview-sign-ins'), failures: await count('overview-failures') };
}

/** An OIDC provider the provider screens show (created through the admin API by the axe test). */
const PROVIDER = { name: 'Corp', type: 'oidc', issuer: 'https://idp.example.test', client_id: 'foyer', client_secret: 'axe-secret' };

/** The Arabic console's catalogue (read as a file: Playwright's loader takes no JSON import). */
const arabicConsole = JSON.parse(fs.readFileSync(new URL('../messages/console/ar.json', import.meta.url), 'utf8')) as ConsoleMessages;

/** A console state to audit: a screen, and what is done on it first (a refused form, a confirmation). */
type AxeState = { name: string; path: string; act?: (page: Page) => Promise<void> };

/** Submits a form with values the admin API refuses, and waits for the refusal to show. */
const refuse = (form: string, values: Record<string, string>, button: string) => async (page: Page) => {
  for (const [name, value] of Object.entries(values)) await page.getByTestId(form).locator(`[name="${name}"]`).fill(value);
  await submit(page, page.getByTestId(button));
  await expect(page.getByTestId(form).locator('[aria-invalid="true"]').first()).toBeVisible();
};

/**
 * Every console screen (lists with their create forms, detail screens, editable and read-only),
 * and its states: a refused form (field errors), a confirmation step.
 */
const AXE_STATES: AxeState[] = [
  ...SCREENS.map((path) => ({ name: path || '/', path })),
  { name: 'group', path: '/groups/admins' },
  { name: 'client', path: '/clients/demo' },
  { name: 'provider', path: `/identity-providers/${PROVIDER.name}` },
  { name: 'user refused', path: '/users', act: refuse('create-user-form', { username: 'axe-user', email: 'axe@localhost' }, 'create-user') },
  { name: 'client refused', path: '/clients', act: refuse('create-client-form', { client_id: 'axe-web', redirect_uris: 'not a url' }, 'create-client') },
  { name: 'provider refused', path: '/identity-providers', act: refuse('create-provider-form', { provider: '{"name": "Axe", "type": "oidc"}' }, 'create-provider') },
  { name: 'policies refused', path: '/settings', act: refuse('settings-form', { settings: '{"mfa": {"mode": "SOMETIMES"}}' }, 'save-settings') },
  { name: 'resource server refused', path: '/resource-servers', act: refuse('create-resource-server-form', { identifier: 'https://api.axe.test', name: 'Axe', scopes: 'not/a/scope!' }, 'create-resource-server') },
  { name: 'user confirm', path: '/users/root?confirm=delete' },
  { name: 'client confirm', path: '/clients/demo?confirm=delete' },
  // The theme's confirmation (delete; discard is the same step), refused: the pool uses the theme.
  {
    name: 'theme delete refused',
    path: '/themes/brand?confirm=delete',
    act: async (page) => {
      await submit(page, page.getByTestId('confirm-yes'));
      await expect(errorMessage(page)).toBeVisible();
    },
  },
];

/** A few states × languages per run, a different few each day (every one with E2E_FULL=1 or CONSOLE_AXE_ALL=1). */
function axeSample(): (AxeState & { locale: 'en' | 'ar' })[] {
  const all = AXE_STATES.flatMap((state) => (['en', 'ar'] as const).map((locale) => ({ ...state, locale })));
  return process.env.CONSOLE_AXE_ALL === '1' ? all : rotatingSlice(all, 4);
}

// Each test makes the data it needs (the pool config above holds what several share), so any one
// runs alone; run together, in order in one worker, they share the server and the admin's console.

test('an admin with MFA creates a user who then signs in; disabling them refuses sign-in and ends their sessions; a password reset mails a code the user resets with', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  await expect(admin.getByTestId('overview-users')).toHaveText(/^\d+$/);
  // Root's sign-ins to the account pages and to the console are today's (the newest row).
  const before = await today(admin);
  expect(before.signIns).toBeGreaterThanOrEqual(2);

  // In the Arabic console the API's refusal is worded at the field in Arabic (by its code, not
  // in the API's English detail).
  await admin.goto('/ar/admin/users');
  await admin.getByTestId('create-user-form').locator('[name="username"]').fill('newbie');
  await admin.getByTestId('create-user-form').locator('[name="email"]').fill('newbie@localhost');
  await submit(admin, admin.getByTestId('create-user'));
  await expect(admin.getByTestId('email-error')).toHaveText(arabicConsole.apiErrors.invalid_email);
  await expect(admin.getByTestId('email-error')).not.toHaveAttribute('lang', 'en');

  // Create, as the admin API would (its validation: a bad e-mail is refused on its field).
  await admin.goto('/en/admin/users');
  const create = admin.getByTestId('create-user-form');
  await create.locator('[name="username"]').fill('newbie');
  // The browser takes it as an address; the API's schema does not (no dot in the domain).
  await create.locator('[name="email"]').fill('newbie@localhost');
  await create.locator('[name="password"]').fill(NEWBIE_PASSWORD);
  await submit(admin, admin.getByTestId('create-user'));
  await expect(errorMessage(admin)).toContainText('E-mail');
  await create.locator('[name="email"]').fill('newbie@example.test');
  await create.locator('[name="email_verified"]').check();
  await create.locator('[name="password"]').fill(NEWBIE_PASSWORD);
  await create.locator('[name="permanent"]').check();
  await submit(admin, admin.getByTestId('create-user'));
  await expect(admin).toHaveURL(/\/en\/admin\/users\/newbie\?notice=created$/);
  await expect(noticeMessage(admin)).toBeVisible();

  // Found by a search on e-mail.
  await admin.goto('/en/admin/users?by=email&q=newbie%40');
  await expect(admin.getByTestId('user-row')).toHaveCount(1);

  // The new user signs in to an app.
  const user = await newPage(browser);
  await user.goto('/en/demo');
  await user.getByTestId('demo-sign-in').click();
  await signIn(user, 'newbie', NEWBIE_PASSWORD);
  await expect(user).toHaveURL(/\/en\/demo$/);
  // The overview counts it; the user's page lists it.
  expect(await today(admin)).toEqual({ signIns: before.signIns + 1, failures: before.failures });
  await admin.goto('/en/admin/users/newbie');
  await expect(admin.getByTestId('user-sessions').locator('li')).toHaveCount(1);
  await expect(admin.getByTestId('user-events').locator('li').filter({ hasText: 'sign_in' })).toHaveCount(1);

  // Disable: asks first, then every session ends.
  await admin.getByTestId('user-disable').click();
  await expect(admin.getByTestId('confirm')).toContainText('Disable newbie?');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin.getByTestId('user-status')).toContainText('Disabled');
  await expect(admin.getByTestId('user-sessions')).toHaveCount(0);

  // The user's browser is signed out of the pool: an app's sign-in asks again, and is refused.
  await user.goto('/en/account');
  await expect(user).toHaveURL(/\/en\/login\?uid=/);
  await signIn(user, 'newbie', NEWBIE_PASSWORD);
  await expect(errorMessage(user)).toBeVisible();
  await expect(user).toHaveURL(/\/en\/login/);
  // A failure, counted as one.
  expect(await today(admin)).toEqual({ signIns: before.signIns + 1, failures: before.failures + 1 });

  // Enabled again, then its password reset (asks first): the old password leads only to the
  // reset screen, where the code the reset mailed sets a new one.
  await admin.goto('/en/admin/users/newbie');
  await submit(admin, admin.getByTestId('user-enable'));
  await admin.getByTestId('user-reset-password').click();
  await expect(admin.getByTestId('confirm')).toContainText('Reset the password of newbie?');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/\/en\/admin\/users\/newbie\?notice=password_reset$/);
  await expect(noticeMessage(admin)).toBeVisible();
  await expect(admin.getByTestId('user-status')).toContainText('RESET_REQUIRED');
  const mailed = await waitForDevOutbox(user.context().request, 'newbie@example.test', /reset/, { baseUrl: foyer.url });
  const code = /\b(\d{6})\b/.exec(mailed.text)?.[1] ?? '';
  await user.goto('/en/account');
  await signIn(user, 'newbie', NEWBIE_PASSWORD);
  await expect(user).toHaveURL(/\/en\/reset-password\?uid=/);
  await resetPassword(user, code, `${NEWBIE_PASSWORD} renewed`);
  await expect(user).toHaveURL(/\/en\/login\?uid=.*notice=password_changed/);
  await signIn(user, 'newbie', `${NEWBIE_PASSWORD} renewed`);
  await expect(user).toHaveURL(/\/en\/account/);

  // The audit log names the admin's changes.
  await admin.goto('/en/admin/audit');
  await expect(admin.getByTestId('audit-row').filter({ hasText: 'user.disable' })).toHaveCount(1);
  await expect(admin.getByTestId('audit-row').filter({ hasText: 'user.reset_password' })).toHaveCount(1);
  await expect(admin.getByTestId('audit-row').filter({ hasText: 'user.create' })).toHaveCount(1);
  // Filtered (a plain GET form), it shows that change only, and exports just what it shows.
  await filterLog(admin, 'audit', { action: 'user.disable', resource_id: 'newbie' });
  await expect(admin.getByTestId('audit-row')).toHaveCount(1);
  await expect(admin.getByTestId('audit-row')).toContainText('user.disable');
  expect(await exportedLog(admin, 'audit')).toEqual([expect.objectContaining({ action: 'user.disable', resource: { type: 'user', id: 'newbie' }, actor: expect.objectContaining({ type: 'user' }) })]);

  // The events screen alike: the user's two sign-ins (before the disable, after the reset), by
  // user and type; nothing until yesterday.
  await admin.goto('/en/admin/events');
  await filterLog(admin, 'events', { type: 'sign_in', username: 'newbie' });
  await expect(admin.getByTestId('event-row')).toHaveCount(2);
  const signInEvent = expect.objectContaining({ type: 'sign_in', user_id: expect.any(String) });
  expect(await exportedLog(admin, 'events')).toEqual([signInEvent, signInEvent]);
  await filterLog(admin, 'events', { until: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) });
  await expect(admin.getByTestId('event-row')).toHaveCount(0);
  expect(await exportedLog(admin, 'events')).toEqual([]);
});

/** Fills a log screen's filter form (the other fields as they are) and waits for the filtered page. */
async function filterLog(page: Page, kind: 'events' | 'audit', values: Record<string, string>): Promise<void> {
  const form = page.getByTestId(`${kind}-filter`);
  for (const [name, value] of Object.entries(values)) await form.locator(`[name="${name}"]`).fill(value);
  const [name, value] = Object.entries(values)[0];
  await Promise.all([page.waitForURL((url) => url.searchParams.get(name) === value), form.locator('button[type="submit"]').click()]);
}

/** What a log screen's export link downloads: JSON Lines, each line parsed (a line that is not JSON fails). */
async function exportedLog(page: Page, kind: 'events' | 'audit'): Promise<unknown[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`${kind}-export`).click()]);
  expect(download.suggestedFilename()).toBe(`foyer-${kind}.jsonl`);
  const text = fs.readFileSync(await download.path(), 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as unknown);
}

/** The sign-in button's colour on the live sign-in screen, in a browser signed in to nothing, and whether it draws the uploaded logo. */
async function liveBrand(browser: Browser): Promise<{ colour: string; logo: boolean }> {
  const page = await newPage(browser);
  await page.goto('/en/account');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  const colour = await page.getByTestId('sign-in').evaluate((b) => getComputedStyle(b).backgroundColor);
  const img = page.getByRole('img', { name: LOGO_ALT });
  const logo = (await img.count()) > 0 && (await drawn(img));
  await page.context().close();
  return { colour, logo };
}

/** A 1×1 PNG: a real image the browser draws. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const LOGO_ALT = 'Brand logo';

/** Whether the logo an `<img alt>` names has loaded as a real image (a broken one has no natural width). */
const drawn = (img: Locator) => img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0);

test('an admin edits the draft in the field form (live contrast, uploads checked), sees it in the preview, publishes it to the live sign-in screen, exports and rolls back', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  await admin.goto('/en/admin/themes');
  await expect(admin.getByTestId('pool-theme')).toContainText('brand');
  await admin.getByTestId('theme-row').getByRole('link', { name: 'brand' }).click();
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/brand$/);

  // The brand colour's picker moves: its text field follows and the ratio is recomputed in the page.
  const form = admin.getByTestId('theme-fields-form');
  const ratio = admin.getByTestId('contrast-light-brandText-brand').getByTestId('ratio');
  const brandText = BRAND_TEXT;
  await expect(ratio).toHaveText(`${shownRatio(contrastRatio(OLD_BRAND, brandText))}:1`);
  // The meter listens once the page's JavaScript has run (a busy machine: a moment after the page shows).
  await expect(admin.getByTestId('contrast')).toHaveAttribute('data-live', 'on');
  await form.locator('[name="c-light-brand-pick"]').fill(NEW_BRAND);
  await expect(ratio).toHaveText(`${shownRatio(contrastRatio(NEW_BRAND, brandText))}:1`);
  await expect(form.locator('[name="c-light-brand"]')).toHaveValue(NEW_BRAND);

  // A logo that is no image: refused on its field, in words, and nothing saved.
  await form.locator('[name="logoLight"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a, not a PNG') });
  await form.locator('[name="logoAlt"]').fill(LOGO_ALT);
  await submit(admin, admin.getByTestId('save-fields'));
  await expect(admin.getByTestId('field-error-logoLight')).toHaveText('This file is not a PNG, JPEG, WebP or SVG image, nor a woff2 font.');
  await expect(form.locator('[name="logoLight"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(admin.getByTestId('draft-state')).toHaveText('No draft: editing a copy of the published theme.');

  // A real PNG: the draft is saved with it (the colour kept from the refused post), the preview shows both.
  await expect(form.locator('[name="c-light-brand"]')).toHaveValue(NEW_BRAND);
  await form.locator('[name="logoLight"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await submit(admin, admin.getByTestId('save-fields'));
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/brand\?notice=saved$/);
  await expect(ratio).toHaveText(`${shownRatio(contrastRatio(NEW_BRAND, brandText))}:1`);
  const frame = admin.frameLocator('[data-testid="theme-preview"]');
  const preview = frame.getByTestId('sign-in');
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(rgb(NEW_BRAND));
  await expect.poll(() => drawn(frame.getByRole('img', { name: LOGO_ALT }))).toBe(true);
  expect(await liveBrand(browser)).toEqual({ colour: rgb(OLD_BRAND), logo: false });

  // Axe on the editor in English and Arabic, the preview frame and all.
  for (const locale of ['en', 'ar'] as const) {
    await admin.goto(`/${locale}/admin/themes/brand`);
    await expect(admin.frameLocator('[data-testid="theme-preview"]').getByTestId('sign-in')).toBeVisible();
    await expectAccessible(admin, locale, 'console theme editor', { fieldsAbout: 'others' });
  }
  // Custom CSS refused in the Arabic editor: worded at its field from the API's codes, no English left.
  await admin.getByTestId('theme-fields-form').locator('[name="css"]').fill('.banner-customizable { behavior: none }');
  await submit(admin, admin.getByTestId('save-fields'));
  await expect(admin.getByTestId('field-error-css')).toHaveText('السطر 1، ".banner-customizable": behavior مرفوض: فهو يشغّل شيفرة في المتصفحات القديمة.');
  await expect(admin.getByTestId('field-error-css').locator('[lang="en"]')).toHaveCount(0);
  // A colour pair below AA, refused by the API: named by the editor's own words for its colours and mode.
  await form.locator('[name="css"]').fill('');
  await form.locator('[name="c-light-brand"]').fill(BRAND_TEXT);
  await submit(admin, admin.getByTestId('save-fields'));
  await expect(admin.getByTestId('field-error-contrast')).toHaveText('فاتح: النص على لون العلامة على لون العلامة (الأزرار) نسبته 1.00:1، والمطلوب 4.5:1. اسمح بالتباين المنخفض للإبقاء عليه رغم ذلك.');
  await admin.goto('/en/admin/themes/brand');

  // The preview chooser names the screens, grouped by kind (a GET form: ids are its values).
  const chooser = admin.getByTestId('preview-form');
  const screens = chooser.locator('select[name="screen"]');
  expect(await screens.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label')))).toEqual(['Sign-in screens', 'Account pages and consent', 'E-mails', 'Text messages']);
  await expect(screens.locator('option[value="mfa-setup-sms"]')).toHaveText('Set up codes by text message');
  await screens.selectOption('email-security-totp_added');
  await chooser.getByRole('button').click();
  await expect(admin).toHaveURL(/[?&]screen=email-security-totp_added(&|$)/);
  await expect(frame.getByTestId('preview-mail-subject')).toContainText('security change');
  await expect(screens.locator('option:checked')).toHaveText('Security: authenticator app added');

  // Publish, after confirming: live, logo and all.
  await admin.getByTestId('theme-publish').click();
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/notice=published$/);
  expect(await liveBrand(browser)).toEqual({ colour: rgb(NEW_BRAND), logo: true });

  // Version 1 exports as it was published; rolled back to it, the old colour is live again.
  await expect(admin.getByTestId('theme-version')).toHaveCount(2);
  const exported = await admin.request.get('/api/console/themes/brand/1');
  expect(((await exported.json()) as typeof BRAND).colors.light.brand).toBe(OLD_BRAND);
  await admin.getByTestId('theme-rollback').last().click();
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/notice=rolled_back$/);
  await expect(admin.getByTestId('theme-version')).toHaveCount(3);
  expect(await liveBrand(browser)).toEqual({ colour: rgb(OLD_BRAND), logo: false });
});

/** The sign-in screen's heading, live, in a browser signed in to nothing. */
async function liveHeading(browser: Browser, locale: string): Promise<string> {
  const page = await newPage(browser);
  await page.goto(`/${locale}/account`);
  await expect(page).toHaveURL(new RegExp(`/${locale}/login\\?uid=`));
  const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
  await page.context().close();
  return heading;
}

test('an admin rewords the German sign-in title: a bad text is refused on its field, a good one previews, saves to the live screen, and is deleted after confirming', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  const shipped = await liveHeading(browser, 'de');
  await admin.goto('/en/admin/custom-text?tlocale=de&ns=login');
  await expect(admin.getByTestId('custom-text-row').first()).toContainText('login.');
  await expectAccessible(admin, 'en', 'console /custom-text', { fieldsAbout: 'others' });
  await admin.getByRole('link', { name: 'login.title', exact: true }).click();
  await expect(admin.getByTestId('text-shipped')).toHaveText(shipped);

  // A placeholder the title does not have: refused on the field, in the console's words.
  const text = admin.getByTestId('custom-text-form').locator('[name="text"]');
  await text.fill('Willkommen {user}');
  await submit(admin, admin.getByTestId('custom-text-preview'));
  await expect(errorMessage(admin)).toContainText('The placeholder {user} is unknown here.');
  await expect(text).toHaveAttribute('aria-invalid', 'true');
  await expect(text).toHaveAttribute('aria-describedby', /form-error/);
  await expect(admin.getByTestId('custom-text-frame')).toHaveCount(0);

  // A good one: the preview screen shows it, the live screen does not yet.
  const marker = `Willkommen ${Date.now().toString(36)}`;
  await text.fill(marker);
  await submit(admin, admin.getByTestId('custom-text-preview'));
  await expect(admin).toHaveURL(/[?&]preview=.*#preview$/);
  await expect(admin.frameLocator('[data-testid="custom-text-frame"]').getByRole('heading', { level: 1 })).toHaveText(marker);
  expect(await liveHeading(browser, 'de')).toBe(shipped);

  // Saved (from the previewed text): live at once; in Arabic the editor shows it too.
  await expect(text).toHaveValue(marker);
  await submit(admin, admin.getByTestId('custom-text-save'));
  await expect(admin).toHaveURL(/notice=saved$/);
  await expect(admin.getByTestId('text-override')).toHaveText(marker);
  expect(await liveHeading(browser, 'de')).toBe(marker);
  await admin.goto('/ar/admin/custom-text?tlocale=de&key=login.title');
  await expect(admin.getByTestId('text-override')).toHaveText(marker);
  await expectAccessible(admin, 'ar', 'console /custom-text editor', { fieldsAbout: 'others' });

  // Deleted after confirming: the shipped title is back.
  await admin.goto('/en/admin/custom-text?tlocale=de&key=login.title');
  await admin.getByTestId('custom-text-delete').click();
  await expect(admin.getByTestId('confirm')).toContainText('Delete the override of login.title');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/notice=deleted$/);
  expect(await liveHeading(browser, 'de')).toBe(shipped);

  // An e-mail's subject previews on that e-mail (not the sign-in screen), in a theme picked for the
  // preview; the chooser names the screens by kind.
  await admin.goto('/en/admin/custom-text?tlocale=de&key=email.confirmSignUp.subject');
  await text.fill(`{code}: ${marker} {pool}`);
  await admin.getByTestId('custom-text-form').locator('select[name="theme"]').selectOption('midnight');
  await submit(admin, admin.getByTestId('custom-text-preview'));
  await expect(admin).toHaveURL(/[?&]screen=email-confirmSignUp&.*[?&]theme=midnight#preview$/);
  const mail = admin.frameLocator('[data-testid="custom-text-frame"]');
  await expect(mail.getByTestId('preview-mail-subject')).toHaveText(`123456: ${marker} Foyer test`);
  expect(await mail.locator('html').evaluate((h) => getComputedStyle(h).colorScheme)).toBe('dark');
  const chooser = admin.getByTestId('custom-text-screen-form').locator('select[name="screen"]');
  await expect(chooser.locator('option:checked')).toHaveText('Sign-up confirmation code');
  await expect(chooser.locator('optgroup[label="Text messages"] option[value="sms-mfaCode"]')).toHaveText('Second-factor code');
  // Nothing was saved: the override is still absent.
  await expect(admin.getByTestId('text-override')).toHaveText('No override: the shipped text shows.');
});

/** The theme the admin imports, then edits and publishes. */
const SHOP_BRAND = '#5b2a86';
const SHOP = { id: 'shop', name: 'Shop', colors: { light: { brand: '#1f4e79', brandText: BRAND_TEXT } } };

test('an admin imports a theme by paste and by file (a bad one refused on its field, nothing made; a draft there is replaced only when ticked), edits it in the field form without JavaScript, and publishes it', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  // The same console session in a browser that runs no script: every form is a plain post.
  const plain = await (await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false, storageState: await admin.context().storageState() })).newPage();
  await plain.goto('/en/admin/themes');
  const importForm = plain.getByTestId('import-form');
  const pasted = importForm.locator('[name="theme"]');

  // Not JSON, then JSON the theme schema refuses: each refused on the text's field with a 400.
  await pasted.fill('{"id": "shop", "name": ');
  expect(await posted(plain, plain.getByTestId('import-theme'))).toBe(400);
  await expect(errorMessage(plain)).toContainText('This is not valid JSON.');
  await expect(pasted).toHaveAttribute('aria-invalid', 'true');
  await pasted.fill(JSON.stringify({ id: 'shop', name: 'Shop', radius: 'round' }));
  expect(await posted(plain, plain.getByTestId('import-theme'))).toBe(400);
  await expect(errorMessage(plain)).toContainText('Check “Advanced: the draft as JSON”: this value is not accepted.');
  await expect(pasted).toHaveAttribute('aria-invalid', 'true');
  const drafts = async () => ((await (await admin.request.get('/admin/api/v1/theme-drafts')).json()) as { items: { theme: { id: string } }[] }).items.map((d) => d.theme.id);
  expect(await drafts()).not.toContain('shop');
  expect((await admin.request.get('/admin/api/v1/themes/shop')).status()).toBe(404);

  // Pasted: a draft of a new theme, opened in the editor.
  await pasted.fill(JSON.stringify({ id: 'shop', name: 'Shop (pasted)' }));
  expect(await posted(plain, plain.getByTestId('import-theme'))).toBe(303);
  await expect(plain).toHaveURL(/\/en\/admin\/themes\/shop\?notice=imported$/);
  await expect(plain.getByTestId('theme-fields-form').locator('[name="name"]')).toHaveValue('Shop (pasted)');

  // As a file: that draft, never shown on this screen, is not overwritten unless the admin says so (409
  // on the box); ticked, it replaces the draft; listed (not yet published), it opens in the editor.
  await admin.goto('/en/admin/themes');
  const file = { name: 'shop.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SHOP)) };
  await admin.getByTestId('import-form').locator('[name="themeFile"]').setInputFiles(file);
  await submit(admin, admin.getByTestId('import-theme'));
  await expect(errorMessage(admin)).toContainText('shop already has an unpublished draft');
  await expect(admin.getByTestId('import-form').locator('[name="replaceDraft"]')).toHaveAttribute('aria-invalid', 'true');
  expect((await (await admin.request.get('/admin/api/v1/themes/shop/draft')).json()).theme.name).toBe('Shop (pasted)');
  await admin.getByTestId('import-form').locator('[name="themeFile"]').setInputFiles(file);
  await admin.getByTestId('import-form').locator('[name="replaceDraft"]').check();
  await submit(admin, admin.getByTestId('import-theme'));
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/shop\?notice=imported$/);
  await admin.goto('/en/admin/themes');
  await expect(admin.getByTestId('theme-row').filter({ hasText: 'shop' })).toContainText('Not yet: a draft only');
  await admin.getByTestId('theme-row').getByRole('link', { name: 'shop' }).click();
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/shop$/);
  await expect(admin.getByTestId('draft-state')).toHaveText('Editing the unpublished draft.');
  await expect(admin.getByTestId('theme-fields-form').locator('[name="name"]')).toHaveValue(SHOP.name);

  // The field form without JavaScript: a refused colour on its field (400), then a good one saved.
  await plain.goto('/en/admin/themes/shop');
  const fields = plain.getByTestId('theme-fields-form');
  const brand = fields.locator('[name="c-light-brand"]');
  await expect(brand).toHaveValue(SHOP.colors.light.brand);
  await brand.fill('#xyzxyz');
  expect(await posted(plain, plain.getByTestId('save-fields'))).toBe(400);
  await expect(plain.getByTestId('field-error-c-light-brand')).toContainText('Not a colour: use #rrggbb.');
  await expect(brand).toHaveAttribute('aria-invalid', 'true');
  await expect(brand).toHaveValue('#xyzxyz');
  await brand.fill(SHOP_BRAND);
  expect(await posted(plain, plain.getByTestId('save-fields'))).toBe(303);
  await expect(plain).toHaveURL(/\/en\/admin\/themes\/shop\?notice=saved$/);
  await expect(noticeMessage(plain)).toHaveText('Draft saved.');
  await expect(plain.getByTestId('theme-fields-form').locator('[name="c-light-brand"]')).toHaveValue(SHOP_BRAND);
  await plain.context().close();

  // Published: listed as such.
  await admin.goto('/en/admin/themes/shop');
  await admin.getByTestId('theme-publish').click();
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/notice=published$/);
  await admin.goto('/en/admin/themes');
  await expect(admin.getByTestId('theme-row').filter({ hasText: 'shop' })).not.toContainText('Not yet');
});

/** Writes through the admin API with the console's session (a write must come from the console's origin). */
const apiPut = (admin: Page, path: string, data: unknown, etag?: string) => admin.request.put(`/admin/api/v1${path}`, { data, headers: { origin: foyer.url, ...(etag ? { 'if-match': etag } : {}) } });
const apiStatus = async (admin: Page, path: string) => (await admin.request.get(`/admin/api/v1${path}`)).status();

test('an admin exports a draft (assets inline) and imports it back, discards drafts and deletes themes after confirming, by keyboard; a theme in use, a stale draft and a gone theme are refused in words', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  const logo = `data:image/png;base64,${PNG.toString('base64')}`;
  expect((await apiPut(admin, '/themes/spare', { id: 'spare', name: 'Spare' })).status()).toBe(200);
  expect((await apiPut(admin, '/themes/spare/draft', { id: 'spare', name: 'Spare 2', logo: { light: logo, alt: LOGO_ALT, height: 40 } })).status()).toBe(200);
  expect((await apiPut(admin, '/themes/sketch/draft', { id: 'sketch', name: 'Sketch' })).status()).toBe(200);

  // The draft exports as a file whose logo is inline (another deployment has none of this one's assets).
  await admin.goto('/en/admin/themes/spare');
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('theme-export-draft').click()]);
  expect(download.suggestedFilename()).toBe('spare-draft.json');
  const file = fs.readFileSync(await download.path());
  expect(JSON.parse(file.toString('utf8'))).toEqual({ id: 'spare', name: 'Spare 2', logo: { light: logo, alt: LOGO_ALT, height: 40 } });

  // Discard, by keyboard, after confirming: the editor shows the published theme again.
  await admin.getByTestId('theme-discard').focus();
  await admin.keyboard.press('Enter');
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/spare\?confirm=discard$/);
  await expect(admin.getByTestId('confirm')).toContainText('Discard the draft of “spare”? The editor goes back to the published theme');
  await admin.getByTestId('confirm-yes').focus();
  await admin.keyboard.press('Enter');
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/spare\?notice=discarded$/);
  await expect(noticeMessage(admin)).toHaveText('Draft discarded: the editor shows the published theme.');
  await expect(admin.getByTestId('draft-state')).toHaveText('No draft: editing a copy of the published theme.');
  await expect(admin.getByTestId('theme-fields-form').locator('[name="name"]')).toHaveValue('Spare');
  await expect(admin.getByTestId('theme-discard')).toHaveCount(0);
  await expect(admin.getByTestId('theme-export-draft')).toHaveCount(0);

  // The exported file imports back as the draft, logo and all.
  await admin.goto('/en/admin/themes');
  await admin.getByTestId('import-form').locator('[name="themeFile"]').setInputFiles({ name: 'spare-draft.json', mimeType: 'application/json', buffer: file });
  await submit(admin, admin.getByTestId('import-theme'));
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/spare\?notice=imported$/);
  await expect(admin.getByTestId('theme-fields-form').locator('[name="name"]')).toHaveValue('Spare 2');
  await expect.poll(() => drawn(admin.frameLocator('[data-testid="theme-preview"]').getByRole('img', { name: LOGO_ALT }))).toBe(true);

  // A stale confirmation: the draft changed after the page was opened; refused, the new draft kept.
  await admin.getByTestId('theme-discard').click();
  const current = await admin.request.get('/admin/api/v1/themes/spare/draft');
  expect((await apiPut(admin, '/themes/spare/draft', { id: 'spare', name: 'Spare 3' }, current.headers().etag)).status()).toBe(200);
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(errorMessage(admin)).toHaveText('Someone changed it since you opened this page. Reload and try again.');
  expect((await (await admin.request.get('/admin/api/v1/themes/spare/draft')).json()).theme.name).toBe('Spare 3');

  // The pool's theme is not deleted: said in Arabic, with what uses it; nothing lost. Axe on the refusal.
  await admin.goto('/ar/admin/themes/brand');
  await admin.getByTestId('theme-delete').click();
  await expect(admin.getByTestId('confirm')).toContainText(arabicConsole.themes.confirmDelete.replace('{id}', 'brand'));
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(errorMessage(admin)).toHaveText(arabicConsole.themes.stillUsed.replace('{id}', 'brand'));
  await expect(admin.getByTestId('confirm').locator('li')).toHaveText([arabicConsole.apiErrors.used_by_pool]);
  await expectAccessible(admin, 'ar', 'console theme delete refused', { fieldsAbout: 'others' });
  expect(await apiStatus(admin, '/themes/brand')).toBe(200);

  // A theme no one uses goes, with its draft; the list says so.
  await admin.goto('/en/admin/themes/spare');
  await admin.getByTestId('theme-delete').click();
  await expect(admin.getByTestId('confirm')).toContainText('Delete the theme “spare” and any unpublished draft of it?');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/\/en\/admin\/themes\?notice=deleted$/);
  await expect(noticeMessage(admin)).toHaveText('Theme deleted.');
  await expect(admin.getByTestId('theme-row').filter({ hasText: 'spare' })).toHaveCount(0);
  expect([await apiStatus(admin, '/themes/spare'), await apiStatus(admin, '/themes/spare/draft')]).toEqual([404, 404]);

  // A theme only ever a draft: nothing to delete but its draft; discarded, the theme is gone.
  await admin.getByTestId('theme-row').getByRole('link', { name: 'sketch' }).click();
  await expect(admin.getByTestId('theme-delete')).toHaveCount(0);
  await admin.getByTestId('theme-discard').click();
  await expect(admin.getByTestId('confirm')).toContainText('It was never published, so the theme is deleted with it.');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/\/en\/admin\/themes\?notice=deleted$/);
  await expect(admin.getByTestId('theme-row').filter({ hasText: 'sketch' })).toHaveCount(0);

  // Gone meanwhile (deleted elsewhere): the confirmation is refused as such.
  expect((await apiPut(admin, '/themes/gone', { id: 'gone', name: 'Gone' })).status()).toBe(200);
  await admin.goto('/en/admin/themes/gone?confirm=delete');
  const gone = await admin.request.get('/admin/api/v1/themes/gone');
  expect((await admin.request.delete('/admin/api/v1/themes/gone', { headers: { origin: foyer.url, 'if-match': gone.headers().etag } })).status()).toBe(204);
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(errorMessage(admin)).toHaveText('It no longer exists.');
});

test('without JavaScript, a draft is discarded and a theme deleted after confirming (303); a theme in use is refused with a 409 and its reasons', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  expect((await apiPut(admin, '/themes/plain', { id: 'plain', name: 'Plain' })).status()).toBe(200);
  expect((await apiPut(admin, '/themes/plain/draft', { id: 'plain', name: 'Plain 2' })).status()).toBe(200);
  const plain = await (await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false, storageState: await admin.context().storageState() })).newPage();

  await plain.goto('/en/admin/themes/brand');
  await plain.getByTestId('theme-delete').click();
  expect(await posted(plain, plain.getByTestId('confirm-yes'))).toBe(409);
  await expect(errorMessage(plain)).toHaveText('“brand” is still in use, so it was not deleted.');
  await expect(plain.getByTestId('confirm').locator('li')).toHaveText(['The pool uses it: untick the pool under “Where this theme is used” first.']);

  await plain.goto('/en/admin/themes/plain');
  await plain.getByTestId('theme-discard').click();
  expect(await posted(plain, plain.getByTestId('confirm-yes'))).toBe(303);
  await expect(plain).toHaveURL(/\/en\/admin\/themes\/plain\?notice=discarded$/);
  await expect(plain.getByTestId('theme-fields-form').locator('[name="name"]')).toHaveValue('Plain');
  await plain.getByTestId('theme-delete').click();
  expect(await posted(plain, plain.getByTestId('confirm-yes'))).toBe(303);
  await expect(plain).toHaveURL(/\/en\/admin\/themes\?notice=deleted$/);
  await expect(noticeMessage(plain)).toHaveText('Theme deleted.');
  await plain.context().close();
});

test('an admin creates an app client, sees its secret once (and it works), an outside app signs in through it in the theme assigned to it (then the pool\'s), then deletes it after confirming', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  await admin.goto('/en/admin/clients');
  // Foyer's own apps are shown, read-only.
  await admin.getByRole('link', { name: 'foyer-console' }).click();
  await expect(admin.getByTestId('client-json')).toContainText('"client_id": "foyer-console"');
  await expect(admin.getByTestId('save-client-form')).toHaveCount(0);

  await admin.goto('/en/admin/clients');
  const create = admin.getByTestId('create-client-form');
  await create.locator('[name="client_id"]').fill('shop-web');
  await create.locator('[name="client_name"]').fill('Shop');
  // The API's schema decides: authorization_code without a redirect URI is refused on its field.
  await submit(admin, admin.getByTestId('create-client'));
  await expect(errorMessage(admin)).toContainText('Redirect URIs');
  await create.locator('[name="redirect_uris"]').fill(`${rp.redirectUri}\nhttps://shop.example.test/other`);
  await submit(admin, admin.getByTestId('create-client'));
  const notice = noticeMessage(admin);
  await expect(notice).toContainText('Copy its secret now');
  const secret = /Secret: (\S+)$/.exec((await notice.textContent()) ?? '')?.[1] ?? '';
  expect(secret.length).toBeGreaterThanOrEqual(16);
  rp.use('shop-web', secret);

  // The secret is the client's: introspection takes it, and refuses another.
  const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(`shop-web:${s}`).toString('base64')}` });
  const ok = await admin.request.post('/oauth2/introspect', { form: { token: 'not-a-token' }, headers: basic(secret) });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toEqual({ active: false });
  expect((await admin.request.post('/oauth2/introspect', { form: { token: 'not-a-token' }, headers: basic(`${secret}x`) })).status()).toBe(401);

  // Shown once: the list and the client's page never show it again.
  await admin.goto('/en/admin/clients');
  await expect(admin.getByTestId('client-row').filter({ hasText: 'shop-web' })).toHaveCount(1);
  await expect(admin.locator('body')).not.toContainText(secret);
  await admin.getByRole('link', { name: 'shop-web' }).click();
  await expect(admin.getByTestId('save-client-form').locator('[name="redirect_uris"]')).toHaveValue(`${rp.redirectUri}\nhttps://shop.example.test/other`);
  await expect(admin.locator('body')).not.toContainText(secret);

  // Assigned on the theme's page, the client's theme: its sign-in wears it, the pool's screens do not.
  await admin.goto(`/en/admin/themes/${STORE.id}`);
  const assign = admin.getByTestId('assign-form');
  await assign.locator('[name="client-shop-web"]').check();
  await submit(admin, admin.getByTestId('assign-save'));
  await expect(admin).toHaveURL(new RegExp(`/en/admin/themes/${STORE.id}\\?notice=assigned$`));
  await expect(assign.locator('[name="client-shop-web"]')).toBeChecked();
  await expect(assign.locator('[name="pool"]')).not.toBeChecked();

  // The outside app (openid-client: PKCE, state, nonce, the secret shown above) signs nina in.
  const user = await (await browser.newContext()).newPage();
  await user.goto(rp.url);
  await expect(user).toHaveURL(new RegExp(`^${foyer.url}/en/login\\?uid=`));
  expect(await user.getByTestId('sign-in').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(rgb(STORE_BRAND));
  expect((await liveBrand(browser)).colour).toBe(rgb(OLD_BRAND));
  await signIn(user, NINA.username, PASSWORD);
  await expect(user).toHaveURL(new RegExp(`^${rp.redirectUri}\\?`));
  await expect(user.getByTestId('rp-username')).toHaveText(NINA.username);
  const nina = (await (await admin.request.get('/admin/api/v1/users/nina')).json()) as { sub: string };
  await expect(user.getByTestId('rp-sub')).toHaveText(nina.sub);
  await user.context().close();

  // Assigned to the pool too: every screen wears it; the pool given back its own theme, the old colour.
  await assign.locator('[name="pool"]').check();
  await submit(admin, admin.getByTestId('assign-save'));
  await expect(assign.locator('[name="pool"]')).toBeChecked();
  await expect.poll(async () => (await liveBrand(browser)).colour).toBe(rgb(STORE_BRAND));
  await admin.goto('/en/admin/themes/brand');
  await admin.getByTestId('assign-form').locator('[name="pool"]').check();
  await submit(admin, admin.getByTestId('assign-save'));
  await expect(admin).toHaveURL(/\/en\/admin\/themes\/brand\?notice=assigned$/);
  await expect.poll(async () => (await liveBrand(browser)).colour).toBe(rgb(OLD_BRAND));
  await admin.goto('/en/admin/clients/shop-web');

  // Delete: asks first.
  await admin.getByTestId('client-delete').click();
  await expect(admin.getByTestId('confirm')).toContainText('Delete the app client shop-web?');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/\/en\/admin\/clients\?notice=deleted$/);
  await expect(admin.getByTestId('client-row').filter({ hasText: 'shop-web' })).toHaveCount(0);
  expect((await admin.request.post('/oauth2/introspect', { form: { token: 'not-a-token' }, headers: basic(secret) })).status()).toBe(401);
});

const sampled = FULL_MATRIX || process.env.CONSOLE_AXE_ALL === '1' ? 'all' : `sampled, seed ${SAMPLE_SEED}`;
test(`axe finds nothing on the console screens and their states, light and dark, English and Arabic (${sampled})`, async ({ browser }) => {
  const sample = axeSample();
  test.setTimeout(60_000 + 30_000 * sample.length);
  const admin = await consoleAsRoot(browser);
  if (sample.some((s) => s.name === 'provider')) {
    const made = await admin.request.put(`/admin/api/v1/identity-providers/${PROVIDER.name}`, { data: PROVIDER, headers: { origin: foyer.url } });
    // Created now, or already there from an earlier run of this state (it then wants If-Match).
    expect([200, 428], await made.text()).toContain(made.status());
  }
  for (const { name, path, act, locale } of sample) {
    await admin.goto(`/${locale}/admin${path}`);
    await expect(admin.locator('main h1')).toBeVisible();
    await act?.(admin);
    await expectAccessible(admin, locale, `console ${name}`, { fieldsAbout: 'others' });
  }
});

/** The console pages a non-admin (or an admin without a second factor) is refused on: every screen and the detail ones. */
const GUARDED = [...SCREENS, '/groups/admins', `/identity-providers/${PROVIDER.name}`, '/custom-text?tlocale=de&key=login.title', `/themes/${STORE.id}`];

/** The fields a console form posts (without JavaScript: its action's id among them), read from the page. */
async function formEntries(form: Locator): Promise<Record<string, string>> {
  return form.evaluate((f) => Object.fromEntries([...new FormData(f as HTMLFormElement)].filter((e): e is [string, string] => typeof e[1] === 'string')));
}
const csrfCookie = async (page: Page) => (await page.context().cookies()).find((c) => /csrf$/.test(c.name))?.value;

/** `username` signs in to the console, which turns them away (`not_admin`). */
async function refusedSignIn(browser: Browser, username: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto('/en/admin');
  await signIn(page, username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/admin\/refused\?reason=not_admin$/);
  return page;
}

/**
 * Every guarded console page answers 403 with the refusal's `words` (and may not be framed), and
 * the console's own routes (the log exports, a theme version's) 403 too.
 */
async function refusedEverywhere(page: Page, words: string): Promise<void> {
  for (const path of GUARDED) {
    const res = await page.goto(`/en/admin${path}`);
    expect(res?.status(), path).toBe(403);
    expect(res?.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
    await expect(page.getByTestId('console-refused')).toContainText(words);
  }
  for (const path of ['/api/console/export/events', '/api/console/export/audit', '/api/console/themes/brand/1']) {
    expect((await page.request.get(path)).status(), path).toBe(403);
  }
}

test('console forms refuse a post whose CSRF token is missing or wrong (403, nothing made); console pages may not be framed', async ({ browser }) => {
  const admin = await consoleAsRoot(browser);
  const res = await admin.goto('/en/admin/users');
  expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res?.headers()['x-frame-options']).toBe('DENY');
  const form = admin.getByTestId('create-user-form');
  await form.locator('[name="username"]').fill('forged');
  const entries = await formEntries(form);
  expect(entries.csrf).toBe(await csrfCookie(admin));
  const { csrf: _, ...without } = entries;
  for (const [label, multipart] of [['missing', without], ['wrong', { ...entries, csrf: `${entries.csrf.slice(0, -2)}xx` }]] as const) {
    const r = await admin.request.post('/en/admin/users', { multipart, headers: { origin: foyer.url }, maxRedirects: 0 });
    expect(r.status(), label).toBe(403);
    expect(await r.text(), label).toContain('The form expired. Reload the page and try again.');
  }
  expect((await admin.request.get('/admin/api/v1/users/forged')).status()).toBe(404);
  // The same replay with the right token is taken: the refusals above were the token's.
  const taken = await admin.request.post('/en/admin/users', { multipart: entries, headers: { origin: foyer.url }, maxRedirects: 0 });
  expect(taken.status()).toBe(303);
  const made = await admin.request.get('/admin/api/v1/users/forged');
  expect(made.status()).toBe(200);
  expect((await admin.request.delete('/admin/api/v1/users/forged', { headers: { origin: foyer.url, 'if-match': made.headers().etag } })).status()).toBe(204);
});

test('a signed-in user outside the admin group is refused on every console page, route and action, and by the admin API', async ({ browser }) => {
  // The admin's create-user form, to be replayed by the non-admin with a CSRF token of her own.
  const admin = await consoleAsRoot(browser);
  await admin.goto('/en/admin/users');
  const form = admin.getByTestId('create-user-form');
  await form.locator('[name="username"]').fill('sneaky');
  const entries = await formEntries(form);

  const page = await refusedSignIn(browser, NINA.username);
  await refusedEverywhere(page, 'not a member');
  // A console action, posted with her own valid CSRF token: refused, nothing made.
  const mine = await csrfCookie(page);
  expect(mine).toBeTruthy();
  const replay = await page.request.post('/en/admin/users', { multipart: { ...entries, csrf: mine! }, headers: { origin: foyer.url }, maxRedirects: 0 });
  expect(await replay.text()).toContain('not a member');
  // The page's guard sends her on (307, a browser posts again); the refusal page answers a post with a 303 to itself.
  expect(replay.headers().location).toBe('/en/admin/refused?reason=not_admin');
  const onward = await page.request.post(replay.headers().location, { multipart: { ...entries, csrf: mine! }, headers: { origin: foyer.url }, maxRedirects: 0 });
  expect(onward.status()).toBe(303);
  const landed = await page.request.get(onward.headers().location);
  expect(landed.status()).toBe(403);
  expect(await landed.text()).toContain('not a member');
  expect((await admin.request.get('/admin/api/v1/users/sneaky')).status()).toBe(404);
  // The console's cookie is in this browser, but opens no admin API route.
  for (const path of ['/users', '/groups', '/settings', '/events', '/audit']) {
    const r = await page.request.get(`/admin/api/v1${path}`);
    expect(r.status(), path).toBe(403);
  }
  const write = await page.request.post('/admin/api/v1/users', { data: { username: 'sneaky' }, headers: { origin: foyer.url } });
  expect(write.status()).toBe(403);
});

test('a user made an admin after signing in with a password only is refused on every console page (no_mfa) and by the admin API', async ({ browser }) => {
  const page = await refusedSignIn(browser, OLGA.username);
  // Made an admin since (the group is read at every request): her sign-in proved no second factor.
  const admin = await consoleAsRoot(browser);
  expect((await admin.request.put(`/admin/api/v1/groups/admins/members/${OLGA.username}`, { headers: { origin: foyer.url } })).status()).toBe(204);
  await page.goto('/en/admin');
  await expect(page).toHaveURL(/\/en\/admin\/refused\?reason=no_mfa$/);
  await refusedEverywhere(page, 'needs a sign-in with a second factor');
  expect((await page.request.get('/admin/api/v1/users')).status()).toBe(403);
});
