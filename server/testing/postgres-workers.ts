/**
 * Vitest global setup: a PostgreSQL database per worker (`<name>_r<run>_w<pool id>` beside the one
 * of TEST_DATABASE_URL), made before the run and dropped after it. Test files run in parallel, and
 * kysely's migrator lists the tables of every schema of its database (has_schema_privilege by
 * name), which fails when another file drops its schema at that moment. In a database of its own,
 * a worker's files, one at a time, never see another's schemas. The run's id (this process's pid)
 * keeps two runs on one server (two checkouts, a developer beside CI) out of each other's way.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const baseTestDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Set by the setup below for the workers it forks: which run their databases belong to. */
const RUN_ENV = 'FOYER_TEST_DB_RUN';

/** The database of the worker with this pool id (VITEST_POOL_ID) in run `run`, or `base` outside a worker. */
export function workerDatabaseUrl(base: string, poolId: string | undefined, run = process.env[RUN_ENV]): string {
  if (!poolId || !run) return base;
  try {
    const u = new URL(base);
    u.pathname = `/${decodeURIComponent(u.pathname.slice(1))}_r${run}_w${poolId}`;
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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const run = String(process.pid);
  let base: string;
  let names: string[];
  try {
    base = databaseName(baseTestDatabaseUrl);
    names = Array.from({ length: project.config.maxWorkers }, (_, i) => databaseName(workerDatabaseUrl(baseTestDatabaseUrl, String(i + 1), run)));
  } catch {
    return undefined;
  }
  const drop = (client: pg.Client, list: string[]) => Promise.all(list.map((name) => client.query(`drop database if exists "${name}" with (force)`))).then(() => {});
  const made = await onServer(async (client) => {
    // What a killed run on this machine left behind (its process is gone); `with (force)`: its connections too.
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [`${base}_r`]);
    const stale = rows.map((r) => r.datname).filter((name) => {
      const m = /_r(\d+)_w\d+$/.exec(name.slice(base.length));
      return m !== null && name.slice(0, -m[0].length) === base && !isRunning(Number(m[1]));
    });
    await drop(client, stale);
    for (const name of names) await client.query(`create database "${name}"`);
  });
  if (!made) return undefined;
  // Forked workers inherit the environment: they find their database from this.
  process.env[RUN_ENV] = run;
  return async () => void (await onServer((client) => drop(client, names)));
}
