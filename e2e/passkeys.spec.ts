import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Page } from '@playwright/test';
import { ALICE, expect, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { waitForDevOutbox } from './fixtures/dev-outbox';
import { expectError, signIn, submit } from './fixtures/pages';
import { addAuthenticator, addPasskeyOnAccountPage, credentialCalls, recordCredentialCalls, type VirtualAuthenticator } from './fixtures/passkeys';

/**
 * Passkeys with Chromium's virtual authenticator. The server's issuer is http://localhost:<port>
 * (not 127.0.0.1): an IP address cannot be a WebAuthn relying party ID, and localhost is a
 * secure context. With its UI off, Chromium answers a conditional (autofill) request by itself
 * when the authenticator holds a passkey for the site, as if the person picked it from the
 * autofill list; with none, it refuses it. So "autofill" below is that answer, told apart from a
 * button press by the recorded navigator.credentials.get calls (mediation "conditional").
 */

const PASSWORD = 'Passkey-Users-Long-Passphrase-9';
const users = ['bob', 'carol', 'dave', 'erin', 'audit-en', 'audit-ar'] as const;

let foyer: Foyer;
test.beforeAll(async () => {
  foyer = await startFoyer({
    hostname: 'localhost',
    config: (url: string) => {
      const c = testConfig(url);
      const extra = users.map((u) => ({ username: u, email: `${u}@example.test`, email_verified: true, password: PASSWORD }));
      return { ...c, pool: { ...c.pool, mfa: { mode: 'REQUIRED', factors: ['totp', 'webauthn'] } }, users: [...c.users, ...extra] };
    },
  });
});
test.afterAll(async () => foyer?.stop());

const amr = (page: Page) => page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td');
const acr = (page: Page) => page.getByTestId('id-token-claims').locator('tr[data-claim="acr"] td');

async function toLogin(page: Page, locale = 'en') {
  await page.goto(`/${locale}/demo`);
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/login\\?uid=`));
}

/** The demo's sign-in, when the passkey autofill is expected to finish it unasked. */
async function signInByAutofill(page: Page) {
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(/\/demo$/);
}

async function signOut(page: Page) {
  await page.getByTestId('demo-sign-out').click();
  await expect(page).toHaveURL(/signed_out=1/);
}

/** The calls recorded so far in this tab: a later check looks only at what comes after. */
const callsSoFar = async (page: Page) => (await credentialCalls(page)).length;

/**
 * The sign-in page opened since `since` calls were recorded has made its conditional request,
 * and it is over (refused: the authenticator holds no passkey). Earlier sign-in pages of the tab
 * do not count: on a slow machine the new page's request starts well after it appears.
 */
async function autofillRefused(page: Page, since: number) {
  await expect
    .poll(async () => (await credentialCalls(page)).slice(since).filter((c) => c.page.endsWith('/login')).at(-1))
    .toMatchObject({ mediation: 'conditional', allow: 0, outcome: 'rejected' });
}

/** Sign-in with the password, then the authenticator-app or passkey enrolment the pool demands. */
async function enrolPasskey(page: Page, username: string, password: string, name: string, locale = 'en') {
  await toLogin(page, locale);
  await signIn(page, username, password);
  await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/setup\\?uid=`));
  await submit(page, page.getByTestId('passkey-instead'));
  await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/passkey\\?uid=`));
  await page.getByLabel(locale === 'en' ? 'Name of this passkey' : 'اسم مفتاح المرور هذا').fill(name);
  await page.getByTestId('create-passkey').click();
  await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/recovery-codes\\?uid=`));
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await submit(page, page.getByTestId('recovery-codes-saved'));
  await expect(page).toHaveURL(/\/demo$/);
}

const codeAt = (secret: string, at: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

test('REQUIRED: a passkey made at sign-in, then the second factor, then passwordless by button and by autofill', async ({ browser }) => {
  test.slow(); // eight sign-ins
  const context = await browser.newContext({ baseURL: foyer.url });
  await recordCredentialCalls(context);
  const page = await context.newPage();
  const phone: VirtualAuthenticator = await addAuthenticator(page, { synced: true });

  // Enrolment forced by the policy: the app's screen offers a passkey instead.
  await enrolPasskey(page, ALICE.username, ALICE.password, 'My phone');
  await expect(amr(page)).toHaveText('["pwd","swk","mfa"]');
  await expect(acr(page)).toHaveText('urn:foyer:mfa');
  expect(await phone.count()).toBe(1);

  // Second factor: the password, then the passkey (the autofill finds nothing while it is hidden).
  await signOut(page);
  await phone.hide();
  let since = await callsSoFar(page);
  await toLogin(page);
  await expect(page.getByTestId('login-form').locator('[name="identifier"]')).toHaveAttribute('autocomplete', 'username webauthn');
  await autofillRefused(page, since);
  await signIn(page, ALICE.username, ALICE.password);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Use your passkey');
  await phone.restore();
  await page.getByTestId('passkey-mfa').click();
  await expect(page).toHaveURL(/\/demo$/);
  await expect(amr(page)).toHaveText('["pwd","swk","mfa"]');

  // Passwordless with the button, from the keyboard.
  await signOut(page);
  await phone.hide();
  since = await callsSoFar(page);
  await toLogin(page);
  await autofillRefused(page, since);
  await phone.restore();
  await page.getByTestId('passkey-sign-in').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/demo$/);
  await expect(amr(page)).toHaveText('["swk","mfa"]');
  expect((await credentialCalls(page)).filter((c) => c.page.endsWith('/login')).at(-1)).toMatchObject({ mediation: null, allow: 0, outcome: 'resolved' });

  // Passwordless by autofill: the conditional request started with the page is answered.
  await signOut(page);
  const before = (await credentialCalls(page)).length;
  await signInByAutofill(page);
  await expect(amr(page)).toHaveText('["swk","mfa"]');
  expect((await credentialCalls(page)).slice(before)).toEqual([{ mediation: 'conditional', allow: 0, outcome: 'resolved', page: expect.stringMatching(/\/en\/login$/) }]);

  // Several passkeys: a security key in another tab, added on the account page.
  // (Without a platform authenticator that verifies, the browser offers no passkey autofill.)
  const tab = await context.newPage();
  const key = await addAuthenticator(tab, { transport: 'usb' });
  await addPasskeyOnAccountPage(tab, 'Security key');
  expect(await key.count()).toBe(1);
  await expect(tab.getByTestId('passkey')).toHaveCount(2);
  await tab.goto('/en/demo');
  await signOut(tab);
  await toLogin(tab);
  expect(await credentialCalls(tab)).toEqual([]);
  await tab.getByTestId('passkey-sign-in').click();
  await expect(tab).toHaveURL(/\/demo$/);
  await expect(amr(tab)).toHaveText('["hwk","mfa"]');
  // As the second factor, both are allowed; the phone answers.
  await signOut(page);
  await phone.hide();
  since = await callsSoFar(page);
  await toLogin(page);
  await autofillRefused(page, since);
  await signIn(page, ALICE.username, ALICE.password);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  await phone.restore();
  await page.getByTestId('passkey-mfa').click();
  await expect(page).toHaveURL(/\/demo$/);
  await expect(amr(page)).toHaveText('["pwd","swk","mfa"]');
  expect((await credentialCalls(page)).filter((c) => c.page.endsWith('/mfa')).at(-1)).toMatchObject({ mediation: null, allow: 2, outcome: 'resolved' });

  // The account page lists both; one goes (the owner is told), the last one stays: it is alice's only factor.
  await page.goto('/en/account');
  const passkeys = page.getByTestId('passkey');
  await expect(passkeys).toHaveCount(2);
  await expect(passkeys.filter({ hasText: 'My phone' })).toContainText('Synced passkey');
  await expect(passkeys.filter({ hasText: 'Security key' })).toContainText('Passkey on one device or security key');
  await submit(page, passkeys.filter({ hasText: 'Security key' }).getByTestId('remove-passkey'));
  await expect(page).toHaveURL(/\/en\/account\?notice=passkey_removed$/);
  await expect(passkeys).toHaveCount(1);
  await submit(page, passkeys.getByTestId('remove-passkey'));
  await expectError(page, 'This is your last way to complete two-step verification, which this service requires. Add another one first.');
  await expect(passkeys).toHaveCount(1);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page, 'en', `account page with a passkey (${colorScheme})`);
  }
  await waitForDevOutbox(context.request, ALICE.email, /A passkey was removed from your Foyer test account\./);
  await waitForDevOutbox(context.request, ALICE.email, /A passkey was added to your Foyer test account\./);
  await context.close();
});

test('without user verification a passkey is one factor: the password or another factor must follow', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: foyer.url });
  await recordCredentialCalls(context);
  const page = await context.newPage();
  // A security key without a PIN: no platform authenticator, so no autofill either (only the button).
  const key = await addAuthenticator(page, { transport: 'usb' });

  // carol's only factor is such a passkey: alone it is refused, after the password it is the second step.
  await enrolPasskey(page, 'carol', PASSWORD, 'Old key');
  await expect(amr(page)).toHaveText('["pwd","hwk","mfa"]');
  await key.stopVerifying();
  await signOut(page);
  await toLogin(page);
  await page.getByTestId('passkey-sign-in').click();
  await expectError(page, 'This passkey cannot finish the sign-in on its own. Sign in with your password.');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await signIn(page, 'carol', PASSWORD);
  await page.getByTestId('passkey-mfa').click();
  await expect(page).toHaveURL(/\/demo$/);
  await expect(amr(page)).toHaveText('["pwd","hwk","mfa"]');
  await signOut(page);
  await context.close();

  // bob has an authenticator app too: after such a passkey, the gate asks for the app's code.
  const second = await browser.newContext({ baseURL: foyer.url });
  await recordCredentialCalls(second);
  const tab = await second.newPage();
  const bobsKey = await addAuthenticator(tab, { transport: 'usb' });
  await toLogin(tab);
  await signIn(tab, 'bob', PASSWORD);
  await expect(tab).toHaveURL(/\/en\/mfa\/setup\?uid=/);
  const secret = ((await tab.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  const setupForm = tab.getByTestId('mfa-setup-form');
  await setupForm.locator('[name="code"]').fill(codeAt(secret, Date.now()));
  await submit(tab, setupForm.getByTestId('verify-code'));
  await submit(tab, tab.getByTestId('recovery-codes-saved'));
  await addPasskeyOnAccountPage(tab, 'Old key');
  await bobsKey.stopVerifying();
  await tab.goto('/en/demo');
  await signOut(tab);
  await toLogin(tab);
  await tab.getByTestId('passkey-sign-in').click();
  await expect(tab).toHaveURL(/\/en\/mfa\?uid=/);
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText('Two-step verification');
  // The passkey just used is not offered again as the second step.
  await expect(tab.getByTestId('mfa-choose-form')).toHaveCount(0);
  const mfaForm = tab.getByTestId('mfa-form');
  await mfaForm.locator('[name="code"]').fill(codeAt(secret, Date.now() + 30_000));
  await submit(tab, mfaForm.getByTestId('verify-code'));
  await expect(tab).toHaveURL(/\/demo$/);
  await expect(amr(tab)).toHaveText('["hwk","otp","mfa"]');
  await second.close();
});

test('an unknown passkey gets the answer of a wrong password; a refused verification is explained', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: foyer.url });
  await recordCredentialCalls(context);
  const page = await context.newPage();
  const stray = await addAuthenticator(page);
  // A passkey for this site that Foyer never registered (say, its account was deleted).
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await stray.cdp.send('WebAuthn.addCredential', {
    authenticatorId: stray.id,
    credential: {
      credentialId: randomBytes(32).toString('base64'),
      isResidentCredential: true,
      rpId: 'localhost',
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      userHandle: Buffer.from('not-a-user').toString('base64'),
      signCount: 0,
    },
  });
  await toLogin(page);
  await expectError(page, 'Incorrect username or password.');
  const byPasskey = await page.getByTestId('error-message').textContent();
  await signIn(page, 'dave', 'not the password at all');
  await expect(page.getByTestId('login-form').getByTestId('error-message')).toHaveText(byPasskey!);
  await context.close();

  // An authenticator that cannot verify the person: the browser refuses, in the page's language.
  const arabic = await browser.newContext({ baseURL: foyer.url });
  const tab = await arabic.newPage();
  await addAuthenticator(tab, { failsVerification: true });
  await toLogin(tab, 'ar');
  await signIn(tab, 'erin', PASSWORD);
  await submit(tab, tab.getByTestId('passkey-instead'));
  await expect(tab).toHaveURL(/\/ar\/mfa\/passkey\?uid=/);
  await tab.getByTestId('create-passkey').click();
  await expectError(tab, 'أُلغي طلب مفتاح المرور أو لم يُسمح به. أعِد المحاولة عندما تكون مستعدًا.');
  await expect(tab).toHaveURL(/\/ar\/mfa\/passkey\?uid=/);
  await arabic.close();
});

test('without JavaScript: password sign-in works, passkey screens say why they cannot, and steps cannot be skipped', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled: false });
  const page = await context.newPage();
  await toLogin(page);
  const uid = new URL(page.url()).searchParams.get('uid')!;
  await expect(page.getByTestId('passkey-sign-in')).toHaveCount(0);
  for (const screen of ['mfa/passkey', 'mfa/setup', 'mfa']) {
    await page.goto(`/en/${screen}?uid=${uid}`);
    await expect(page).toHaveURL(new RegExp(`/en/login\\?uid=${uid}$`));
  }
  await signIn(page, 'dave', PASSWORD);
  await expect(page).toHaveURL(/\/en\/mfa\/setup\?uid=/);
  const firstSecret = await page.getByTestId('totp-secret').textContent();
  await submit(page, page.getByTestId('passkey-instead'));
  await expect(page).toHaveURL(/\/en\/mfa\/passkey\?uid=/);
  await expect(page.getByTestId('create-passkey-fallback')).toHaveText('Passkeys need JavaScript and a browser that supports them.');
  // The app's screen is not current any more: its form is refused.
  await page.goto(`/en/mfa/setup?uid=${uid}`);
  await expect(page).toHaveURL(/\/en\/mfa\/passkey\?uid=/);
  await submit(page, page.getByTestId('app-instead'));
  await expect(page).toHaveURL(/\/en\/mfa\/setup\?uid=/);
  await expect(page.getByTestId('totp-secret')).not.toHaveText(firstSecret!);
  await context.close();
});

for (const locale of ['en', 'ar'] as const) {
  test(`the passkey screens are accessible, light and dark (${locale})`, async ({ browser }) => {
    test.slow(); // three screens, each audited twice
    const context = await browser.newContext({ baseURL: foyer.url });
    await recordCredentialCalls(context);
    const page = await context.newPage();
    const device = await addAuthenticator(page);
    const user = `audit-${locale}`;
    await toLogin(page, locale);
    await autofillRefused(page, 0);
    await expect(page.getByTestId('passkey-sign-in')).toBeVisible();
    await expectAccessible(page, locale, 'sign-in with the passkey button');
    await signIn(page, user, PASSWORD);
    await submit(page, page.getByTestId('passkey-instead'));
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/passkey\\?uid=`));
    await expectAccessible(page, locale, 'passkey setup');
    await page.getByTestId('create-passkey').click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/mfa/recovery-codes\\?uid=`));
    await submit(page, page.getByTestId('recovery-codes-saved'));
    await signOut(page);
    await device.hide();
    const since = await callsSoFar(page);
    await toLogin(page, locale);
    await autofillRefused(page, since);
    await signIn(page, user, PASSWORD);
    await expect(page.getByTestId('passkey-mfa')).toBeVisible();
    await expectAccessible(page, locale, 'second step by passkey');
    await context.close();
  });
}
