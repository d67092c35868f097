import type { Kysely } from 'kysely';

/**
 * A stand-in for the code of an account that does not exist (a reset asked for an unknown name):
 * it is issued, resent, tried, burnt and expires like a real code, so the reset screen answers
 * step by step as it would for a real account. It has no code: no guess ever matches.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('decoy_codes')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey()) // `<purpose>:<holder>`
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
