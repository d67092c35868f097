import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, FlowStep } from '../flow';
import { sendSmsCode } from '../phone/send';
import { confirmPhone, sendPhoneVerification } from '../phone/verification';
import { codeLimits, hit } from '../rate-limit';
import { getUserRow, updateUser } from '../users';
import { hasRecoveryCodes, issueRecoveryCodes } from './recovery-codes';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;
export type SendOpts = { locale: string; ip: string };

/** Texts this sign-in attempt's code to the user's verified number (limits apply; a refusal sends nothing). */
export async function sendMfaSms(ctx: PoolContext, step: Step<'mfa'>, opts: SendOpts): Promise<{ sent: true } | PoolError> {
  const user = await getUserRow(ctx, step.userId);
  if (!user?.phone_number || user.phone_number_verified !== 1) return fail('wrong_step');
  return sendSmsCode(ctx, { userId: step.userId, to: user.phone_number, purpose: `mfa_sms:${step.attempt}`, quota: 'mfa_sms', template: 'mfaCode', ...opts });
}

// Enrolment during sign-in, when the pool requires a factor and the user has none: a number,
// a code texted to it, and the number is the user's verified phone.

export function smsSetupStep(userId: string, amr: string[]): Step<'mfa-setup-sms'> {
  return { step: 'mfa-setup-sms', userId, amr, phone: null, destination: null };
}

export async function sendSetupSms(ctx: PoolContext, step: Step<'mfa-setup-sms'>, phone: string, opts: SendOpts): Promise<FlowOutcome | PoolError> {
  const sent = await sendPhoneVerification(ctx, step.userId, phone, opts);
  if ('error' in sent) return sent;
  return { next: { ...step, phone: sent.phone, destination: sent.destination } };
}

/** Another code to the same number, no sooner than the resend gap of this sign-in. */
export async function resendSetupSms(ctx: PoolContext, uid: string, step: Step<'mfa-setup-sms'>, opts: SendOpts): Promise<{ sent: true } | PoolError> {
  if (!step.phone) return fail('wrong_step');
  const gap = await hit(ctx, `gap:${uid}`, codeLimits.resendGap);
  if (!gap.allowed) return fail('rate_limited', { retryAfter: gap.retryAfter });
  const sent = await sendPhoneVerification(ctx, step.userId, step.phone, opts);
  return 'error' in sent ? sent : { sent: true };
}

export function changeSetupPhone(step: Step<'mfa-setup-sms'>): FlowOutcome {
  return { next: { ...step, phone: null, destination: null } };
}

/**
 * The texted code proves the number: it becomes the user's verified phone and second factor. A
 * user without recovery codes is shown ten, once, before the sign-in finishes.
 */
export async function enrolSms(ctx: PoolContext, step: Step<'mfa-setup-sms'>, code: string): Promise<FlowOutcome | PoolError> {
  if (!step.phone) return fail('wrong_step');
  const r = await confirmPhone(ctx, step.userId, step.phone, code);
  if ('error' in r) return r;
  await updateUser(ctx, step.userId, { preferred_mfa: 'sms' });
  const amr = [...new Set([...step.amr, 'sms', 'mfa'])];
  if (await hasRecoveryCodes(ctx, step.userId)) return { done: { userId: step.userId, amr } };
  return { next: { step: 'recovery-codes', userId: step.userId, amr, codes: await issueRecoveryCodes(ctx, step.userId) } };
}
