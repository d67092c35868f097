import type { PoolContext } from '../context';
import type { UserRow } from '../users';
import type { Asking, Standing } from './method';

export interface MethodStanding extends Standing {
  kind: string;
}

/**
 * The one place that works out which methods a user has: the gate asks it at sign-in, the account
 * page for its overview. In registry order; methods the pool does not offer this user are left out.
 */
export async function methodStandings(ctx: PoolContext, user: UserRow, asking: Asking): Promise<MethodStanding[]> {
  const all = await Promise.all(Object.entries(ctx.methods).map(async ([kind, m]) => ({ kind, standing: await m.standing(ctx, user, asking) })));
  return all.flatMap(({ kind, standing }) => (standing ? [{ kind, ...standing }] : []));
}

/**
 * The second factors a user can answer with now. A code sent where a passwordless first factor
 * went (the same mailbox or phone, its channel in `amr`) proves nothing new, so it is left out.
 */
export async function secondFactors(ctx: PoolContext, user: UserRow, asking: Asking): Promise<MethodStanding[]> {
  const amr = asking.amr ?? [];
  const sameChannel = (kind: string) => {
    const channel = ctx.methods[kind]?.sends?.channel;
    return channel !== undefined && amr.includes(channel);
  };
  return (await methodStandings(ctx, user, asking)).filter((s) => s.on && ctx.methods[s.kind]?.use.second && !sameChannel(s.kind));
}
