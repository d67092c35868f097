import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { maskEmail, type FlowOutcome } from './flow';
import { attempt, wrongAnswer } from './attempts';
import { hasLiveCode } from './codes';
import { confirmationDestination, sendConfirmationCode } from './confirmation';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords/hash';
import { perIp } from './rate-limit';
import { sendCode } from './messages';
import { recordSignInFailure, SIGN_IN_FAILED } from './sign-in-events';
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
  // A pool whose sign-in screen does not offer the password takes none posted to it either.
  if (!(await ctx.settings()).sign_in_methods.includes('password')) return fail('wrong_step');
  const limited = await perIp(ctx, 'sign_in', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });

  const row = await findUserRowByAlias(ctx, input.identifier);
  const lockKey = row ? `user:${row.id}` : `name:${input.identifier.toLowerCase()}`;
  // A disabled user gets exactly a wrong password's answer, counted alike, whatever was typed:
  // telling "disabled" only after the right password (as Cognito's "User is disabled." does)
  // would confirm the password to whoever guessed it.
  const tried = await attempt(ctx, lockKey, async () => {
    const ok = row?.password_hash ? await verifyPassword(row.password_hash, input.password) : await verifyAgainstDummy(input.password);
    return ok && row?.enabled === 1;
  });
  const refused = async (e: PoolError) => {
    await recordSignInFailure(ctx, { type: SIGN_IN_FAILED, userId: row?.id ?? null, method: 'password', reason: e.error, ip: input.ip });
    return e;
  };
  if ('error' in tried) return refused(tried);
  if (!tried.passed) return refused(wrongAnswer(tried, fail('invalid_credentials')));
  if (!row) return fail('invalid_credentials'); // not reached: only a user's password passes
  // An imported hash (bcrypt, scrypt, PBKDF2…) or older parameters: now that the password is known.
  if (row.password_hash && needsRehash(row.password_hash)) await updateUser(ctx, row.id, { password_hash: await hashPassword(input.password) });

  switch (row.status) {
    case 'EXTERNAL_PROVIDER': // has no password of ours: not reached, the check above failed
      return fail('invalid_credentials');
    case 'CONFIRMED':
      return { done: { userId: row.id, amr: ['pwd'] } };
    case 'FORCE_CHANGE_PASSWORD':
      return { next: { step: 'new-password', userId: row.id } };
    case 'UNCONFIRMED': {
      const sent = await sendConfirmationCode(ctx, row, input);
      if ('error' in sent) return sent;
      return { next: { step: 'confirm-account', userId: row.id, destination: confirmationDestination({ email: row.email, phoneNumber: row.phone_number }) } };
    }
    case 'RESET_REQUIRED': {
      // A code the admin's reset mailed still works: a new one would void it ("Send a new code" is there).
      if (!(await hasLiveCode(ctx, row.id, 'reset_password'))) {
        const sent = await sendCode(ctx, row, 'reset_password', input.locale);
        if ('error' in sent) return sent;
      }
      return { next: { step: 'reset-password', userId: row.id, identifier: input.identifier, destination: row.email ? maskEmail(row.email) : null, forced: true } };
    }
  }
}
