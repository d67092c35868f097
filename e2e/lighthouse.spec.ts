import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { ALICE, expect, freePort, test, type Foyer, type SmtpSink } from './fixtures/foyer';
import { startMailingFoyer } from './fixtures/own-foyer';
import { reachReset, startAtDemo } from './fixtures/flows';
import { signIn, submit } from './fixtures/pages';

/**
 * Lighthouse's accessibility score is 100 on the main screens. Lighthouse (pinned in
 * package.json) drives the same Chromium as the other tests, through the DevTools port of a
 * browser Playwright launched: Playwright reaches the screen (its flow lives in cookies of the
 * browser's default profile), then Lighthouse loads that URL again and audits it, keeping the
 * cookies. Only the accessibility category runs; a failure names the audits that did not pass.
 *
 * One screen per run, rotating by the day of the year, keeps CI short; LIGHTHOUSE_ALL=1 audits
 * every screen (`LIGHTHOUSE_ALL=1 E2E_WORKERS=1 npx playwright test e2e/lighthouse.spec.ts`).
 */

type Screen = 'sign-in' | 'sign-up' | 'mfa' | 'reset' | 'account';
const SCREENS: Screen[] = ['sign-in', 'sign-up', 'mfa', 'reset', 'account'];
const PER_RUN = 1;
const day = Math.floor((Date.now() - Date.UTC(new Date().getUTCFullYear(), 0, 1)) / 86_400_000);
const chosen = process.env.LIGHTHOUSE_ALL === '1' ? SCREENS : Array.from({ length: PER_RUN }, (_, i) => SCREENS[(day * PER_RUN + i) % SCREENS.length]);

let foyer: Foyer;
let smtp: SmtpSink;
let stop: () => Promise<void>;
// A second factor by e-mail for everyone: signing in shows the MFA screen, its code is mailed to the sink.
test.beforeAll(async () => {
  ({ foyer, smtp, stop } = await startMailingFoyer({ mfa: { mode: 'REQUIRED', factors: ['email'] } }));
});
test.afterAll(async () => stop?.());

/** How each screen is reached; the URL Lighthouse loads again. */
const reach: Record<Screen, (page: Page) => Promise<string>> = {
  'sign-in': (page) => startAtDemo(page, foyer.url, 'en', 'login'),
  'sign-up': (page) => startAtDemo(page, foyer.url, 'en', 'signup'),
  mfa: async (page) => {
    await startAtDemo(page, foyer.url, 'en', 'login');
    await signIn(page, ALICE.username, ALICE.password);
    await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
    return page.url();
  },
  reset: (page) => reachReset(page, foyer.url, 'en'),
  account: async (page) => {
    await page.goto(`${foyer.url}/en/account`);
    const since = Date.now();
    await signIn(page, ALICE.username, ALICE.password);
    await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
    const mfa = page.getByTestId('mfa-form');
    await mfa.locator('[name="code"]').fill(await smtp.codeFor(ALICE.email, since));
    await submit(page, mfa.getByTestId('verify-code'));
    await expect(page).toHaveURL(/\/en\/account$/);
    return page.url();
  },
};

let context: BrowserContext;
let port: number;
let profile: string;
test.beforeAll(async ({ playwright, launchOptions }) => {
  port = await freePort();
  profile = mkdtempSync(path.join(os.tmpdir(), 'foyer-lighthouse-'));
  // The default profile (a persistent context), so the tab Lighthouse opens has the flow's cookies.
  context = await playwright.chromium.launchPersistentContext(profile, {
    ...launchOptions,
    args: [...(launchOptions.args ?? []), `--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
  });
});
test.afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

for (const screen of chosen) {
  test(`Lighthouse accessibility is 100 on the ${screen} screen`, async ({}, testInfo) => {
    const page = await context.newPage();
    const url = await reach[screen](page);
    await page.close();
    const { default: lighthouse } = await import('lighthouse');
    const result = await lighthouse(url, {
      port,
      hostname: '127.0.0.1',
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['accessibility'],
      // The flow lives in cookies; a fresh storage would lose it. Nothing here measures speed.
      disableStorageReset: true,
      throttlingMethod: 'provided',
    });
    expect(result, 'Lighthouse ran').toBeDefined();
    const lhr = result!.lhr;
    expect(lhr.runtimeError, 'Lighthouse loaded the page').toBeUndefined();
    expect(lhr.finalDisplayedUrl, 'Lighthouse audited the screen itself').toBe(url);
    const category = lhr.categories.accessibility;
    const failed = category.auditRefs
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'informative' && a.score !== 1)
      .map((a) => `${a.id} (${a.title})`);
    if (failed.length > 0) await testInfo.attach(`lighthouse-${screen}.json`, { body: JSON.stringify(lhr, null, 2), contentType: 'application/json' });
    expect(failed, `audits that did not pass on ${screen}`).toEqual([]);
    expect(category.score, `accessibility score on ${screen}`).toBe(1);
  });
}
