import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context';

/** In an OPTIONAL pool, e-mail codes are a second factor only for users who turned them on. */
export async function hasEmailFactor(ctx: PoolContext, userId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('mfa_factors').select('id').where('user_id', '=', userId).where('kind', '=', 'email').executeTakeFirst();
  return row !== undefined;
}

export async function setEmailFactor(ctx: PoolContext, userId: string, on: boolean): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('mfa_factors').where('user_id', '=', userId).where('kind', '=', 'email').execute();
    if (on) await tx.insertInto('mfa_factors').values({ id: randomUUID(), user_id: userId, kind: 'email', secret: '', last_used_step: null, created_at: ctx.now() }).execute();
  });
}
