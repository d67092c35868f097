import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';

/**
 * Errors after which running the whole transaction again is right: serialization failures and
 * deadlocks, and a unique key taken meanwhile (by a sign-up, say), which the next run sees.
 */
const RETRYABLE = new Set(['40001', '40P01', '23505', 'SQLITE_BUSY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const ATTEMPTS = 5;

/**
 * Runs `fn` in one transaction that no other pool-config writer (another instance starting, the
 * CLI) runs beside: all or nothing, one after the other. PostgreSQL: a transaction-scoped advisory
 * lock. SQLite: `BEGIN IMMEDIATE`, which takes the database's write lock up front (other processes
 * wait for it, see busy_timeout) instead of failing when a read turns into a write.
 */
export async function exclusively<T>(db: Db, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (db.dialect === 'postgres' ? postgres(db.kysely, fn) : sqlite(db.kysely, fn));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
    }
  }
}

function postgres<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('foyer.pool-config'))`.execute(tx);
    return fn(tx);
  });
}

function sqlite<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}
