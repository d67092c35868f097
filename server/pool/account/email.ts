import { checkCode } from '../codes';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import { maskEmail } from '../flow';
import { mailCode, queueMail } from '../messages';
import { codeLimits, hit } from '../rate-limit';
import { inTransaction } from '../transaction';
import { getUserRow, verifiedEmailTaken } from '../users';

const purpose = (email: string) => `change_email:${email.toLowerCase()}` as const;

/**
 * A new e-mail address takes effect only once a code sent to it comes back. An address that
 * already belongs to someone gets a warning instead of a code, and this screen answers the same
 * either way, so it cannot be used to find out who has an account.
 */
export async function startEmailChange(
  ctx: PoolContext,
  userId: string,
  input: { email: string; locale: string },
): Promise<{ sent: true } | PoolError> {
  const row = await getUserRow(ctx, userId);
  if (!row) return fail('session_expired');
  if (row.email_lower === input.email.toLowerCase() && row.email_verified === 1) return fail('email_unchanged', { field: 'email' });
  const quota = await hit(ctx, `send:change_email:${userId}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return fail('rate_limited', { retryAfter: quota.retryAfter });
  if (await verifiedEmailTaken(ctx, input.email)) {
    await queueMail(ctx, input.email, { kind: 'accountExists' }, input.locale);
    return { sent: true };
  }
  await mailCode(ctx, { userId, purpose: purpose(input.email), to: input.email, kind: 'changeEmailCode', locale: input.locale });
  return { sent: true };
}

export async function confirmEmailChange(
  ctx: PoolContext,
  userId: string,
  input: { email: string; code: string; locale: string },
): Promise<{ changed: true } | PoolError> {
  const row = await getUserRow(ctx, userId);
  if (!row) return fail('session_expired');
  const wrong = await checkCode(ctx, { userId }, purpose(input.email), input.code);
  if (wrong !== 'ok') return wrong;
  // Someone may have verified the same address meanwhile.
  if (await verifiedEmailTaken(ctx, input.email)) return fail('email_taken', { field: 'email' });
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ email: input.email, email_lower: input.email.toLowerCase(), email_verified: 1, updated_at: ctx.now() })
      .where('id', '=', userId)
      .execute();
    if (row.email && row.email_lower !== input.email.toLowerCase()) {
      await queueMail(tx, row.email, { kind: 'emailChanged', destination: maskEmail(input.email) }, input.locale);
    }
  });
  return { changed: true };
}
