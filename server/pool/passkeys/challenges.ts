import type { PoolContext } from '../context';

export type ChallengePurpose = 'registration' | 'authentication';

/** Long enough for a person to find their phone or key; ceremonies time out in the browser sooner. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * A challenge is bound to what it was issued for (a user, a sign-in attempt), never just to a
 * cookie. A new one replaces the earlier one for the same binding, so at most one is live.
 */
export async function keepChallenge(ctx: PoolContext, binding: string, purpose: ChallengePurpose, challenge: string): Promise<void> {
  const values = { challenge, expires_at: ctx.now() + CHALLENGE_TTL_MS };
  await ctx.db
    .insertInto('webauthn_challenges')
    .values({ binding, purpose, ...values })
    .onConflict((oc) => oc.columns(['binding', 'purpose']).doUpdateSet(values))
    .execute();
}

/**
 * Single use: the challenge is deleted by the first answer that names it, right or wrong, and
 * only a live one counts. The delete decides, so two answers at once cannot both win.
 */
export async function takeChallenge(ctx: PoolContext, binding: string, purpose: ChallengePurpose, challenge: string): Promise<boolean> {
  const taken = await ctx.db
    .deleteFrom('webauthn_challenges')
    .where('binding', '=', binding)
    .where('purpose', '=', purpose)
    .where('challenge', '=', challenge)
    .returning('expires_at')
    .executeTakeFirst();
  return taken !== undefined && Number(taken.expires_at) > ctx.now();
}
