import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, FlowStep } from '../flow';
import { guarded } from '../attempts';
import { mailCode, queueMail } from '../messages';
import { randomUUID } from 'node:crypto';
import { consumeCode } from '../codes';
import { maskEmail, type MfaMethod } from '../flow';
import { maskPhone } from '../phone/numbers';
import { codeLimits, hit } from '../rate-limit';
import { inTransaction } from '../transaction';
import { getUserRow, updateUser } from '../users';
import { isRememberedDevice, rememberDevice as rememberDeviceToken } from './devices';
import { issueRecoveryCodes, useRecoveryCode } from './recovery-codes';
import { sendMfaSms, smsSetupStep, type SendOpts } from './sms';
import { enrolTotp, hasTotp, newTotpSecret, verifyTotp } from './totp';
import { hasOptIn } from './opt-in';
import { hasPasskey } from '../passkeys/credentials';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;

/**
 * Every first factor ends here. No sign-in is finished (and so no token issued) before the
 * second factor the pool's policy asks for: proved if the user has one, enrolled if required.
 */
export async function requireSecondFactor(
  ctx: PoolContext,
  outcome: FlowOutcome,
  opts: { locale: string; ip: string; device?: string },
): Promise<FlowOutcome | PoolError> {
  if (!('done' in outcome)) return outcome;
  const { userId, amr } = outcome.done;
  const { mode, factors, remember_device_days: rememberDays } = (await ctx.settings()).mfa;
  if (mode === 'OFF' || amr.includes('mfa')) return outcome;
  // A browser the user chose to remember skips the second factor (the tokens say only `pwd`).
  if (rememberDays > 0 && (await isRememberedDevice(ctx, userId, opts.device))) return outcome;
  const { locale } = opts;
  const user = await getUserRow(ctx, userId);
  if (!user) return fail('session_expired');
  const methods: MfaMethod[] = [];
  if (factors.includes('totp') && (await hasTotp(ctx, userId))) methods.push('totp');
  // A verified e-mail or phone is a factor the user already has: required pools use it without
  // enrolment, optional ones once the user turned it on in their account.
  const optedIn = async (kind: 'email' | 'sms') => mode === 'REQUIRED' || (await hasOptIn(ctx, userId, kind));
  if (factors.includes('email') && user.email && user.email_verified === 1 && (await optedIn('email'))) methods.push('email');
  const phone = factors.includes('sms') && user.phone_number && user.phone_number_verified === 1 && (await optedIn('sms')) ? user.phone_number : null;
  if (phone) methods.push('sms');
  // A passkey that signed in without verifying the person is not asked for again as the second factor.
  const byPasskey = amr.includes('hwk') || amr.includes('swk');
  if (factors.includes('webauthn') && !byPasskey && (await hasPasskey(ctx, userId))) methods.push('webauthn');
  if (methods.length > 0) {
    const preferred = methods.find((m) => m === user.preferred_mfa) ?? methods[0];
    let step: Step<'mfa'> = {
      step: 'mfa',
      userId,
      amr,
      methods,
      method: preferred,
      attempt: randomUUID(),
      destination: user.email ? maskEmail(user.email) : null,
      smsDestination: phone ? maskPhone(phone) : null,
    };
    if (preferred === 'sms') {
      const sent = await sendMfaSms(ctx, step, opts);
      if ('error' in sent) {
        // No text now (limits): another of the user's factors, or the refusal if there is none.
        const other = methods.find((m) => m !== 'sms');
        if (!other) return sent;
        step = { ...step, method: other };
      }
    }
    if (step.method === 'email') await sendMfaEmail(ctx, step, locale);
    return { next: step };
  }
  // Such a passkey is one factor, and the user has no other to add to it: the password is.
  if (byPasskey) return fail('passkey_not_verified');
  if (mode !== 'REQUIRED') return outcome;
  if (factors.includes('totp')) return { next: { step: 'mfa-setup', userId, amr, secret: newTotpSecret() } };
  if (factors.includes('sms')) return { next: smsSetupStep(userId, amr) };
  if (factors.includes('webauthn')) return { next: { step: 'passkey-setup', userId, amr } };
  return fail('mfa_unavailable');
}

const EMAIL_CODE_TTL_MS = 5 * 60_000;

/** A code for this sign-in attempt only, valid 5 minutes, within the per-user send quota. */
async function sendMfaEmail(ctx: PoolContext, step: Step<'mfa'>, locale: string): Promise<void> {
  const user = await getUserRow(ctx, step.userId);
  if (!user?.email) return;
  const quota = await hit(ctx, `send:mfa_email:${step.userId}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return;
  await mailCode(ctx, { userId: step.userId, purpose: `mfa_email:${step.attempt}`, to: user.email, kind: 'mfaEmailCode', locale, ttlMs: EMAIL_CODE_TTL_MS });
}

/** Switches the MFA screen to another of the user's factors (a code is mailed or texted on the way). */
export async function chooseMfaMethod(ctx: PoolContext, step: Step<'mfa'>, method: MfaMethod, opts: SendOpts): Promise<FlowOutcome | PoolError> {
  if (!step.methods.includes(method)) return fail('wrong_step');
  const next: Step<'mfa'> = { ...step, method };
  if (method === 'email') await sendMfaEmail(ctx, next, opts.locale);
  if (method === 'sms') {
    const sent = await sendMfaSms(ctx, next, opts);
    if ('error' in sent) return sent;
  }
  return { next };
}

/** A new code by mail or text for this attempt, no sooner than the resend gap. */
export async function resendMfaCode(ctx: PoolContext, uid: string, step: Step<'mfa'>, opts: SendOpts): Promise<{ sent: true } | PoolError> {
  if (step.method !== 'email' && step.method !== 'sms') return fail('wrong_step');
  const gap = await hit(ctx, `gap:${uid}`, codeLimits.resendGap);
  if (!gap.allowed) return fail('rate_limited', { retryAfter: gap.retryAfter });
  if (step.method === 'sms') return sendMfaSms(ctx, step, opts);
  await sendMfaEmail(ctx, step, opts.locale);
  return { sent: true };
}

/**
 * Wrong codes count toward a lock of their own, so six digits cannot be walked through. On
 * success the second factor is added to how the user signed in.
 */
async function checked(ctx: PoolContext, userId: string, check: () => Promise<boolean>, amr: string[], field = 'code'): Promise<{ amr: string[] } | PoolError> {
  const wrong = await guarded(ctx, `mfa:${userId}`, check, fail('invalid_code', { field }));
  return wrong ?? { amr: [...new Set([...amr, 'mfa'])] };
}

/**
 * The code for the method the screen asked for; the method used becomes the user's preferred one.
 * A texted code says `sms` in the tokens, an app's or e-mailed one `otp`.
 */
export async function answerMfaCode(ctx: PoolContext, step: Step<'mfa'>, code: string, remember = false): Promise<FlowOutcome | PoolError> {
  if (step.method === 'webauthn') return fail('wrong_step');
  const sent = (kind: 'mfa_email' | 'mfa_sms') => async () => (await consumeCode(ctx, step.userId, `${kind}:${step.attempt}`, code)) === 'ok';
  const check = step.method === 'totp' ? () => verifyTotp(ctx, step.userId, code) : sent(step.method === 'sms' ? 'mfa_sms' : 'mfa_email');
  const r = await checked(ctx, step.userId, check, [...step.amr, step.method === 'sms' ? 'sms' : 'otp']);
  if ('error' in r) return r;
  return secondFactorDone(ctx, step, r.amr, remember);
}

/** A second factor was proved: it becomes the user's preferred one, and the browser may be remembered. */
export async function secondFactorDone(ctx: PoolContext, step: Step<'mfa'>, amr: string[], remember: boolean): Promise<FlowOutcome> {
  await updateUser(ctx, step.userId, { preferred_mfa: step.method });
  const days = (await ctx.settings()).mfa.remember_device_days;
  const rememberDevice = remember && days > 0 ? { token: await rememberDeviceToken(ctx, step.userId, days), days } : undefined;
  return { done: { userId: step.userId, amr, ...(rememberDevice ? { rememberDevice } : {}) } };
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

/**
 * A recovery code stands in for the app, once; the user is told by mail how many remain (the use,
 * its event and that mail in one transaction).
 */
export async function answerRecoveryCode(ctx: PoolContext, step: Step<'mfa'>, code: string, locale: string): Promise<FlowOutcome | PoolError> {
  return inTransaction(ctx, async (tx) => {
    let remaining: number | null = null;
    const r = await checked(
      tx,
      step.userId,
      async () => (remaining = await useRecoveryCode(tx, step.userId, code)) !== null,
      step.amr,
      'recovery_code',
    );
    if ('error' in r) return r;
    await tx.db.insertInto('events').values({ type: 'recovery_code_used', user_id: step.userId, ip: null, detail: JSON.stringify({ remaining }), created_at: ctx.now() }).execute();
    const user = await getUserRow(tx, step.userId);
    if (user?.email) await queueMail(tx, user.email, { kind: 'recoveryCodeUsed', remaining: remaining ?? 0 }, locale);
    return { done: { userId: step.userId, amr: r.amr } };
  });
}
