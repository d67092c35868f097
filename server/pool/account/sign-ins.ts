import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PoolContext } from '../context';
import type { BrowserSession } from '../revocation';
import { inTransaction } from '../transaction';

/** One browser signed in to the pool (an oidc-provider session), and the apps it signed in to. */
export interface SignIn {
  /** Names the session to revoke it; never the session id, which is a browser's bearer secret. */
  handle: string;
  signedInAt: number;
  clients: string[];
  /** This is the session the account pages themselves run in. */
  current: boolean;
}

const sessionsOf = (ctx: PoolContext, userId: string) => ctx.revocation.sessionsOf(ctx.db, userId);

/** An opaque, stable stand-in for a session id: pages carry this, and only the pool can map it back. */
function handleOf(ctx: PoolContext, sessionId: string): string {
  return createHmac('sha256', ctx.secret).update(`sign-in:${sessionId}`).digest('base64url');
}

const sameHandle = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function listSignIns(ctx: PoolContext, userId: string, currentGrantId: string): Promise<SignIn[]> {
  const sessions = await sessionsOf(ctx, userId);
  return sessions
    .map((s) => ({
      handle: handleOf(ctx, s.id),
      signedInAt: (s.loginTs ?? 0) * 1000,
      clients: s.clients,
      current: s.grants.includes(currentGrantId),
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.signedInAt - a.signedInAt);
}

/** Ends a session: its grants, and every token and account session issued under them. */
async function revoke(ctx: PoolContext, session: BrowserSession): Promise<void> {
  await inTransaction(ctx, async ({ db }) => {
    await ctx.revocation.endSession(db, session);
    if (session.grants.length > 0) await db.deleteFrom('account_sessions').where('grant_id', 'in', session.grants).execute();
  });
}

/** Only the user's own sessions can be named here (by handle); anything else is simply not found. */
export async function revokeSignIn(ctx: PoolContext, userId: string, handle: string): Promise<boolean> {
  const session = (await sessionsOf(ctx, userId)).find((s) => sameHandle(handleOf(ctx, s.id), handle));
  if (!session) return false;
  await revoke(ctx, session);
  return true;
}

/** Ends the user's sessions that signed in at `loginTs` (seconds): a provider signed them out. */
export async function revokeSignInsAt(ctx: PoolContext, userId: string, loginTs: number): Promise<number> {
  const ended = (await sessionsOf(ctx, userId)).filter((s) => s.loginTs === loginTs);
  for (const s of ended) await revoke(ctx, s);
  return ended.length;
}
