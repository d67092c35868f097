import type { Locator, Page } from '@playwright/test';
import { ALICE, expect, repoRoot, test } from './fixtures/foyer';
import { freshUser, GOOD_PASSPHRASE, partnerAuthorizeUrl, reachScreen, startAtDemo } from './fixtures/flows';
import { expectAccessible } from './fixtures/a11y';
import { signIn, signUp } from './fixtures/pages';
import { rotatingSlice, SAMPLE_SEED } from './fixtures/sample';
import { direction, locales, type Locale } from '../i18n/locales';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Foyer in every language it ships: how a language is chosen, the sign-in screen on a 320 px phone
 * (a screenshot of a few kept with the test's results), right to left, the fonts each script needs,
 * and the main screens audited in a sample of languages. The per-locale matrices take English,
 * Arabic and a slice of the rest that moves with the day (e2e/fixtures/sample.ts), so every locale
 * is seen within a week; E2E_FULL=1 runs every locale.
 */

const en = JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', 'en.json'), 'utf8')) as { login: { title: string } };

/** Where a request with these headers is sent (no cookie jar: each request stands alone). */
async function redirectOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  expect([302, 303, 307, 308], `${url} redirects`).toContain(res.status);
  return new URL(res.headers.get('location')!, url).pathname;
}

test('the language is chosen from ui_locales, then lang, then the cookie, then Accept-Language with regional fallbacks', async ({ foyer }) => {
  const byHeader: [string, Locale][] = [
    ['pt-AO', 'pt-PT'],
    ['pt-BR,pt;q=0.9', 'pt-BR'],
    ['es-MX', 'es-419'],
    ['es-ES', 'es'],
    ['zh-HK', 'zh-Hant'],
    ['zh-CN,zh;q=0.9', 'zh-Hans'],
    ['nn-NO', 'nb'],
    ['de-AT, en;q=0.5', 'de'],
    ['tlh, fr;q=0.3', 'fr'],
    ['he-IL', 'he'],
  ];
  for (const [acceptLanguage, want] of byHeader) {
    expect(await redirectOf(`${foyer.url}/`, { 'accept-language': acceptLanguage }), acceptLanguage).toBe(`/${want}`);
    // An authorization request without ui_locales: the sign-in screen in that language.
    const login = await redirectOf(partnerAuthorizeUrl(foyer.url, 'en', { ui_locales: '' }), { 'accept-language': acceptLanguage });
    expect(login, acceptLanguage).toBe(`/${want}/login`);
  }
  const authorize = (extra: Record<string, string>, headers: Record<string, string> = {}) => redirectOf(partnerAuthorizeUrl(foyer.url, 'en', extra), headers);
  // The first supported of ui_locales, over everything else.
  expect(await authorize({ ui_locales: 'tlh uk de' }, { cookie: 'NEXT_LOCALE=fr', 'accept-language': 'ja' })).toBe('/uk/login');
  // Nothing supported in ui_locales: Cognito's lang.
  expect(await authorize({ ui_locales: 'tlh', lang: 'ko' }, { 'accept-language': 'ja' })).toBe('/ko/login');
  // Then the cookie the switcher set, then Accept-Language.
  expect(await authorize({ ui_locales: '' }, { cookie: 'NEXT_LOCALE=fr', 'accept-language': 'ja' })).toBe('/fr/login');
  expect(await authorize({ ui_locales: '' }, { 'accept-language': 'zh-TW' })).toBe('/zh-Hant/login');
  // A screen asked for in another language moves there, keeping its query (the flow).
  const moved = await fetch(`${foyer.url}/en/login?uid=abc&ui_locales=pt-AO`, { redirect: 'manual' });
  expect(new URL(moved.headers.get('location')!, foyer.url).pathname + new URL(moved.headers.get('location')!, foyer.url).search).toBe('/pt-PT/login?uid=abc');
});

/** What is wider than its box (or makes the page scroll sideways), as readable lines. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push(`the page scrolls sideways (${root.scrollWidth} px)`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const style = getComputedStyle(el);
      // Visually hidden text (sr-only) is clipped on purpose; boxes that scroll are meant to.
      if (!el.checkVisibility() || el.clientWidth <= 1 || style.overflowX === 'auto' || style.overflowX === 'scroll' || style.position === 'absolute') continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${el.scrollWidth} > ${el.clientWidth}: ${(el.textContent ?? '').trim().slice(0, 40)}`);
    }
    return out;
  });
}

/** English, Arabic and 8 more locales a run (all 44 with E2E_FULL=1). */
const phoneLocales: Locale[] = ['en', 'ar', ...rotatingSlice(locales.filter((l) => l !== 'en' && l !== 'ar'), 8)];
/**
 * The locales whose screenshots a run keeps (English, Arabic and three of the day's slice);
 * `npm run screenshots` draws the sign-in screen in every locale (scripts/screenshots).
 */
const pictured = new Set<Locale>(phoneLocales.slice(0, 5));

test(`${phoneLocales.length} locales (seed ${SAMPLE_SEED}): the sign-in screen in its language and direction, nothing wider than a 320 px phone, a screenshot of a few`, async ({ page, foyer }, testInfo) => {
  test.setTimeout(60_000 + 8_000 * phoneLocales.length);
  await page.setViewportSize({ width: 320, height: 700 });
  const { search } = new URL(await reachScreen(page, foyer.url, 'en', 'login'));
  for (const locale of phoneLocales) {
    await page.goto(`${foyer.url}/${locale}/login${search}`);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(page.locator('html')).toHaveAttribute('dir', direction(locale));
    await expect(page.getByTestId('login-form')).toBeVisible();
    if (locale !== 'en') await expect(page.getByRole('heading', { level: 1 }), locale).not.toHaveText(en.login.title);
    expect(await overflowing(page), `${locale}: text wider than its box at 320 px`).toEqual([]);
    if (pictured.has(locale)) await testInfo.attach(`sign-in-${locale}.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  }
  // The language list open on the phone: every name fits too.
  await page.locator('nav.foyer-language-switcher summary').click();
  await expect(page.locator('nav.foyer-language-switcher ul')).toBeVisible();
  expect(await overflowing(page), 'the open language list at 320 px').toEqual([]);
  await testInfo.attach('language-list-open.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

/** In reading order on the screen, the characters of `text` inside `container`: are they drawn left to right? */
function drawnLeftToRight(container: Locator, text: string): Promise<boolean> {
  return container.evaluate((el, text) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(text);
      if (at < 0) continue;
      const x = (i: number) => {
        const r = document.createRange();
        r.setStart(node!, at + i);
        r.setEnd(node!, at + i + 1);
        const box = r.getBoundingClientRect();
        return box.left + box.width / 2;
      };
      const xs = [...text].map((_, i) => x(i));
      return xs.every((v, i) => i === 0 || v > xs[i - 1]);
    }
    throw new Error(`"${text}" is not on the screen`);
  }, text);
}

/** A back link's arrow: is it mirrored (a negative horizontal scale), and does it sit at the start of the line? */
function backArrow(page: Page) {
  return page.locator('a:has(svg.foyer-back-arrow)').evaluate((a) => {
    const svg = a.querySelector('svg')!;
    const style = getComputedStyle(svg);
    const scale = style.scale === 'none' ? 1 : parseFloat(style.scale);
    const transform = style.transform === 'none' ? 1 : new DOMMatrix(style.transform).a;
    const arrow = svg.getBoundingClientRect();
    const link = a.getBoundingClientRect();
    return { mirrored: scale * transform < 0, side: arrow.left + arrow.width / 2 < link.left + link.width / 2 ? 'left' : 'right' };
  });
}

/** Arabic and one more of he, fa and ur a run (all four with E2E_FULL=1). */
const rightToLeft: Locale[] = ['ar', ...rotatingSlice(locales.filter((l) => direction(l) === 'rtl' && l !== 'ar'), 1)];

test(`right to left (${rightToLeft.join(', ')}; seed ${SAMPLE_SEED}): read from the right, with mirrored arrows and addresses and codes kept left to right`, async ({ browser, page, foyer }) => {
  test.setTimeout(60_000 * (rightToLeft.length + 1));
  await reachScreen(page, foyer.url, 'en', 'forgot-password');
  // The left-to-right baseline: the back arrow points left, at the left of its link.
  expect(await backArrow(page)).toEqual({ mirrored: false, side: 'left' });
  for (const locale of rightToLeft) {
    // A browser of its own: the sign-up below signs this one in.
    const context = await browser.newContext();
    const page = await context.newPage();
    await startAtDemo(page, foyer.url, locale, 'login');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    const heading = page.getByRole('heading', { level: 1 });
    const loginForm = page.getByTestId('login-form');
    // The heading starts at the card's right edge.
    const [h, card] = await Promise.all([heading.boundingBox(), loginForm.boundingBox()]);
    expect(Math.abs(h!.x + h!.width - (card!.x + card!.width)), `${locale}: heading aligned right`).toBeLessThan(40);
    expect(await loginForm.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    // A label's words start at the right edge of its field.
    const label = loginForm.locator('label[for="password"]');
    const labelEnd = await label.evaluate((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return r.getBoundingClientRect().right;
    });
    const input = (await loginForm.locator('#password').boundingBox())!;
    expect(Math.abs(labelEnd - (input.x + input.width)), `${locale}: label text aligned right`).toBeLessThan(4);
    // An e-mail address or user name is typed left to right even on a right-to-left screen.
    const identifier = loginForm.locator('input[name="identifier"]');
    await expect(identifier).toHaveAttribute('dir', 'ltr');
    expect(await identifier.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');

    // Sign up with an address that starts with a digit, the case the bidi algorithm reorders.
    await startAtDemo(page, foyer.url, locale, 'signup');
    const { username } = freshUser('rtl');
    await signUp(page, { username, email: `7${username}@example.test`, password: GOOD_PASSPHRASE });
    await expect(page).toHaveURL(new RegExp(`/${locale}/confirm\\?uid=`));
    // Where the code went reads left to right inside the right-to-left sentence; so does the code.
    expect(await drawnLeftToRight(page.locator('.foyer-header'), '7***@e***.test'), `${locale}: the masked address left to right`).toBe(true);
    const code = page.getByTestId('confirm-form').locator('input[name="code"]');
    await expect(code).toHaveAttribute('dir', 'ltr');
    expect(await code.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    // "Back" points right, at the start (right) of its link.
    expect(await backArrow(page), `${locale}: the back arrow`).toEqual({ mirrored: true, side: 'right' });
    await context.close();
  }
});

test('each script gets its own font, and a page downloads only what its language needs', async ({ page, foyer }) => {
  const { search } = new URL(await reachScreen(page, foyer.url, 'en', 'login'));
  // The families that may draw each script (the default theme's Noto Sans has Devanagari itself).
  const families: [Locale, string[]][] = [
    ['ja', ['Noto Sans JP Variable']],
    ['ko', ['Noto Sans KR Variable']],
    ['zh-Hans', ['Noto Sans SC Variable']],
    ['zh-Hant', ['Noto Sans TC Variable']],
    ['hi', ['Noto Sans Devanagari Variable', 'Noto Sans Variable']],
    ['bn', ['Noto Sans Bengali Variable']],
    ['th', ['Noto Sans Thai Variable']],
    ['ur', ['Noto Nastaliq Urdu Variable']],
    ['ar', ['Noto Sans Arabic Variable']],
    ['he', ['Noto Sans Hebrew Variable']],
  ];
  for (const [locale, allowed] of families) {
    let fonts = 0;
    const listen = (r: { url(): string; resourceType(): string }) => {
      if (r.resourceType() === 'font') fonts++;
    };
    page.on('request', listen);
    await page.goto(`${foyer.url}/${locale}/login${search}`);
    // The faces the browser loaded for the heading's first letter of this script.
    const drawnBy = await page.evaluate(async () => {
      await document.fonts.ready;
      const letter = [...(document.querySelector('h1')?.textContent ?? '')].find((c) => c.codePointAt(0)! > 0x24f)!;
      const cp = letter.codePointAt(0)!;
      const covers = (range: string) =>
        range.split(',').some((part) => {
          const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
          return cp >= lo && cp <= (hi ?? lo);
        });
      return [...document.fonts].filter((f) => f.status === 'loaded' && covers(f.unicodeRange)).map((f) => f.family.replace(/"/g, ''));
    });
    page.off('request', listen);
    expect(drawnBy.filter((f) => allowed.includes(f)), `${locale} is drawn by ${allowed.join(' or ')} (loaded: ${drawnBy.join(', ')})`).not.toEqual([]);
    // Only the subsets that hold this page's characters: a handful of files, not the hundred a CJK family has.
    expect(fonts, `${locale}: ${fonts} font files`).toBeLessThan(40);
  }
  // A Latin page links no CJK stylesheet at all.
  await page.goto(`${foyer.url}/de/login${search}`);
  await expect(page.locator('link[href^="/fonts/"]')).toHaveCount(0);
});

// The main screens in two more languages a run, of four (two right to left, one CJK, one long-worded).
for (const locale of rotatingSlice(['he', 'fa', 'ja', 'de'] as const, 2)) {
  test(`main screens have no axe violations of any impact in ${locale}, light and dark`, async ({ page, foyer }) => {
    test.setTimeout(240_000);
    for (const screen of ['login', 'signup', 'reset-password'] as const) {
      await reachScreen(page, foyer.url, locale, screen);
      await expectAccessible(page, locale, screen);
    }
    await page.goto(`${foyer.url}/${locale}/account`);
    await signIn(page, ALICE.username, ALICE.password);
    await expect(page).toHaveURL(new RegExp(`/${locale}/account$`));
    await expectAccessible(page, locale, 'account');
  });
}
