import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The PostgreSQL schema in use, when not the default one. */
  schema?: string;
  /** The SQLite database file (what `foyer backup` copies). */
  file?: string;
  close(): Promise<void>;
}

// int8 columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

export function connectSqlite(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { kysely, dialect: 'sqlite', file, close: () => kysely.destroy() };
}

/**
 * Kysely prepares every query afresh; our queries are few and fixed, so each prepared statement
 * is kept and reused (the bench showed re-preparing as a visible share of a token grant).
 */
function withStatementCache(database: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = database.prepare.bind(database);
  return new Proxy(database, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (source: string) => {
          let statement = cache.get(source);
          if (!statement) {
            if (cache.size >= 1000) cache.clear();
            statement = prepare(source);
            cache.set(source, statement);
          }
          return statement;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function connectPostgres(connectionString: string, options: { searchPath?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', ...(options.searchPath ? { schema: options.searchPath } : {}), close: () => kysely.destroy() };
}

export function connect(opts: { databaseUrl?: string; dataDir: string }): Db {
  return opts.databaseUrl
    ? connectPostgres(opts.databaseUrl)
    : connectSqlite(path.join(opts.dataDir, 'foyer.db'));
}
