import type { PoolContext } from './context';

/**
 * Locks are keyed by user id when the user exists and by the typed identifier otherwise,
 * so unknown names lock exactly like real ones and reveal nothing.
 * After `free_failures`, each failure locks for base × 2^(n − free − 1) s, capped (Cognito's curve).
 */
export async function lockedFor(ctx: PoolContext, key: string): Promise<number> {
  const row = await ctx.db.selectFrom('lockouts').select('locked_until').where('key', '=', key).executeTakeFirst();
  const left = row ? row.locked_until - ctx.now() : 0;
  return left > 0 ? Math.ceil(left / 1000) : 0;
}

export async function recordFailure(ctx: PoolContext, key: string): Promise<number> {
  const policy = (await ctx.settings()).lockout;
  const now = ctx.now();
  const row = await ctx.db.selectFrom('lockouts').select('failures').where('key', '=', key).executeTakeFirst();
  const failures = (row?.failures ?? 0) + 1;
  const over = failures - policy.free_failures;
  const lockMs = over > 0 ? Math.min(policy.base_seconds * 2 ** (over - 1), policy.max_seconds) * 1000 : 0;
  const values = { failures, locked_until: now + lockMs, updated_at: now };
  await ctx.db
    .insertInto('lockouts')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
  return Math.ceil(lockMs / 1000);
}

export async function clearFailures(ctx: PoolContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('lockouts').where('key', '=', key).execute();
}
