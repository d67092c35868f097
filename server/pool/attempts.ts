import { sql, type RawBuilder } from 'kysely';
import type { PoolSettings } from '../config/seed';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';

/**
 * The one path every guessable secret is checked through (passwords, TOTP, e-mailed and texted
 * codes, recovery codes, reset and confirmation codes).
 *
 * An attempt is *reserved* before the secret is verified: one atomic statement refuses while the
 * key is locked and otherwise counts the attempt as a failure and sets the lock the next attempt
 * would face. Only then is the secret verified; a right one releases (clears) the key. So a burst
 * of concurrent guesses cannot all pass a check made before any failure was recorded: once the
 * free failures are used, one guess is evaluated per lock period, whichever wins the row.
 *
 * Keys name who is guessed at and what: `user:<id>` (password), `mfa:<id>` (second factors),
 * `code:<purpose>:user:<id>` (codes by purpose, across resends). Where no account is behind a
 * typed identifier the key uses it (`name:<identifier>`), so unknown names lock exactly like real
 * ones and reveal nothing. After `free_failures`, each failure locks for base × 2^(n − free − 1) s,
 * capped (Cognito's curve).
 */

type Policy = PoolSettings['lockout'];

/** Seconds the n-th consecutive failure locks for. */
export function lockSeconds(policy: Policy, failures: number): number {
  const over = failures - policy.free_failures;
  return over > 0 ? Math.min(policy.base_seconds * 2 ** (over - 1), policy.max_seconds) : 0;
}

/** The same curve in SQL (milliseconds), as a CASE over the few steps before the cap, so it reads alike on both databases. */
function lockMsSql(policy: Policy, failures: RawBuilder<number>): RawBuilder<number> {
  const branches: RawBuilder<unknown>[] = [sql`when ${failures} <= ${sql.lit(policy.free_failures)} then 0`];
  for (let n = policy.free_failures + 1; lockSeconds(policy, n) < policy.max_seconds; n++) {
    branches.push(sql`when ${failures} = ${sql.lit(n)} then ${sql.lit(lockSeconds(policy, n) * 1000)}`);
  }
  return sql<number>`(case ${sql.join(branches, sql` `)} else ${sql.lit(policy.max_seconds * 1000)} end)`;
}

export type Reservation = { reserved: true; lockSeconds: number } | { reserved: false; retryAfter: number };

/** Takes an attempt for `key`, or refuses it while the key is locked (the refused attempt is not counted). */
export async function reserveAttempt(ctx: PoolContext, key: string): Promise<Reservation> {
  const policy = (await ctx.settings()).lockout;
  const now = ctx.now();
  const failures = sql<number>`(lockouts.failures + 1)`;
  const row = await ctx.db
    .insertInto('lockouts')
    .values({ key, failures: 1, locked_until: now + lockSeconds(policy, 1) * 1000, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ failures, locked_until: sql`cast(${now} as bigint) + ${lockMsSql(policy, failures)}`, updated_at: now })
        // Checked on the row as locked by this statement: of concurrent attempts, those that come
        // after one that set a lock see it and are refused.
        .where('lockouts.locked_until', '<=', now),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirst();
  if (row) return { reserved: true, lockSeconds: Math.ceil((Number(row.locked_until) - now) / 1000) };
  const locked = await ctx.db.selectFrom('lockouts').select('locked_until').where('key', '=', key).executeTakeFirst();
  return { reserved: false, retryAfter: Math.max(1, Math.ceil(((locked ? Number(locked.locked_until) : now) - now) / 1000)) };
}

/** A right secret: the count starts again. */
export async function releaseAttempt(ctx: PoolContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('lockouts').where('key', '=', key).execute();
}

export type Attempt = { passed: true } | { passed: false; lockSeconds: number };

/**
 * Reserve, verify, release on success. `verify` runs only for a reserved attempt; a failed
 * attempt reports the lock it left (0 while failures are free).
 */
export async function attempt(ctx: PoolContext, key: string, verify: () => Promise<boolean>): Promise<Attempt | PoolError> {
  const r = await reserveAttempt(ctx, key);
  if (!r.reserved) return fail('locked_out', { retryAfter: r.retryAfter });
  if (!(await verify())) return { passed: false, lockSeconds: r.lockSeconds };
  await releaseAttempt(ctx, key);
  return { passed: true };
}

/** What a wrong secret answers: the lock it left, or `wrong` while failures are free. */
export function wrongAnswer(a: { lockSeconds: number }, wrong: PoolError): PoolError {
  return a.lockSeconds > 0 ? fail('locked_out', { retryAfter: a.lockSeconds }) : wrong;
}

/** Reserve, verify, release, with the usual answers: null when the secret was right. */
export async function guarded(ctx: PoolContext, key: string, verify: () => Promise<boolean>, wrong: PoolError): Promise<PoolError | null> {
  const a = await attempt(ctx, key, verify);
  if ('error' in a) return a;
  return a.passed ? null : wrongAnswer(a, wrong);
}
