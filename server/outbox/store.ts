import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import type { OutgoingMail } from '../mail/mailer';
import type { OutgoingSms } from '../sms/sender';

/** A rendered message, ready for its transport. */
export type OutgoingMessage = ({ channel: 'email' } & OutgoingMail) | ({ channel: 'sms' } & OutgoingSms);

const messageSchema = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), to: z.string(), subject: z.string(), text: z.string(), html: z.string().optional() }),
  z.object({ channel: z.literal('sms'), to: z.string(), body: z.string(), purpose: z.enum(['mfa', 'verify_phone', 'confirm_sign_up', 'sign_in']) }),
]);

/** Payloads hold codes: they are sealed at rest under a key the caller (the runtime) supplies. */
export interface Sealer {
  seal(plain: string): string;
  unseal(sealed: string): string;
}

/**
 * What a writer of messages is given: how to seal them, and a nudge for this process's worker once
 * the transaction that wrote them has committed (other instances find them by polling).
 */
export interface OutboxLink {
  sealer: Sealer;
  kick(): void;
}

/**
 * Writes a message to be delivered; inside the caller's transaction when `db` is one. A `decoy`
 * costs the same to write and is never delivered (the worker claims `pending` rows only).
 */
export async function enqueueMessage(db: Kysely<Database>, sealer: Sealer, message: OutgoingMessage, now: number, status: 'pending' | 'decoy'): Promise<void> {
  await db
    .insertInto('messages')
    .values({
      channel: message.channel,
      payload: sealer.seal(JSON.stringify(message)),
      status,
      attempts: 0,
      next_attempt_at: now,
      claimed_until: null,
      claim_token: null,
      last_error: null,
      created_at: now,
      delivered_at: null,
    })
    .execute();
}

/** The message of a claimed row; throws when it cannot be read (e.g. sealed under another key). */
export function openMessage(sealer: Sealer, payload: string | null): OutgoingMessage {
  if (payload === null) throw new Error('the message has no payload');
  return messageSchema.parse(JSON.parse(sealer.unseal(payload)));
}

export interface ClaimedMessage {
  id: number;
  channel: 'email' | 'sms';
  payload: string | null;
  /** Counting this one. */
  attempts: number;
}

/**
 * Leases up to `limit` due rows to `token` until `now + leaseMs`. The update re-checks that each
 * row is still pending and unleased, so of several workers racing for a row exactly one gets it
 * (PostgreSQL re-evaluates the condition on the row a concurrent update left; SQLite serialises
 * writers). The attempt is counted when claimed: a message that kills its worker is not retried
 * forever.
 */
export async function claimDue(
  db: Kysely<Database>,
  opts: { now: number; leaseMs: number; limit: number; token: string },
): Promise<ClaimedMessage[]> {
  const { now } = opts;
  const rows = await db
    .updateTable('messages')
    .set((eb) => ({ claim_token: opts.token, claimed_until: now + opts.leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(opts.limit),
    )
    .where('status', '=', 'pending')
    .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<=', now)]))
    .returning(['id', 'channel', 'payload', 'attempts'])
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
}

/** Delivered: the payload is scrubbed. False when the lease was lost to another worker meanwhile. */
export async function markDelivered(db: Kysely<Database>, id: number, token: string, now: number): Promise<boolean> {
  const done = await db
    .updateTable('messages')
    .set({ status: 'delivered', payload: null, delivered_at: now, claimed_until: null, claim_token: null, last_error: null })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/**
 * A failed attempt: tried again at `retryAt`, or, with `retryAt` null, given up (status `failed`,
 * payload scrubbed). `error` is stored as given: callers keep secrets out of it.
 */
export async function markAttemptFailed(
  db: Kysely<Database>,
  id: number,
  token: string,
  opts: { retryAt: number | null; error: string },
): Promise<boolean> {
  const common = { claimed_until: null, claim_token: null, last_error: opts.error };
  const done = await db
    .updateTable('messages')
    .set(opts.retryAt === null ? { ...common, status: 'failed', payload: null } : { ...common, next_attempt_at: opts.retryAt })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

export interface Backlog {
  pending: number;
  /** Given up, within the retention period. */
  failed: number;
  /** Age of the oldest message not yet delivered; 0 when there is none. */
  oldestPendingAgeSeconds: number;
}

export async function backlog(db: Kysely<Database>, now: number): Promise<Backlog> {
  const row = await db
    .selectFrom('messages')
    .select([
      sql<number>`sum(case when status = 'pending' then 1 else 0 end)`.as('pending'),
      sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed'),
      sql<number | null>`min(case when status = 'pending' then created_at end)`.as('oldest'),
    ])
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirstOrThrow();
  const oldest = row.oldest === null ? null : Number(row.oldest);
  return {
    pending: Number(row.pending ?? 0),
    failed: Number(row.failed ?? 0),
    oldestPendingAgeSeconds: oldest === null ? 0 : Math.max(0, Math.floor((now - oldest) / 1000)),
  };
}

/** Deletes delivered, failed and decoy rows made before `before`; pending ones always stay. */
export async function sweepMessages(db: Kysely<Database>, before: number): Promise<number> {
  const done = await db.deleteFrom('messages').where('status', 'in', ['delivered', 'failed', 'decoy']).where('created_at', '<', before).executeTakeFirst();
  return Number(done.numDeletedRows);
}
