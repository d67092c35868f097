import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from '@playwright/test';
import { ALICE, expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { startSmtpSink, type SmtpSink } from '../server/testing/smtp';
import { startSmsReceiver, type SmsReceiver } from './fixtures/sms';
import { expectError, signIn, submit } from './fixtures/pages';

/**
 * Account self-service at /{locale}/account: the account pages sign in through the pool like any
 * app, then let the user change their password and e-mail, manage second factors, recovery codes,
 * remembered devices and signed-in browsers. Sensitive changes ask for a recent sign-in.
 */

const codeAt = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

const PASSWORD = 'Account-Owner-Passphrase-42';
const NEW_PASSWORD = 'Brand-New-Account-Passphrase-43';
const user = (name: string) => ({ username: name, email: `${name}@example.test`, email_verified: true, password: PASSWORD });
const USERS = ['pat', 'quinn', 'robin', 'sam', 'tess', 'uma', 'audit-en', 'audit-ar', 'vic', 'wyn'].map(user);
const REAUTH_SECONDS = 20; // long enough for a loaded CI machine to finish each test's steps within it

let foyer: Foyer;
let smtp: SmtpSink;
let sms: SmsReceiver;
test.beforeAll(async () => {
  smtp = await startSmtpSink();
  sms = await startSmsReceiver();
  foyer = await startFoyer({
    smtpUrl: smtp.url,
    env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret },
    config: (url: string) => {
      const c = testConfig(url);
      return {
        ...c,
        pool: { ...c.pool, mfa: { mode: 'OPTIONAL', factors: ['totp', 'email', 'sms'], remember_device_days: 30 }, account: { reauth_after_seconds: REAUTH_SECONDS } },
        users: [...c.users, ...USERS],
      };
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await smtp?.stop();
  await sms?.stop();
});

async function newPage(browser: Browser, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
  return context.newPage();
}

/** Straight to the account page: not signed in, so through the pool's sign-in first. */
async function openAccount(page: Page, who: { username: string; password?: string }, path = '') {
  await page.goto(`/en/account${path}`);
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await signIn(page, who.username, who.password ?? PASSWORD);
  await expect(page).toHaveURL(new RegExp(`/en/account${path}$`));
}

async function mfaWithEmail(page: Page, email: string) {
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  const since = Date.now() - 1000;
  if (await page.getByTestId('use-email').isVisible()) await submit(page, page.getByTestId('use-email'));
  const code = await smtp.codeFor(email, since);
  await page.getByTestId('mfa-form').locator('[name="code"]').fill(code);
  await submit(page, page.getByTestId('verify-code'));
}

test('reached from the demo app after sign-in, without a second sign-in; shows the profile', async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, USERS[0].username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/demo$/);
  await page.getByTestId('manage-account').click();
  // The browser is signed in to the pool already: the account app gets its tokens at once.
  await expect(page).toHaveURL(/\/en\/account$/);
  await expect(page.getByTestId('profile')).toContainText(USERS[0].username);
  await expect(page.getByTestId('profile-email')).toContainText(USERS[0].email);
  // Both apps appear under this browser's sign-in.
  await expect(page.getByTestId('session').filter({ has: page.locator('strong') })).toContainText('Demo');
  await page.context().close();
});

test('a page of the account needs a sign-in, and a forged session cookie is not one', async ({ browser }) => {
  const page = await newPage(browser);
  await page.context().addCookies([{ name: 'foyer.account', value: 'forged-token-value', url: foyer.url }]);
  await page.goto('/en/account/password');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await page.context().close();
});

test('a form sent after the account session ended (no JavaScript): through the sign-in and back to the page, nothing changed, never a 405', async ({ browser }) => {
  const who = USERS[9];
  const page = await newPage(browser, false);
  await openAccount(page, who, '/password');
  // The account session ends while the page is open (its cookie gone, as when it expires).
  await page.context().clearCookies({ name: /foyer\.account$/ });
  const answers: { url: string; status: number }[] = [];
  page.on('response', (r) => answers.push({ url: new URL(r.url()).pathname, status: r.status() }));
  const form = page.getByTestId('change-password-form');
  await form.locator('[name="current_password"]').fill(PASSWORD);
  await form.locator('[name="new_password"]').fill(NEW_PASSWORD);
  await submit(page, form.getByTestId('change-password'));
  // The pool's session still holds: the sign-in comes straight back to the page the form was on.
  await expect(page).toHaveURL(/\/en\/account\/password$/);
  expect(answers.filter((a) => a.status >= 400), 'no refusal on the way').toEqual([]);
  // Nothing was changed: the old password still signs in.
  const again = await newPage(browser);
  await openAccount(again, who);
  await again.context().close();
  await page.context().close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`change password: the current one is checked, other browsers are signed out, the owner is told (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const who = javaScriptEnabled ? USERS[1] : USERS[2];
    const other = await newPage(browser);
    await openAccount(other, who);
    const page = await newPage(browser, javaScriptEnabled);
    await openAccount(page, who, '/password');

    const form = page.getByTestId('change-password-form');
    await form.locator('[name="current_password"]').fill('not-the-current-password');
    await form.locator('[name="new_password"]').fill(NEW_PASSWORD);
    await submit(page, form.getByTestId('change-password'));
    await expectError(page, 'The current password is not right.');

    await form.locator('[name="current_password"]').fill(PASSWORD);
    await form.locator('[name="new_password"]').fill('password1234');
    await submit(page, form.getByTestId('change-password'));
    await expectError(page, 'too common');

    const since = Date.now();
    await form.locator('[name="current_password"]').fill(PASSWORD);
    await form.locator('[name="new_password"]').fill(NEW_PASSWORD);
    await submit(page, form.getByTestId('change-password'));
    await expect(page).toHaveURL(/\/en\/account\?notice=password_changed$/);
    await expect(page.getByTestId('notice-message')).toContainText('Your password was changed');
    await smtp.waitFor(who.email, (m) => m.at >= since && /password was changed/.test(m.subject));

    // The other browser's sign-in is gone: its account page asks to sign in, and the new password works.
    await other.goto('/en/account');
    await expect(other).toHaveURL(/\/en\/login\?uid=/);
    await signIn(other, who.username, PASSWORD);
    await expectError(other, 'Incorrect username or password.');
    await signIn(other, who.username, NEW_PASSWORD);
    await expect(other).toHaveURL(/\/en\/account$/);
    await page.context().close();
    await other.context().close();
  });
}

test('authenticator app added in self-service (OPTIONAL pool): recovery codes once, then asked at sign-in with a choice of factor; removal needs a recent sign-in', async ({ browser }) => {
  const who = USERS[3];
  const page = await newPage(browser);
  await openAccount(page, who);
  // E-mail codes are opt-in in an OPTIONAL pool: turned on here, so the user will have two factors.
  await expect(page.getByTestId('factor-email')).toContainText('off');
  await submit(page, page.getByTestId('toggle-email-codes'));
  await expect(page.getByTestId('factor-email')).toContainText('on');
  await expect(page.getByTestId('factor-totp')).toContainText('off');
  await page.getByTestId('factor-totp').getByRole('link').click();
  await expect(page).toHaveURL(/\/en\/account\/totp$/);
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // A refused code keeps the same secret on the page.
  const form = page.getByTestId('account-totp-form');
  await form.locator('[name="code"]').fill(codeAt(secret, Date.now()) === '123456' ? '654321' : '123456');
  await submit(page, form.getByTestId('verify-code'));
  await expectError(page, 'This code is not right.');
  await page.reload();
  expect(((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '')).toBe(secret);
  const since = Date.now();
  await form.locator('[name="code"]').fill(codeAt(secret, Date.now()));
  await submit(page, form.getByTestId('verify-code'));

  await expect(page).toHaveURL(/\/en\/account\/recovery-codes$/);
  const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await page.reload();
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
  await smtp.waitFor(who.email, (m) => m.at >= since && /authenticator app was added/.test(m.text));
  await page.goto('/en/account');
  await expect(page.getByTestId('factor-totp')).toContainText('on');
  await expect(page.getByTestId('recovery-codes-status')).toContainText('10 recovery codes left');

  // A fresh browser: password, then the app's code (last used) with the e-mail offered instead.
  const next = await newPage(browser);
  await next.goto('/en/account');
  await signIn(next, who.username, PASSWORD);
  await expect(next).toHaveURL(/\/en\/mfa\?uid=/);
  await expect(next.getByTestId('use-email')).toBeVisible();
  await next.getByTestId('mfa-form').locator('[name="code"]').fill(codeAt(secret, Date.now() + 30_000));
  await submit(next, next.getByTestId('verify-code'));
  await expect(next).toHaveURL(/\/en\/account$/);

  // Later, removing it asks for a fresh sign-in first, then comes back to the account page.
  await next.waitForTimeout((REAUTH_SECONDS + 1) * 1000);
  await submit(next, next.getByTestId('remove-totp'));
  await expect(next).toHaveURL(/\/en\/login\?uid=/);
  await signIn(next, who.username, PASSWORD);
  await mfaWithEmail(next, who.email);
  await expect(next).toHaveURL(/\/en\/account$/);
  await submit(next, next.getByTestId('remove-totp'));
  await expect(next).toHaveURL(/\/en\/account\?notice=totp_removed$/);
  await expect(next.getByTestId('factor-totp')).toContainText('off');
  await page.context().close();
  await next.context().close();
});

test('change e-mail: takes effect only with the code sent to the new address; the old address is told; a taken address gets no code', async ({ browser }) => {
  const who = USERS[4];
  const page = await newPage(browser);
  await openAccount(page, who, '/email');

  // An address that has an account: the same answer, but only a warning goes there.
  let since = Date.now();
  await page.getByTestId('change-email-form').locator('[name="email"]').fill(ALICE.email);
  await submit(page, page.getByTestId('send-email-code'));
  await expect(page.getByTestId('confirm-email-form')).toBeVisible();
  const warning = await smtp.waitFor(ALICE.email, (m) => m.at >= since);
  expect(warning.subject).toMatch(/Sign-up attempt/);
  await submit(page, page.getByTestId('cancel-email'));

  const fresh = `tess-new-${Date.now()}@example.test`;
  since = Date.now();
  await page.getByTestId('change-email-form').locator('[name="email"]').fill(fresh);
  await submit(page, page.getByTestId('send-email-code'));
  const code = await smtp.codeFor(fresh, since);
  const confirm = page.getByTestId('confirm-email-form');
  await confirm.locator('[name="code"]').fill(code === '000000' ? '111111' : '000000');
  await submit(page, confirm.getByTestId('confirm-email'));
  await expectError(page, 'This code is not right.');
  await confirm.locator('[name="code"]').fill(code);
  await submit(page, confirm.getByTestId('confirm-email'));
  await expect(page).toHaveURL(/\/en\/account\?notice=email_changed$/);
  await expect(page.getByTestId('profile-email')).toContainText(fresh);
  const told = await smtp.waitFor(who.email, (m) => m.at >= since && /e-mail address was changed/.test(m.subject));
  expect(told.text).not.toContain(fresh); // masked
  await page.context().close();
});

test('change phone number with a texted code, then turn on codes by text: the next sign-in asks for one', async ({ browser }) => {
  const who = USERS[8];
  const phone = '+447700900123';
  const page = await newPage(browser);
  await openAccount(page, who, '/phone');
  const form = page.getByTestId('change-phone-form');
  await form.locator('[name="phone_number"]').fill('not a number');
  await submit(page, form.getByTestId('send-phone-code'));
  await expectError(page);
  let since = Date.now();
  await form.locator('[name="phone_number"]').fill(phone);
  await submit(page, form.getByTestId('send-phone-code'));
  const code = await sms.codeFor(phone, since);
  const confirm = page.getByTestId('confirm-phone-form');
  await confirm.locator('[name="code"]').fill(code);
  await submit(page, confirm.getByTestId('confirm-phone'));
  await expect(page).toHaveURL(/\/en\/account\?notice=phone_changed$/);
  await expect(page.getByTestId('profile')).toContainText(phone);
  await smtp.waitFor(who.email, (m) => m.at >= since && /phone number of your/.test(m.text));

  await expect(page.getByTestId('factor-sms')).toContainText('off');
  await submit(page, page.getByTestId('toggle-sms-codes'));
  await expect(page.getByTestId('factor-sms')).toContainText('on');

  const next = await newPage(browser);
  await next.goto('/en/account');
  since = Date.now();
  await signIn(next, who.username, PASSWORD);
  await expect(next).toHaveURL(/\/en\/mfa\?uid=/);
  const signInCode = await sms.codeFor(phone, since);
  await next.getByTestId('mfa-form').locator('[name="code"]').fill(signInCode);
  await submit(next, next.getByTestId('verify-code'));
  await expect(next).toHaveURL(/\/en\/account$/);
  await page.context().close();
  await next.context().close();
});

test('signed-in browsers are listed, and one can sign another out', async ({ browser }) => {
  const who = USERS[5];
  const a = await newPage(browser);
  await openAccount(a, who);
  const b = await newPage(browser);
  await openAccount(b, who);
  await a.reload();
  await expect(a.getByTestId('session')).toHaveCount(2);
  await submit(a, a.locator('[data-testid="session"][data-current="false"]').getByTestId('revoke-session'));
  await expect(a).toHaveURL(/notice=session_revoked/);
  await expect(a.getByTestId('session')).toHaveCount(1);
  await b.goto('/en/account');
  await expect(b).toHaveURL(/\/en\/login\?uid=/);
  await a.context().close();
  await b.context().close();
});

test('a remembered browser shows in the list, and forgetting it brings back the second step', async ({ browser }) => {
  const who = USERS[0];
  const page = await newPage(browser);
  // Give the user an authenticator app first, so sign-ins ask for a second factor.
  await openAccount(page, who, '/totp');
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  await page.getByTestId('account-totp-form').locator('[name="code"]').fill(codeAt(secret, Date.now()));
  await submit(page, page.getByTestId('verify-code'));
  await expect(page).toHaveURL(/\/en\/account\/recovery-codes$/);

  const remembered = await newPage(browser);
  await remembered.goto('/en/account');
  await signIn(remembered, who.username, PASSWORD);
  const form = remembered.getByTestId('mfa-form');
  await form.locator('[name="code"]').fill(codeAt(secret, Date.now() + 30_000));
  await form.locator('[name="remember"]').check();
  await submit(remembered, form.getByTestId('verify-code'));
  await expect(remembered).toHaveURL(/\/en\/account$/);
  const device = remembered.getByTestId('device');
  await expect(device).toHaveCount(1);
  await expect(device).toContainText('Chrome');
  await submit(remembered, device.getByTestId('forget-device'));
  await expect(remembered).toHaveURL(/notice=device_forgotten/);
  await expect(remembered.getByTestId('device')).toHaveCount(0);

  // Signed out and in again in that browser: the second step is asked for again.
  await submit(remembered, remembered.getByTestId('sign-out'));
  await expect(remembered).toHaveURL(/\/en\/logout\/done$/);
  await remembered.goto('/en/account');
  await signIn(remembered, who.username, PASSWORD);
  await expect(remembered).toHaveURL(/\/en\/mfa\?uid=/);
  await page.context().close();
  await remembered.context().close();
});

for (const locale of ['en', 'ar'] as const) {
  test(`account pages have no axe violations of any impact (${locale}, light and dark)`, async ({ browser }) => {
    const who = USERS[locale === 'en' ? 6 : 7];
    const page = await newPage(browser);
    for (const path of ['', '/password', '/email', '/phone', '/totp']) {
      await page.goto(`/${locale}/account${path}`);
      // Pages for sensitive changes ask for a fresh sign-in once the last one is a few seconds old.
      if (page.url().includes('/login?')) await signIn(page, who.username, PASSWORD);
      await expect(page).toHaveURL(new RegExp(`/${locale}/account${path}$`));
      await expectAccessible(page, locale, `account${path || ' overview'}`);
    }
    await page.context().close();
  });
}
