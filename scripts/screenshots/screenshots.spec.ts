import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from '@playwright/test';
import { startFoyer, testConfig } from '../../e2e/fixtures/foyer';
import { reachScreen, type Locale, type Screen } from '../../e2e/fixtures/flows';
import { locales } from '../../i18n/locales';

/**
 * Every hosted screen × built-in theme × light/dark × en/ar as PNGs under screenshots/, for review.
 *
 * Themes: one Foyer per theme, started with `pool.theme: "<id>"` in its FOYER_CONFIG (`default`
 * leaves the key out). Until the theme engine reads that key, only `default` runs; with
 * SCREENSHOT_THEMES=all (or a comma-separated list of ids) the others do. SCREENSHOT_SCREENS,
 * SCREENSHOT_LOCALES and SCREENSHOT_SCHEMES (comma-separated) narrow the run, e.g. to the
 * pictures the README shows.
 */
const wanted = process.env.SCREENSHOT_THEMES ?? 'default';
// The built-in themes are the JSON files in themes/ (named by their ids; a test checks them).
const builtIn = readdirSync(path.resolve('themes'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));
const THEMES = wanted === 'all' ? builtIn : wanted.split(',').map((s) => s.trim());
/** `all` unless the variable lists some. */
const only = <T extends string>(name: string, all: readonly T[]): T[] => {
  const v = process.env[name];
  return v ? all.filter((x) => v.split(',').map((s) => s.trim()).includes(x)) : [...all];
};
const LOCALES = only<Locale>('SCREENSHOT_LOCALES', ['en', 'ar']);
const SCHEMES = only('SCREENSHOT_SCHEMES', ['light', 'dark'] as const);
const FLOW = only<Screen>('SCREENSHOT_SCREENS', ['login', 'signup', 'confirm', 'forgot-password', 'reset-password', 'new-password', 'consent']);
const plainScreens: [string, string][] = [
  ['home', ''],
  ['error', '/error?code=invalid_client'],
  ['signed-out', '/logout/done'],
  ['sign-out', '/logout?xsrf=abcdefABCDEF0123456789'],
  ['not-found', '/no-such-page'],
];
const PLAIN = plainScreens.filter(([name]) => only('SCREENSHOT_SCREENS', plainScreens.map(([n]) => n)).includes(name));
const out = path.resolve('screenshots');

for (const theme of THEMES) {
  test(`screenshots in the ${theme} theme`, async ({ browser }) => {
    const config = (url: string) => {
      const c = testConfig(url);
      return theme === 'default' ? c : { ...c, pool: { ...c.pool, theme } };
    };
    const foyer = await startFoyer({ config });
    try {
      mkdirSync(path.join(out, theme), { recursive: true });
      for (const locale of LOCALES)
        for (const colorScheme of SCHEMES) {
          // A fresh context per locale and scheme: no session carries over (consent signs in).
          const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          const shot = (name: string) => page.screenshot({ path: path.join(out, theme, `${name}.${locale}.${colorScheme}.png`), fullPage: true });
          for (const screen of FLOW) {
            await reachScreen(page, foyer.url, locale, screen);
            await shot(screen);
          }
          for (const [name, p] of PLAIN) {
            await page.goto(`${foyer.url}/${locale}${p}`);
            await page.waitForLoadState('load');
            await shot(name);
          }
          await context.close();
        }
    } finally {
      await foyer.stop();
    }
  });
}

/**
 * The sign-in screen in every locale (SCREENSHOT_LOCALES narrows it), on a desktop and on a 320 px
 * phone, in each scheme: screenshots/locales/login.<locale>.<width>.<scheme>.png. CI keeps only a
 * few of these (e2e/locales.spec.ts).
 */
test('the sign-in screen in every locale', async ({ browser }) => {
  const foyer = await startFoyer({ config: testConfig });
  const dir = path.join(out, 'locales');
  mkdirSync(dir, { recursive: true });
  try {
    for (const colorScheme of SCHEMES)
      for (const width of [1280, 320]) {
        const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
        const page = await context.newPage();
        // One interaction for the whole run: each locale is the same screen of the same flow.
        const { search } = new URL(await reachScreen(page, foyer.url, 'en', 'login'));
        for (const locale of only<Locale>('SCREENSHOT_LOCALES', locales)) {
          await page.goto(`${foyer.url}/${locale}/login${search}`);
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: path.join(dir, `login.${locale}.${width}.${colorScheme}.png`), fullPage: true });
        }
        await context.close();
      }
  } finally {
    await foyer.stop();
  }
});

/**
 * SCREENSHOT_README=1: the README's pictures under docs/images/, 600 px wide WebP made by the
 * browser from the screenshots above (run them first for the themes listed), and the hooks
 * picture: the sign-in screen with each element outlined and labelled with its hook.
 */
const README_SHOTS: [theme: string, shot: string][] = [
  ['default', 'login.en.light'],
  ['default', 'login.en.dark'],
  ['default', 'login.ar.light'],
  ['midnight', 'login.en.dark'],
  ['high-contrast', 'login.en.light'],
  ['split', 'login.en.light'],
  ['split', 'login.ar.dark'],
  ['minimal', 'login.en.light'],
];
const docs = path.resolve('docs/images');

/** A PNG as a WebP `width` pixels wide, drawn on a canvas in the page. */
async function shrink(page: import('@playwright/test').Page, png: Buffer, width = 600): Promise<Buffer> {
  const url = await page.evaluate(
    async ({ src, width }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = Math.round((img.height * width) / img.width);
      const g = canvas.getContext('2d')!;
      g.imageSmoothingQuality = 'high';
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL('image/webp', 0.8);
    },
    { src: `data:image/png;base64,${png.toString('base64')}`, width },
  );
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

if (process.env.SCREENSHOT_README === '1') {
  test('README pictures', async ({ browser }) => {
    mkdirSync(docs, { recursive: true });
    const foyer = await startFoyer({ config: testConfig });
    // The labels are ours, added for the picture only: the page's CSP would refuse them.
    const context = await browser.newContext({ viewport: { width: 760, height: 620 }, bypassCSP: true, colorScheme: 'light' });
    const page = await context.newPage();
    try {
      await reachScreen(page, foyer.url, 'en', 'login');
      const hooks = ['banner-customizable', 'foyer-language-switcher', 'foyer-app-name', 'foyer-card', 'foyer-title', 'textDescription-customizable', 'label-customizable', 'inputField-customizable', 'submitButton-customizable', 'redirect-customizable', 'legalText-customizable'];
      await page.evaluate((hooks) => {
        const colours = ['#d1495b', '#00798c', '#edae49', '#30638e', '#6a4c93'];
        hooks.forEach((hook, i) => {
          const el = document.querySelector(`.${hook}`) as HTMLElement | null;
          if (!el) return;
          const colour = colours[i % colours.length];
          el.style.outline = `2px dashed ${colour}`;
          el.style.outlineOffset = '2px';
          // An input holds no children: its label goes on its field.
          const holder = el instanceof HTMLInputElement ? el.parentElement! : el;
          holder.style.position ||= 'relative';
          const tag = document.createElement('span');
          tag.textContent = `.${hook}`;
          // Alternate corners, so neighbours' labels do not cover one another.
          const corner = i % 2 === 0 ? { insetInlineEnd: '0', top: '-0.95rem' } : { insetInlineStart: '0', bottom: '-0.95rem' };
          Object.assign(tag.style, { position: 'absolute', ...corner, font: '600 11px/1.3 monospace', background: colour, color: '#fff', padding: '0 4px', borderRadius: '3px', zIndex: '10', whiteSpace: 'nowrap', pointerEvents: 'none' });
          holder.append(tag);
        });
      }, hooks);
      writeFileSync(path.join(docs, 'hooks.en.light.webp'), await shrink(page, await page.screenshot(), 760));
      for (const [theme, shot] of README_SHOTS) {
        const png = readFileSync(path.join(out, theme, `${shot}.png`));
        writeFileSync(path.join(docs, `theme-${theme}.${shot.replace(/^login\./, '')}.webp`), await shrink(page, png));
      }
    } finally {
      await context.close();
      await foyer.stop();
    }
  });
}
