import { createHmac, randomBytes } from 'node:crypto';
import type { PoolContext } from '../context';

/**
 * The account pages sign in through our own authorization endpoint, like any app; this is the
 * session they keep afterwards. It lives as long as the grant behind it: revoking the sign-in
 * (or signing out) ends it too.
 */
export const ACCOUNT_SESSION_TTL_MS = 8 * 3600_000;

/**
 * Which app a session belongs to: the account pages, or the admin console (which keeps its
 * sessions in the same table, so revoking a user's sign-ins ends both). The kind is in the
 * digest: one app's cookie value never finds the other's session.
 */
export type SessionKind = 'account' | 'console';

function digest(ctx: PoolContext, token: string, kind: SessionKind): string {
  return createHmac('sha256', ctx.secret).update(`${kind}-session:${token}`).digest('base64url');
}

export interface AccountSession {
  id: string;
  userId: string;
  grantId: string;
  idToken: string;
  authTime: number;
  amr: string[];
  pendingEmail: string | null;
  pendingPhone: string | null;
  pendingTotp: string | null;
}

export async function createAccountSession(
  ctx: PoolContext,
  s: { userId: string; grantId: string; idToken: string; authTime: number; amr: string[] },
  kind: SessionKind = 'account',
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await ctx.db
    .insertInto('account_sessions')
    .values({
      id: digest(ctx, token, kind),
      user_id: s.userId,
      grant_id: s.grantId,
      id_token: s.idToken,
      auth_time: s.authTime,
      amr: JSON.stringify(s.amr),
      reveal: null,
      pending_email: null,
      pending_phone: null,
      pending_totp: null,
      created_at: now,
      expires_at: now + ACCOUNT_SESSION_TTL_MS,
    })
    .execute();
  return token;
}

export async function findAccountSession(ctx: PoolContext, token: string | undefined, kind: SessionKind = 'account'): Promise<AccountSession | undefined> {
  if (!token || token.length > 64) return undefined;
  const row = await ctx.db
    .selectFrom('account_sessions')
    .innerJoin('users', 'users.id', 'account_sessions.user_id')
    .select(['account_sessions.id', 'user_id', 'grant_id', 'id_token', 'auth_time', 'amr', 'pending_email', 'pending_phone', 'pending_totp', 'expires_at', 'users.enabled'])
    .where('account_sessions.id', '=', digest(ctx, token, kind))
    .executeTakeFirst();
  if (!row || row.expires_at <= ctx.now() || row.enabled !== 1) return undefined;
  if (!(await ctx.revocation.grantLive(ctx.db, row.grant_id))) return undefined;
  return { id: row.id, userId: row.user_id, grantId: row.grant_id, idToken: row.id_token, authTime: row.auth_time, amr: JSON.parse(row.amr) as string[], pendingEmail: row.pending_email, pendingPhone: row.pending_phone, pendingTotp: row.pending_totp };
}

export async function endAccountSession(ctx: PoolContext, id: string): Promise<void> {
  await ctx.db.deleteFrom('account_sessions').where('id', '=', id).execute();
}

/** Keeps something to show once on the next page (new recovery codes), sealed at rest. */
export async function setReveal(ctx: PoolContext, id: string, sealed: string): Promise<void> {
  await ctx.db.updateTable('account_sessions').set({ reveal: sealed }).where('id', '=', id).execute();
}

/** Reads and forgets it: a reload shows nothing. */
export async function takeReveal(ctx: PoolContext, id: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('account_sessions').select('reveal').where('id', '=', id).executeTakeFirst();
  if (!row?.reveal) return null;
  await ctx.db.updateTable('account_sessions').set({ reveal: null }).where('id', '=', id).where('reveal', '=', row.reveal).execute();
  return row.reveal;
}

/** The new e-mail address or phone number this session is verifying, if any. */
export async function setPending(ctx: PoolContext, id: string, what: 'email' | 'phone', value: string | null): Promise<void> {
  await ctx.db.updateTable('account_sessions').set(what === 'email' ? { pending_email: value } : { pending_phone: value }).where('id', '=', id).execute();
}

/** The sealed authenticator secret being set up, so a refused code or a reload keeps the same one. */
export async function setPendingTotp(ctx: PoolContext, id: string, sealed: string | null): Promise<void> {
  await ctx.db.updateTable('account_sessions').set({ pending_totp: sealed }).where('id', '=', id).execute();
}
