import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The terms a user accepted at sign-up (pool.sign_up.terms.version) and when: proof of consent.
  await db.schema.alterTable('users').addColumn('terms_version', 'text').execute();
  await db.schema.alterTable('users').addColumn('terms_accepted_at', 'bigint').execute();
}
