import type { PoolContext } from './context';
import { insertEvent, withinAnonymousLimits } from './events';

/**
 * Sign-in events (issue 12): the console's overview counts them per day, its events screen and a
 * user's page list them. Written in the transaction of the step that succeeded or failed.
 */

/** A finished sign-in, any first factor. */
export const SIGN_IN = 'sign_in';
/** A refused first factor: a wrong password or code, an unknown passkey, a locked account. */
export const SIGN_IN_FAILED = 'sign_in_failed';
/** A refused second factor (a wrong code from the app, mail or text, a wrong recovery code). */
export const MFA_FAILED = 'mfa_failed';

export const signInEventTypes = [SIGN_IN, SIGN_IN_FAILED, MFA_FAILED] as const;
export const failureEventTypes: readonly string[] = [SIGN_IN_FAILED, MFA_FAILED];

/** The first factor a sign-in's `amr` tells of. */
export type FirstFactor = 'password' | 'passkey' | 'federated' | 'passwordless';

export function firstFactorOf(amr: readonly string[]): FirstFactor {
  if (amr.includes('pwd')) return 'password';
  if (amr.includes('fed')) return 'federated';
  if (amr.includes('hwk') || amr.includes('swk')) return 'passkey';
  return 'passwordless';
}

/** A finished sign-in: to which app, how. */
export async function recordSignIn(ctx: PoolContext, e: { userId: string; amr: string[]; clientId?: string; ip?: string }): Promise<void> {
  await insertEvent(ctx, { type: SIGN_IN, userId: e.userId, ip: e.ip ?? null, detail: { client_id: e.clientId ?? null, method: firstFactorOf(e.amr), amr: e.amr } });
}

/**
 * A refused answer during a sign-in (`ctx.clientId`, `ctx.ip`: bound by the flow). When no account
 * answers to what was typed (`userId` null), the event names nobody (not even the identifier) and
 * stays within the anonymous limits (events.ts). The same counters are hit for a known account,
 * so neither the answer nor the time it takes tells the two apart.
 */
export async function recordSignInFailure(
  ctx: PoolContext,
  e: { type: typeof SIGN_IN_FAILED | typeof MFA_FAILED; userId: string | null; method: string; reason: string; ip?: string },
): Promise<void> {
  const ip = e.ip ?? ctx.ip ?? '';
  const within = await withinAnonymousLimits(ctx, e.type, ip);
  if (e.userId === null && !within) return;
  await insertEvent(ctx, { type: e.type, userId: e.userId, ip, detail: { client_id: ctx.clientId ?? null, method: e.method, reason: e.reason } });
}
