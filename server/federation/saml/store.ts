import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

/** How long a request we sent stays answerable (the user may take a while at their IdP). */
export const REQUEST_TTL_MS = 30 * 60_000;

export type RequestKind = 'authn' | 'logout';

export async function rememberRequest(
  db: Kysely<Database>,
  request: { id: string; provider: string; kind: RequestKind; relayState: string | null },
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('saml_requests')
    .values({ id: request.id, provider: request.provider, kind: request.kind, relay_state: request.relayState, created_at: now, expires_at: now + REQUEST_TTL_MS })
    .execute();
}

/**
 * Takes a pending request out of the store, once: of two concurrent callers only one gets it.
 * Returns its RelayState (null when none was sent), or undefined when there is no such pending
 * request for this provider (never sent, already answered, or expired).
 */
export async function consumeRequest(
  db: Kysely<Database>,
  request: { id: string; provider: string; kind: RequestKind },
  now = Date.now(),
): Promise<{ relayState: string | null } | undefined> {
  const row = await db
    .deleteFrom('saml_requests')
    .where('id', '=', request.id)
    .where('provider', '=', request.provider)
    .where('kind', '=', request.kind)
    .where('expires_at', '>', now)
    .returning('relay_state')
    .executeTakeFirst();
  return row ? { relayState: row.relay_state } : undefined;
}

/**
 * Records that a message (assertion, logout request) was accepted. False when it had been
 * already: a replay. Kept until `expiresAt`, after which the message is refused as expired anyway.
 */
export async function markAccepted(db: Kysely<Database>, entry: { provider: string; messageId: string; expiresAt: number }, now = Date.now()): Promise<boolean> {
  // A stale row would otherwise refuse an ID the IdP reuses after expiry (harmless, but wrong).
  await db.deleteFrom('saml_replay').where('provider', '=', entry.provider).where('message_id', '=', entry.messageId).where('expires_at', '<=', now).execute();
  const result = await db
    .insertInto('saml_replay')
    .values({ provider: entry.provider, message_id: entry.messageId, expires_at: entry.expiresAt })
    .onConflict((oc) => oc.columns(['provider', 'message_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Deletes expired requests and replay entries; call it from the periodic sweeper. */
export async function sweepSaml(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await db.deleteFrom('saml_requests').where('expires_at', '<=', now).execute();
  await db.deleteFrom('saml_replay').where('expires_at', '<=', now).execute();
}

/** The provider a pending request was sent for (to route an answer at a shared endpoint). */
export async function pendingRequestProvider(db: Kysely<Database>, id: string, now = Date.now()): Promise<string | undefined> {
  const row = await db.selectFrom('saml_requests').select('provider').where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  return row?.provider;
}
