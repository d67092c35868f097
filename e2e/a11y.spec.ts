import AxeBuilder from '@axe-core/playwright';
import { test, expect, startFoyer, testConfig, ALICE } from './fixtures/foyer';
import { freshUser, GOOD_PASSPHRASE, reachReset, reachScreen, type Locale, type Screen } from './fixtures/flows';
import { errorMessage, signIn, signUp, submit } from './fixtures/pages';
import { expectAccessible, SCHEMES, TAGS, type Scheme } from './fixtures/a11y';
import { waitForDevOutbox } from './fixtures/dev-outbox';
import { adminToken } from './fixtures/admin-token';

/**
 * Accessibility of every hosted screen, left-to-right (en) and right-to-left (ar): axe-core with
 * the WCAG 2.0/2.1/2.2 A and AA rules and best practices, failing on a violation of any impact,
 * plus contrast, visible and unobscured focus, paste and autofill in every password and code
 * field, and no horizontal scroll or overflowing text at 320 px and 400 % zoom (e2e/fixtures/a11y.ts).
 * To fit CI, each screen is audited in one colour scheme per locale, en and ar in opposite ones,
 * swapping every day (A11Y_SAMPLE_SEED replays a day; A11Y_ALL_SCHEMES=1 audits both). The full
 * screen × locale matrix is scripts/screenshots/a11y-matrix.spec.ts.
 */

const LOCALES: Locale[] = ['en', 'ar'];
// The day number unless given; kept in the environment so every worker lists the same tests.
process.env.A11Y_SAMPLE_SEED ??= String(Math.floor(Date.now() / 86_400_000));
const SEED = Number(process.env.A11Y_SAMPLE_SEED);
const schemesFor = (locale: Locale, index: number): readonly Scheme[] =>
  process.env.A11Y_ALL_SCHEMES === '1' ? SCHEMES : [SCHEMES[(SEED + index + LOCALES.indexOf(locale)) % SCHEMES.length]];
const named = (schemes: readonly Scheme[]) => schemes.join(' and ');

// ---------------------------------------------------------------------------------------------
// The flow screens: one flow per screen and locale

const FLOW_SCREENS: Screen[] = ['login', 'signup', 'confirm', 'forgot-password', 'reset-password', 'new-password', 'consent'];

const PLAIN: [string, string][] = [
  ['home', ''],
  ['demo', '/demo'],
  ['error page', '/error?code=invalid_client'],
  ['signed out', '/logout/done'],
  ['sign-out question', '/logout?xsrf=abcdefABCDEF0123456789'],
  ['not found', '/no-such-page'],
];

for (const locale of LOCALES) {
  test.describe(`${locale} (${locale === 'ar' ? 'rtl' : 'ltr'})`, () => {
    for (const [i, screen] of FLOW_SCREENS.entries()) {
      const schemes = schemesFor(locale, i);
      test(`${screen} has no axe violations (${named(schemes)})`, async ({ page, foyer }) => {
        await reachScreen(page, foyer.url, locale, screen);
        await expectAccessible(page, locale, screen, { schemes });
      });
    }

    const errorSchemes = schemesFor(locale, FLOW_SCREENS.length);
    test(`login while submitting, with an error message shown, then the cookie-less embedded page, have no axe violations (${named(errorSchemes)})`, async ({ page, foyer }) => {
      const url = await reachScreen(page, foyer.url, locale, 'login');
      // The loading state: the sign-in posted, its answer held back until the audit is done.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(
        (u) => u.pathname === `/${locale}/login`,
        async (route) => {
          if (route.request().method() === 'POST') await held;
          await route.fallback();
        },
      );
      const form = page.getByTestId('login-form');
      await form.locator('[name="identifier"]').fill(`nobody-${Date.now()}`);
      await form.locator('[name="password"]').fill('not-the-password');
      await form.getByTestId('sign-in').click();
      await expect(form.getByTestId('sign-in')).toBeDisabled();
      await expectAccessible(page, locale, 'login while submitting', { schemes: errorSchemes });
      release();
      await expect(errorMessage(page)).toBeVisible();
      await expect(form.getByTestId('sign-in')).toBeEnabled();
      // WCAG 3.3.7 (redundant entry): the identifier stays for the next try; the password is never sent back.
      await expect(form.locator('[name="identifier"]')).toHaveValue(/^nobody-\d+$/);
      await expect(form.locator('[name="password"]')).toHaveValue('');
      await expectAccessible(page, locale, 'login with error', { schemes: errorSchemes });
      // What a frame whose browser withheld the interaction cookie shows: a link to a full page.
      await page.goto(`${foyer.url}/${locale}/embedded?uid=${new URL(url).searchParams.get('uid')}`);
      await expect(page.getByTestId('storage-blocked')).toBeVisible();
      await expectAccessible(page, locale, 'embedded, cookies withheld', { schemes: errorSchemes });
    });

    // The plain pages, each in the scheme after the last flow screen's, in one test: a page load each.
    const plainSchemes = schemesFor(locale, FLOW_SCREENS.length + 1);
    test(`home, demo, error, sign-out and not-found pages have no axe violations (${named(plainSchemes)})`, async ({ page, foyer }) => {
      for (const [name, path] of PLAIN) {
        await page.goto(`${foyer.url}/${locale}${path}`);
        await expectAccessible(page, locale, name, { schemes: plainSchemes });
      }
    });

    // The invitation screen: reached by a link an admin's invitation mails (made here through the admin API).
    const invitationSchemes = schemesFor(locale, FLOW_SCREENS.length + 3);
    test(`invitation screen, with a refused password, and its dead-link page have no axe violations (${named(invitationSchemes)})`, async ({ page, foyer, smtp, request }) => {
      const username = `invited-${locale}-${Date.now()}`;
      const headers = { authorization: `Bearer ${await adminToken(foyer.dataDir, foyer.url)}` };
      expect((await request.post(`${foyer.url}/admin/api/v1/users`, { headers, data: { username, email: `${username}@example.test`, invite: true } })).status()).toBe(201);
      const link = new URL((await smtp.waitFor(`${username}@example.test`)).text.match(/https?:\/\/\S+/)![0]);
      await page.goto(`${foyer.url}/${locale}/invitation${link.search}`);
      await expect(page.getByTestId('invitation-form')).toBeVisible();
      await expectAccessible(page, locale, 'invitation', { schemes: invitationSchemes });
      await page.getByTestId('invitation-form').locator('[name="password"]').fill('short');
      await submit(page, page.getByTestId('set-password'));
      await expect(errorMessage(page)).toBeVisible();
      await expectAccessible(page, locale, 'invitation refused', { schemes: invitationSchemes });
      link.searchParams.set('token', 'A'.repeat(43));
      await page.goto(`${foyer.url}/${locale}/invitation${link.search}`);
      await expect(page.getByTestId('invitation-invalid')).toBeVisible();
      await expectAccessible(page, locale, 'invitation link dead', { schemes: invitationSchemes });
    });

    const signedInSchemes = schemesFor(locale, FLOW_SCREENS.length + 2);
    test(`demo app signed in (claims tables) and the account's recovery codes have no axe violations (${named(signedInSchemes)})`, async ({ page, foyer }) => {
      await reachScreen(page, foyer.url, locale, 'login');
      await signIn(page, ALICE.username, ALICE.password);
      await expect(page.getByTestId('signed-in-as')).toBeVisible();
      await expectAccessible(page, locale, 'demo signed in', { schemes: signedInSchemes });
      // The account pages share the sign-in; the others are audited in e2e/account.spec.ts.
      await page.goto(`${foyer.url}/${locale}/account/recovery-codes`);
      await expect(page).toHaveURL(new RegExp(`/${locale}/account/recovery-codes$`));
      await expectAccessible(page, locale, 'account recovery codes', { schemes: signedInSchemes });
    });
  });
}

test('a refused form focuses its error summary, whose link leads to the field, which says it is invalid; nothing typed is asked for again (3.3.7)', async ({ page, foyer }) => {
  await reachScreen(page, foyer.url, 'en', 'signup');
  const user = freshUser('summary');
  await signUp(page, { ...user, password: 'short' });
  const summary = page.locator('#form-error');
  await expect(summary).toBeFocused();
  const password = page.getByTestId('signup-form').locator('[name="password"]');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAttribute('aria-describedby', /form-error/);
  await page.keyboard.press('Tab');
  await expect(summary.getByRole('link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(password).toBeFocused();
  // WCAG 3.3.7: what was typed is still there (but the password); once accepted, the next step asks only for the code.
  const signup = page.getByTestId('signup-form');
  await expect(signup.locator('[name="username"]')).toHaveValue(user.username);
  await expect(signup.locator('[name="email"]')).toHaveValue(user.email);
  await expect(password).toHaveValue('');
  await password.fill(GOOD_PASSPHRASE);
  await submit(page, signup.getByTestId('sign-up'));
  await expect(page).toHaveURL(/\/en\/confirm\?uid=/);
  const asked = await page.locator('main form input:not([type="hidden"])').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).name));
  expect(asked).toEqual(['code']);
});

test('target size (WCAG 2.5.8): every audit runs axe\'s target-size rule, which the sign-in screen passes and cramped targets fail', async ({ page, foyer }) => {
  await reachScreen(page, foyer.url, 'en', 'login');
  // The rule is off in axe by default; the audit's tags (wcag22aa) are what turn it on.
  const sizes = () => new AxeBuilder({ page }).withTags(TAGS).analyze();
  const clean = await sizes();
  expect(clean.violations).toEqual([]);
  expect(clean.passes.find((r) => r.id === 'target-size')?.nodes.length ?? 0).toBeGreaterThan(3);
  // Two 10 px buttons side by side: the same audit refuses them.
  await page.locator('main').evaluate((main) => {
    const row = document.createElement('div');
    for (const name of ['a', 'b']) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = name;
      b.style.cssText = 'width:10px;height:10px;padding:0;margin:0;min-width:0;min-height:0;font-size:6px;border:0';
      row.append(b);
    }
    main.append(row);
  });
  expect((await sizes()).violations.map((v) => v.id)).toContain('target-size');
});

test('reduced motion: what a theme animates stands still for a reader who asks for less (WCAG 2.3.3)', async ({ page, foyer }) => {
  await page.goto(`${foyer.url}/en`);
  // Foyer itself animates nothing; a theme's custom CSS may. Motion set on the page as such CSS would set it:
  const durations = () =>
    page.locator('main').evaluate((main) => {
      main.style.animation = 'foyer-motion-probe 2s infinite';
      main.style.transition = 'color 2s';
      const style = getComputedStyle(main);
      return { animation: parseFloat(style.animationDuration), transition: parseFloat(style.transitionDuration), repeats: style.animationIterationCount };
    });
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await durations()).toEqual({ animation: 2, transition: 2, repeats: 'infinite' });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const reduced = await durations();
  expect(reduced.animation).toBeLessThan(0.001);
  expect(reduced.transition).toBeLessThan(0.001);
  expect(reduced.repeats).toBe('1');
});

// The dev outbox only exists on a server that does not really send mail: start one.
const outboxSchemes = LOCALES.map((l) => schemesFor(l, 0));
test(`dev outbox (with a message) has no axe violations, ${LOCALES.map((l, i) => `${l} ${named(outboxSchemes[i])}`).join(', ')}`, async ({ browser }) => {
  // A server of its own to start, then a reset and two audits: longer than a test of the shared server.
  test.setTimeout(180_000);
  const server = await startFoyer({ config: testConfig });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await reachReset(page, server.url, 'en', ALICE.username);
    await waitForDevOutbox(context.request, ALICE.email, /./, { baseUrl: server.url });
    for (const [i, locale] of LOCALES.entries()) {
      await page.goto(`${server.url}/${locale}/dev/outbox`);
      await expect(page.getByTestId('outbox').locator('li').first()).toBeVisible();
      await expectAccessible(page, locale, 'dev outbox', { schemes: outboxSchemes[i] });
    }
    await context.close();
  } finally {
    await server.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// Keyboard

for (const locale of LOCALES) {
  test(`keyboard (${locale}): Tab reaches the language switcher, fields, button and links in order; Enter signs in`, async ({ page, foyer }) => {
    await reachScreen(page, foyer.url, locale, 'login');
    // Start from the top of the document, not from the autofocused field.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.click(2, 2);
    const describe = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return 'body';
        const testId = el.getAttribute('data-testid');
        const name = el.getAttribute('name');
        if (el.closest('nav')) return el.tagName === 'SUMMARY' ? 'switcher' : `switcher:${el.getAttribute('lang')}`;
        if (testId) return testId;
        if (name) return `field:${name}`;
        if (el.getAttribute('href') === '#main') return 'skip-link';
        return `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 20)}`;
      });
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      order.push(await describe());
      // The skip link becomes visible when focused.
      if (order[order.length - 1] === 'skip-link') await expect(page.locator('a[href="#main"]')).toBeInViewport();
    }
    const wanted = ['switcher', 'field:identifier', 'field:password', 'sign-in', 'forgot-link', 'signup-link'];
    const positions = wanted.map((w) => order.indexOf(w));
    expect(positions.every((p) => p >= 0), `every control is reachable by Tab; order was ${order.join(' → ')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b), `in a sensible order; order was ${order.join(' → ')}`).toEqual(positions);
    // Nothing focusable sits between the password and the button, or between the language switcher and the form.
    expect(positions[3] - positions[2], `order was ${order.join(' → ')}`).toBe(1);
    expect(positions[2] - positions[1], `order was ${order.join(' → ')}`).toBe(1);

    // The switcher opens with Enter and lists every language in its own name; its links are next.
    const uid = new URL(page.url()).searchParams.get('uid');
    const summary = page.locator('nav.foyer-language-switcher summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('nav.foyer-language-switcher ul')).toBeVisible();
    const other = locale === 'en' ? 'ar' : 'en';
    for (let i = 0; i < 60 && (await describe()) !== `switcher:${other}`; i++) await page.keyboard.press('Tab');
    expect(await describe()).toBe(`switcher:${other}`);
    await page.keyboard.press('Enter');
    // Same screen, same sign-in, in the other language.
    await expect(page).toHaveURL(new RegExp(`/${other}/login\\?uid=${uid}`));
    await expect(page.locator('html')).toHaveAttribute('lang', other);
    await page.goto(page.url().replace(`/${other}/`, `/${locale}/`));

    // Focus is visible: the focused identifier has an outline.
    const identifier = page.getByTestId('login-form').locator('[name="identifier"]');
    await identifier.focus();
    const outline = await identifier.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline, 'focused field shows a focus outline').not.toBe('none');

    // Type and submit with the keyboard alone.
    await page.keyboard.type(ALICE.username);
    await expect(identifier).toHaveValue(ALICE.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ALICE.password);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('signed-in-as')).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/${locale}/demo`));
  });
}
