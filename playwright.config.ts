import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. Each worker starts its own Foyer server and SMTP sink (see e2e/fixtures),
 * so there is no `webServer` here. Run `next build` first; `npm run test:e2e` does.
 */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    // Written by scripts/find-chromium.mjs; empty means Playwright's own browser.
    const cached = fs.readFileSync(new URL('./node_modules/.cache/foyer-chromium-path', import.meta.url), 'utf8').trim();
    return cached === '' ? undefined : cached;
  } catch {
    return '/usr/bin/chromium';
  }
}

export default defineConfig({
  testDir: 'e2e',
  // Files run side by side, each worker with its own servers; tests in a file run in order.
  fullyParallel: false,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  // axe audits of several screens in two colour schemes take most of a minute on a busy 2-core machine.
  timeout: 120_000,
  // Two workers share two cores: a page can take a few seconds to answer under that load.
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // A navigation that fails (the tests' relying parties on 127.0.0.1:9, where nothing listens)
        // shows an error page that Chromium reloads by itself 1 s later, then 5 s…: a second request
        // for the same ?code= callback, which looked like the product redirecting twice.
        '--disable-auto-reload',
      ],
    },
  },
});
