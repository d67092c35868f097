import type { PoolContext } from '../context';
import { inTransaction } from '../transaction';

/** One browser signed in to the pool (an oidc-provider session), and the apps it signed in to. */
export interface SignIn {
  id: string;
  signedInAt: number;
  clients: string[];
  /** This is the session the account pages themselves run in. */
  current: boolean;
}

interface SessionPayload {
  accountId?: string;
  loginTs?: number;
  authorizations?: Record<string, { grantId?: string }>;
}

async function sessionsOf(ctx: PoolContext, userId: string) {
  const rows = await ctx.db
    .selectFrom('oidc_artifacts')
    .select(['id', 'payload', 'expires_at'])
    .where('account_id', '=', userId)
    .where('model', '=', 'Session')
    .execute();
  return rows
    .filter((r) => r.expires_at === null || r.expires_at > ctx.now())
    .map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as SessionPayload }))
    .filter((s) => s.payload.accountId === userId);
}

const grantsOf = (p: SessionPayload) =>
  Object.values(p.authorizations ?? {})
    .map((a) => a.grantId)
    .filter((g): g is string => typeof g === 'string');

export async function listSignIns(ctx: PoolContext, userId: string, currentGrantId: string): Promise<SignIn[]> {
  const sessions = await sessionsOf(ctx, userId);
  return sessions
    .map((s) => ({
      id: s.id,
      signedInAt: (s.payload.loginTs ?? 0) * 1000,
      clients: Object.keys(s.payload.authorizations ?? {}),
      current: grantsOf(s.payload).includes(currentGrantId),
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.signedInAt - a.signedInAt);
}

/** Revokes grants: every token and account session issued under them goes too. */
async function revokeGrants(db: PoolContext['db'], grants: string[]): Promise<void> {
  if (grants.length === 0) return;
  await db.deleteFrom('oidc_artifacts').where('grant_id', 'in', grants).execute();
  await db.deleteFrom('oidc_artifacts').where('model', '=', 'Grant').where('id', 'in', grants).execute();
  await db.deleteFrom('account_sessions').where('grant_id', 'in', grants).execute();
}

/** Ends a session: its grants, and every token and account session issued under them. */
async function revoke(ctx: PoolContext, session: { id: string; payload: SessionPayload }): Promise<void> {
  await inTransaction(ctx, async ({ db }) => {
    await revokeGrants(db, grantsOf(session.payload));
    await db.deleteFrom('oidc_artifacts').where('model', '=', 'Session').where('id', '=', session.id).execute();
  });
}

/** Only the user's own sessions can be named here; anything else is simply not found. */
export async function revokeSignIn(ctx: PoolContext, userId: string, sessionId: string): Promise<boolean> {
  const session = (await sessionsOf(ctx, userId)).find((s) => s.id === sessionId);
  if (!session) return false;
  await revoke(ctx, session);
  return true;
}

/**
 * After a password change: every other browser must sign in again, and the apps lose what they
 * were given there. Refresh tokens outlive the browser session they came from, so the grants of
 * sessions already expired go too: only this browser's stay.
 */
export async function revokeOtherSignIns(ctx: PoolContext, userId: string, keepGrantId: string): Promise<number> {
  const sessions = await sessionsOf(ctx, userId);
  const isThisBrowser = (s: (typeof sessions)[number]) => grantsOf(s.payload).includes(keepGrantId);
  const others = sessions.filter((s) => !isThisBrowser(s));
  for (const s of others) await revoke(ctx, s);
  const kept = new Set([keepGrantId, ...sessions.filter(isThisBrowser).flatMap((s) => grantsOf(s.payload))]);
  const grants = await ctx.db.selectFrom('oidc_artifacts').select('id').where('model', '=', 'Grant').where('account_id', '=', userId).execute();
  await ctx.db.transaction().execute((tx) => revokeGrants(tx, grants.map((g) => g.id).filter((id) => !kept.has(id))));
  return others.length;
}

/** Ends the user's sessions that signed in at `loginTs` (seconds): a provider signed them out. */
export async function revokeSignInsAt(ctx: PoolContext, userId: string, loginTs: number): Promise<number> {
  const ended = (await sessionsOf(ctx, userId)).filter((s) => s.payload.loginTs === loginTs);
  for (const s of ended) await revoke(ctx, s);
  return ended.length;
}
