import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { newKeyAndCertificate, type KeyAndCertificate } from './certificate';

/** Our SP's keys: one pair signs requests, the other receives encrypted assertions. */
export interface SpKeys {
  signing: KeyAndCertificate;
  encryption: KeyAndCertificate;
}

/** The `secrets` row holding the SpKeys JSON. */
export const SP_KEYS_SECRET = 'saml-sp-keys';
const cache = new WeakMap<Kysely<Database>, Promise<SpKeys>>();

/**
 * Made at first use and kept in the `secrets` table for every instance. Instances racing at
 * first use each offer a pair under one fixed name; all adopt the one stored first (the same
 * scheme as the OIDC signing keys in server/oidc/keys.ts).
 */
export function spKeys(db: Kysely<Database>): Promise<SpKeys> {
  let keys = cache.get(db);
  if (!keys) {
    keys = loadOrCreateSpKeys(db);
    cache.set(db, keys);
    keys.catch(() => cache.delete(db));
  }
  return keys;
}

/** spKeys without the per-process cache (each call reads the database). */
export async function loadOrCreateSpKeys(db: Kysely<Database>): Promise<SpKeys> {
  const stored = () => db.selectFrom('secrets').select('value').where('name', '=', SP_KEYS_SECRET).executeTakeFirst();
  let row = await stored();
  if (!row) {
    const offer: SpKeys = { signing: newKeyAndCertificate('Foyer SAML SP signing'), encryption: newKeyAndCertificate('Foyer SAML SP encryption') };
    await db
      .insertInto('secrets')
      .values({ name: SP_KEYS_SECRET, value: JSON.stringify(offer), created_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    row = await stored();
    if (!row) throw new Error('SAML SP keys could not be stored');
  }
  return JSON.parse(row.value) as SpKeys;
}
