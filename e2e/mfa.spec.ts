import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from '@playwright/test';
import { ALICE, expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { waitForDevOutbox } from './fixtures/dev-outbox';
import { expectAccessible } from './fixtures/a11y';
import { expectError, signIn, submit } from './fixtures/pages';
import { rotatingSlice } from './fixtures/sample';

/** Two-step verification with an authenticator app, required by the pool's policy. */

const codeAt = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

async function enterTotp(page: Page, formId: 'mfa-form' | 'mfa-setup-form', code: string) {
  const form = page.getByTestId(formId);
  await form.locator('[name="code"]').fill(code);
  await submit(page, form.getByTestId('verify-code'));
}

const BOB = { username: 'bob', email: 'bob@example.test', password: 'Bob-Has-A-Long-Passphrase-7' } as const;

const AUDIT_PASSWORD = 'Audit-Passphrase-Long-Enough-1';
/** en and ar every run, and one of Hebrew, Persian, Japanese and German in turn (all four with E2E_FULL=1). */
const AUDITED = ['en', 'ar', ...rotatingSlice(['he', 'fa', 'ja', 'de'] as const, 1)] as const;
/** A user of the e-mail pool with two factors already (a verified e-mail and phone), for the chooser's audit in `locale`. */
const chooser = (locale: (typeof AUDITED)[number]) => ({
  username: `chooser-${locale}`,
  email: `chooser-${locale}@example.test`,
  // UK numbers reserved for drama: never a real phone.
  phone_number: `+447700900${110 + AUDITED.indexOf(locale)}`,
});

let foyer: Foyer;
test.beforeAll(async () => {
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      const auditors = AUDITED.map((l) => ({ username: `audit-${l}`, email: `audit-${l}@example.test`, email_verified: true, password: AUDIT_PASSWORD }));
      return { ...c, pool: { ...c.pool, mfa: { mode: 'REQUIRED' } }, users: [...c.users, { ...BOB, email_verified: true }, ...auditors] };
    },
  });
});
test.afterAll(async () => foyer?.stop());

for (const javaScriptEnabled of [false, true]) {
  test(`REQUIRED: enrol at first sign-in, then a code at every sign-in, each code once (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto('/en/demo');
    await page.getByTestId('demo-sign-in').click();
    const user = javaScriptEnabled ? BOB : ALICE; // each run enrols its own user
    await signIn(page, user.email, user.password);

    // No token yet: the setup screen, with a QR code drawn on the server and the key as text.
    await expect(page).toHaveURL(/\/en\/mfa\/setup\?uid=/);
    await expect(page.getByTestId('totp-qr')).toBeVisible();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await enterTotp(page, 'mfa-setup-form', '123456' === codeAt(secret, Date.now()) ? '654321' : '123456');
    await expectError(page, 'This code is not right.');
    const enrolCode = codeAt(secret, Date.now());
    await enterTotp(page, 'mfa-setup-form', enrolCode);

    // Ten recovery codes, shown once, also offered as a file; then the app gets its tokens.
    await expect(page).toHaveURL(/\/en\/mfa\/recovery-codes\?uid=/);
    const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(decodeURIComponent((await page.getByTestId('download-recovery-codes').getAttribute('href')) ?? '')).toContain(codes[9]);
    await submit(page, page.getByTestId('recovery-codes-form').getByTestId('recovery-codes-saved'));

    await expect(page).toHaveURL(/\/demo$/);
    const claims = page.getByTestId('id-token-claims');
    await expect(claims.locator('tr[data-claim="amr"] td')).toHaveText('["pwd","otp","mfa"]');
    await expect(claims.locator('tr[data-claim="acr"] td')).toHaveText('urn:foyer:mfa');

    // Next sign-in: password, then a code; the enrolment code cannot be replayed.
    await page.getByTestId('demo-sign-out').click();
    await page.getByTestId('demo-sign-in').click();
    await signIn(page, user.username, user.password);
    await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
    await enterTotp(page, 'mfa-form', enrolCode);
    await expectError(page, 'This code is not right.');
    await enterTotp(page, 'mfa-form', codeAt(secret, Date.now() + 30_000));
    await expect(page).toHaveURL(/\/demo$/);
    await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td')).toHaveText('["pwd","otp","mfa"]');

    // Without the app: a recovery code, once.
    await page.getByTestId('demo-sign-out').click();
    await page.getByTestId('demo-sign-in').click();
    await signIn(page, user.username, user.password);
    await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
    const recovery = page.getByTestId('recovery-code-form');
    await recovery.locator('[name="recovery_code"]').fill(codes[0]);
    await submit(page, recovery.getByTestId('use-recovery-code'));
    await expect(page).toHaveURL(/\/demo$/);
    await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td')).toHaveText('["pwd","mfa"]');
    await waitForDevOutbox(page.request, user.email, /You have 9 recovery codes left\./);
    await page.goto('/en/dev/outbox');
    await expect(page.getByTestId('outbox').locator('li').first()).toContainText('You have 9 recovery codes left.');

    await page.goto('/en/demo');
    await page.getByTestId('demo-sign-out').click();
    await page.getByTestId('demo-sign-in').click();
    await signIn(page, user.username, user.password);
    await recovery.locator('[name="recovery_code"]').fill(codes[0]);
    await submit(page, recovery.getByTestId('use-recovery-code'));
    await expectError(page, 'This code is not right.');
    await context.close();
  });
}

test('the second factor cannot be skipped by URL', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: foyer.url });
  const page = await context.newPage();
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  const uid = new URL(page.url()).searchParams.get('uid')!;
  // Before the password: neither MFA screen is reachable.
  for (const screen of ['mfa', 'mfa/setup']) {
    await page.goto(`/en/${screen}?uid=${uid}`);
    await expect(page).toHaveURL(new RegExp(`/en/login\\?uid=${uid}$`));
  }
  await signIn(page, 'forced', 'Temporary-Password-For-Forced-1');
  await expect(page).toHaveURL(/\/new-password\?uid=/);
  // After the password, at the MFA step, resuming the authorization does not finish it.
  await page.getByTestId('new-password-form').locator('[name="password"]').fill('a brand new passphrase of mine');
  await submit(page, page.getByTestId('new-password-form').getByTestId('save-password'));
  await expect(page).toHaveURL(/\/en\/mfa\/setup\?uid=/);
  const callbacks: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/demo/callback')) callbacks.push(r.url());
  });
  await page.goto(`/oauth2/authorize/${uid}`);
  // The provider starts a new sign-in instead: no code reached the app.
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  expect(new URL(page.url()).searchParams.get('uid')).not.toBe(uid);
  expect(callbacks).toEqual([]);
  await context.close();
});

for (const locale of AUDITED) {
  test(`the MFA screens (setup, recovery codes, a wrong code, a wrong recovery code) are accessible, light and dark (${locale})`, async ({ browser }) => {
    test.setTimeout(240_000); // four screens, each audited in two schemes
    const context = await browser.newContext({ baseURL: foyer.url });
    const page = await context.newPage();
    await page.goto(`/${locale}/demo`);
    await page.getByTestId('demo-sign-in').click();
    await signIn(page, `audit-${locale}`, AUDIT_PASSWORD);
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/setup\\?uid=`));
    await expectAccessible(page, locale, 'authenticator setup');
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await enterTotp(page, 'mfa-setup-form', codeAt(secret, Date.now()));
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/recovery-codes\\?uid=`));
    await expectAccessible(page, locale, 'recovery codes');
    await submit(page, page.getByTestId('recovery-codes-form').getByTestId('recovery-codes-saved'));
    await page.getByTestId('demo-sign-out').click();
    // Signed out, the demo app is back in the language it was left in (the cookie's): open it in this one.
    await expect(page.getByTestId('demo-sign-in')).toBeVisible();
    await page.goto(`/${locale}/demo`);
    await page.getByTestId('demo-sign-in').click();
    await signIn(page, `audit-${locale}`, AUDIT_PASSWORD);
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa\\?uid=`));
    await enterTotp(page, 'mfa-form', '000000');
    await expectAccessible(page, locale, 'code screen with an error');
    // Signing in with a recovery code instead: a wrong one is refused at its own field, on the same screen.
    const recovery = page.getByTestId('recovery-code-form');
    await recovery.locator('[name="recovery_code"]').fill('aaaa-bbbb-cccc');
    await submit(page, recovery.getByTestId('use-recovery-code'));
    await expect(recovery.locator('[name="recovery_code"]')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, locale, 'recovery-code entry with an error');
    await context.close();
  });
}

test.describe('e-mail codes as the second factor', () => {
  let mailFoyer: Foyer;
  test.beforeAll(async () => {
    mailFoyer = await startFoyer({
      config: (url: string) => {
        const c = testConfig(url);
        const choosers = AUDITED.map((l) => ({ ...chooser(l), email_verified: true, phone_number_verified: true, password: AUDIT_PASSWORD }));
        return {
          ...c,
          pool: { ...c.pool, mfa: { mode: 'REQUIRED', factors: ['email', 'totp', 'sms'], remember_device_days: 30 } },
          users: [...c.users, { ...BOB, email_verified: true }, ...choosers],
        };
      },
    });
  });
  test.afterAll(async () => mailFoyer?.stop());

  /** The newest sign-in code mailed to `to`, from the dev outbox (waiting for it to be delivered). */
  const latestCode = async (context: BrowserContext, to: string) => {
    const mail = await waitForDevOutbox(context.request, to, /finish signing in to .* is \d{6}/);
    return /is (\d{6})/.exec(mail.text)![1];
  };


  test('a code mailed for this sign-in finishes it, with no enrolment needed (no JavaScript)', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: mailFoyer.url, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/en/demo');
    await page.getByTestId('demo-sign-in').click();
    await signIn(page, ALICE.username, ALICE.password);
    // A verified e-mail is a factor already: no enrolment, the code is on its way.
    await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your e-mail');
    await expect(page.getByTestId('dev-outbox-notice')).toBeVisible();
    const code = await latestCode(context, ALICE.email);
    await enterTotp(page, 'mfa-form', code === '000000' ? '111111' : '000000');
    await expectError(page, 'This code is not right.');
    await enterTotp(page, 'mfa-form', code);
    await expect(page).toHaveURL(/\/demo$/);
    await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td')).toHaveText('["pwd","otp","mfa"]');
    await context.close();
  });

  for (const locale of AUDITED) {
    test(`the factor chooser is accessible, light and dark, and switches the factor (${locale})`, async ({ browser }) => {
      const context = await browser.newContext({ baseURL: mailFoyer.url });
      const page = await context.newPage();
      await page.goto(`/${locale}/demo`);
      await page.getByTestId('demo-sign-in').click();
      await signIn(page, chooser(locale).username, AUDIT_PASSWORD);
      // The first of the user's factors in the registry's order (e-mail), the other one offered.
      await expect(page).toHaveURL(new RegExp(`/${locale}/mfa\\?uid=`));
      const choose = page.getByTestId('mfa-choose-form');
      await expect(choose.getByTestId('use-sms')).toBeVisible();
      await expect(choose.getByTestId('use-email')).toHaveCount(0);
      await expectAccessible(page, locale, 'factor chooser');
      await submit(page, choose.getByTestId('use-sms'));
      await expect(choose.getByTestId('use-email')).toBeVisible();
      await expect(choose.getByTestId('use-sms')).toHaveCount(0);
      await waitForDevOutbox(context.request, chooser(locale).phone_number, /\d{6}/);
      await context.close();
    });
  }

  test('"remember this device" skips the second factor in that browser only', async ({ browser }) => {
    const signInToDemo = async (page: Page) => {
      await page.goto('/en/demo');
      await page.getByTestId('demo-sign-in').click();
      await signIn(page, BOB.username, BOB.password);
    };
    const remembered = await browser.newContext({ baseURL: mailFoyer.url });
    const page = await remembered.newPage();
    await signInToDemo(page);
    await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
    await expectAccessible(page, 'en', 'code by e-mail, with the remember option');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Remember this device for 30 days').check();
    await enterTotp(page, 'mfa-form', await latestCode(remembered, BOB.email));
    await expect(page).toHaveURL(/\/demo$/);
    const device = (await remembered.cookies(mailFoyer.url)).find((c) => c.name === 'foyer.device');
    expect(device?.httpOnly).toBe(true);
    await page.getByTestId('demo-sign-out').click();
    await expect(page).toHaveURL(/signed_out=1/);

    await signInToDemo(page);
    await expect(page).toHaveURL(/\/demo$/);
    await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td')).toHaveText('["pwd"]');

    const other = await browser.newContext({ baseURL: mailFoyer.url });
    const elsewhere = await other.newPage();
    await signInToDemo(elsewhere);
    await expect(elsewhere).toHaveURL(/\/en\/mfa\?uid=/);
    await other.close();
    await remembered.close();
  });
});
