import { randomBytes } from 'node:crypto';
import { revokeSignInsAt } from '../pool/account/sign-ins';
import type { PoolContext } from '../pool/context';
import { hashOf } from './requests';

/**
 * Which provider a Foyer session came from, for federated sign-out. oidc-provider's session keeps
 * the account and the login time we give it, so a sign-in is found again by (user, login time).
 */
const SESSION_TTL_MS = 14 * 24 * 3600_000; // as long as the provider's Session
const LOGOUT_TTL_MS = 15 * 60_000;

export interface UpstreamSession {
  provider: string;
  data: Record<string, unknown>;
}

export async function rememberUpstreamSession(ctx: PoolContext, userId: string, loginTs: number, s: UpstreamSession): Promise<void> {
  await ctx.db
    .insertInto('federated_sessions')
    .values({
      id: randomBytes(16).toString('base64url'),
      user_id: userId,
      login_ts: loginTs,
      provider_name: s.provider,
      data: JSON.stringify(s.data),
      expires_at: ctx.now() + SESSION_TTL_MS,
    })
    .execute();
}

/** The upstream session of this sign-in, removed as it is taken (sign-out happens once). */
export async function takeUpstreamSession(ctx: PoolContext, userId: string, loginTs: number): Promise<UpstreamSession | undefined> {
  const rows = await ctx.db.deleteFrom('federated_sessions').where('user_id', '=', userId).where('login_ts', '=', loginTs).returningAll().execute();
  const row = rows.filter((r) => r.expires_at > ctx.now()).sort((a, b) => Number(b.expires_at) - Number(a.expires_at))[0];
  return row ? { provider: row.provider_name, data: JSON.parse(row.data) as Record<string, unknown> } : undefined;
}

/**
 * A provider's own logout request (SAML single logout): ends the Foyer sessions that came from
 * this subject's sign-ins there (all of them, or the one with that session index). Returns how
 * many sessions ended.
 */
export async function endUpstreamSessions(ctx: PoolContext, provider: string, match: { nameId: string; sessionIndex?: string | null }): Promise<number> {
  const rows = await ctx.db.selectFrom('federated_sessions').selectAll().where('provider_name', '=', provider).execute();
  let ended = 0;
  for (const row of rows) {
    const data = JSON.parse(row.data) as { name_id?: unknown; session_index?: unknown };
    if (data.name_id !== match.nameId || (match.sessionIndex && data.session_index !== match.sessionIndex)) continue;
    await ctx.db.deleteFrom('federated_sessions').where('id', '=', row.id).execute();
    ended += await revokeSignInsAt(ctx, row.user_id, Number(row.login_ts));
  }
  return ended;
}

/** Where the browser goes once the provider has signed it out too; keyed by the state sent there. */
export const newLogoutState = () => randomBytes(24).toString('base64url');

export async function saveLogoutReturn(ctx: PoolContext, state: string, target: string): Promise<void> {
  await ctx.db.insertInto('federated_logouts').values({ id: hashOf(state), target, expires_at: ctx.now() + LOGOUT_TTL_MS }).execute();
}

export async function takeLogoutReturn(ctx: PoolContext, state: string): Promise<string | undefined> {
  const row = await ctx.db.deleteFrom('federated_logouts').where('id', '=', hashOf(state)).returningAll().executeTakeFirst();
  return row && row.expires_at > ctx.now() ? row.target : undefined;
}

export async function sweepFederation(ctx: Pick<PoolContext, 'db' | 'now'>): Promise<void> {
  const now = ctx.now();
  await ctx.db.deleteFrom('federation_requests').where('expires_at', '<=', now).execute();
  await ctx.db.deleteFrom('federation_pending_links').where('expires_at', '<=', now).execute();
  await ctx.db.deleteFrom('federated_sessions').where('expires_at', '<=', now).execute();
  await ctx.db.deleteFrom('federated_logouts').where('expires_at', '<=', now).execute();
}
