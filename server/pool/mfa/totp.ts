import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { PoolContext } from '../context';
import { inTransaction } from '../transaction';
import { totpFactorSealer } from './seal';

const PERIOD = 30;
const WINDOW = 1; // one step either side: clocks drift, people type slowly

function totp(secretBase32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), digits: 6, period: PERIOD, algorithm: 'SHA1' });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secretBase32: string, account: string, issuer: string): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secretBase32), digits: 6, period: PERIOD, algorithm: 'SHA1' }).toString();
}

/** The time step a code belongs to, or null when it matches none within the window. */
export function matchStep(secretBase32: string, code: string, now: number): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

export async function hasTotp(ctx: PoolContext, userId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('mfa_factors').select('id').where('user_id', '=', userId).where('kind', '=', 'totp').executeTakeFirst();
  return row !== undefined;
}

/** Enrols the secret shown at setup once the first code proves the app has it. */
export async function enrolTotp(ctx: PoolContext, userId: string, secretBase32: string, code: string): Promise<boolean> {
  const step = matchStep(secretBase32, code, ctx.now());
  if (step === null) return false;
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom('mfa_factors').where('user_id', '=', userId).where('kind', '=', 'totp').execute();
    await tx.db
      .insertInto('mfa_factors')
      .values({ id: randomUUID(), user_id: userId, kind: 'totp', secret: totpFactorSealer(userId).seal(secretBase32), last_used_step: step, created_at: ctx.now() })
      .execute();
  });
  return true;
}

/**
 * Checks a code against the user's app. Each time step is accepted once: the update only
 * succeeds for a step later than the last one used, so a replayed (or raced) code fails.
 */
export async function verifyTotp(ctx: PoolContext, userId: string, code: string): Promise<boolean> {
  const factor = await ctx.db.selectFrom('mfa_factors').selectAll().where('user_id', '=', userId).where('kind', '=', 'totp').executeTakeFirst();
  if (!factor) return false;
  const step = matchStep(totpFactorSealer(userId).unseal(factor.secret), code, ctx.now());
  if (step === null) return false;
  const updated = await ctx.db
    .updateTable('mfa_factors')
    .set({ last_used_step: step })
    .where('id', '=', factor.id)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
