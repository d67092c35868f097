import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, FlowStep } from '../flow';
import { clearFailures, lockedFor, recordFailure } from '../lockout';
import { notifyLater } from '../messages';
import { getUserRow } from '../users';
import { issueRecoveryCodes, useRecoveryCode } from './recovery-codes';
import { enrolTotp, hasTotp, newTotpSecret, verifyTotp } from './totp';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;

/**
 * Every first factor ends here. No sign-in is finished (and so no token issued) before the
 * second factor the pool's policy asks for: proved if the user has one, enrolled if required.
 */
export async function requireSecondFactor(ctx: PoolContext, outcome: FlowOutcome): Promise<FlowOutcome> {
  if (!('done' in outcome)) return outcome;
  const { userId, amr } = outcome.done;
  const { mode } = (await ctx.settings()).mfa;
  if (mode === 'OFF' || amr.includes('mfa')) return outcome;
  if (await hasTotp(ctx, userId)) return { next: { step: 'mfa', userId, amr } };
  if (mode === 'REQUIRED') return { next: { step: 'mfa-setup', userId, amr, secret: newTotpSecret() } };
  return outcome;
}

/**
 * Wrong codes count toward a lock of their own, so six digits cannot be walked through. On
 * success the second factor is added to how the user signed in.
 */
async function checked(ctx: PoolContext, userId: string, check: () => Promise<boolean>, amr: string[], field = 'code'): Promise<{ amr: string[] } | PoolError> {
  const key = `mfa:${userId}`;
  const locked = await lockedFor(ctx, key);
  if (locked > 0) return fail('locked_out', { retryAfter: locked });
  if (!(await check())) {
    const lockSeconds = await recordFailure(ctx, key);
    return lockSeconds > 0 ? fail('locked_out', { retryAfter: lockSeconds }) : fail('invalid_code', { field });
  }
  await clearFailures(ctx, key);
  return { amr: [...new Set([...amr, 'mfa'])] };
}

export async function answerTotp(ctx: PoolContext, step: Step<'mfa'>, code: string): Promise<FlowOutcome | PoolError> {
  const r = await checked(ctx, step.userId, () => verifyTotp(ctx, step.userId, code), [...step.amr, 'otp']);
  return 'error' in r ? r : { done: { userId: step.userId, amr: r.amr } };
}

/** After the first code, the user is shown ten recovery codes once, before going on. */
export async function enrolAndAnswerTotp(ctx: PoolContext, step: Step<'mfa-setup'>, code: string): Promise<FlowOutcome | PoolError> {
  const r = await checked(ctx, step.userId, () => enrolTotp(ctx, step.userId, step.secret, code), [...step.amr, 'otp']);
  if ('error' in r) return r;
  const codes = await issueRecoveryCodes(ctx, step.userId);
  return { next: { step: 'recovery-codes', userId: step.userId, amr: r.amr, codes } };
}

export function acknowledgeRecoveryCodes(step: Step<'recovery-codes'>): FlowOutcome {
  return { done: { userId: step.userId, amr: step.amr } };
}

/** A recovery code stands in for the app, once; the user is told by mail how many remain. */
export async function answerRecoveryCode(ctx: PoolContext, step: Step<'mfa'>, code: string, locale: string): Promise<FlowOutcome | PoolError> {
  let remaining: number | null = null;
  const r = await checked(
    ctx,
    step.userId,
    async () => (remaining = await useRecoveryCode(ctx, step.userId, code)) !== null,
    step.amr,
    'recovery_code',
  );
  if ('error' in r) return r;
  await ctx.db.insertInto('events').values({ type: 'recovery_code_used', user_id: step.userId, ip: null, detail: JSON.stringify({ remaining }), created_at: ctx.now() }).execute();
  const user = await getUserRow(ctx, step.userId);
  if (user?.email) notifyLater(ctx, user.email, { kind: 'recoveryCodeUsed', remaining: remaining ?? 0 }, locale);
  return { done: { userId: step.userId, amr: r.amr } };
}
