import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from '@playwright/test';
import { expectAccessible } from './fixtures/a11y';
import { FORCED, expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { startAtDemo } from './fixtures/flows';

/** Sign-up runs left to right and right to left; every locale's words are checked in messages/. */
type Locale = 'en' | 'ar';
import { enterCode, errorMessage, field, form, signIn, submit } from './fixtures/pages';
import { startSmsReceiver, type SmsReceiver } from './fixtures/sms';

/**
 * Sign-up as Cognito has it: typed custom attributes labelled per locale, terms acceptance, a
 * phone-only sign-up confirmed by a text (real SMS webhook receiver), a changed phone number
 * verified by its code, and an invitation-only pool.
 */

const PASSWORD = 'Phone-People-Pick-Long-Passphrases-7';
const TERMS = { en: 'https://example.test/en/terms', ar: 'https://example.test/ar/terms' };
/** UK numbers reserved for drama: never a real phone. */
const PHIL = { username: 'phil', phone: '+447700900150' };

/** Sign-up asks for a phone and no e-mail, typed custom attributes and the terms. */
function signUpPool(url: string) {
  const c = testConfig(url);
  return {
    ...c,
    themes: [{ id: 'house', name: 'House', links: { terms: TERMS } }],
    pool: {
      ...c.pool,
      theme: 'house',
      sign_in_aliases: ['username', 'phone_number'],
      required_attributes: ['phone_number'],
      custom_attributes: [
        { name: 'custom:plan', type: 'String', required: true, min_length: 2, max_length: 10, labels: { en: 'Plan', ar: 'الخطة' } },
        { name: 'custom:seats', type: 'Number', required: true, min_value: 1, max_value: 100 },
        { name: 'custom:beta', type: 'Boolean', required: true, labels: { en: 'Join the beta', ar: 'الانضمام إلى النسخة التجريبية' } },
        { name: 'custom:renews', type: 'DateTime', required: true, mutable: false, labels: { en: 'Renewal date', ar: 'تاريخ التجديد' } },
        { name: 'custom:note' },
      ],
      sign_up: { mode: 'open', terms: { version: '2026-12' } },
      // Every test comes from 127.0.0.1: the per-address SMS limit is tested by the unit tests.
      rate_limits: { ...c.pool.rate_limits, sms_per_ip_per_hour: 10_000 },
    },
    users: [...c.users, { username: PHIL.username, password: PASSWORD, phone_number: PHIL.phone, phone_number_verified: true }],
  };
}

let sms: SmsReceiver;
let foyer: Foyer;
test.beforeAll(async () => {
  sms = await startSmsReceiver();
  foyer = await startFoyer({ config: signUpPool, env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret } });
});
test.afterAll(async () => {
  await foyer?.stop();
  await sms?.stop();
});

const labels = {
  en: { plan: 'Plan', seats: 'Additional information: seats', beta: 'Join the beta', renews: 'Renewal date', terms: 'I accept the terms of use', seatsHint: 'A number from 1 to 100.' },
  ar: { plan: 'الخطة', seats: 'معلومات إضافية: seats', beta: 'الانضمام إلى النسخة التجريبية', renews: 'تاريخ التجديد', terms: 'أوافق على شروط الاستخدام', seatsHint: /رقم من .+ إلى .+\./ },
};

async function openSignUp(browser: Browser, locale: Locale, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
  const page = await context.newPage();
  await startAtDemo(page, foyer.url, locale, 'signup');
  return { context, page };
}

/** The typed inputs, found by their translated labels. */
async function expectTypedFields(page: Page, locale: Locale) {
  const l = labels[locale];
  const f = form(page, 'signup-form');
  await expect(f.getByLabel(l.plan, { exact: true })).toHaveAttribute('type', 'text');
  await expect(f.getByLabel(l.seats, { exact: true })).toHaveAttribute('type', 'number');
  await expect(f.getByLabel(l.seats, { exact: true })).toHaveAttribute('max', '100');
  await expect(f.getByText(l.seatsHint)).toBeVisible();
  await expect(f.getByLabel(l.beta, { exact: true })).toHaveAttribute('type', 'checkbox');
  await expect(f.getByLabel(l.renews, { exact: true })).toHaveAttribute('type', 'datetime-local');
  await expect(f.getByLabel(l.terms, { exact: true })).toHaveAttribute('type', 'checkbox');
  await expect(f.getByRole('link')).toHaveAttribute('href', TERMS[locale]);
  // Optional attributes are not asked for.
  await expect(f.locator('[name="custom:note"]')).toHaveCount(0);
  await expect(f.locator('[name="email"]')).toHaveCount(0);
}

async function fillSignUp(page: Page, o: { username: string; phone: string; seats?: string; terms?: boolean }) {
  await field(page, 'signup-form', 'username').fill(o.username);
  await field(page, 'signup-form', 'phone_number').fill(o.phone);
  await field(page, 'signup-form', 'custom:plan').fill('pro');
  await field(page, 'signup-form', 'custom:seats').fill(o.seats ?? '12');
  await field(page, 'signup-form', 'custom:beta').check();
  await field(page, 'signup-form', 'custom:renews').fill('2026-12-05T10:30');
  await field(page, 'signup-form', 'password').fill(PASSWORD);
  if (o.terms ?? true) await field(page, 'signup-form', 'terms').check();
  else await field(page, 'signup-form', 'terms').uncheck();
}

/** Submits without the browser's own checks (so the server is what refuses); the document POST's status. */
async function postUnchecked(page: Page, button: Locator, navigates = true): Promise<number> {
  await page.evaluate(() => {
    const f = document.querySelector('[data-testid="signup-form"]') as HTMLFormElement;
    f.noValidate = true;
    for (const input of f.querySelectorAll('input')) for (const a of ['required', 'min', 'max', 'minlength', 'maxlength']) input.removeAttribute(a);
  });
  // Without JavaScript the form navigates (a document POST); with it, a server action answers.
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (!navigates || r.request().resourceType() === 'document'));
  await button.click();
  const res = await answered;
  await page.waitForLoadState();
  return res.status();
}

/** The confirm screen names the masked number; the texted code confirms the account and signs in. */
async function confirmByText(page: Page, locale: Locale, phone: string, since: number) {
  await expect(page).toHaveURL(/\/confirm\?uid=/);
  await expect(page.getByText(locale === 'en' ? /^We texted a 6-digit code to .+ It is valid for 5 minutes\.$/ : /^أرسلنا رسالة نصية فيها رمز/)).toContainText(`+44 •••• ••${phone.slice(-2)}`);
  const text = await sms.waitFor(phone, since);
  expect(text).toMatchObject({ purpose: 'confirm_sign_up', signed: true });
  await enterCode(page, await sms.codeFor(phone, since));
  await expect(page).toHaveURL(/\/demo$/);
}

const claim = (page: Page, name: string) => page.getByTestId('id-token-claims').locator(`tr[data-claim="${name}"] td`);

function storedUser(username: string) {
  const db = new Database(path.join(foyer.dataDir, 'foyer.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select terms_version, terms_accepted_at, attributes, phone_number_verified from users where username_lower = ?').get(username) as
      | { terms_version: string | null; terms_accepted_at: number | null; attributes: string; phone_number_verified: number }
      | undefined;
  } finally {
    db.close();
  }
}

test('sign-up with typed custom attributes and the terms (en, JavaScript): confirmed by a texted code, attributes in the ID token as strings', async ({ browser }) => {
  const { context, page } = await openSignUp(browser, 'en', true);
  await expectTypedFields(page, 'en');
  await expectAccessible(page, 'en', 'sign-up with custom attributes and terms');
  const before = Date.now();
  const phone = '+447700900161';
  await fillSignUp(page, { username: 'typed-en', phone });
  await submit(page, form(page, 'signup-form').getByTestId('sign-up'));
  await confirmByText(page, 'en', phone, before);
  await expect(claim(page, 'custom:seats')).toHaveText('12');
  await expect(claim(page, 'custom:beta')).toHaveText('true');
  await expect(claim(page, 'custom:renews')).toHaveText('2026-12-05T10:30:00');
  await expect(claim(page, 'phone_number_verified')).toHaveText('true');
  const row = storedUser('typed-en');
  expect(row).toMatchObject({ terms_version: '2026-12', phone_number_verified: 1 });
  expect(row!.terms_accepted_at).toBeGreaterThanOrEqual(before - 1000);
  await context.close();
});

test('sign-up in Arabic without JavaScript: a bad number and unaccepted terms are refused per field with a 400, then the texted code confirms', async ({ browser }) => {
  const phone = '+447700900172';
  // axe runs in the page: the form and its refusal are audited with JavaScript on.
  const audited = await openSignUp(browser, 'ar', true);
  await expectTypedFields(audited.page, 'ar');
  await expectAccessible(audited.page, 'ar', 'sign-up with custom attributes and terms');
  await fillSignUp(audited.page, { username: 'typed-ar', phone, seats: '500' });
  await postUnchecked(audited.page, form(audited.page, 'signup-form').getByTestId('sign-up'), false);
  await expect(errorMessage(audited.page)).toHaveText(/^أدخِل رقمًا لا يزيد على .+\.$/);
  await expectAccessible(audited.page, 'ar', 'sign-up refused for a bad number');
  await audited.context.close();

  const { context, page } = await openSignUp(browser, 'ar', false);
  await expectTypedFields(page, 'ar');
  const button = form(page, 'signup-form').getByTestId('sign-up');

  await fillSignUp(page, { username: 'typed-ar', phone, seats: '500' });
  expect(await postUnchecked(page, button)).toBe(400);
  await expect(errorMessage(page)).toHaveText(/^أدخِل رقمًا لا يزيد على .+\.$/);
  await expect(field(page, 'signup-form', 'custom:seats')).toHaveAttribute('aria-invalid', 'true');
  await expect(field(page, 'signup-form', 'custom:seats')).toHaveValue('500');

  await fillSignUp(page, { username: 'typed-ar', phone, terms: false });
  expect(await postUnchecked(page, button)).toBe(400);
  await expect(errorMessage(page)).toHaveText('يجب قبول شروط الاستخدام لإنشاء حساب.');
  await expect(field(page, 'signup-form', 'terms')).toHaveAttribute('aria-invalid', 'true');
  expect(storedUser('typed-ar')).toBeUndefined();

  const before = Date.now();
  await fillSignUp(page, { username: 'typed-ar', phone });
  await submit(page, button);
  await confirmByText(page, 'ar', phone, before);
  await expect(claim(page, 'custom:plan')).toHaveText('pro');
  expect(storedUser('typed-ar')).toMatchObject({ terms_version: '2026-12' });
  await context.close();
});

test('a changed phone number becomes the account’s only once the code texted to it comes back', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const next = '+447700900183';
  await page.goto(`${foyer.url}/en/account/phone`);
  await signIn(page, PHIL.username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/account\/phone$/);
  const since = Date.now();
  const start = page.getByTestId('change-phone-form');
  await start.locator('[name="phone_number"]').fill(next);
  await submit(page, start.getByTestId('send-phone-code'));
  const code = await sms.codeFor(next, since);
  // Not yet: the old number is still the account's, the new one unverified nowhere.
  await page.goto(`${foyer.url}/en/account`);
  await expect(page.getByTestId('profile')).toContainText(PHIL.phone);
  await expect(page.getByTestId('profile')).not.toContainText(next);
  await page.goto(`${foyer.url}/en/account/phone`);
  const confirm = page.getByTestId('confirm-phone-form');
  await confirm.locator('[name="code"]').fill(code === '000000' ? '111111' : '000000');
  await submit(page, confirm.getByTestId('confirm-phone'));
  await expect(errorMessage(page)).toBeVisible();
  await confirm.locator('[name="code"]').fill(code);
  await submit(page, confirm.getByTestId('confirm-phone'));
  await expect(page).toHaveURL(/\/en\/account\?notice=phone_changed$/);
  await expect(page.getByTestId('profile')).toContainText(next);
  expect(storedUser(PHIL.username)).toMatchObject({ phone_number_verified: 1 });
  await context.close();
});

test('invitation-only: no sign-up link or page, a sign-up form posted anyway gets a 403, and an invited user sets a new password', async ({ browser }) => {
  const server = await startFoyer({ config: testConfig });
  try {
    const context = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false });
    const page = await context.newPage();
    // A sign-up form loaded while sign-up was open...
    await startAtDemo(page, server.url, 'en', 'signup');
    const signUpUrl = page.url();
    // ...then the pool becomes invitation-only (as an admin would set it; instances see it within a second).
    const db = new Database(path.join(server.dataDir, 'foyer.db'), { fileMustExist: true });
    const settings = JSON.parse((db.prepare("select value from settings where name = 'pool'").get() as { value: string }).value);
    db.prepare("update settings set value = ? where name = 'pool'").run(JSON.stringify({ ...settings, sign_up: { mode: 'invitation_only' }, self_sign_up: false }));
    db.close();
    const probe = await context.newPage();
    await expect(async () => {
      await probe.goto(signUpUrl.replace('/signup?', '/login?'));
      await expect(probe.getByTestId('login-form')).toBeVisible();
      await expect(probe.getByTestId('signup-link')).toHaveCount(0);
    }).toPass();

    await field(page, 'signup-form', 'username').fill('uninvited');
    await field(page, 'signup-form', 'email').fill('uninvited@example.test');
    await field(page, 'signup-form', 'password').fill(PASSWORD);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document');
    await form(page, 'signup-form').getByTestId('sign-up').click();
    expect((await answered).status()).toBe(403);
    await expect(errorMessage(page)).toHaveText('Sign-up is not open for this application.');

    await probe.goto(signUpUrl);
    await expect(probe.getByText('Sign-up is not open for this application.')).toBeVisible();
    await expect(probe.getByTestId('signup-form')).toHaveCount(0);

    // An admin-created user (a temporary password) lands on the new-password screen.
    await probe.goto(signUpUrl.replace('/signup?', '/login?'));
    await signIn(probe, FORCED.username, FORCED.password);
    await expect(probe).toHaveURL(/\/en\/new-password\?uid=/);
    await expect(form(probe, 'new-password-form')).toBeVisible();
    await context.close();
  } finally {
    await server.stop();
  }
});
