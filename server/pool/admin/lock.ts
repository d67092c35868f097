import { PostgresAdapter } from 'kysely';
import type { PoolContext } from '../context';

/**
 * Whether a read should lock its rows: inside a write on PostgreSQL, so that a precondition
 * checked on them (If-Match) still holds when the write lands. SQLite has one writer at a time.
 */
export const locksRows = (ctx: PoolContext): boolean => ctx.db.isTransaction && ctx.db.getExecutor().adapter instanceof PostgresAdapter;
