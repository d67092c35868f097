import { availableParallelism } from 'node:os';
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
    // A PostgreSQL database per worker (see that file).
    globalSetup: ['server/testing/postgres-workers.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Files run side by side, each in a process of its own (its own vault, env and module state).
    // What they share is isolated: a PostgreSQL database per worker and a schema per test database
    // in it, a SQLite file per test database, servers on ports the system picks. At least two
    // workers even on a 2-core runner, where Vitest's default (cores - 1) would run one file at a
    // time while most tests wait on PostgreSQL, argon2 or a child process; VITEST_MAX_WORKERS overrides.
    pool: 'forks',
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || Math.max(2, availableParallelism()),
  },
});
