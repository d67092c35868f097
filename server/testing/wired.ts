import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { providerRevocation } from '../oidc/revocation';

/**
 * The layers above the pool, as server/runtime.ts wires them, for pool tests that need the real
 * thing (the pool itself never imports them).
 */
export const wiredRevocation = (now?: () => number) => providerRevocation(now);

interface Artifact {
  model: 'Session' | 'Grant' | 'RefreshToken' | 'AccessToken';
  id: string;
  accountId: string;
  expiresAt: number;
  payload?: Record<string, unknown>;
  grantId?: string;
  uid?: string;
}

/** oidc-provider's storage as our adapter keeps it, for pool tests that need signed-in browsers and apps. */
export const providerStore = (db: Kysely<Database>) => ({
  put: (a: Artifact) =>
    db
      .insertInto('oidc_artifacts')
      .values({ model: a.model, id: a.id, payload: JSON.stringify(a.payload ?? {}), grant_id: a.grantId ?? null, user_code: null, uid: a.uid ?? null, expires_at: a.expiresAt, consumed_at: null, account_id: a.accountId })
      .execute(),
  remove: (id: string) => db.deleteFrom('oidc_artifacts').where('id', '=', id).execute(),
  /** The ids of the account's artifacts other than its browser sessions. */
  idsBesideSessions: async (accountId: string) =>
    (await db.selectFrom('oidc_artifacts').select('id').where('account_id', '=', accountId).where('model', '!=', 'Session').execute()).map((r) => r.id),
});
