import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PoolContext } from '../context';

/**
 * "Remember this device": a random token the browser keeps in a cookie; its HMAC is stored. A
 * valid, unexpired token of the same user lets that browser skip the second factor.
 */
function digest(ctx: PoolContext, secret: string): string {
  return createHmac('sha256', ctx.secret).update(`device:${secret}`).digest('base64url');
}

export async function rememberDevice(ctx: PoolContext, userId: string, days: number): Promise<string> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await ctx.db
    .insertInto('remembered_devices')
    .values({ id, user_id: userId, token_hash: digest(ctx, secret), created_at: now, expires_at: now + days * 86_400_000, last_used_at: null })
    .execute();
  return `${id}.${secret}`;
}

export async function isRememberedDevice(ctx: PoolContext, userId: string, token: string | undefined): Promise<boolean> {
  const [id, secret] = (token ?? '').split('.');
  if (!id || !secret || id.length > 64 || secret.length > 128) return false;
  const row = await ctx.db.selectFrom('remembered_devices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.user_id !== userId || row.expires_at <= ctx.now()) return false;
  const expected = Buffer.from(row.token_hash);
  const given = Buffer.from(digest(ctx, secret));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  await ctx.db.updateTable('remembered_devices').set({ last_used_at: ctx.now() }).where('id', '=', id).execute();
  return true;
}

/** A new password forgets every remembered browser: whoever had the old one must prove the second factor again. */
export async function forgetDevices(ctx: PoolContext, userId: string): Promise<void> {
  await ctx.db.deleteFrom('remembered_devices').where('user_id', '=', userId).execute();
}

export interface RememberedDevice {
  id: string;
  label: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
}

export async function listDevices(ctx: PoolContext, userId: string): Promise<RememberedDevice[]> {
  const rows = await ctx.db
    .selectFrom('remembered_devices')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', ctx.now())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at }));
}

/** Only the user's own device can be forgotten; `all` forgets every one. */
export async function forgetDevice(ctx: PoolContext, userId: string, id: string | 'all'): Promise<boolean> {
  let q = ctx.db.deleteFrom('remembered_devices').where('user_id', '=', userId);
  if (id !== 'all') q = q.where('id', '=', id);
  const done = await q.executeTakeFirst();
  return Number(done.numDeletedRows) > 0;
}

/** A name the user can recognise the browser by, from its User-Agent, set when it is remembered. */
export async function labelDevice(ctx: PoolContext, token: string, label: string): Promise<void> {
  const id = token.split('.')[0];
  if (!id) return;
  await ctx.db.updateTable('remembered_devices').set({ label: label.slice(0, 80) }).where('id', '=', id).execute();
}
