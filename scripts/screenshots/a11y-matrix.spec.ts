import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFoyer, testConfig, type Foyer } from '../../e2e/fixtures/foyer';
import { reachScreen, type Screen } from '../../e2e/fixtures/flows';
import { audit } from '../../e2e/fixtures/a11y';
import { locales, type Locale } from '../../i18n/locales';

/**
 * The full accessibility matrix CI only samples: every hosted screen × every locale, each audited
 * as e2e/fixtures/a11y.ts does (axe of any impact, contrast, focus, paste and autofill, 320 px and
 * 400 % zoom, both colour schemes). Writes screenshots/a11y-report.json and prints a summary; fails
 * if anything failed. Run it with
 *   npx playwright test --config scripts/screenshots/playwright.config.ts a11y-matrix
 * (`npm run screenshots` runs it too), narrowed like the screenshots by SCREENSHOT_THEMES, SCREENSHOT_LOCALES
 * and SCREENSHOT_SCREENS.
 */
const only = <T extends string>(name: string, all: readonly T[]): T[] => {
  const v = process.env[name];
  return v ? all.filter((x) => v.split(',').map((s) => s.trim()).includes(x)) : [...all];
};
// As for the screenshots: `default` unless SCREENSHOT_THEMES is `all` or lists theme ids.
const wanted = process.env.SCREENSHOT_THEMES ?? 'default';
const builtIn = readdirSync(path.resolve('themes'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));
const THEMES = wanted === 'all' ? builtIn : wanted.split(',').map((s) => s.trim());
/** A theme that forces a `mode` renders alike whichever scheme the browser asks for; the others differ. */
const schemesDiffer = (theme: string) => ((JSON.parse(readFileSync(path.resolve('themes', `${theme}.json`), 'utf8')) as { mode?: string }).mode ?? 'auto') === 'auto';
const FLOW = only<Screen>('SCREENSHOT_SCREENS', ['login', 'signup', 'confirm', 'forgot-password', 'reset-password', 'new-password', 'consent']);
const PLAIN = only('SCREENSHOT_SCREENS', ['home', 'demo', 'error', 'signed-out', 'sign-out', 'not-found'] as const);
const plainPath: Record<(typeof PLAIN)[number], string> = {
  home: '',
  demo: '/demo',
  error: '/error?code=invalid_client',
  'signed-out': '/logout/done',
  'sign-out': '/logout?xsrf=abcdefABCDEF0123456789',
  'not-found': '/no-such-page',
};
const LOCALES = only<Locale>('SCREENSHOT_LOCALES', locales);

type Entry = { theme: string; locale: Locale; screen: string; url: string; failures: string[] };
const report: Entry[] = [];

test.afterAll(async () => {
  const out = path.resolve('screenshots');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'a11y-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const failed = report.filter((r) => r.failures.length > 0);
  console.log(`a11y matrix: ${report.length - failed.length} of ${report.length} screens clean; report in screenshots/a11y-report.json`);
  for (const r of failed) console.log(`  FAIL ${r.theme} ${r.locale} ${r.screen}: ${r.failures.length} failure(s)`);
});

for (const theme of THEMES) {
  test.describe(`the ${theme} theme`, () => {
    let foyer: Foyer;
    test.beforeAll(async () => {
      test.setTimeout(120_000);
      foyer = await startFoyer({ config: (url) => (theme === 'default' ? testConfig(url) : { ...testConfig(url), pool: { ...testConfig(url).pool, theme } }) });
    });
    test.afterAll(async () => {
      await foyer?.stop();
    });

    for (const locale of LOCALES) {
      test(`accessibility of every screen in ${locale}`, async ({ browser }) => {
        // A fresh context per locale: no session carries over (consent signs in).
        const context = await browser.newContext();
        const page = await context.newPage();
        const mine: Entry[] = [];
        const check = async (screen: string) => {
          // A failed audit step (a forced mode that did not hold, say) is a failure of the screen too.
          const failures = await audit(page, { schemesDiffer: schemesDiffer(theme) }).then(
            (found) => found.map((v) => v.line),
            (e: Error) => [e.message],
          );
          mine.push({ theme, locale, screen, url: page.url(), failures });
        };
        try {
          for (const screen of FLOW) {
            await reachScreen(page, foyer.url, locale, screen);
            await check(screen);
          }
          for (const screen of PLAIN) {
            await page.goto(`${foyer.url}/${locale}${plainPath[screen]}`);
            await check(screen);
          }
        } finally {
          report.push(...mine);
          await context.close();
        }
        expect(mine.filter((r) => r.failures.length > 0).map((r) => `${r.screen}:\n  ${r.failures.join('\n  ')}`)).toEqual([]);
      });
    }
  });
}
