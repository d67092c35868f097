import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { waitForDevOutbox } from './fixtures/dev-outbox';
import { expectError, expectNotice, signIn, submit } from './fixtures/pages';
import { startSmsReceiver, type SmsReceiver } from './fixtures/sms';

/** Codes by text message as the second factor, sent through a real local SMS webhook receiver. */

const PASSWORD = 'Sms-Users-Have-Long-Passphrases-9';
/** UK numbers reserved for drama: never a real phone. */
const SAM = { username: 'sam', phone: '+447700900123', masked: '+44 •••• ••23' };
const SAL = { username: 'sal', phone: '+447700900456' };
const FLAKY = { username: 'flaky', phone: '+447700900789', masked: '+44 •••• ••89' };
const withPhone = (u: { username: string; phone: string }) => ({ username: u.username, email: `${u.username}@example.test`, email_verified: true, password: PASSWORD, phone_number: u.phone, phone_number_verified: true });
const withoutPhone = (username: string) => ({ username, email: `${username}@example.test`, email_verified: true, password: PASSWORD });

/** A pool that requires a second factor and allows only SMS codes. */
function smsPool(url: string, factors: string[], users: object[]) {
  const c = testConfig(url);
  // Every test comes from 127.0.0.1: the per-address SMS limit is tested by the unit tests.
  return { ...c, pool: { ...c.pool, mfa: { mode: 'REQUIRED', factors }, rate_limits: { ...c.pool.rate_limits, sms_per_ip_per_hour: 10_000 } }, users: [...c.users, ...users] };
}

let sms: SmsReceiver;
let foyer: Foyer;
test.beforeAll(async () => {
  sms = await startSmsReceiver();
  foyer = await startFoyer({
    config: (url: string) =>
      smsPool(url, ['sms'], [withPhone(SAM), withPhone(SAL), withPhone(FLAKY), ...['newbie', 'guarded', 'audit-en', 'audit-ar'].map(withoutPhone)]),
    env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await sms?.stop();
});

async function startSignIn(browser: Browser, server: Foyer, username: string, opts: { javaScriptEnabled?: boolean; locale?: 'en' | 'ar' } = {}) {
  const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: opts.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await goSignIn(page, username, opts.locale ?? 'en');
  return { context, page };
}

async function goSignIn(page: Page, username: string, locale: 'en' | 'ar' = 'en') {
  await page.goto(`/${locale}/demo`);
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, username, PASSWORD);
}

async function enterCode(page: Page, formId: 'mfa-form' | 'sms-code-form', code: string) {
  const form = page.getByTestId(formId);
  await form.locator('[name="code"]').fill(code);
  await submit(page, form.getByTestId('verify-code'));
}

/** A code that is not `code`. */
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

async function expectAmr(page: Page, amr: string[]) {
  await expect(page).toHaveURL(/\/demo$/);
  const claims = page.getByTestId('id-token-claims');
  await expect(claims.locator('tr[data-claim="amr"] td')).toHaveText(JSON.stringify(amr));
  await expect(claims.locator('tr[data-claim="acr"] td')).toHaveText('urn:foyer:mfa');
}

/** The answer to the next form post (a navigation without JavaScript). */
async function post(page: Page, button: ReturnType<Page['getByTestId']>) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const response = await answered;
  await page.waitForLoadState();
  return response.status();
}

test('a code texted for this sign-in finishes it; a wrong code and a too-early resend are refused (no JavaScript)', async ({ browser }) => {
  const before = Date.now();
  const { context, page } = await startSignIn(browser, foyer, SAM.username, { javaScriptEnabled: false });
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your phone');
  await expect(page.locator('body')).toContainText(SAM.masked);
  await expect(page.getByTestId('dev-outbox-notice')).toHaveCount(0);
  const text = await sms.waitFor(SAM.phone, before);
  // The webhook got JSON it could verify: signed with the shared secret, the purpose, the text in English.
  expect(text).toMatchObject({ purpose: 'mfa', signed: true });
  expect(text.body).toMatch(/^\d{6} is your Foyer test sign-in code\. It expires in 5 minutes\./);
  const first = await sms.codeFor(SAM.phone, before);

  await enterCode(page, 'mfa-form', wrong(first));
  await expectError(page, 'This code is not right.');

  // A new code at once; another one only after the pause, refused with 429.
  const resent = Date.now();
  expect(await post(page, page.getByTestId('mfa-form').getByTestId('resend'))).toBe(200);
  await expectNotice(page, 'A new code is on its way.');
  const second = await sms.codeFor(SAM.phone, resent);
  const count = sms.requests();
  expect(await post(page, page.getByTestId('mfa-form').getByTestId('resend'))).toBe(429);
  await expectError(page, /Too many requests\. Try again in \d+ seconds?\./);

  await enterCode(page, 'mfa-form', second);
  await expectAmr(page, ['pwd', 'sms', 'mfa']);
  expect(sms.requests(), 'the refused resend texted nobody').toBe(count);
  await context.close();
});

test('resending is limited, and only the newest code works', async ({ browser }) => {
  const before = Date.now();
  const { context, page } = await startSignIn(browser, foyer, SAL.username);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  const first = await sms.codeFor(SAL.phone, before);
  const resent = Date.now();
  await submit(page, page.getByTestId('mfa-form').getByTestId('resend'));
  await expectNotice(page, 'A new code is on its way.');
  const second = await sms.codeFor(SAL.phone, resent);
  const count = sms.texts.length;
  await submit(page, page.getByTestId('mfa-form').getByTestId('resend'));
  await expectError(page, /Too many requests\. Try again in \d+ seconds?\./);
  if (first !== second) {
    await enterCode(page, 'mfa-form', first);
    await expectError(page, 'This code is not right.');
  }
  await enterCode(page, 'mfa-form', second);
  await expectAmr(page, ['pwd', 'sms', 'mfa']);
  expect(sms.texts.length).toBe(count);
  await context.close();
});

test('a failing SMS provider is logged, never an error page; the text is tried again and gets through', async ({ browser }) => {
  sms.failNext(1, 503);
  const before = Date.now();
  const { context, page } = await startSignIn(browser, foyer, FLAKY.username);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your phone');
  await expect.poll(() => foyer.logs()).toContain('outbox: delivery failed; will retry');
  expect(foyer.logs()).toContain('the SMS webhook answered HTTP 503');
  // No resend needed: the outbox delivers the same text once the provider answers again.
  await enterCode(page, 'mfa-form', await sms.codeFor(FLAKY.phone, before));
  await expectAmr(page, ['pwd', 'sms', 'mfa']);
  expect(sms.texts.filter((t) => t.to === FLAKY.phone)).toHaveLength(1);
  await context.close();
});

test('REQUIRED with SMS the only factor: a user without a phone enrols one during sign-in', async ({ browser }) => {
  const phone = '+447700900555';
  const { context, page } = await startSignIn(browser, foyer, 'newbie');
  await expect(page).toHaveURL(/\/en\/mfa\/setup\/sms\?uid=/);
  // Only SMS is allowed: no way to an authenticator app.
  await expect(page.getByTestId('use-totp-setup')).toHaveCount(0);
  const numberForm = page.getByTestId('sms-number-form');
  await numberForm.locator('[name="phone_number"]').fill('07700 900555');
  await submit(page, numberForm.getByTestId('send-sms-code'));
  await expectError(page, 'Enter the phone number in international format');

  const sent = Date.now();
  await numberForm.locator('[name="phone_number"]').fill('+44 7700 900555');
  await submit(page, numberForm.getByTestId('send-sms-code'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code we texted you');
  await expect(page.locator('body')).toContainText('+44 •••• ••55');
  const text = await sms.waitFor(phone, sent);
  expect(text).toMatchObject({ purpose: 'verify_phone', signed: true });
  const code = await sms.codeFor(phone, sent);
  await enterCode(page, 'sms-code-form', wrong(code));
  await expectError(page, 'This code is not right.');
  await enterCode(page, 'sms-code-form', code);

  // The user had no recovery codes: ten, once, then the tokens.
  await expect(page).toHaveURL(/\/en\/mfa\/recovery-codes\?uid=/);
  await expect(page.locator('body')).toContainText('If you lose your phone');
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await submit(page, page.getByTestId('recovery-codes-form').getByTestId('recovery-codes-saved'));
  await expectAmr(page, ['pwd', 'sms', 'mfa']);
  await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="sub"]')).toHaveCount(1);

  // From now on the phone is the second factor.
  await page.getByTestId('demo-sign-out').click();
  const again = Date.now();
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, 'newbie', PASSWORD);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  await enterCode(page, 'mfa-form', await sms.codeFor(phone, again));
  await expectAmr(page, ['pwd', 'sms', 'mfa']);
  await context.close();
});

test('enrolment steps cannot be skipped by URL or by a stale form', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: foyer.url });
  const page = await context.newPage();
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  const uid = new URL(page.url()).searchParams.get('uid')!;
  await page.goto(`/en/mfa/setup/sms?uid=${uid}`);
  await expect(page).toHaveURL(new RegExp(`/en/login\\?uid=${uid}$`));
  await signIn(page, 'guarded', PASSWORD);
  await expect(page).toHaveURL(/\/en\/mfa\/setup\/sms\?uid=/);
  for (const later of ['mfa', 'mfa/recovery-codes', 'mfa/setup']) {
    await page.goto(`/en/${later}?uid=${uid}`);
    await expect(page).toHaveURL(new RegExp(`/en/mfa/setup/sms\\?uid=${uid}$`));
  }

  // Tab A waits at the code; tab B goes back to the number: tab A's right code no longer counts.
  const phone = '+447700900666';
  const sent = Date.now();
  await page.getByTestId('sms-number-form').locator('[name="phone_number"]').fill(phone);
  await submit(page, page.getByTestId('sms-number-form').getByTestId('send-sms-code'));
  await expect(page.getByTestId('sms-code-form')).toBeVisible();
  const code = await sms.codeFor(phone, sent);
  const other = await context.newPage();
  await other.goto(`/en/mfa/setup/sms?uid=${uid}`);
  await submit(other, other.getByTestId('sms-code-form').getByTestId('change-number'));
  await expect(other.getByTestId('sms-number-form')).toBeVisible();
  await enterCode(page, 'sms-code-form', code);
  await expectError(page, 'This step is not available now.');

  // Resuming the authorization does not finish it: the provider starts a new sign-in.
  const callbacks: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/demo/callback')) callbacks.push(r.url());
  });
  await page.goto(`/oauth2/authorize/${uid}`);
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  expect(callbacks).toEqual([]);
  await context.close();
});

for (const locale of ['en', 'ar'] as const) {
  test(`the SMS screens are accessible, light and dark (${locale})`, async ({ browser }) => {
    const phone = locale === 'en' ? '+447700900701' : '+447700900702';
    const { context, page } = await startSignIn(browser, foyer, `audit-${locale}`, { locale });
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/setup/sms\\?uid=`));
    await expectAccessible(page, locale, 'phone number entry');
    const sent = Date.now();
    await page.getByTestId('sms-number-form').locator('[name="phone_number"]').fill(phone);
    await submit(page, page.getByTestId('sms-number-form').getByTestId('send-sms-code'));
    await expect(page.getByTestId('sms-code-form')).toBeVisible();
    const text = await sms.waitFor(phone, sent);
    if (locale === 'ar') expect(text.body).toContain('للتحقق من رقم الهاتف');
    const code = await sms.codeFor(phone, sent);
    await enterCode(page, 'sms-code-form', wrong(code));
    await expectAccessible(page, locale, 'texted code entry with an error');
    await enterCode(page, 'sms-code-form', code);
    await submit(page, page.getByTestId('recovery-codes-form').getByTestId('recovery-codes-saved'));
    await expect(page).toHaveURL(/\/demo$/);
    await page.getByTestId('demo-sign-out').click();
    await goSignIn(page, `audit-${locale}`, locale);
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa\\?uid=`));
    await expectAccessible(page, locale, 'code by text message');
    await context.close();
  });
}

test.describe('with both factors allowed and no SMS webhook', () => {
  let outboxFoyer: Foyer;
  test.beforeAll(async () => {
    outboxFoyer = await startFoyer({ config: (url: string) => smsPool(url, ['totp', 'sms'], [withoutPhone('chooser')]) });
  });
  test.afterAll(async () => outboxFoyer?.stop());

  /** The newest verification code texted to `to`, from the dev outbox (waiting for it to be delivered). */
  const outboxCode = async (context: BrowserContext, to: string) => {
    const text = await waitForDevOutbox(context.request, to, /^\d{6} is your Foyer test code to verify this phone number/);
    return text.text.slice(0, 6);
  };

  test('the setup screens switch between an app and text messages; texts land in the dev outbox', async ({ browser }) => {
    const { context, page } = await startSignIn(browser, outboxFoyer, 'chooser');
    await expect(page).toHaveURL(/\/en\/mfa\/setup\?uid=/);
    await expectAccessible(page, 'en', 'authenticator setup with the SMS choice');
    await submit(page, page.getByTestId('use-sms-setup'));
    await expect(page).toHaveURL(/\/en\/mfa\/setup\/sms\?uid=/);
    await submit(page, page.getByTestId('use-totp-setup'));
    await expect(page).toHaveURL(/\/en\/mfa\/setup\?uid=/);
    await expect(page.getByTestId('totp-secret')).toBeVisible();
    await submit(page, page.getByTestId('use-sms-setup'));

    await page.getByTestId('sms-number-form').locator('[name="phone_number"]').fill('+33 6 12 34 56 78');
    await submit(page, page.getByTestId('sms-number-form').getByTestId('send-sms-code'));
    await expect(page.locator('body')).toContainText('+33 •••• ••78');
    await expect(page.getByTestId('dev-outbox-notice')).toContainText('Text messages are not really sent');
    await waitForDevOutbox(context.request, '+33612345678');
    const outbox = await context.newPage();
    await outbox.goto('/en/dev/outbox');
    const row = outbox.locator('[data-channel="sms"]').first();
    await expect(row).toContainText('+33612345678');
    await expect(row).toContainText('Text message (SMS)');
    await outbox.close();
    await enterCode(page, 'sms-code-form', await outboxCode(context, '+33612345678'));
    await submit(page, page.getByTestId('recovery-codes-form').getByTestId('recovery-codes-saved'));
    await expectAmr(page, ['pwd', 'sms', 'mfa']);
    await context.close();
  });
});
