import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { secretStore } from '../../secrets';
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
 * Made at first use and kept (sealed) in the `secrets` table for every instance. Instances racing at
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
  const made = await secretStore(db).ensure(SP_KEYS_SECRET, () =>
    JSON.stringify({ signing: newKeyAndCertificate('Foyer SAML SP signing'), encryption: newKeyAndCertificate('Foyer SAML SP encryption') } satisfies SpKeys),
  );
  return JSON.parse(made) as SpKeys;
}
