import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, startFoyer, test, testConfig, type Foyer, type SmtpSink } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { expectError, submit } from './fixtures/pages';
import { startSmsReceiver, type SmsReceiver } from './fixtures/sms';
import { startSmtpSink } from '../server/testing/smtp';

/**
 * Passwordless first factors (pool.sign_in_methods) in a real browser, with JavaScript and
 * without, against the demo relying party: codes by e-mail (a real SMTP sink) and text (a real
 * SMS webhook receiver), and a mailed link that signs in only in the browser that asked for it.
 */

const PASSWORD = 'Passwordless-Users-Still-Have-One-7';
const PAT = { username: 'pat', email: 'pat@example.test', phone: '+447700900321' };
const LEE = { username: 'lee', email: 'lee@example.test', phone: '+447700900654' };
const KIM = { username: 'kim', email: 'kim@example.test', phone: '+447700900987' };
const user = (u: typeof PAT) => ({ username: u.username, email: u.email, email_verified: true, phone_number: u.phone, phone_number_verified: true, password: PASSWORD });

let smtp: SmtpSink;
let sms: SmsReceiver;
let foyer: Foyer;
test.beforeAll(async () => {
  smtp = await startSmtpSink();
  sms = await startSmsReceiver();
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      return { ...c, pool: { ...c.pool, sign_in_methods: ['password', 'email_otp', 'sms_otp', 'magic_link'] }, users: [...c.users, user(PAT), user(LEE), user(KIM)] };
    },
    smtpUrl: smtp.url,
    env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await sms?.stop();
  await smtp?.stop();
});

type Method = 'email_otp' | 'sms_otp' | 'magic_link';

async function newContext(browser: Browser, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
  return { context, page: await context.newPage() };
}

/** From the relying party to the sign-in screen, then the method's form, sending for `identifier`. */
async function askFor(page: Page, method: Method, identifier: string, locale: 'en' | 'ar' = 'en') {
  await page.goto(`/${locale}/demo`);
  await page.getByTestId('demo-sign-in').click();
  await expect(page.getByTestId('login-form').or(page.getByTestId('passwordless-form'))).toBeVisible();
  if ((await page.getByTestId(`use-${method}`).count()) > 0) await page.getByTestId(`use-${method}`).click();
  const form = page.getByTestId('passwordless-form');
  await expect(form.locator('input[name="method"]')).toHaveValue(method);
  await form.locator('[name="identifier"]').fill(identifier);
  await submit(page, form.getByTestId('send-sign-in'));
  await expect(page).toHaveURL(/\/login\/passwordless\?uid=/);
}

async function enterCode(page: Page, code: string) {
  const form = page.getByTestId('passwordless-code-form');
  await form.locator('[name="code"]').fill(code);
  await submit(page, form.getByTestId('verify-code'));
}

async function expectSignedIn(page: Page, amr: string[]) {
  await expect(page).toHaveURL(/\/demo$/);
  await expect(page.getByTestId('id-token-claims').locator('tr[data-claim="amr"] td')).toHaveText(JSON.stringify(amr));
}

const linkIn = (text: string) => {
  const url = text.match(/https?:\/\/\S+\/login\/link\?\S+/)?.[0];
  if (!url) throw new Error(`no sign-in link in ${text}`);
  return url;
};

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a code by e-mail signs in to the relying party, amr otp and email; the method is remembered for the next sign-in (${js})`, async ({ browser }) => {
    const { context, page } = await newContext(browser, javaScriptEnabled);
    const before = Date.now();
    await askFor(page, 'email_otp', PAT.email);
    // axe runs in the page: with JavaScript only.
    if (javaScriptEnabled) await expectAccessible(page, 'en', 'passwordless code entry');
    const code = await smtp.codeFor(PAT.email, before);
    await enterCode(page, code === '000000' ? '111111' : '000000');
    await expectError(page);
    await enterCode(page, code);
    await expectSignedIn(page, ['otp', 'email']);
    // A new sign-in in this browser (its session forgotten, the method cookie kept) opens on the code form.
    const kept = (await context.cookies()).filter((c) => c.name.endsWith('foyer.method'));
    expect(kept.map((c) => c.value)).toEqual(['email_otp']);
    await context.clearCookies();
    await context.addCookies(kept);
    await page.goto('/en/demo');
    await page.getByTestId('demo-sign-in').click();
    await expect(page.getByTestId('passwordless-form').locator('input[name="method"]')).toHaveValue('email_otp');
    await expect(page.getByTestId('use-password')).toBeVisible();
    if (javaScriptEnabled) await expectAccessible(page, 'en', 'the sign-in screen with a passwordless method');
    await context.close();
  });

  test(`a code by text message signs in, amr sms, in Arabic (${js})`, async ({ browser }) => {
    const { context, page } = await newContext(browser, javaScriptEnabled);
    const before = Date.now();
    await askFor(page, 'sms_otp', LEE.username, 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    const text = await sms.waitFor(LEE.phone, before);
    expect(text.purpose).toBe('sign_in');
    await enterCode(page, text.body.match(/\d{6}/)![0]);
    await expectSignedIn(page, ['sms']);
    await context.close();
  });
}

test('a magic link signs in with a click in the browser that asked, once; opened in another browser it signs nothing in', async ({ browser }) => {
  const asker = await newContext(browser, false);
  const before = Date.now();
  await askFor(asker.page, 'magic_link', KIM.email);
  const mail = await smtp.waitFor(KIM.email, (m) => m.at > before && m.text.includes('/login/link?'));
  const link = linkIn(mail.text);

  // Another browser: told to go back, offered nothing to click, and the link is not spent.
  const other = await newContext(browser, true);
  await other.page.goto(link);
  await expect(other.page.getByTestId('link-elsewhere')).toBeVisible();
  await expectAccessible(other.page, 'en', 'a sign-in link opened in another browser');
  await expect(other.page.getByTestId('use-link')).toHaveCount(0);
  await other.context.close();

  await asker.page.goto(link);
  await submit(asker.page, asker.page.getByTestId('use-link'));
  await expectSignedIn(asker.page, ['email']);
  // Used: refused.
  await asker.page.goto(link);
  await expect(asker.page.getByTestId('link-invalid')).toBeVisible();
  await expect(asker.page.getByTestId('use-link')).toHaveCount(0);
  await asker.context.close();
});

test('an unknown name gets the same screens and answers as an account, for each method', async ({ browser }) => {
  for (const method of ['email_otp', 'sms_otp', 'magic_link'] as const) {
    const screens: string[][] = [];
    for (const identifier of [PAT.email, 'nobody@example.test']) {
      const { context, page } = await newContext(browser, false);
      await askFor(page, method, identifier);
      // The subheading names what was typed (an address masked: p***@e***.test): the rest must match.
      const seen = [await page.locator('h1').innerText(), (await page.locator('.foyer-header p').innerText()).replace(identifier, '<typed>').replace(/\S\*\*\*@\S\*\*\*\S*/, '<typed>')];
      if (method !== 'magic_link') {
        await enterCode(page, '000000');
        seen.push(await page.getByTestId('error-message').innerText());
      }
      seen.push(String(await page.getByTestId('passwordless-code-form').locator('button').count()));
      screens.push(seen);
      await context.close();
    }
    expect(screens[1]).toEqual(screens[0]);
  }
});
