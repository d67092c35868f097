import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { secretStore, vault } from '../secrets';
import { isInternalClient } from './account/client';

/**
 * App-client secrets are stored as keyed hashes, never in clear: HMAC-SHA-256 of the client id and
 * the secret, under a random key kept sealed in `secrets` (so a copy of the database alone cannot
 * test guesses, and a rotation of FOYER_SECRET re-seals the key without touching the hashes).
 * Secrets are compared at the token endpoint through oidc-provider's `compareClientSecret`, which
 * is why `client_secret_jwt` (an HMAC keyed with the secret itself) is not offered.
 */
const KEY_NAME = 'client-secret-key';
const PREFIX = 'hmac-sha256:';

export const isClientSecretHash = (value: string) => value.startsWith(PREFIX);

const hashWith = (key: string, clientId: string, secret: string) => `${PREFIX}${createHmac('sha256', key).update(`${clientId}\n${secret}`).digest('base64url')}`;

/** The hash to store for `secret`; makes the key on first use. */
export async function hashClientSecret(db: Kysely<Database>, clientId: string, secret: string): Promise<string> {
  return hashWith(await secretStore(db).ensure(KEY_NAME), clientId, secret);
}

/**
 * A config's clients with their secrets hashed as stored, so that comparing with the database
 * shows only real changes (REDACTED keeps the stored one). With `create: false` (a dry run) and no
 * key yet, nothing is hashed: nothing stored is either.
 */
export async function withHashedSecrets<T extends { client_id: string; client_secret?: string }>(
  db: Kysely<Database>,
  clients: T[],
  opts: { create: boolean; keep: string },
): Promise<T[]> {
  const key = opts.create ? await secretStore(db).ensure(KEY_NAME) : await secretStore(db).get(KEY_NAME);
  if (key === undefined) return clients;
  return clients.map((c) => (c.client_secret === undefined || c.client_secret === opts.keep ? c : { ...c, client_secret: hashWith(key, c.client_id, c.client_secret) }));
}

/**
 * The clients that live in this process (the account pages, the demo app) authenticate with a
 * secret derived from the deployment secret: never stored, never shown, the same on every instance.
 */
const inProcess = (clientId: string) => isInternalClient(clientId) || clientId === 'demo';
export const inProcessClientSecret = (clientId: string) => vault().derive(`in-process client secret:${clientId}`).toString('base64url');

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Whether `actual` is the secret of the client whose stored secret (hash) is `stored`. */
export async function clientSecretMatches(db: Kysely<Database>, clientId: string, stored: string | undefined, actual: string): Promise<boolean> {
  if (inProcess(clientId) && same(actual, inProcessClientSecret(clientId))) return true;
  if (!stored) return false;
  // A secret stored in clear by an older version (hashed at the next start).
  if (!isClientSecretHash(stored)) return same(actual, stored);
  return same(await hashClientSecret(db, clientId, actual), stored);
}

/**
 * At start: hashes the secrets older versions stored in clear; each row only if unchanged since
 * read, so instances starting together do it once.
 */
export async function hashStoredClientSecrets(db: Kysely<Database>): Promise<number> {
  let count = 0;
  for (const row of await db.selectFrom('clients').select(['client_id', 'metadata']).execute()) {
    const metadata = JSON.parse(row.metadata) as { client_secret?: unknown };
    if (typeof metadata.client_secret !== 'string' || isClientSecretHash(metadata.client_secret)) continue;
    const hashed = JSON.stringify({ ...metadata, client_secret: await hashClientSecret(db, row.client_id, metadata.client_secret) });
    const done = await db.updateTable('clients').set({ metadata: hashed }).where('client_id', '=', row.client_id).where('metadata', '=', row.metadata).executeTakeFirst();
    count += Number(done.numUpdatedRows);
  }
  return count;
}
