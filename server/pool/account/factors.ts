import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import { guarded } from '../attempts';
import { queueMail } from '../messages';
import { issueRecoveryCodes, recoveryCodesLeft } from '../mfa/recovery-codes';
import { pendingTotpSealer } from '../mfa/seal';
import { enrolTotp, hasTotp, newTotpSecret } from '../mfa/totp';
import { getUserRow } from '../users';
import { setOptIn, type OptInFactor } from '../mfa/opt-in';
import { methodStandings, type MethodStanding } from '../methods/standings';
import { setPendingTotp } from './sessions';
import { revokeIfReliedOn } from '../revocation';
import { inTransaction } from '../transaction';
import type { SecurityChange } from '../../mail/templates';

/** What the account page shows about a user's second factors. */
export interface SecurityOverview {
  mode: 'OFF' | 'OPTIONAL' | 'REQUIRED';
  allowed: string[];
  /** Each method the pool offers this user, in registry order, and where they stand with it. */
  methods: MethodStanding[];
  /** Whether an authenticator app is enrolled. */
  totp: boolean;
  recoveryCodesLeft: number;
}

export async function securityOverview(ctx: PoolContext, userId: string): Promise<SecurityOverview> {
  const mfa = (await ctx.settings()).mfa;
  const user = await getUserRow(ctx, userId);
  const methods = user ? await methodStandings(ctx, user, { mfa }) : [];
  return {
    mode: mfa.mode,
    allowed: [...mfa.factors],
    methods,
    totp: await hasTotp(ctx, userId),
    recoveryCodesLeft: await recoveryCodesLeft(ctx, userId),
  };
}

/** How many second factors the user could still sign in with after losing the one named (one passkey of several). */
export async function otherFactors(ctx: PoolContext, userId: string, without: string): Promise<number> {
  const { methods } = await securityOverview(ctx, userId);
  const left = (s: MethodStanding) => (s.on ? (s.count ?? 1) : 0) - (s.kind === without ? 1 : 0);
  return methods.filter((s) => ctx.methods[s.kind]?.use.second && left(s) > 0).length;
}

/** Tells the user by mail; called in the transaction of the change, so one never goes without the other. */
export async function announce(ctx: PoolContext, userId: string, change: SecurityChange, locale: string): Promise<void> {
  const email = (await getUserRow(ctx, userId))?.email;
  if (email) await queueMail(ctx, email, { kind: 'securityChange', change }, locale);
}

const TOTP_SETUP_MS = 15 * 60_000;

/**
 * The secret for the setup page: the one this account session is already setting up, or a new
 * one sealed to this user for 15 minutes.
 */
export async function startTotpSetup(ctx: PoolContext, userId: string, sessionId: string, pending: string | null): Promise<string> {
  const open = pending ? openTotpSetup(ctx, userId, pending) : null;
  if (open) return open;
  const secret = newTotpSecret();
  await setPendingTotp(ctx, sessionId, pendingTotpSealer.seal(JSON.stringify({ u: userId, s: secret, e: ctx.now() + TOTP_SETUP_MS })));
  return secret;
}

export function openTotpSetup(ctx: PoolContext, userId: string, sealed: string): string | null {
  try {
    const v = JSON.parse(pendingTotpSealer.unseal(sealed)) as { u: string; s: string; e: number };
    return v.u === userId && v.e > ctx.now() && typeof v.s === 'string' ? v.s : null;
  } catch {
    return null;
  }
}

/**
 * The first code proves the app has the secret. Recovery codes come with the first factor; a
 * user who still has some keeps them.
 */
export async function confirmTotpSetup(
  ctx: PoolContext,
  userId: string,
  input: { sessionId: string; sealed: string | null; code: string; locale: string },
): Promise<{ recoveryCodes: string[] | null } | PoolError> {
  const secret = input.sealed ? openTotpSetup(ctx, userId, input.sealed) : null;
  if (!secret) return fail('setup_expired');
  let enrolled: { recoveryCodes: string[] | null } | null = null;
  // Wrong codes count toward the second factor's lock, as at sign-in.
  const wrong = await guarded(
    ctx,
    `mfa:${userId}`,
    async () =>
      (enrolled = await inTransaction(ctx, async (tx) => {
        if (!(await enrolTotp(tx, userId, secret, input.code))) return null;
        await setPendingTotp(tx, input.sessionId, null);
        const { recoveryCodesLeft } = await securityOverview(tx, userId);
        const recoveryCodes = recoveryCodesLeft === 0 ? await issueRecoveryCodes(tx, userId) : null;
        await announce(tx, userId, 'totp_added', input.locale);
        return { recoveryCodes };
      })) !== null,
    fail('invalid_code', { field: 'code' }),
  );
  return wrong ?? enrolled!;
}

/** With MFA required, the last factor cannot be removed: the user could not sign in any more. */
export async function removeTotp(ctx: PoolContext, userId: string, locale: string, keepGrantId?: string): Promise<{ removed: true } | PoolError> {
  const { mode } = (await ctx.settings()).mfa;
  if (mode === 'REQUIRED' && (await otherFactors(ctx, userId, 'totp')) === 0) return fail('last_factor');
  return inTransaction(ctx, async (tx) => {
    const done = await tx.db.deleteFrom('mfa_factors').where('user_id', '=', userId).where('kind', '=', 'totp').executeTakeFirst();
    if (Number(done.numDeletedRows) === 0) return fail('wrong_step');
    await revokeIfReliedOn(tx, userId, 'totp', keepGrantId);
    await announce(tx, userId, 'totp_removed', locale);
    return { removed: true } as const;
  });
}

export async function regenerateRecoveryCodes(ctx: PoolContext, userId: string, locale: string): Promise<string[]> {
  return inTransaction(ctx, async (tx) => {
    const codes = await issueRecoveryCodes(tx, userId);
    await announce(tx, userId, 'recovery_codes', locale);
    return codes;
  });
}

/** Turns codes by e-mail or text message on or off as a second factor (pools where MFA is optional). */
export async function setCodesOptIn(ctx: PoolContext, userId: string, kind: OptInFactor, on: boolean, locale: string, keepGrantId?: string): Promise<{ done: true } | PoolError> {
  const o = await securityOverview(ctx, userId);
  const factor = o.methods.find((s) => s.kind === kind);
  if (o.mode !== 'OPTIONAL' || !factor || factor.on === on) return fail('wrong_step');
  await inTransaction(ctx, async (tx) => {
    await setOptIn(tx, userId, kind, on);
    if (!on) await revokeIfReliedOn(tx, userId, kind, keepGrantId);
    await announce(tx, userId, `${kind}_codes_${on ? 'on' : 'off'}`, locale);
  });
  return { done: true };
}
