import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ProviderRevocation } from '../pool/revocation';

interface SessionPayload {
  accountId?: string;
  loginTs?: number;
  amr?: string[];
  authorizations?: Record<string, { grantId?: string }>;
}

const grantsOf = (p: SessionPayload) =>
  Object.values(p.authorizations ?? {})
    .map((a) => a.grantId)
    .filter((g): g is string => typeof g === 'string');

async function sessionsOf(db: Kysely<Database>, userId: string, now: number) {
  const rows = await db.selectFrom('oidc_artifacts').select(['id', 'payload', 'expires_at']).where('account_id', '=', userId).where('model', '=', 'Session').execute();
  return rows.filter((r) => r.expires_at === null || r.expires_at > now).map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as SessionPayload }));
}

/**
 * The pool's revocation port over our adapter's table: every artifact whose payload names the
 * account (Session, Grant, AuthorizationCode, AccessToken, RefreshToken, DeviceCode,
 * BackchannelAuthenticationRequest all carry `accountId`, kept in `account_id`), and every token
 * issued under one of the user's grants.
 */
export function providerRevocation(now: () => number = Date.now): ProviderRevocation {
  return {
    async revokeUser(db, userId, { keepGrantId }) {
      const sessions = await sessionsOf(db, userId, now());
      const keptSession = keepGrantId ? sessions.find((s) => grantsOf(s.payload).includes(keepGrantId)) : undefined;
      const keptGrants = keepGrantId ? [...new Set([keepGrantId, ...(keptSession ? grantsOf(keptSession.payload) : [])])] : [];
      const grants = await db.selectFrom('oidc_artifacts').select('id').where('model', '=', 'Grant').where('account_id', '=', userId).execute();
      const ended = grants.map((g) => g.id).filter((id) => !keptGrants.includes(id));
      if (ended.length > 0) await db.deleteFrom('oidc_artifacts').where('grant_id', 'in', ended).execute();
      let rest = db.deleteFrom('oidc_artifacts').where('account_id', '=', userId);
      if (keptSession) rest = rest.where((eb) => eb.not(eb.and([eb('model', '=', 'Session'), eb('id', '=', keptSession.id)])));
      if (keptGrants.length > 0) {
        rest = rest
          .where((eb) => eb.or([eb('grant_id', 'is', null), eb('grant_id', 'not in', keptGrants)]))
          .where((eb) => eb.not(eb.and([eb('model', '=', 'Grant'), eb('id', 'in', keptGrants)])));
      }
      await rest.execute();
      return { keptGrants, sessionsEnded: sessions.length - (keptSession ? 1 : 0) };
    },
    async reliedOn(db, userId, amr) {
      return (await sessionsOf(db, userId, now())).some((s) => (s.payload.amr ?? []).some((a) => amr.includes(a)));
    },
    async sessionsOf(db, userId) {
      return (await sessionsOf(db, userId, now()))
        .filter((s) => s.payload.accountId === userId)
        .map((s) => ({ id: s.id, loginTs: s.payload.loginTs, clients: Object.keys(s.payload.authorizations ?? {}), grants: grantsOf(s.payload) }));
    },
    async liveSessions(db) {
      const t = now();
      const row = await db
        .selectFrom('oidc_artifacts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('model', '=', 'Session')
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', t)]))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async endSession(db, session) {
      if (session.grants.length > 0) {
        await db.deleteFrom('oidc_artifacts').where('grant_id', 'in', session.grants).execute();
        await db.deleteFrom('oidc_artifacts').where('model', '=', 'Grant').where('id', 'in', session.grants).execute();
      }
      await db.deleteFrom('oidc_artifacts').where('model', '=', 'Session').where('id', '=', session.id).execute();
    },
    async grantLive(db, grantId) {
      const t = now();
      const grant = await db
        .selectFrom('oidc_artifacts')
        .select('id')
        .where('model', '=', 'Grant')
        .where('id', '=', grantId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', t)]))
        .executeTakeFirst();
      return !!grant;
    },
  };
}
