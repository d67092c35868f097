import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * RS256 signing keys, made at first start and kept in the database for every instance. When
 * several instances start at once, each offers a key under one fixed name and all adopt the
 * one that was stored first, so they sign with, and publish, the same key.
 */
export async function signingKeys(db: Kysely<Database>): Promise<JWK[]> {
  const load = () =>
    db.selectFrom('signing_keys').select('private_jwk').where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
  let rows = await load();
  if (rows.length === 0) {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(privateKey);
    const offer = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
    await db
      .insertInto('secrets')
      .values({ name: 'first-signing-key', value: JSON.stringify(offer), created_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const chosen = await db.selectFrom('secrets').select('value').where('name', '=', 'first-signing-key').executeTakeFirstOrThrow();
    const key = JSON.parse(chosen.value) as JWK & { kid: string };
    await db
      .insertInto('signing_keys')
      .values({ kid: key.kid, alg: 'RS256', private_jwk: chosen.value, created_at: Date.now(), retired_at: null })
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
