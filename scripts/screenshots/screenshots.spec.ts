import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from '@playwright/test';
import { startFoyer, testConfig } from '../../e2e/fixtures/foyer';
import { reachScreen, type Locale, type Screen } from '../../e2e/fixtures/flows';

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
