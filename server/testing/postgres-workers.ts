/**
 * Vitest global setup: a PostgreSQL database per worker (`<name>_w<pool id>` beside the one of
 * TEST_DATABASE_URL), made before the run and dropped after it. Test files run in parallel, and
 * kysely's migrator lists the tables of every schema of its database (has_schema_privilege by
 * name), which fails when another file drops its schema at that moment. In a database of its own,
 * a worker's files, one at a time, never see another's schemas.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const baseTestDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The database of the worker with this pool id (VITEST_POOL_ID), or `base` outside a worker. */
export function workerDatabaseUrl(base: string, poolId: string | undefined): string {
  if (!poolId) return base;
  try {
    const u = new URL(base);
    u.pathname = `/${decodeURIComponent(u.pathname.slice(1))}_w${poolId}`;
    return u.toString();
  } catch {
    return base; // unparsable: databases.ts says so when it cannot connect
  }
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

async function onServer(fn: (client: pg.Client) => Promise<void>): Promise<boolean> {
  const client = new pg.Client({ connectionString: baseTestDatabaseUrl, connectionTimeoutMillis: 1500 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch {
    return false; // unreachable: every file's probe reports it (and fails with FOYER_REQUIRE_POSTGRES=1)
  }
  try {
    await fn(client);
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  let names: string[];
  try {
    names = Array.from({ length: project.config.maxWorkers }, (_, i) => databaseName(workerDatabaseUrl(baseTestDatabaseUrl, String(i + 1))));
  } catch {
    return undefined;
  }
  // `with (force)`: a run that was killed may have left connections and the databases behind.
  const dropAll = (client: pg.Client) => Promise.all(names.map((name) => client.query(`drop database if exists "${name}" with (force)`))).then(() => {});
  const made = await onServer(async (client) => {
    await dropAll(client);
    for (const name of names) await client.query(`create database "${name}"`);
  });
  return made ? async () => void (await onServer(dropAll)) : undefined;
}
