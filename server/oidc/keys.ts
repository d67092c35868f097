import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** RS256 signing keys, made at first start and kept in the database for every instance. */
export async function signingKeys(db: Kysely<Database>): Promise<JWK[]> {
  const load = () =>
    db.selectFrom('signing_keys').select('private_jwk').where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
  let rows = await load();
  if (rows.length === 0) {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    const stored = { ...jwk, kid, alg: 'RS256', use: 'sig' };
    // Two instances starting at once: the first insert wins and both read it back.
    await db
      .insertInto('signing_keys')
      .values({ kid, alg: 'RS256', private_jwk: JSON.stringify(stored), created_at: Date.now(), retired_at: null })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
    rows = await load();
  }
  return rows.map((r) => JSON.parse(r.private_jwk) as JWK);
}

export function publicJwk(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use };
}
