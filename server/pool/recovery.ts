import { consumeCode, type CodePurpose } from './codes';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { maskEmail, type FlowOutcome, type FlowStep } from './flow';
import { clearFailures } from './lockout';
import { notifyLater, sendCode } from './messages';
import { hashPassword } from './passwords/hash';
import { checkPassword } from './passwords/policy';
import { perIp } from './rate-limit';
import { findUserRowByAlias, getUserRow, updateUser } from './users';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;

async function policyProblem(ctx: PoolContext, password: string, user?: { username: string; email: string | null }) {
  const problem = checkPassword(password, (await ctx.settings()).password_policy, {
    username: user?.username,
    email: user?.email ?? undefined,
  });
  if (!problem) return null;
  const params: Record<string, number> = 'min' in problem ? { min: problem.min } : 'max' in problem ? { max: problem.max } : {};
  return fail(problem.code, { field: 'password', params });
}

/** Confirms a new account with the e-mailed code, then signs the user in, as the hosted UI does. */
export async function confirmAccount(ctx: PoolContext, step: Step<'confirm-account'>, code: string): Promise<FlowOutcome | PoolError> {
  if (!step.userId) return fail('invalid_code', { field: 'code' });
  const result = await consumeCode(ctx, step.userId, 'confirm_sign_up', code);
  if (result !== 'ok') return fail(result, { field: 'code' });
  await updateUser(ctx, step.userId, { status: 'CONFIRMED', email_verified: 1 });
  return { done: { userId: step.userId, amr: ['pwd'] } };
}

export async function resendCode(
  ctx: PoolContext,
  step: Step<'confirm-account'> | Step<'reset-password'>,
  locale: string,
): Promise<{ sent: true } | PoolError> {
  if (!step.userId) return { sent: true }; // nothing to send, and nothing to reveal
  const row = await getUserRow(ctx, step.userId);
  if (!row) return { sent: true };
  const purpose: CodePurpose = step.step === 'confirm-account' ? 'confirm_sign_up' : 'reset_password';
  return sendCode(ctx, row, purpose, locale, { resend: true });
}

/**
 * Starts a reset. Whether or not the identifier is known, the answer and the next screen are
 * the same; the code goes only to a real account's e-mail.
 */
export async function forgotPassword(
  ctx: PoolContext,
  input: { identifier: string; ip: string; locale: string },
): Promise<FlowOutcome | PoolError> {
  const limited = await perIp(ctx, 'forgot_password', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const row = await findUserRowByAlias(ctx, input.identifier);
  const guess = input.identifier.includes('@') ? maskEmail(input.identifier) : null;
  if (!row || !row.email || row.enabled !== 1) {
    return { next: { step: 'reset-password', userId: null, destination: guess, forced: false } };
  }
  const sent = await sendCode(ctx, row, 'reset_password', input.locale, { later: true });
  // Over the per-user quota we still answer as if sent: the earlier codes are valid.
  if ('error' in sent && sent.error !== 'rate_limited') return sent;
  return { next: { step: 'reset-password', userId: row.id, destination: maskEmail(row.email), forced: false } };
}

/** Sets the new password with the code. A reset never signs in by itself: the user signs in next. */
export async function resetPassword(
  ctx: PoolContext,
  step: Step<'reset-password'>,
  input: { code: string; password: string; locale: string },
): Promise<FlowOutcome | PoolError> {
  const row = step.userId ? await getUserRow(ctx, step.userId) : undefined;
  const problem = await policyProblem(ctx, input.password, row);
  if (problem) return problem;
  if (!row) return fail('invalid_code', { field: 'code' });
  const result = await consumeCode(ctx, row.id, 'reset_password', input.code);
  if (result !== 'ok') return fail(result, { field: 'code' });
  await updateUser(ctx, row.id, {
    password_hash: await hashPassword(input.password),
    // The code reached the mailbox, which proves it; an unconfirmed user becomes confirmed.
    email_verified: 1,
    status: 'CONFIRMED',
  });
  await clearFailures(ctx, `user:${row.id}`);
  if (row.email) notifyLater(ctx, row.email, { kind: 'passwordChanged' }, input.locale);
  return { next: { step: 'sign-in' } };
}

/** FORCE_CHANGE_PASSWORD: an admin-created user picks their own password, then is signed in. */
export async function completeNewPassword(
  ctx: PoolContext,
  step: Step<'new-password'>,
  input: { password: string },
): Promise<FlowOutcome | PoolError> {
  const row = await getUserRow(ctx, step.userId);
  if (!row) return fail('session_expired');
  const problem = await policyProblem(ctx, input.password, row);
  if (problem) return problem;
  await updateUser(ctx, row.id, { password_hash: await hashPassword(input.password), status: 'CONFIRMED' });
  return { done: { userId: row.id, amr: ['pwd'] } };
}
