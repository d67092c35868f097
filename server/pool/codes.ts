import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { attempt, wrongAnswer } from './attempts';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { inTransaction } from './transaction';

/**
 * `mfa_email:<attempt>` and `mfa_sms:<attempt>` bind a second-factor code to one sign-in attempt,
 * `sign_in_email:<attempt>` and `sign_in_sms:<attempt>` a passwordless first factor's;
 * `verify_phone:<E.164>` and `change_email:<address>` bind a code to the value it was sent to.
 */
export type CodePurpose =
  | 'confirm_sign_up'
  | 'reset_password'
  | `mfa_email:${string}`
  | `mfa_sms:${string}`
  | `sign_in_email:${string}`
  | `sign_in_sms:${string}`
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

/**
 * Whom a code was sent to: a user, or (a reset for a name no account answers to) nobody, with a
 * decoy standing in for the code so that every answer comes out as it would for a real account.
 */
export type CodeHolder = { userId: string } | { decoy: string };

/** The decoy for a typed identifier: replaced on every "send", as a real code is. */
export async function issueDecoyCode(ctx: PoolContext, decoy: string, purpose: CodePurpose, ttlMs = CODE_TTL_MS): Promise<void> {
  const now = ctx.now();
  const values = { attempts: 0, expires_at: now + ttlMs, created_at: now };
  await ctx.db
    .insertInto('decoy_codes')
    .values({ id: `${purpose}:${decoy}`, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export type CodeCheck = 'ok' | 'invalid_code' | 'expired_code' | 'too_many_attempts';

type Current = { table: 'codes' | 'decoy_codes'; id: string; codeHash: string | null; attempts: number; expiresAt: number };

async function currentCode(ctx: PoolContext, holder: CodeHolder, purpose: CodePurpose): Promise<Current | undefined> {
  if ('decoy' in holder) {
    const d = await ctx.db.selectFrom('decoy_codes').selectAll().where('id', '=', `${purpose}:${holder.decoy}`).executeTakeFirst();
    return d && { table: 'decoy_codes', id: d.id, codeHash: null, attempts: Number(d.attempts), expiresAt: Number(d.expires_at) };
  }
  const row = await ctx.db
    .selectFrom('codes')
    .selectAll()
    .where('user_id', '=', holder.userId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return row && { table: 'codes', id: row.id, codeHash: row.code_hash, attempts: Number(row.attempts), expiresAt: Number(row.expires_at) };
}

/** Whether the user holds a code for `purpose` that can still be used (unspent, unexpired, tries left). */
export async function hasLiveCode(ctx: PoolContext, userId: string, purpose: CodePurpose): Promise<boolean> {
  const row = await currentCode(ctx, { userId }, purpose);
  return !!row && row.expiresAt > ctx.now() && row.attempts < MAX_ATTEMPTS;
}

/** One try at the current code: counted on it first (five burn it), then compared; a match consumes it. */
async function tryCode(ctx: PoolContext, row: Current | undefined, code: string): Promise<CodeCheck> {
  // A decoy is compared too (against nothing that can match), so it takes the same work.
  const expected = Buffer.from(row?.codeHash ?? digest(ctx, randomUUID(), 'decoy'));
  if (!row) return 'invalid_code';
  if (row.expiresAt <= ctx.now()) return 'expired_code';
  // The attempt is taken before the comparison, in one conditional update, so parallel guesses
  // cannot all read the same count and get past the limit.
  const counted = await ctx.db
    .updateTable(row.table)
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('attempts', '<', MAX_ATTEMPTS)
    .returning('attempts')
    .executeTakeFirst();
  if (!counted) return 'too_many_attempts';
  const given = Buffer.from(digest(ctx, row.id, code));
  if (!row.codeHash || expected.length !== given.length || !timingSafeEqual(expected, given)) {
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

/**
 * Single use: a right code is consumed; five wrong tries burn it. For callers that count the
 * attempt themselves (the second-factor screen counts every factor under one key).
 */
export async function consumeCode(ctx: PoolContext, userId: string, purpose: CodePurpose, code: string): Promise<CodeCheck> {
  return tryCode(ctx, await currentCode(ctx, { userId }, purpose), code);
}

/** `verify_phone:+1555…` and `mfa_email:<attempt>` count as one purpose across numbers and attempts. */
const purposeKind = (purpose: CodePurpose) => purpose.split(':')[0];

/**
 * A code through the shared attempt path: wrong codes are counted per holder and purpose across
 * codes (a resend gives no fresh tries), with the passwords' back-off; `lock` counts them under
 * another key instead (a passwordless first factor's, the password's). A code already spent or
 * expired answers so without taking an attempt: there is nothing left to guess.
 */
export async function checkCode(ctx: PoolContext, holder: CodeHolder, purpose: CodePurpose, code: string, o: { lock?: string } = {}): Promise<'ok' | PoolError> {
  const who = 'decoy' in holder ? holder.decoy : `user:${holder.userId}`;
  const row = await currentCode(ctx, holder, purpose);
  const field = { field: 'code' };
  if (row && row.expiresAt <= ctx.now()) return fail('expired_code', field);
  if (row && row.attempts >= MAX_ATTEMPTS) return fail('too_many_attempts', field);
  let result: CodeCheck = 'invalid_code';
  const tried = await attempt(ctx, o.lock ?? `code:${purposeKind(purpose)}:${who}`, async () => (result = await tryCode(ctx, row, code)) === 'ok');
  if ('error' in tried) return { ...tried, ...field };
  if (tried.passed) return 'ok';
  return result === 'invalid_code' ? { ...wrongAnswer(tried, fail('invalid_code')), ...field } : fail(result, field);
}
