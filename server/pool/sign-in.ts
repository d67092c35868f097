import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { maskEmail, type FlowOutcome } from './flow';
import { clearFailures, lockedFor, recordFailure } from './lockout';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords/hash';
import { perIp } from './rate-limit';
import { sendCode } from './messages';
import { findUserRowByAlias, updateUser } from './users';

export interface SignInInput {
  identifier: string;
  password: string;
  ip: string;
  locale: string;
}

/**
 * Password sign-in. Unknown users, wrong passwords and users without a password all take one
 * argon2 verification and get the same answer.
 */
export async function signInWithPassword(ctx: PoolContext, input: SignInInput): Promise<FlowOutcome | PoolError> {
  const limited = await perIp(ctx, 'sign_in', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });

  const row = await findUserRowByAlias(ctx, input.identifier);
  const lockKey = row ? `user:${row.id}` : `name:${input.identifier.toLowerCase()}`;
  const locked = await lockedFor(ctx, lockKey);
  if (locked > 0) return fail('locked_out', { retryAfter: locked });

  const ok = row?.password_hash
    ? await verifyPassword(row.password_hash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!row || !ok) {
    const lockSeconds = await recordFailure(ctx, lockKey);
    return lockSeconds > 0 ? fail('locked_out', { retryAfter: lockSeconds }) : fail('invalid_credentials');
  }
  await clearFailures(ctx, lockKey);
  // An imported hash (bcrypt, scrypt, PBKDF2…) or older parameters: now that the password is known.
  if (row.password_hash && needsRehash(row.password_hash)) await updateUser(ctx, row.id, { password_hash: await hashPassword(input.password) });
  if (row.enabled !== 1) return fail('user_disabled');

  switch (row.status) {
    case 'EXTERNAL_PROVIDER': // has no password of ours: not reached, the check above failed
      return fail('invalid_credentials');
    case 'CONFIRMED':
      return { done: { userId: row.id, amr: ['pwd'] } };
    case 'FORCE_CHANGE_PASSWORD':
      return { next: { step: 'new-password', userId: row.id } };
    case 'UNCONFIRMED': {
      const sent = await sendCode(ctx, row, 'confirm_sign_up', input.locale);
      if ('error' in sent) return sent;
      return { next: { step: 'confirm-account', userId: row.id, destination: row.email ? maskEmail(row.email) : null } };
    }
    case 'RESET_REQUIRED': {
      const sent = await sendCode(ctx, row, 'reset_password', input.locale);
      if ('error' in sent) return sent;
      return { next: { step: 'reset-password', userId: row.id, identifier: input.identifier, destination: row.email ? maskEmail(row.email) : null, forced: true } };
    }
  }
}
