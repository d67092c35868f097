import { sql } from 'kysely';
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
  // Counted in one statement, so parallel failures cannot overwrite each other's count.
  const { failures } = await ctx.db
    .insertInto('lockouts')
    .values({ key, failures: 1, locked_until: now, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: sql`lockouts.failures + 1`, updated_at: now }))
    .returning('failures')
    .executeTakeFirstOrThrow();
  const over = Number(failures) - policy.free_failures;
  const lockMs = over > 0 ? Math.min(policy.base_seconds * 2 ** (over - 1), policy.max_seconds) * 1000 : 0;
  if (lockMs > 0) {
    await ctx.db.updateTable('lockouts').set({ locked_until: now + lockMs }).where('key', '=', key).execute();
  }
  return Math.ceil(lockMs / 1000);
}

export async function clearFailures(ctx: PoolContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('lockouts').where('key', '=', key).execute();
}
