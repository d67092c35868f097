import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PoolContext } from './context';
import { inTransaction } from './transaction';

/**
 * `mfa_email:<attempt>` and `mfa_sms:<attempt>` bind a second-factor code to one sign-in attempt;
 * `verify_phone:<E.164>` and `change_email:<address>` bind a code to the value it was sent to.
 */
export type CodePurpose =
  | 'confirm_sign_up'
  | 'reset_password'
  | `mfa_email:${string}`
  | `mfa_sms:${string}`
  | `verify_phone:${string}`
  | `change_email:${string}`;
export const CODE_TTL_MS = 10 * 60_000;
const MAX_ATTEMPTS = 5;

function digest(ctx: PoolContext, id: string, code: string): string {
  return createHmac('sha256', ctx.secret).update(`${id}:${code}`).digest('base64url');
}

/** A new code replaces any earlier one for the same user and purpose. */
export async function issueCode(ctx: PoolContext, userId: string, purpose: CodePurpose, ttlMs = CODE_TTL_MS): Promise<string> {
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
  const id = randomUUID();
  const now = ctx.now();
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom('codes').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
    await tx.db
      .insertInto('codes')
      .values({ id, user_id: userId, purpose, code_hash: digest(ctx, id, code), attempts: 0, expires_at: now + ttlMs, consumed_at: null, created_at: now })
      .execute();
  });
  return code;
}

export type CodeCheck = 'ok' | 'invalid_code' | 'expired_code' | 'too_many_attempts';

/** Single use: a right code is consumed; five wrong tries burn it. */
export async function consumeCode(ctx: PoolContext, userId: string, purpose: CodePurpose, code: string): Promise<CodeCheck> {
  const row = await ctx.db
    .selectFrom('codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (!row) return 'invalid_code';
  if (row.expires_at <= ctx.now()) return 'expired_code';
  // Each try takes an attempt before the comparison, in one conditional update, so parallel
  // guesses cannot all read the same count and get past the limit.
  const counted = await ctx.db
    .updateTable('codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('attempts', '<', MAX_ATTEMPTS)
    .returning('attempts')
    .executeTakeFirst();
  if (!counted) return 'too_many_attempts';
  const expected = Buffer.from(row.code_hash);
  const given = Buffer.from(digest(ctx, row.id, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return Number(counted.attempts) >= MAX_ATTEMPTS ? 'too_many_attempts' : 'invalid_code';
  }
  // The conditional update makes a concurrent second use lose.
  const done = await ctx.db
    .updateTable('codes')
    .set({ consumed_at: ctx.now() })
    .where('id', '=', row.id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1 ? 'ok' : 'invalid_code';
}
