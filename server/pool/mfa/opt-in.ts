import { randomUUID } from 'node:crypto';
import type { PoolSettings } from '../../config/seed';
import type { PoolContext } from '../context';
import { inTransaction } from '../transaction';

/**
 * In an OPTIONAL pool, codes by e-mail or text message are a second factor only for users who
 * turned them on (a marker row with an empty secret); a REQUIRED pool uses any verified address.
 */
export type OptInFactor = 'email' | 'sms';

export async function hasOptIn(ctx: PoolContext, userId: string, kind: OptInFactor): Promise<boolean> {
  const row = await ctx.db.selectFrom('mfa_factors').select('id').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst();
  return row !== undefined;
}

export async function setOptIn(ctx: PoolContext, userId: string, kind: OptInFactor, on: boolean): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom('mfa_factors').where('user_id', '=', userId).where('kind', '=', kind).execute();
    if (on) await tx.db.insertInto('mfa_factors').values({ id: randomUUID(), user_id: userId, kind, secret: '', last_used_step: null, created_at: ctx.now() }).execute();
  });
}

/**
 * Codes sent to a verified address are a factor the user already has: a REQUIRED pool uses it
 * without enrolment, an OPTIONAL one once the user turned it on. `address` is what the screens show.
 */
export async function codesStanding(ctx: PoolContext, userId: string, kind: OptInFactor, mfa: PoolSettings['mfa'], verified: string | null): Promise<{ on: boolean; address: string } | null> {
  if (!mfa.factors.includes(kind) || !verified) return null;
  return { on: mfa.mode === 'REQUIRED' || (await hasOptIn(ctx, userId, kind)), address: verified };
}
