import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { connectSqlite } from '../server/db/connect';
import { installVault, resolveDeploymentSecret } from '../server/secrets';
import { mintAdminToken } from '../server/testing/admin-token';
import { expect, test, type Foyer, type SmtpSink } from './fixtures/foyer';
import { startMailingFoyer } from './fixtures/own-foyer';
import { freshUser, GOOD_PASSPHRASE } from './fixtures/flows';
import { expectFocus, focused, follow, press, sendWith, tabCycle, tabTo } from './fixtures/keyboard';
import { totpAt } from './fixtures/totp';

/**
 * Sign-up, the account pages, sign-in with a second factor, the admin console and a password
 * reset with the keyboard alone: no click, no fill, only Tab, Shift+Tab, Enter, Space and typing
 * into what has the focus. Every focus stop is checked for a visible ring and for being in view
 * (fixtures/keyboard.ts). The tests run in order: each goes on with the account the one before made.
 */

let foyer: Foyer;
let smtp: SmtpSink;
let stop: () => Promise<void>;
test.beforeAll(async () => {
  ({ foyer, smtp, stop } = await startMailingFoyer({ mfa: { mode: 'OPTIONAL', factors: ['totp'] } }));
});
test.afterAll(async () => stop?.());

const person = { ...freshUser('keys'), password: GOOD_PASSPHRASE };
const NEW_PASSWORD = 'Keyboard-Only-Passphrase-Renewed-9';
let totpSecret = '';
/** The browser signed in with the authenticator app, kept for the console test. */
let mfaPage: Page | undefined;

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: foyer.url });
  return context.newPage();
}

/** From the demo app's page, its sign-in (or sign-up) link by keyboard: the hosted screen. */
async function startAtDemo(page: Page, which: 'demo-sign-in' | 'demo-sign-up'): Promise<void> {
  await page.goto('/en/demo');
  await tabTo(page, which);
  await follow(page, 'Enter', which === 'demo-sign-in' ? /\/en\/login\?uid=/ : /\/en\/signup\?uid=/);
}

test.describe.configure({ mode: 'serial' });

test('the sign-in screen: skip link first, then the language switcher, then the form in reading order', async ({ browser }) => {
  const page = await newPage(browser);
  await startAtDemo(page, 'demo-sign-in');
  // Focus starts in the first field, so typing can begin at once.
  await expectFocus(page, 'input[identifier]');
  const order = await tabCycle(page);
  const at = (name: string | RegExp) => order.findIndex((n) => (typeof name === 'string' ? n === name : name.test(n)));
  expect(order[0], `the first stop (${order.join(' → ')})`).toMatch(/^a "Skip to/);
  const sequence = [at(/^summary /), at('input[identifier]'), at('input[password]'), at('sign-in'), at('forgot-link'), at('signup-link')];
  expect(sequence.every((i) => i > 0), `every control is reached: ${order.join(' → ')}`).toBe(true);
  expect([...sequence].sort((a, b) => a - b), `in reading order: ${order.join(' → ')}`).toEqual(sequence);

  // Round again at the skip link, which leads past the banner.
  await expectFocus(page, /^a "Skip to/);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  expect((await press(page, 'Tab')).name).toBe('input[identifier]');

  // The language switcher opens with Enter, lists the languages, and a language keeps the flow.
  const uid = new URL(page.url()).searchParams.get('uid');
  await tabTo(page, /^summary /, { back: true });
  await page.keyboard.press('Enter');
  await expect(page.locator('nav.foyer-language-switcher details')).toHaveAttribute('open', '');
  const languages = await tabTo(page, /^a "Deutsch"$/);
  expect(languages.length, 'the list is reached right after the switcher').toBeLessThan(10);
  await follow(page, 'Enter', /\/de\/login\?uid=/);
  expect(new URL(page.url()).searchParams.get('uid')).toBe(uid);
  await expectFocus(page, 'input[identifier]');
  // Space on the summary works too: it opens the list and folds it away again.
  await tabTo(page, /^summary /, { back: true });
  await page.keyboard.press('Space');
  await expect(page.locator('nav.foyer-language-switcher details')).toHaveAttribute('open', '');
  await page.keyboard.press('Space');
  await expect(page.locator('nav.foyer-language-switcher details')).not.toHaveAttribute('open', '');
  await page.context().close();
});

test('sign-up: a refused password focuses the error summary, whose link leads to the field; the mailed code confirms', async ({ browser }) => {
  const page = await newPage(browser);
  await startAtDemo(page, 'demo-sign-up');
  await expectFocus(page, 'input[username]');
  await page.keyboard.type(person.username);
  await tabTo(page, 'input[email]');
  await page.keyboard.type(person.email);
  await tabTo(page, 'input[password]');
  await page.keyboard.type('short');
  await tabTo(page, 'sign-up');
  await sendWith(page, 'Space');

  // The summary has the focus and says what is wrong; its link puts the caret in the field.
  await expectFocus(page, /^div /);
  await expect(page.locator('#form-error')).toBeFocused();
  await expect(page.locator('#form-error [role="alert"]')).not.toBeEmpty();
  expect((await press(page, 'Tab')).name).toMatch(/^a "/);
  await page.keyboard.press('Enter');
  await expectFocus(page, 'input[password]');
  await expect(page.locator('input[name="password"]')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(person.password);
  const since = Date.now();
  await sendWith(page, 'Enter');

  // The confirmation screen: the code field has the focus; Enter sends it.
  await expect(page).toHaveURL(/\/en\/confirm\?uid=/);
  await expectFocus(page, 'input[code]');
  await page.keyboard.type(await smtp.codeFor(person.email, since));
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/demo$/);
  await page.context().close();
});

test('the account pages: an authenticator app added and its recovery codes acknowledged', async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto('/en/account');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await expectFocus(page, 'input[identifier]');
  await page.keyboard.type(person.username);
  await press(page, 'Tab');
  await page.keyboard.type(person.password);
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/account$/);

  // Nothing is focused on arrival: the first Tab is the skip link, and it is visible when focused.
  expect((await press(page, 'Tab')).name).toMatch(/^a "Skip to/);
  await tabTo(page, /^a "Set up"$/);
  await follow(page, 'Enter', /\/en\/account\/totp$/);
  totpSecret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
  await tabTo(page, 'input[code]');
  await page.keyboard.type(totpAt(totpSecret, Date.now()));
  await sendWith(page, 'Enter');

  await expect(page).toHaveURL(/\/en\/account\/recovery-codes$/);
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await tabTo(page, /^a "I have saved/);
  await follow(page, 'Enter', /\/en\/account$/);
  await expect(page.getByTestId('factor-totp')).toContainText(/on|added|active/i);
  await page.context().close();
});

test('sign-in with the authenticator app: password, then the code, by keyboard', async ({ browser }) => {
  const page = await newPage(browser);
  await startAtDemo(page, 'demo-sign-in');
  await page.keyboard.type(person.email);
  await tabTo(page, 'input[password]');
  await page.keyboard.type(person.password);
  await tabTo(page, 'sign-in');
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  await expectFocus(page, 'input[code]');
  // The next period's code: the one typed on the account page cannot be used twice.
  await page.keyboard.type(totpAt(totpSecret, Date.now() + 30_000));
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td')).toHaveText('["pwd","otp","mfa"]');
  // Kept for the console: this browser's session proved a second factor, as the console asks of admins.
  mfaPage = page;
});

test('the console: navigation, a group created, a member added, the group deleted after confirming, by keyboard', async () => {
  const page = mfaPage!;
  // An operator makes the person an admin (through the admin API, as a robot would).
  installVault(resolveDeploymentSecret({ dataDir: foyer.dataDir, previousSecrets: [] }, { create: false }).vault);
  const db = connectSqlite(path.join(foyer.dataDir, 'foyer.db'));
  const token = await mintAdminToken(db.kysely, { issuer: foyer.url, clientId: 'keyboard-robot' }).finally(() => db.close());
  const added = await page.request.put(`/admin/api/v1/groups/admins/members/${person.username}`, { headers: { authorization: `Bearer ${token}` } });
  expect(added.status()).toBe(204);

  await page.goto('/en/admin');
  await expect(page).toHaveURL(/\/en\/admin$/);
  expect((await press(page, 'Tab')).name).toMatch(/^a "Skip to/);
  await tabTo(page, /^a "Groups"$/);
  await follow(page, 'Enter', /\/en\/admin\/groups$/);
  await tabTo(page, 'input[name]');
  await page.keyboard.type('keyboarders');
  await tabTo(page, 'create-group');
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/admin\/groups\/keyboarders\?notice=created$/);

  await tabTo(page, 'input[username]');
  await page.keyboard.type(person.username);
  await tabTo(page, 'add-member');
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/notice=member_added$/);
  await expect(page.getByTestId('group-member')).toContainText(person.username);

  // Deleting asks first; the question's button is reached by Tab like any other.
  await tabTo(page, 'group-delete');
  await follow(page, 'Enter', /\?confirm=delete$/);
  await tabTo(page, 'confirm-yes');
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/admin\/groups\?notice=deleted$/);
  await expect(page.getByTestId('group-list')).not.toContainText('keyboarders');
  await page.context().close();
});

test('password reset: forgot link, the mailed code and a new password, by keyboard', async ({ browser }) => {
  const page = await newPage(browser);
  await startAtDemo(page, 'demo-sign-in');
  await tabTo(page, 'forgot-link');
  await follow(page, 'Enter', /\/en\/forgot-password\?uid=/);
  await expectFocus(page, 'input[identifier]');
  await page.keyboard.type(person.email);
  const since = Date.now();
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/reset-password\?uid=/);
  await expectFocus(page, 'input[code]');
  await page.keyboard.type(await smtp.codeFor(person.email, since));
  await tabTo(page, 'input[password]');
  await page.keyboard.type(NEW_PASSWORD);
  await tabTo(page, 'reset');
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(/\/en\/login\?uid=.*notice=password_changed/);
  // The new password signs in (the second factor follows).
  await expectFocus(page, 'input[identifier]');
  await page.keyboard.type(person.username);
  await press(page, 'Tab');
  await page.keyboard.type(NEW_PASSWORD);
  await sendWith(page, 'Enter');
  await expect(page).toHaveURL(totpSecret ? /\/en\/mfa\?uid=/ : /\/en\/demo$/);
  expect(await focused(page)).not.toBeNull();
  await page.context().close();
});
