import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely, Selectable } from 'kysely';
import type { Database, SigningKeysTable } from '../db/schema';
import { longestSignedTokenSeconds } from '../pool/clients';
import { vault } from '../secrets';

/**
 * RS256 signing keys, kept in the database for every instance and rotated without downtime:
 * - `pending`: published in JWKS at once (relying parties cache JWKS), not signing yet;
 * - `active`: the one key that signs, the latest in rotation order whose activation time has come;
 * - `retiring`: replaced, still published (and accepted by userInfo) while tokens it signed live;
 * - `retired`: dropped from JWKS once the longest access/ID token lifetime of any client (plus
 *   RETIRE_GRACE_MS) has passed since it stopped signing; only its public half is kept.
 * Each state follows from the table and the clock, so instances agree without talking to each other.
 *
 * Every read and write of `private_jwk` is in this file.
 */
export type KeyState = 'pending' | 'active' | 'retiring' | 'retired';

export interface SigningKeyStatus {
  kid: string;
  state: KeyState;
  createdAt: number;
  /** Epoch ms from which it signs (0 for the key made at first start). */
  activatesAt: number;
  /** Epoch ms at which it leaves JWKS (retiring or retired keys). */
  retiresAt?: number;
}

/** Instances notice a change within seconds and clocks drift: a replaced key stays published this much longer. */
export const RETIRE_GRACE_MS = 5 * 60_000;
/** A longer delay is more likely a mistake (milliseconds given as seconds) than a plan. */
export const MAX_ACTIVATE_AFTER_SECONDS = 30 * 24 * 3600;

type KeyRow = Pick<Selectable<SigningKeysTable>, 'kid' | 'seq' | 'created_at' | 'activates_at' | 'retired_at'>;

/**
 * Each key's state at `now`, in rotation order. Activation times never decrease along the order
 * (rotateSigningKey sees to it), so a key stops signing when the next one activates.
 */
export function keyStates(rows: KeyRow[], now: number, lingerMs: number): SigningKeyStatus[] {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  const signing = sorted.findLastIndex((r) => r.retired_at === null && r.activates_at <= now);
  return sorted.map((r, i): SigningKeyStatus => {
    const base = { kid: r.kid, createdAt: r.created_at, activatesAt: r.activates_at };
    if (r.retired_at !== null) return { ...base, state: 'retired', retiresAt: r.retired_at };
    if (i === signing) return { ...base, state: 'active' };
    if (i > signing) return { ...base, state: 'pending' };
    const retiresAt = sorted[i + 1].activates_at + lingerMs;
    return { ...base, state: now >= retiresAt ? 'retired' : 'retiring', retiresAt };
  });
}

async function newKey(): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

/** Private keys are sealed under the deployment secret (server/secrets); a retired key keeps only its public half, in clear. */
const sealContext = (kid: string) => `signing_keys:${kid}`;
const sealJwk = (jwk: JWK & { kid: string }) => vault().seal(JSON.stringify(jwk), sealContext(jwk.kid));
function openJwk(row: { kid: string; private_jwk: string }): JWK {
  const v = vault();
  return JSON.parse(v.isSealed(row.private_jwk) ? v.unseal(row.private_jwk, sealContext(row.kid)) : row.private_jwk) as JWK;
}

function keyRow(jwk: JWK & { kid: string }, seq: number, now: number, activatesAt: number) {
  return { kid: jwk.kid, alg: 'RS256', private_jwk: sealJwk(jwk), seq, created_at: now, activates_at: activatesAt, retired_at: null };
}

/**
 * Seals private keys stored in clear (databases from before sealing) or under a previous
 * deployment secret; each row only if unchanged since read, so instances starting together agree.
 */
export async function resealSigningKeys(db: Kysely<Database>): Promise<number> {
  const v = vault();
  let count = 0;
  const rows = await db.selectFrom('signing_keys').select(['kid', 'private_jwk']).where('retired_at', 'is', null).execute();
  for (const row of rows) {
    if (v.isCurrent(row.private_jwk)) continue;
    const done = await db
      .updateTable('signing_keys')
      .set({ private_jwk: sealJwk({ ...openJwk(row), kid: row.kid }) })
      .where('kid', '=', row.kid)
      .where('private_jwk', '=', row.private_jwk)
      .executeTakeFirst();
    count += Number(done.numUpdatedRows);
  }
  return count;
}

/** First start: one key, first in the order (seq 0, unique), so instances starting together agree on it. */
async function ensureFirstKey(db: Kysely<Database>, now: number): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values(keyRow(await newKey(), 0, now, 0))
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
}

const keyRows = (db: Kysely<Database>, live: boolean) => {
  const q = db.selectFrom('signing_keys').select(['kid', 'seq', 'created_at', 'activates_at', 'retired_at']);
  return (live ? q.where('retired_at', 'is', null) : q).execute();
};

/** States at `now`; the clients' token lifetimes are read only when a replaced key needs them. */
async function statesAt(db: Kysely<Database>, rows: KeyRow[], now: number): Promise<SigningKeyStatus[]> {
  const states = keyStates(rows, now, Infinity);
  if (!states.some((s) => s.state === 'retiring')) return states;
  return keyStates(rows, now, (await longestSignedTokenSeconds(db)) * 1000 + RETIRE_GRACE_MS);
}

async function retire(db: Kysely<Database>, kid: string, at: number): Promise<void> {
  const row = await db.selectFrom('signing_keys').select(['kid', 'private_jwk']).where('kid', '=', kid).executeTakeFirst();
  if (!row) return;
  await db
    .updateTable('signing_keys')
    .set({ retired_at: at, private_jwk: JSON.stringify(publicJwk(openJwk(row))) })
    .where('kid', '=', kid)
    .where('retired_at', 'is', null)
    .execute();
}

/** The keys to publish now, the signing one first; `version` changes exactly when they do. */
export interface KeySetVersion {
  kids: string[];
  version: string;
}

/**
 * What to sign and publish with at `now`, from a cheap query (no key material). Makes the first
 * key when there is none, and retires the keys whose time has come.
 */
export async function readKeySet(db: Kysely<Database>, now = Date.now()): Promise<KeySetVersion> {
  let rows = await keyRows(db, true);
  if (rows.length === 0) {
    await ensureFirstKey(db, now);
    rows = await keyRows(db, true);
  }
  const states = await statesAt(db, rows, now);
  for (const s of states) if (s.state === 'retired') await retire(db, s.kid, s.retiresAt!);
  const active = states.find((s) => s.state === 'active');
  if (!active) throw new Error('No signing key is active: every key in signing_keys is retired or not yet due.');
  const kids = [active.kid, ...states.filter((s) => s.state === 'pending' || s.state === 'retiring').map((s) => s.kid)];
  return { kids, version: kids.join(' ') };
}

/** The private JWKs of `kids`, in that order. */
export async function privateKeys(db: Kysely<Database>, kids: string[]): Promise<JWK[]> {
  const rows = await db.selectFrom('signing_keys').select(['kid', 'private_jwk']).where('kid', 'in', kids).execute();
  const byKid = new Map(rows.map((r) => [r.kid, openJwk(r)]));
  return kids.map((kid) => {
    const jwk = byKid.get(kid);
    if (!jwk?.d) throw new Error(`Signing key ${kid} has no private part.`);
    return jwk;
  });
}

/** The private JWKs to sign and publish with now: the signing key first, then the pending and retiring ones. */
export async function signingKeys(db: Kysely<Database>, now = Date.now()): Promise<JWK[]> {
  return privateKeys(db, (await readKeySet(db, now)).kids);
}

/** Every key and its state, oldest first (for operators). */
export async function listSigningKeys(db: Kysely<Database>, now = Date.now()): Promise<SigningKeyStatus[]> {
  return statesAt(db, await keyRows(db, false), now);
}

/**
 * A new signing key, published in JWKS at once (every instance within seconds) and signing from
 * `activateAfterSeconds` on, never before a rotation already scheduled. The key it replaces stays
 * published until the tokens it signed have expired. Two rotations at once both take effect, one
 * after the other. `now` and `activatesAt` are epoch milliseconds.
 */
export async function rotateSigningKey(
  db: Kysely<Database>,
  opts: { activateAfterSeconds: number; now?: number },
): Promise<{ kid: string; activatesAt: number }> {
  const delay = opts.activateAfterSeconds;
  if (!Number.isSafeInteger(delay) || delay < 0 || delay > MAX_ACTIVATE_AFTER_SECONDS) {
    throw new Error(`activateAfterSeconds must be a whole number of seconds from 0 to ${MAX_ACTIVATE_AFTER_SECONDS}, not ${delay}.`);
  }
  const now = opts.now ?? Date.now();
  // The key in use now must exist, so that it keeps signing until the new one activates.
  await readKeySet(db, now);
  const jwk = await newKey();
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await db.selectFrom('signing_keys').select(['seq', 'activates_at']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const activatesAt = Math.max(now + delay * 1000, last.activates_at);
    // Another rotation may take this place first: then go after it.
    const inserted = await db
      .insertInto('signing_keys')
      .values(keyRow(jwk, last.seq + 1, now, activatesAt))
      .onConflict((oc) => oc.column('seq').doNothing())
      .returning('kid')
      .executeTakeFirst();
    if (inserted) return { kid: jwk.kid, activatesAt };
  }
  throw new Error('Could not rotate the signing key: too many rotations at the same time. Try again.');
}

export function publicJwk(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use };
}
