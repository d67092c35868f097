import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { posted, signIn, submit } from './fixtures/pages';
import { authenticatorApp } from './fixtures/totp';
import { connectSqlite } from '../server/db/connect';
import type { ConsoleMessages } from '../i18n/console';

/**
 * A console session that ends while a console form is open (signed out in another tab, its grant
 * revoked, its row gone): the form's post changes nothing and is sent on (303, a GET: never the
 * page guard's 307 to the GET-only sign-in route, which answered the re-sent post with a 405) to a
 * page that says so, whose sign-in leads back to the page the form was on. With and without
 * JavaScript; that page audited by axe, and in Arabic.
 */

const PASSWORD = 'Console-Admin-Passphrase-42';
const admin = (username: string) => ({ username, email: `${username}@example.test`, email_verified: true, password: PASSWORD, groups: ['admins'] });
const ADA = admin('ada');
const BEA = admin('bea');
const CLEO = admin('cleo');
const DORA = admin('dora');
/** The user whose attribute form is open. */
const DAN = { username: 'dan', email: 'dan@example.test', email_verified: true, password: PASSWORD };

/** The console's catalogues (read as files: Playwright's loader takes no JSON import). */
const catalogue = (locale: 'en' | 'ar') => JSON.parse(fs.readFileSync(new URL(`../messages/console/${locale}.json`, import.meta.url), 'utf8')) as ConsoleMessages;

let foyer: Foyer;
test.beforeAll(async () => {
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      return { ...c, pool: { ...c.pool, custom_attributes: [{ name: 'custom:department' }], mfa: { mode: 'OPTIONAL', factors: ['totp'] } }, users: [...c.users, ADA, BEA, CLEO, DORA, DAN] };
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
});

/**
 * `username` sets up an authenticator app on the account pages, then signs in to the console
 * (which asks again: the pool's session proved no second factor). `signInAgain(page, locale)`
 * answers the pool's sign-in when it shows, in that page: password, then the app's next code.
 */
async function consoleAs(browser: Browser, username: string): Promise<{ page: Page; signInAgain: (page: Page, locale?: 'en' | 'ar') => Promise<void> }> {
  const page = await (await browser.newContext({ baseURL: foyer.url })).newPage();
  await page.goto('/en/account');
  await signIn(page, username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/account$/);
  const app = authenticatorApp();
  await app.addTo(page);
  const signInAgain = async (p: Page, locale = 'en') => {
    await expect(p).toHaveURL(new RegExp(`/${locale}/login\\?uid=`));
    await signIn(p, username, PASSWORD);
    await expect(p).toHaveURL(new RegExp(`/${locale}/mfa\\?uid=`));
    await p.getByTestId('mfa-form').locator('[name="code"]').fill(await app.code());
    await submit(p, p.getByTestId('verify-code'));
  };
  await page.goto('/en/admin');
  await signInAgain(page);
  await expect(page).toHaveURL(/\/en\/admin$/);
  return { page, signInAgain };
}

/** The same browser (its cookies), running no script: every form a plain post. */
async function withoutScript(browser: Browser, page: Page): Promise<Page> {
  return (await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false, storageState: await page.context().storageState() })).newPage();
}

/** Every answer of 400 or more the page gets from Foyer from now on, but the session-ended page's own 401. */
function failures(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.origin !== foyer.url || r.status() < 400 || (r.status() === 401 && url.pathname.endsWith('/admin/session-ended'))) return;
    seen.push(`${r.status()} ${r.request().method()} ${url.pathname}`);
  });
  return seen;
}

/**
 * The page a post without a console session lands on: it says nothing was saved (in `locale`;
 * axe audits it with `audit`), and its link leads to the sign-in back to `from`.
 */
async function sessionEnded(page: Page, from: string, o: { locale?: 'en' | 'ar'; audit?: boolean } = {}): Promise<void> {
  const locale = o.locale ?? 'en';
  await expect(page).toHaveURL(`${foyer.url}/${locale}/admin/session-ended?return=${encodeURIComponent(from)}`);
  await expect(page.getByTestId('console-session-ended')).toHaveText(catalogue(locale).sessionEnded.unsaved);
  if (o.audit) await expectAccessible(page, locale, 'console session ended');
  await page.getByTestId('console-sign-in-again').click();
}

/** The admin API's status for a path, asked with the console session of `page`. */
const apiStatus = async (page: Page, path: string) => (await page.request.get(`/admin/api/v1${path}`)).status();

test('with JavaScript: signed out of the console in another tab, a create-group post makes nothing, says so, and signing in again leads back to the groups screen', async ({ browser }) => {
  const { page, signInAgain } = await consoleAs(browser, ADA.username);
  await page.goto('/en/admin/groups');
  await page.getByTestId('create-group-form').locator('[name="name"]').fill('night-shift');

  // Another tab of the same browser signs out (the console's session and the pool's).
  const other = await page.context().newPage();
  await other.goto('/en/admin');
  await other.getByTestId('console-sign-out').click();
  await expect(other).toHaveURL(/\/en\/logout\/done$/);
  await other.close();

  const failed = failures(page);
  await page.getByTestId('create-group').click();
  await sessionEnded(page, '/en/admin/groups', { audit: true });
  await signInAgain(page);
  await expect(page).toHaveURL(/\/en\/admin\/groups$/);
  await expect(page.getByTestId('create-group-form')).toBeVisible();
  expect(failed).toEqual([]);
  expect(await apiStatus(page, '/groups/night-shift')).toBe(404);
});

test('without JavaScript, in Arabic: the console session\'s grant revoked, a user\'s attribute post is answered 303 to a page that says so (401), and signing in again leads back to the user, unchanged', async ({ browser }) => {
  const { page: scripted, signInAgain } = await consoleAs(browser, BEA.username);
  const page = await withoutScript(browser, scripted);
  await scripted.context().close();
  await page.goto(`/ar/admin/users/${DAN.username}`);
  const form = page.getByTestId('set-attribute-form');
  await form.locator('[name="name"]').fill('custom:department');
  await form.locator('[name="value"]').fill('Night shift');

  // Signed out everywhere (every session, grant and token of hers), as another admin could.
  const out = await page.request.post(`/admin/api/v1/users/${BEA.username}/sign-out`, { headers: { origin: foyer.url } });
  expect(out.status()).toBe(200);

  const failed = failures(page);
  const landed = page.waitForResponse((r) => new URL(r.url()).pathname === '/ar/admin/session-ended');
  expect(await posted(page, page.getByTestId('set-attribute'))).toBe(303);
  expect((await landed).status()).toBe(401);
  await sessionEnded(page, `/ar/admin/users/${DAN.username}`, { locale: 'ar' });
  await signInAgain(page, 'ar');
  await expect(page).toHaveURL(new RegExp(`/ar/admin/users/${DAN.username}$`));
  await expect(page.getByTestId('user-attributes')).not.toContainText('custom:department');
  expect(failed).toEqual([]);
});

test('without JavaScript: the console session\'s row gone, a create-group post makes nothing, says so, and the sign-in comes straight back through the pool\'s session', async ({ browser }) => {
  const { page: scripted } = await consoleAs(browser, CLEO.username);
  const page = await withoutScript(browser, scripted);
  await scripted.context().close();
  await page.goto('/en/admin/groups');
  await page.getByTestId('create-group-form').locator('[name="name"]').fill('day-shift');

  const db = connectSqlite(path.join(foyer.dataDir, 'foyer.db'));
  try {
    const cleo = db.kysely.selectFrom('users').select('id').where('username', '=', CLEO.username);
    expect(Number((await db.kysely.deleteFrom('account_sessions').where('user_id', 'in', cleo).executeTakeFirst()).numDeletedRows)).toBeGreaterThan(0);
  } finally {
    await db.close();
  }

  const failed = failures(page);
  expect(await posted(page, page.getByTestId('create-group'))).toBe(303);
  await sessionEnded(page, '/en/admin/groups');
  // The pool's session (with its second factor) still stands: no sign-in form, back on the screen.
  await expect(page).toHaveURL(/\/en\/admin\/groups$/);
  await expect(page.getByTestId('group-row').filter({ hasText: 'day-shift' })).toHaveCount(0);
  expect(await apiStatus(page, '/groups/day-shift')).toBe(404);
  expect(failed).toEqual([]);
});

test('"Sign out" after the console session ended still ends the pool\'s session: the pool asks first (no ID token to name the user), then the sign-in is gone', async ({ browser }) => {
  const { page } = await consoleAs(browser, DORA.username);
  await page.goto('/en/admin/groups');
  const db = connectSqlite(path.join(foyer.dataDir, 'foyer.db'));
  try {
    const dora = db.kysely.selectFrom('users').select('id').where('username', '=', DORA.username);
    expect(Number((await db.kysely.deleteFrom('account_sessions').where('user_id', 'in', dora).executeTakeFirst()).numDeletedRows)).toBeGreaterThan(0);
  } finally {
    await db.close();
  }

  const failed = failures(page);
  await page.getByTestId('console-sign-out').click();
  await expect(page).toHaveURL(/\/en\/logout\?/);
  await page.getByTestId('confirm-logout').click();
  await expect(page).toHaveURL(/\/en\/logout\/done$/);
  // The pool's session went too: the console asks for the password again.
  await page.goto('/en/admin');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  expect(failed).toEqual([]);
});
