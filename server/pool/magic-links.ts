import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PoolContext } from './context';
import { inTransaction } from './transaction';

/**
 * Sign-in links, kept in the codes table: `magic_link:<uid>:<attempt>` binds one to the sign-in
 * (interaction) that asked and to its attempt. The link carries the row's id and a 256-bit token
 * of which only an HMAC is stored. A new link for the same attempt replaces the earlier one.
 */
export const LINK_TTL_MS = 10 * 60_000;

const purposeOf = (uid: string, attempt: string) => `magic_link:${uid}:${attempt}`;
const digest = (ctx: PoolContext, id: string, token: string) => createHmac('sha256', ctx.secret).update(`link:${id}:${token}`).digest();

export async function issueMagicLink(ctx: PoolContext, o: { userId: string; uid: string; attempt: string }): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const purpose = purposeOf(o.uid, o.attempt);
  const now = ctx.now();
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom('codes').where('user_id', '=', o.userId).where('purpose', '=', purpose).execute();
    await tx.db
      .insertInto('codes')
      .values({ id, user_id: o.userId, purpose, code_hash: digest(ctx, id, token).toString('base64url'), attempts: 0, expires_at: now + LINK_TTL_MS, consumed_at: null, created_at: now })
      .execute();
  });
  return { id, token };
}

export type LinkState = { uid: string; attempt: string; userId: string; usable: boolean };

/** What a link is for, when its token is right; `usable` is false once used or expired. Reading it changes nothing (mail scanners open links). */
export async function readMagicLink(ctx: PoolContext, id: string, token: string): Promise<LinkState | undefined> {
  const row = await ctx.db.selectFrom('codes').selectAll().where('id', '=', id).where('purpose', 'like', 'magic_link:%').executeTakeFirst();
  const expected = row ? Buffer.from(row.code_hash, 'base64url') : digest(ctx, randomUUID(), 'none');
  const given = digest(ctx, id, token);
  if (!row || expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const [, uid, attempt] = row.purpose.split(':');
  return { uid, attempt, userId: row.user_id, usable: row.consumed_at === null && Number(row.expires_at) > ctx.now() };
}

/** Spends a link; of concurrent uses one wins. */
export async function consumeMagicLink(ctx: PoolContext, id: string): Promise<boolean> {
  const done = await ctx.db
    .updateTable('codes')
    .set({ consumed_at: ctx.now() })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', ctx.now())
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}
