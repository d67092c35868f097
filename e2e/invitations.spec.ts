import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { expect, startFoyer, test, testConfig, type Foyer, type Mail, type SmtpSink } from './fixtures/foyer';
import { adminToken } from './fixtures/admin-token';
import { expectAccessible } from './fixtures/a11y';
import { errorMessage, signIn, submit } from './fixtures/pages';
import { addAuthenticatorApp, totpAt } from './fixtures/totp';
import { startSmtpSink } from '../server/testing/smtp';

/**
 * Invitations end to end (server/pool/invitations.ts): an admin creates a user in the console with
 * "Invite by e-mail"; the mail reaches a real SMTP sink; its link opens the invitation screen,
 * which takes a password under the pool's policy (a refused one first); the user then signs in to
 * the demo app. A resend kills the earlier link; a used or dead link shows the translated error
 * page (404); the screen works without JavaScript.
 */

const PASSWORD = 'Console-Admin-Passphrase-42';
const CHOSEN = 'Amber-Lighthouse-Passphrase-77';
const ROOT = { username: 'root', email: 'root@example.test', email_verified: true, password: PASSWORD, groups: ['admins'] };
const messages = (locale: string) => JSON.parse(fs.readFileSync(new URL(`../messages/${locale}.json`, import.meta.url), 'utf8')) as { errors: Record<string, string> };

let foyer: Foyer;
let smtp: SmtpSink;
test.beforeAll(async () => {
  smtp = await startSmtpSink();
  foyer = await startFoyer({
    smtpUrl: smtp.url,
    config: (url: string) => {
      const c = testConfig(url);
      return { ...c, pool: { ...c.pool, mfa: { mode: 'OPTIONAL', factors: ['totp'] } }, users: [...c.users, ROOT] };
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await smtp?.stop();
});

async function newPage(browser: Browser, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
  return context.newPage();
}

/** The invitation's link in a mail, as a path (the mail names the server's public URL). */
function linkIn(mail: Mail): string {
  const url = new URL(mail.text.match(/https?:\/\/\S+/)![0]);
  expect(url.pathname).toBe('/en/invitation');
  return `${url.pathname}${url.search}`;
}

/** The root admin in the console: an authenticator app set up on the account pages first (the console asks admins for a second factor). */
async function console_(browser: Browser): Promise<Page> {
  const page = await newPage(browser);
  await page.goto('/en/account');
  await signIn(page, ROOT.username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/account$/);
  const secret = await addAuthenticatorApp(page);
  await page.goto('/en/admin');
  await signIn(page, ROOT.username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  // The code of the next period: the one the set-up used is spent.
  await page.getByTestId('mfa-form').locator('[name="code"]').fill(totpAt(secret, Date.now() + 30_000));
  await submit(page, page.getByTestId('verify-code'));
  await expect(page).toHaveURL(/\/en\/admin$/);
  return page;
}

test.describe.configure({ mode: 'serial' });

test('an admin invites a user in the console; the mailed link sets a password (a refused one first), the user signs in to the demo app; a resend kills the old link; a used link shows the translated error', async ({ browser }) => {
  const admin = await console_(browser);
  await admin.goto('/en/admin/users');
  const create = admin.getByTestId('create-user-form');
  await create.locator('[name="username"]').fill('invitee');
  await create.locator('[name="email"]').fill('invitee@example.test');
  await create.locator('[name="invite"]').check();
  await submit(admin, admin.getByTestId('create-user'));
  await expect(admin).toHaveURL(/\/en\/admin\/users\/invitee\?notice=invited$/);
  await expect(admin.getByTestId('user-status')).toContainText('FORCE_CHANGE_PASSWORD');
  await expect(admin.getByTestId('invitation-pending')).toBeVisible();
  const first = await smtp.waitFor('invitee@example.test', (m) => m.subject === 'You are invited to Foyer test');
  expect(first.text).toContain('Your username: invitee');
  const firstLink = linkIn(first);

  // Resend, after a confirmation (the console's new words audited in both directions): a new mail, and the first link is dead.
  await admin.goto('/ar/admin/users/invitee?confirm=invite');
  await expect(admin.getByTestId('confirm')).toBeVisible();
  await expectAccessible(admin, 'ar', 'console: resend invitation, confirm', { schemes: ['dark'], fieldsAbout: 'others' });
  await admin.goto('/en/admin/users');
  await expectAccessible(admin, 'en', 'console: users, with the invite choice', { schemes: ['light'], fieldsAbout: 'others' });
  await admin.goto('/en/admin/users/invitee');
  await admin.getByTestId('user-resend-invitation').click();
  await expect(admin.getByTestId('confirm')).toContainText('Send invitee a new invitation?');
  await submit(admin, admin.getByTestId('confirm-yes'));
  await expect(admin).toHaveURL(/\/en\/admin\/users\/invitee\?notice=invited$/);
  const second = await smtp.waitFor('invitee@example.test', (m) => m.at > first.at);
  const link = linkIn(second);
  expect(link).not.toBe(firstLink);

  const user = await newPage(browser);
  const dead = await user.goto(firstLink);
  expect(dead?.status()).toBe(404);
  await expect(user.getByTestId('invitation-invalid')).toHaveText(messages('en').errors.invitation_invalid);

  await user.goto(link);
  await expect(user.getByTestId('invitation-username')).toContainText('invitee');
  const form = user.getByTestId('invitation-form');
  await form.locator('[name="password"]').fill('too-short');
  await submit(user, form.getByTestId('set-password'));
  await expect(errorMessage(user)).toContainText(/at least \d+ characters/);
  await form.locator('[name="password"]').fill(CHOSEN);
  await submit(user, form.getByTestId('set-password'));
  await expect(user.getByTestId('invitation-accepted')).toBeVisible();

  await user.goto('/en/demo');
  await user.getByTestId('demo-sign-in').click();
  await signIn(user, 'invitee', CHOSEN);
  await expect(user).toHaveURL(/\/en\/demo$/);
  await expect(user.getByTestId('signed-in-as')).toContainText('invitee');

  // The link is spent: the error page in the reader's language, a 4xx, nothing offered.
  const used = await user.goto(link.replace('/en/', '/ar/'));
  expect(used?.status()).toBe(404);
  await expect(user.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(user.getByTestId('invitation-invalid')).toHaveText(messages('ar').errors.invitation_invalid);
  await expect(user.getByTestId('invitation-form')).toHaveCount(0);

  // The console no longer offers a resend; the user is confirmed, the address verified.
  await admin.goto('/en/admin/users/invitee');
  await expect(admin.getByTestId('user-status')).toContainText('CONFIRMED');
  await expect(admin.getByTestId('user-resend-invitation')).toHaveCount(0);
  await expect(admin.getByTestId('user-attributes')).toContainText('(verified)');
});

test('the invitation screen works without JavaScript: a refused password answers 400 with the error, a good one sets it', async ({ browser, request }) => {
  const token = await adminToken(foyer.dataDir, foyer.url);
  const made = await request.post(`${foyer.url}/admin/api/v1/users`, { headers: { authorization: `Bearer ${token}` }, data: { username: 'nojs', email: 'nojs@example.test', invite: true } });
  expect(made.status()).toBe(201);
  const link = linkIn(await smtp.waitFor('nojs@example.test'));
  const page = await newPage(browser, false);
  await page.goto(link);
  const form = page.getByTestId('invitation-form');
  await form.locator('[name="password"]').fill('too-short');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST');
  await form.getByTestId('set-password').click();
  expect((await refused).status()).toBe(400);
  await expect(errorMessage(page)).toContainText(/at least \d+ characters/);
  await form.locator('[name="password"]').fill(CHOSEN);
  await submit(page, form.getByTestId('set-password'));
  await expect(page.getByTestId('invitation-accepted')).toBeVisible();
  const user = await request.get(`${foyer.url}/admin/api/v1/users/nojs`, { headers: { authorization: `Bearer ${token}` } });
  expect(await user.json()).toMatchObject({ status: 'CONFIRMED', email_verified: true });
});
