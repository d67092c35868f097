import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

/** `npm run screenshots`: not part of CI (see screenshots.spec.ts). */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: ['screenshots.spec.ts', 'a11y-matrix.spec.ts'],
  workers: 1,
  timeout: 30 * 60_000,
});
