import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: { '@': root },
  },
  test: {
    include: ['scripts/**/*.test.ts', 'app/**/*.test.ts', 'server/**/*.test.ts', 'messages/**/*.test.ts', 'i18n/**/*.test.ts', 'themes/**/*.test.ts', 'components/**/*.test.tsx', 'sdk/**/*.test.ts'],
    exclude: ['e2e/**', '**/node_modules/**'],
    environment: 'node',
    setupFiles: ['server/testing/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The PostgreSQL suites share one server; one file at a time keeps them predictable.
    fileParallelism: false,
  },
});
