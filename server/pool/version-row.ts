import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * A settings row that every change of some data (themes, custom text) rewrites: instances
 * compare it with the one they cached against to know their cache is stale.
 */
export async function readVersion(db: Kysely<Database>, row: string): Promise<string> {
  const found = await db.selectFrom('settings').select('value').where('name', '=', row).executeTakeFirst();
  return found?.value ?? 'none';
}

/** A new version: a random value, so two writers at once never produce the same one. */
export async function bumpVersion(db: Kysely<Database>, row: string, now: number): Promise<void> {
  const values = { value: JSON.stringify(randomUUID()), updated_at: now };
  await db
    .insertInto('settings')
    .values({ name: row, ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}
