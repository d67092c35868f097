import type { Kysely } from 'kysely';

/** The retention sweep deletes events by age; most anonymous ones have no user to find them by. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_created').on('events').column('created_at').execute();
}
