/**
 * Runs one suite against both databases: SQLite (always) and PostgreSQL (when reachable).
 *
 * SQLite: every `open()` gets its own file, a copy of one migrated once per test file (see
 * `migratedSqlite`). PostgreSQL: the database of this Vitest worker (`<name>_w<pool id>`, made by
 * postgres-workers.ts on the server of TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test). Every `open()` gets its own fresh schema `t_<hex>`,
 * migrated, and dropped again on close.
 * When the server cannot be reached the PostgreSQL suite is skipped with a console note,
 * unless FOYER_REQUIRE_POSTGRES=1, in which case it fails.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe } from 'vitest';
import { connectPostgres, connectSqlite, type Db } from '../db/connect';
import { migrate } from '../db/migrate';
import { baseTestDatabaseUrl, workerDatabaseUrl } from './postgres-workers';

export type TestDbName = 'sqlite' | 'postgres';

export const postgresUrl = workerDatabaseUrl(baseTestDatabaseUrl, process.env.VITEST_POOL_ID);
const requirePostgres = process.env.FOYER_REQUIRE_POSTGRES === '1';

/** The URL without its password, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable TEST_DATABASE_URL)';
  }
}

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 1500 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Probed once per test file (module instance), before any suite is collected. */
const postgresProblem = await probePostgres();
export const postgresReachable = postgresProblem === null;

if (!postgresReachable) {
  if (requirePostgres) {
    console.error(
      `PostgreSQL not reachable at ${shown(postgresUrl)} (${postgresProblem}), and FOYER_REQUIRE_POSTGRES=1: the PostgreSQL suite will fail`,
    );
  } else {
    console.warn(
      `PostgreSQL not reachable at ${shown(postgresUrl)}: skipping the PostgreSQL suite (set FOYER_REQUIRE_POSTGRES=1 to require it)`,
    );
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** How to open more connections to a test database (another instance's), closed with it. */
const connectors = new WeakMap<Db, () => Db>();

/**
 * A second connection to the same database, as another Foyer instance would have (its own
 * PostgreSQL pool, or its own SQLite handle on the same file); closed when `db` is.
 */
export function anotherConnection(db: Db): Db {
  const open = connectors.get(db);
  if (!open) throw new Error('not a test database opened by describeEachDb');
  return open();
}

/** Wraps `close` so it runs once, after closing the extra connections opened meanwhile. */
function withConnections(db: Db, connect: () => Db, close: () => Promise<void>): Db {
  const extra: Db[] = [];
  const result: Db = {
    ...db,
    close: once(async () => {
      await Promise.all(extra.map((c) => c.close()));
      await close();
    }),
  };
  connectors.set(result, () => {
    const c = connect();
    extra.push(c);
    return c;
  });
  return result;
}

let sqliteTemplate: Promise<string> | undefined;

/**
 * A SQLite file migrated from empty by `migrate`, once per test file (module instance), closed
 * (so its WAL is checkpointed into it). Copying it is what migrating a new file gives, because the
 * migrations only define the schema (no rows, nothing random), and takes a millisecond where
 * migrating took most of a second on the busy CI machine, for each of hundreds of tests.
 */
function migratedSqlite(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'foyer-test-template-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'template.db');
    const db = connectSqlite(file);
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    return file;
  })();
  return sqliteTemplate;
}

async function openSqlite(): Promise<Db> {
  const template = await migratedSqlite();
  const dir = mkdtempSync(path.join(tmpdir(), 'foyer-test-'));
  const file = path.join(dir, 'foyer.db');
  copyFileSync(template, file);
  const db = connectSqlite(file);
  const close = async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return withConnections(db, () => connectSqlite(file), close);
}

async function openPostgres(): Promise<Db> {
  if (!postgresReachable) {
    throw new Error(
      `PostgreSQL is required (FOYER_REQUIRE_POSTGRES=1) but not reachable at ${shown(postgresUrl)}: ${postgresProblem}`,
    );
  }
  const schema = `t_${randomBytes(8).toString('hex')}`;
  await adminQuery(`create schema "${schema}"`);
  const db = connectPostgres(postgresUrl, { searchPath: schema });
  const close = async () => {
    try {
      await db.close();
    } finally {
      await adminQuery(`drop schema if exists "${schema}" cascade`);
    }
  };
  try {
    await migrate(db);
  } catch (e) {
    await close();
    throw e;
  }
  return withConnections(db, () => connectPostgres(postgresUrl, { searchPath: schema }), close);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

export const databases: { name: TestDbName; open(): Promise<Db> }[] = [
  { name: 'sqlite', open: openSqlite },
  { name: 'postgres', open: openPostgres },
];

/**
 * `describe`s the suite once per database. `open()` gives a fresh, migrated database; every
 * database opened in a test is closed (and its schema or file removed) after that test.
 */
export function describeEachDb(title: string, fn: (open: () => Promise<Db>, name: TestDbName) => void): void {
  for (const database of databases) {
    const skipped = database.name === 'postgres' && !postgresReachable && !requirePostgres;
    describe.skipIf(skipped)(`${title} [${database.name}]`, () => {
      const opened: Db[] = [];
      afterEach(async () => {
        const all = opened.splice(0);
        await Promise.all(all.map((db) => db.close()));
      });
      const open = async () => {
        const db = await database.open();
        opened.push(db);
        return db;
      };
      fn(open, database.name);
    });
  }
}
