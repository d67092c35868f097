import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { repoRoot, test, startFoyer, testConfig, type Foyer } from './fixtures/foyer';
import { reachScreen, type Locale, type Screen } from './fixtures/flows';
import { expectAccessible, SCHEMES, type AuditOptions, type Scheme } from './fixtures/a11y';

/**
 * Every built-in theme, as the pool's theme, passes the audit of e2e/fixtures/a11y.ts (axe of any
 * impact, contrast, a focus ring of 3:1 on every focusable element, 320 px and 400 % zoom), left-
 * to-right and right-to-left: the sign-in screen in light and dark, en and ar, for every theme, and
 * a rotating sample of the other screens, each in one rotating colour scheme. The exhaustive matrix
 * is `npm run screenshots` (SCREENSHOT_THEMES=<id> for a theme's a11y matrix); this is the sample CI
 * affords. The seed is printed: replay a failure with THEME_SAMPLE_SEED=<seed>.
 */

// The day number unless given; kept in the environment so every worker lists the same tests.
process.env.THEME_SAMPLE_SEED ??= String(Math.floor(Date.now() / 86_400_000));
const SEED = Number(process.env.THEME_SAMPLE_SEED);
const SAMPLED: Screen[] = ['signup', 'forgot-password', 'reset-password', 'consent'];
const LOCALES: Locale[] = ['en', 'ar'];
const SAMPLES_PER_THEME = 2;

/** A deterministic pick of `count` (screen, locale) pairs for the theme at `index`: consecutive screens from a seeded offset. */
function sample(index: number, count: number): { screen: Screen; locale: Locale; scheme: Scheme }[] {
  const offset = (SEED + index) % SAMPLED.length;
  return Array.from({ length: count }, (_, i) => ({
    screen: SAMPLED[(offset + i) % SAMPLED.length],
    locale: LOCALES[(SEED + index + i) % LOCALES.length],
    scheme: SCHEMES[(SEED + index + i + 1) % SCHEMES.length],
  }));
}

/**
 * The built-in themes, read from their files (Playwright's loader does not import JSON modules);
 * each extends the default, whose mode is `auto`.
 */
const THEMES = fs
  .readdirSync(path.join(repoRoot, 'themes'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'themes', f), 'utf8')) as { id: string; mode?: string })
  .map((t) => ({ id: t.id, mode: t.mode ?? 'auto' }));

console.log(`themes-a11y: THEME_SAMPLE_SEED=${SEED}`);

async function audit(browser: Browser, foyer: Foyer, screen: Screen, locale: Locale, options: AuditOptions, what: string) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await reachScreen(page, foyer.url, locale, screen);
    await expectAccessible(page, locale, what, options);
  } finally {
    await context.close();
  }
}

for (const [index, theme] of THEMES.entries()) {
  test.describe(`built-in theme "${theme.id}"`, () => {
    let foyer: Foyer;
    // A theme that forces a mode renders the same whichever scheme the browser prefers.
    const schemesDiffer = theme.mode === 'auto';

    test.beforeAll(async () => {
      test.setTimeout(90_000);
      foyer = await startFoyer({ config: (url) => ({ ...testConfig(url), pool: { ...testConfig(url).pool, theme: theme.id } }) });
    });
    test.afterAll(async () => {
      await foyer?.stop();
    });

    test('sign-in passes axe in light and dark, en (ltr) and ar (rtl)', async ({ browser }) => {
      test.info().annotations.push({ type: 'seed', description: String(SEED) });
      for (const locale of LOCALES) await audit(browser, foyer, 'login', locale, { schemesDiffer }, `${theme.id}: login`);
    });

    for (const { screen, locale, scheme } of sample(index, SAMPLES_PER_THEME)) {
      test(`sampled (seed ${SEED}): ${screen} in ${locale} passes axe (${scheme})`, async ({ browser }) => {
        await audit(browser, foyer, screen, locale, { schemes: [scheme] }, `${theme.id}: ${screen}`);
      });
    }
  });
}
