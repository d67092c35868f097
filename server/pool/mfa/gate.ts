import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, FlowStep } from '../flow';
import { clearFailures, lockedFor, recordFailure } from '../lockout';
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

/** Wrong codes count toward a lock of their own, so six digits cannot be walked through. */
async function checked(ctx: PoolContext, userId: string, check: () => Promise<boolean>, amr: string[]): Promise<FlowOutcome | PoolError> {
  const key = `mfa:${userId}`;
  const locked = await lockedFor(ctx, key);
  if (locked > 0) return fail('locked_out', { retryAfter: locked });
  if (!(await check())) {
    const lockSeconds = await recordFailure(ctx, key);
    return lockSeconds > 0 ? fail('locked_out', { retryAfter: lockSeconds }) : fail('invalid_code', { field: 'code' });
  }
  await clearFailures(ctx, key);
  return { done: { userId, amr: [...new Set([...amr, 'otp', 'mfa'])] } };
}

export function answerTotp(ctx: PoolContext, step: Step<'mfa'>, code: string) {
  return checked(ctx, step.userId, () => verifyTotp(ctx, step.userId, code), step.amr);
}

export function enrolAndAnswerTotp(ctx: PoolContext, step: Step<'mfa-setup'>, code: string) {
  return checked(ctx, step.userId, () => enrolTotp(ctx, step.userId, step.secret, code), step.amr);
}
