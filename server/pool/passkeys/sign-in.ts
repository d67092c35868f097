import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, FlowStep } from '../flow';
import { secondFactorDone } from '../mfa/gate';
import { issueRecoveryCodes } from '../mfa/recovery-codes';
import { perIp } from '../rate-limit';
import { MFA_FAILED, recordSignInFailure, SIGN_IN_FAILED } from '../sign-in-events';
import { getUserRow } from '../users';
import { authenticationOptions, registerPasskey, registrationOptions, verifyAssertion } from './ceremonies';
import type { PasskeyContext } from './relying-party';

/** Passkeys in the sign-in state machine: first factor, second factor, enrolment. */
type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;

/** A passkey as first factor is bound to the sign-in attempt (the interaction). */
const signInBinding = (uid: string) => `sign-in:${uid}`;
const mfaBinding = (step: Step<'mfa'>) => `mfa:${step.attempt}`;

/** How a passkey sign-in is told apart in `amr` from a password one. */
export const usedPasskey = (amr: string[]) => amr.includes('hwk') || amr.includes('swk');

/** Discoverable credentials only: the browser offers the passkeys it holds for this site. */
export function signInOptions(ctx: PasskeyContext, uid: string): Promise<PublicKeyCredentialRequestOptionsJSON | PoolError> {
  return authenticationOptions(ctx, signInBinding(uid));
}

/**
 * Passwordless sign-in. A verified assertion is the first factor; with user verification it is
 * the second too (`mfa`), so the gate lets it through. An unknown passkey gets the same answer
 * as a wrong password.
 */
export async function signInWithPasskey(ctx: PasskeyContext, input: { uid: string; response: unknown; ip: string }): Promise<FlowOutcome | PoolError> {
  // A pool whose sign-in screen does not offer passkeys takes none posted to it either.
  if (!(await ctx.settings()).sign_in_methods.includes('passkey')) return fail('wrong_step');
  const limited = await perIp(ctx, 'sign_in', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const assertion = await verifyAssertion(ctx, signInBinding(input.uid), input.response);
  // An unknown or unproved passkey names nobody; a known user's refusal is theirs.
  const refused = async (e: PoolError, userId: string | null) => {
    await recordSignInFailure(ctx, { type: SIGN_IN_FAILED, userId, method: 'passkey', reason: e.error, ip: input.ip });
    return e;
  };
  if ('error' in assertion) return refused(assertion, null);
  const user = await getUserRow(ctx, assertion.userId);
  if (!user) return refused(fail('invalid_credentials'), null);
  if (user.enabled !== 1) return refused(fail('user_disabled'), user.id);
  // A new password or a reset was asked for: that goes through the password screens.
  if (user.status !== 'CONFIRMED') return fail('passkey_not_verified');
  return { done: { userId: user.id, amr: assertion.userVerified ? [assertion.kind, 'mfa'] : [assertion.kind] } };
}

export function mfaOptions(ctx: PasskeyContext, step: Step<'mfa'>): Promise<PublicKeyCredentialRequestOptionsJSON | PoolError> {
  if (step.method !== 'webauthn') return Promise.resolve(fail('wrong_step'));
  return authenticationOptions(ctx, mfaBinding(step), step.userId);
}

/** The second factor: one of this user's passkeys, answering this attempt's challenge. */
export async function answerWithPasskey(ctx: PasskeyContext, step: Step<'mfa'>, response: unknown, remember = false): Promise<FlowOutcome | PoolError> {
  if (step.method !== 'webauthn') return fail('wrong_step');
  const assertion = await verifyAssertion(ctx, mfaBinding(step), response, step.userId);
  if ('error' in assertion) {
    const e = assertion.error === 'invalid_credentials' ? fail('passkey_failed') : assertion;
    await recordSignInFailure(ctx, { type: MFA_FAILED, userId: step.userId, method: 'webauthn', reason: e.error });
    return e;
  }
  return secondFactorDone(ctx, step, [...step.amr, assertion.kind, 'mfa'], remember);
}

export function enrolOptions(ctx: PasskeyContext, step: Step<'passkey-setup'>): Promise<PublicKeyCredentialCreationOptionsJSON | PoolError> {
  return registrationOptions(ctx, step.userId);
}

/** Enrolment during sign-in: the new passkey is the second factor; recovery codes follow, as for an app. */
export async function enrolPasskey(ctx: PasskeyContext, step: Step<'passkey-setup'>, response: unknown, name: string): Promise<FlowOutcome | PoolError> {
  const registered = await registerPasskey(ctx, step.userId, response, name);
  if ('error' in registered) return registered;
  const codes = await issueRecoveryCodes(ctx, step.userId);
  return { next: { step: 'recovery-codes', userId: step.userId, amr: [...new Set([...step.amr, registered.kind, 'mfa'])], codes } };
}

