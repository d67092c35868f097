import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The second factor a user last used, offered first next time.
  await db.schema.alterTable('users').addColumn('preferred_mfa', 'text').execute();
}
