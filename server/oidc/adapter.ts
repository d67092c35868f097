import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Database } from '../db/schema';
import { findClient, tokenLifetimes, type AppClient } from '../pool/clients';
import { COGNITO_USER_ADMIN_SCOPE, knownScopes, scopeWords } from '../config/seed';
import { splitCustomScope } from '../config/resource-servers';

/** The scopes oidc-provider itself knows (its `scopes`): the claim-releasing ones and Cognito's. */
export const providerScopes: readonly string[] = [...knownScopes, COGNITO_USER_ADMIN_SCOPE];

/**
 * The provider's view of an app client: what oidc-provider validates (code + PKCE, or only
 * client_credentials), its token lifetimes, and its scopes split in two: `scope` holds the
 * provider's own (OIDC) scopes, which it checks against its configuration, and `resource_scopes`
 * the custom scopes of resource servers, which change at run time and are checked by us
 * (server/oidc/resources.ts). `offline_access` is accepted in a config and dropped here: refresh
 * tokens follow the grant types.
 */
export function providerClientMetadata(c: AppClient): AdapterPayload {
  const words = scopeWords(c.scope);
  const signsUsersIn = c.grant_types.includes('authorization_code');
  const oidc = words.filter((s) => providerScopes.includes(s));
  return {
    client_id: c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    client_name: c.client_name,
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    grant_types: c.grant_types,
    response_types: signsUsersIn ? ['code'] : [],
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    // oidc-provider refuses an empty scope: a machine client may have no OIDC scope at all.
    ...(oidc.length > 0 ? { scope: oidc.join(' ') } : {}),
    resource_scopes: words.filter((s) => splitCustomScope(s)).join(' '),
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
