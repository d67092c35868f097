import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** A named random secret made once and shared by every instance through the database. */
export async function ensureSecret(db: Kysely<Database>, name: string, bytes = 32): Promise<string> {
  const fresh = randomBytes(bytes).toString('base64url');
  await db
    .insertInto('secrets')
    .values({ name, value: fresh, created_at: Date.now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
