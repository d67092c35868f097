import { randomUUID } from 'node:crypto';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import { maskEmail, type FlowOutcome, type FlowStep, type MfaMethod } from '../flow';
import { queueMail } from '../messages';
import { enrolableKinds } from '../methods/enrolment';
import { methodOf } from '../methods/method';
import { secondFactors } from '../methods/standings';
import { verifyMethod } from '../methods/verify';
import { usedPasskey } from '../passkeys/sign-in';
import { appRequiresMfa } from './app-requirement';
import { codeLimits, hit } from '../rate-limit';
import { MFA_FAILED, recordSignInFailure } from '../sign-in-events';
import { inTransaction } from '../transaction';
import { getUserRow, updateUser } from '../users';
import { isRememberedDevice, rememberDevice as rememberDeviceToken } from './devices';
import { issueRecoveryCodes, recoveryCodesLeft } from './recovery-codes';
import type { SendOpts } from './sms';
import { enrolTotp } from './totp';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;

/**
 * Every first factor ends here. No sign-in is finished (and so no token issued) before the
 * second factor the pool's policy asks for: proved if the user has one, enrolled if required.
 * Which factors the user has, and in what order they are offered, is the registry's (methods/).
 */
export async function requireSecondFactor(
  ctx: PoolContext,
  outcome: FlowOutcome,
  opts: { locale: string; ip: string; device?: string },
): Promise<FlowOutcome | PoolError> {
  if (!('done' in outcome)) return outcome;
  const { userId, amr } = outcome.done;
  const pool = (await ctx.settings()).mfa;
  // An app that requires MFA (`require_mfa`, the console) makes it REQUIRED for its sign-ins.
  const byApp = await appRequiresMfa(ctx, userId);
  const mfa = byApp ? { ...pool, mode: 'REQUIRED' as const } : pool;
  const { mode, remember_device_days: rememberDays } = mfa;
  if (mode === 'OFF' || amr.includes('mfa')) return outcome;
  // A browser the user chose to remember skips the second factor (the tokens say only `pwd`),
  // except for an app that requires one: its tokens must say `mfa`.
  if (!byApp && rememberDays > 0 && (await isRememberedDevice(ctx, userId, opts.device))) return outcome;
  const user = await getUserRow(ctx, userId);
  if (!user) return fail('session_expired');
  const held = await secondFactors(ctx, user, { mfa, amr });
  const methods: MfaMethod[] = held.map((s) => s.kind);
  const byPasskey = usedPasskey(amr);
  if (methods.length > 0) {
    const preferred = methods.find((m) => m === user.preferred_mfa) ?? methods[0];
    const step: Step<'mfa'> = {
      step: 'mfa',
      userId,
      amr,
      methods,
      method: preferred,
      attempt: randomUUID(),
      destination: user.email ? maskEmail(user.email) : null,
      smsDestination: held.find((s) => s.kind === 'sms')?.address ?? null,
    };
    const sent = await challenge(ctx, step, opts);
    if (!('error' in sent)) return { next: step };
    // Nothing sent now (limits): another of the user's factors, or the refusal if there is none.
    const other = methods.find((m) => m !== preferred);
    if (!other) return sent;
    const next = { ...step, method: other };
    const again = await challenge(ctx, next, opts);
    return 'error' in again ? again : { next };
  }
  // Such a passkey is one factor, and the user has no other to add to it: the password is.
  if (byPasskey) return fail('passkey_not_verified');
  if (mode !== 'REQUIRED') return outcome;
  // The first allowed factor that can be enrolled during sign-in, in registry order.
  const [first] = enrolableKinds(ctx.methods, mfa);
  const enrol = first === undefined ? undefined : ctx.methods[first];
  return enrol?.enrolStep ? { next: enrol.enrolStep(ctx, userId, amr) } : fail('mfa_unavailable');
}

/** Starts the proof the step asks for (a code mailed or texted), when its method sends one. */
function challenge(ctx: PoolContext, step: Step<'mfa'>, opts: SendOpts): Promise<{ sent: true } | PoolError> {
  const method = methodOf(ctx.methods, step.method);
  return method?.challenge ? method.challenge(ctx, step, opts) : Promise.resolve({ sent: true });
}

/** Switches the MFA screen to another of the user's factors (a code is mailed or texted on the way). */
export async function chooseMfaMethod(ctx: PoolContext, step: Step<'mfa'>, method: MfaMethod, opts: SendOpts): Promise<FlowOutcome | PoolError> {
  if (!step.methods.includes(method)) return fail('wrong_step');
  const next: Step<'mfa'> = { ...step, method };
  const sent = await challenge(ctx, next, opts);
  return 'error' in sent ? sent : { next };
}

/** A new code by mail or text for this attempt, no sooner than the resend gap. */
export async function resendMfaCode(ctx: PoolContext, uid: string, step: Step<'mfa'>, opts: SendOpts): Promise<{ sent: true } | PoolError> {
  if (!methodOf(ctx.methods, step.method)?.challenge) return fail('wrong_step');
  const gap = await hit(ctx, `gap:${uid}`, codeLimits.resendGap);
  if (!gap.allowed) return fail('rate_limited', { retryAfter: gap.retryAfter });
  return challenge(ctx, step, opts);
}

/**
 * The answer for the method the screen asked for, checked through the shared attempt path (wrong
 * answers to any second factor count toward one lock, so six digits cannot be walked through).
 * The method used becomes the user's preferred one.
 */
export async function answerMfaCode(ctx: PoolContext, step: Step<'mfa'>, code: string, remember = false): Promise<FlowOutcome | PoolError> {
  const r = await verifyMethod(ctx, step.method, step, code, { amr: step.amr });
  if ('error' in r) return mfaRefused(ctx, step, step.method, r);
  return secondFactorDone(ctx, step, r.amr, remember);
}

/** A wrong second factor, as an event on the user (who is known by now). */
async function mfaRefused(ctx: PoolContext, step: Step<'mfa'>, method: string, e: PoolError): Promise<PoolError> {
  await recordSignInFailure(ctx, { type: MFA_FAILED, userId: step.userId, method, reason: e.error });
  return e;
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
  const who = { userId: step.userId, attempt: '' };
  const r = await verifyMethod(ctx, 'totp', who, code, { amr: step.amr, check: () => enrolTotp(ctx, step.userId, step.secret, code) });
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
    const r = await verifyMethod(tx, 'recovery', step, code, { amr: step.amr, field: 'recovery_code' });
    if ('error' in r) return mfaRefused(tx, step, 'recovery', r);
    const remaining = await recoveryCodesLeft(tx, step.userId);
    await tx.db.insertInto('events').values({ type: 'recovery_code_used', user_id: step.userId, ip: null, detail: JSON.stringify({ remaining }), created_at: ctx.now() }).execute();
    const user = await getUserRow(tx, step.userId);
    if (user?.email) await queueMail(tx, user.email, { kind: 'recoveryCodeUsed', remaining }, locale);
    return { done: { userId: step.userId, amr: r.amr } };
  });
}
