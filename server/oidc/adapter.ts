import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database } from '../db/schema';
import { findClient, tokenLifetimes, type AppClient } from '../pool/clients';

/** The provider's view of an app client: what oidc-provider validates (always code + PKCE) and its token lifetimes. */
export function providerClientMetadata(c: AppClient): AdapterPayload {
  return {
    client_id: c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    client_name: c.client_name,
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    grant_types: c.grant_types,
    response_types: ['code'],
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    scope: c.scope,
    require_auth_time: true,
    // Read by the ttl functions (oidc-provider's extraClientMetadata), resolved with the defaults.
    token_validity: tokenLifetimes(c),
  } as AdapterPayload;
}

/** Every provider artifact (sessions, interactions, codes, grants, tokens) in our database. */
export function adapterFactory(db: Kysely<Database>, now: () => number = Date.now) {
  return class DatabaseAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const values = {
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        account_id: typeof payload.accountId === 'string' ? payload.accountId : null,
        expires_at: expiresIn ? now() + expiresIn * 1000 : null,
        consumed_at: null,
      };
      await db
        .insertInto('oidc_artifacts')
        .values({ model: this.model, id, ...values })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values))
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const client = await findClient(db, id);
        return client ? providerClientMetadata(client) : undefined;
      }
      return this.findWhere('id', id);
    }

    findByUserCode(userCode: string) {
      return this.findWhere('user_code', userCode);
    }

    findByUid(uid: string) {
      return this.findWhere('uid', uid);
    }

    private async findWhere(column: 'id' | 'user_code' | 'uid', value: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_artifacts')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.model)
        .where(column, '=', value)
        .executeTakeFirst();
      if (!row || (row.expires_at !== null && row.expires_at <= now())) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at / 1000) } : payload;
    }

    async consume(id: string): Promise<void> {
      await db.updateTable('oidc_artifacts').set({ consumed_at: now() }).where('model', '=', this.model).where('id', '=', id).execute();
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_artifacts').where('model', '=', this.model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_artifacts').where('grant_id', '=', grantId).execute();
    }
  };
}

/**
 * Expired oidc-provider artifacts are removed now and then; lookups already ignore them. Each
 * layer sweeps its own tables (the pool's, federation's, the outbox's: see server/runtime.ts).
 */
export async function sweepExpired(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await db.deleteFrom('oidc_artifacts').where('expires_at', '<=', now).execute();
}
