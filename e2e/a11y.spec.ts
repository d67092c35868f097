import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, startFoyer, testConfig, ALICE } from './fixtures/foyer';
import { reachReset, reachScreen, type Locale, type Screen } from './fixtures/flows';
import { errorMessage, signIn } from './fixtures/pages';

/**
 * Accessibility of every hosted screen, in light and dark, left-to-right (en) and right-to-left
 * (ar): axe-core with the WCAG 2.0/2.1 A and AA rules, failing on serious and critical
 * violations; and the sign-in form driven by keyboard alone.
 */

const SCHEMES = ['light', 'dark'] as const;
const LOCALES: Locale[] = ['en', 'ar'];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Violation = { scheme: string; line: string };

/** Runs axe in each colour scheme on the page as it is; returns the serious and critical violations, readably. */
async function audit(page: Page): Promise<Violation[]> {
  const out: Violation[] = [];
  const backgrounds = new Set<string>();
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    backgrounds.add(await page.evaluate(() => getComputedStyle(document.querySelector('main') ?? document.body).backgroundColor));
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of results.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      const nodes = v.nodes.map((n) => {
        const data = (n.any[0]?.data ?? {}) as { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string };
        const colours = data.contrastRatio ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}, needs ${data.expectedContrastRatio})` : '';
        return `${n.target.join(' ')}${colours}`;
      });
      out.push({ scheme, line: `[${scheme}] ${v.id} (${v.impact}): ${v.help} — ${nodes.join(' | ')}` });
    }
    for (const line of await textContrast(page)) out.push({ scheme, line: `[${scheme}] text-contrast (serious): ${line}` });
  }
  // The dark palette really applied (else "dark" would just audit light twice).
  expect(backgrounds.size, 'light and dark render differently').toBe(2);
  return out;
}

/**
 * WCAG 1.4.3 contrast of every visible text, computed directly. axe's own color-contrast rule
 * skips Arabic text (its icon-ligature heuristic mistakes shaped Arabic for an icon font), so on
 * the rtl pages this is the only contrast check; on the ltr pages it doubles axe's.
 */
async function textContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (c: string) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return undefined;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const f = (x: number) => {
        const s = x / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const problems: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const text = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!text || ['SCRIPT', 'STYLE', 'TITLE', 'NOSCRIPT'].includes(el.tagName)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const style = getComputedStyle(el);
      const fg = rgba(style.color);
      let bg: ReturnType<typeof rgba>;
      for (let a: Element | null = el; a; a = a.parentElement) {
        const c = rgba(getComputedStyle(a).backgroundColor);
        if (c && c.a > 0) {
          bg = c;
          break;
        }
      }
      if (!fg || !bg) continue;
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const px = parseFloat(style.fontSize);
      const large = px >= 24 || (px >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      if (ratio < needed) {
        const id = el.getAttribute('data-testid') ?? el.className.toString().slice(0, 40);
        problems.push(`<${el.tagName.toLowerCase()} ${id}> "${text.slice(0, 30)}": ${style.color} on rgb(${bg.r}, ${bg.g}, ${bg.b}) is ${ratio.toFixed(2)}:1, needs ${needed}:1`);
      }
    }
    return problems;
  });
}

async function expectDirection(page: Page, locale: Locale): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
  await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
}

async function expectAccessible(page: Page, locale: Locale, what: string): Promise<void> {
  await expectDirection(page, locale);
  // After a client-side (soft) navigation the new <title> arrives with the streamed metadata a
  // moment after the form: give it that moment, so axe judges the page, not the transition.
  await page.waitForFunction(() => document.title !== '', null, { timeout: 5_000 }).catch(() => {});
  const violations = await audit(page);
  expect(violations.map((v) => v.line), `${what} (${locale}, ${page.url()}): serious/critical axe violations`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// The flow screens: one flow per screen and locale, audited in both colour schemes

const FLOW_SCREENS: Screen[] = ['login', 'signup', 'confirm', 'forgot-password', 'reset-password', 'new-password', 'consent'];

for (const locale of LOCALES) {
  test.describe(`${locale} (${locale === 'ar' ? 'rtl' : 'ltr'})`, () => {
    for (const screen of FLOW_SCREENS) {
      test(`${screen} has no serious axe violations, light and dark`, async ({ page, foyer }) => {
        await reachScreen(page, foyer.url, locale, screen);
        await expectAccessible(page, locale, screen);
      });
    }

    test('login with an error message shown has no serious axe violations, light and dark', async ({ page, foyer }) => {
      await reachScreen(page, foyer.url, locale, 'login');
      await signIn(page, `nobody-${Date.now()}`, 'not-the-password');
      await expect(errorMessage(page)).toBeVisible();
      await expectAccessible(page, locale, 'login with error');
    });

    const plain: [string, string][] = [
      ['home', ''],
      ['demo', '/demo'],
      ['error page', '/error?code=invalid_client'],
      ['signed out', '/logout/done'],
      ['sign-out question', '/logout?xsrf=abcdefABCDEF0123456789'],
      ['not found', '/no-such-page'],
    ];
    for (const [name, path] of plain) {
      test(`${name} has no serious axe violations, light and dark`, async ({ page, foyer }) => {
        await page.goto(`${foyer.url}/${locale}${path}`);
        await expectAccessible(page, locale, name);
      });
    }

    test('demo app signed in (claims tables) has no serious axe violations, light and dark', async ({ page, foyer }) => {
      await reachScreen(page, foyer.url, locale, 'login');
      await signIn(page, ALICE.username, ALICE.password);
      await expect(page.getByTestId('signed-in-as')).toBeVisible();
      await expectAccessible(page, locale, 'demo signed in');
    });
  });
}

// The dev outbox only exists on a server that does not really send mail: start one.
test('dev outbox (with a message) has no serious axe violations, en and ar, light and dark', async ({ browser }) => {
  test.setTimeout(90_000);
  const server = await startFoyer({ config: testConfig });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await reachReset(page, server.url, 'en', ALICE.username);
    for (const locale of LOCALES) {
      await page.goto(`${server.url}/${locale}/dev/outbox`);
      await expect(page.getByTestId('outbox').locator('li').first()).toBeVisible();
      await expectAccessible(page, locale, 'dev outbox');
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
        if (el.closest('nav')) return `switcher:${el.getAttribute('lang')}`;
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
    const other = locale === 'en' ? 'ar' : 'en';
    const wanted = [`switcher:${other}`, 'field:identifier', 'field:password', 'sign-in', 'forgot-link', 'signup-link'];
    const positions = wanted.map((w) => order.indexOf(w));
    expect(positions.every((p) => p >= 0), `every control is reachable by Tab; order was ${order.join(' → ')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b), `in a sensible order; order was ${order.join(' → ')}`).toEqual(positions);
    // Nothing focusable sits between the password and the button, or between the language switcher and the form.
    expect(positions[3] - positions[2], `order was ${order.join(' → ')}`).toBe(1);
    expect(positions[2] - positions[1], `order was ${order.join(' → ')}`).toBe(1);

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
