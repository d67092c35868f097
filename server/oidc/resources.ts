import { errors, type Client, type KoaContextWithOIDC, type ResourceServer as ProviderResourceServer } from 'oidc-provider';
import { FOYER_RESOURCE_SERVER, identifierOfIndicator, resourceIndicatorOf, splitCustomScope } from '../config/resource-servers';
import { scopeWords } from '../config/seed';
import type { Pool, ResourceServer } from '../pool';
import { customScopesByServer } from '../pool/resource-servers';
import { lifetimesOf } from './lifetimes';

/**
 * Which resource server an access token is for, through oidc-provider's resourceIndicators.
 *
 * Clients ask as they ask Cognito: `scope=https://api.example/read` and no `resource` parameter.
 * - client_credentials: the resource server is the one the requested scopes belong to (all of
 *   the client's custom scopes when it names none); its identifier is the token's `aud`. Scopes of
 *   several servers, OIDC scopes, or scopes the client is not allowed: invalid_scope.
 * - authorization code: the token is for the pool (aud = the issuer, so /oauth2/userInfo takes
 *   it) and, as in Cognito, carries the custom scopes the client asked for and is allowed beside
 *   the OIDC ones; the `aud` then also names those scopes' resource servers (see `audienceOf`).
 *   The built-in `foyer` (the admin API) is never granted this way: a user's sign-in into an app
 *   must not hand that app admin power.
 * An explicit `resource` (RFC 8707) naming a resource server works too.
 */

/** The custom scopes a client is allowed that exist now (resource servers change at run time). */
function allowedCustomScopes(client: Client, servers: ResourceServer[]): Map<string, string[]> {
  const words = scopeWords((client as { resource_scopes?: string }).resource_scopes);
  return customScopesByServer(servers, words);
}

const isClientCredentials = (ctx: KoaContextWithOIDC) => ctx.oidc.route === 'token' && ctx.oidc.params?.grant_type === 'client_credentials';

export function resourcePolicy(opts: { issuer: string; pool: Pool; oidcScopes: readonly string[] }) {
  const { issuer, pool } = opts;

  /** client_credentials without `resource`: the one resource server the scopes name. */
  async function clientCredentialsResource(ctx: KoaContextWithOIDC, client: Client): Promise<string> {
    const allowed = allowedCustomScopes(client, await pool.resourceServers.list());
    const params = ctx.oidc.params as { scope?: string };
    let requested = scopeWords(params.scope);
    if (requested.length === 0) {
      if (allowed.size !== 1) {
        throw new errors.InvalidScope(allowed.size === 0 ? 'this client is allowed no resource server scope' : 'name the scopes: this client is allowed scopes of several resource servers', '');
      }
      requested = [...allowed.values()][0];
      params.scope = requested.join(' ');
    }
    const servers = new Set<string>();
    for (const scope of requested) {
      const identifier = splitCustomScope(scope)?.identifier;
      if (!identifier || !allowed.get(identifier)?.includes(scope)) throw new errors.InvalidScope('requested scope is not allowed', scope);
      servers.add(identifier);
    }
    if (servers.size !== 1) throw new errors.InvalidScope('one access token is for one resource server: request the scopes of one', requested.join(' '));
    return resourceIndicatorOf([...servers][0]);
  }

  const jwt = { sign: { alg: 'RS256' as const } };

  return {
    defaultResource: async (ctx: KoaContextWithOIDC, client: Client) => (isClientCredentials(ctx) ? clientCredentialsResource(ctx, client) : issuer),
    useGrantedResource: () => true,
    async getResourceServerInfo(ctx: KoaContextWithOIDC, resource: string, client: Client): Promise<ProviderResourceServer> {
      const servers = await pool.resourceServers.list();
      const allowed = allowedCustomScopes(client, servers);
      const accessTokenTTL = lifetimesOf(client).access_token_seconds;
      if (resource === issuer) {
        const custom = [...allowed].filter(([id]) => id !== FOYER_RESOURCE_SERVER.identifier).flatMap(([, scopes]) => scopes);
        return { scope: [...opts.oidcScopes, ...custom].join(' '), audience: issuer, accessTokenFormat: 'jwt', accessTokenTTL, jwt };
      }
      const identifier = identifierOfIndicator(resource);
      const scopes = allowed.get(identifier);
      if (!scopes) throw new errors.InvalidTarget('this client is allowed no scope of that resource server');
      if (isClientCredentials(ctx)) {
        // The grant would drop what is not allowed; a machine client is told instead.
        for (const scope of scopeWords((ctx.oidc.params as { scope?: string }).scope)) {
          if (!scopes.includes(scope)) throw new errors.InvalidScope('requested scope is not allowed', scope);
        }
      }
      return { scope: scopes.join(' '), audience: identifier, accessTokenFormat: 'jwt', accessTokenTTL, jwt };
    },
    /**
     * A user's access token for the pool that carries custom scopes is also for their resource
     * servers: `aud` lists the issuer (for userInfo) and each of them.
     */
    audienceOf(aud: unknown, scope: string | undefined): unknown {
      if (aud !== issuer) return aud;
      const extra = [...new Set(scopeWords(scope).flatMap((s) => splitCustomScope(s)?.identifier ?? []))];
      return extra.length > 0 ? [issuer, ...extra] : aud;
    },
  };
}
