import { FOYER_RESOURCE_SERVER, customScopesOf, splitCustomScope, type ResourceServer } from '../../config/resource-servers';
import { scopeWords } from '../../config/seed';
import type { AppClient } from '../clients';
import type { PoolContext } from '../context';
import { findResourceServer, removeResourceServers, saveResourceServer } from '../resource-servers';
import { locksRows } from './lock';
import type { AdminRefusal, RefusalProblem } from './users';

export const isBuiltInResourceServer = (identifier: string) => identifier === FOYER_RESOURCE_SERVER.identifier;

export async function getResourceServer(ctx: PoolContext, identifier: string): Promise<ResourceServer | undefined> {
  if (locksRows(ctx)) await ctx.db.selectFrom('resource_servers').select('identifier').where('identifier', '=', identifier).forUpdate().execute();
  return findResourceServer(ctx.db, identifier);
}

async function storedClients(ctx: PoolContext): Promise<AppClient[]> {
  return (await ctx.db.selectFrom('clients').select('metadata').orderBy('client_id').execute()).map((r) => JSON.parse(r.metadata) as AppClient);
}

/** The clients allowed one of `scopes` (custom scopes of one resource server), as "client (scope)". */
async function clientsUsing(ctx: PoolContext, identifier: string, scopes: (name: string) => boolean): Promise<string[]> {
  return (await storedClients(ctx)).flatMap((c) =>
    scopeWords(c.scope).flatMap((s) => {
      const split = splitCustomScope(s);
      return split && split.identifier === identifier && scopes(split.name) ? [`client "${c.client_id}" (${s})`] : [];
    }),
  );
}

/**
 * Creates or replaces one. A scope a client is allowed may not go (409), and the introspecting
 * clients must be stored confidential ones. Access tokens issued from now on follow it at once.
 */
export async function putResourceServer(ctx: PoolContext, rs: ResourceServer, before: ResourceServer | undefined): Promise<AdminRefusal | undefined> {
  const clients = new Map((await storedClients(ctx)).map((c) => [c.client_id, c]));
  const problems = (rs.introspection_clients ?? []).flatMap((id, i): RefusalProblem[] => {
    const c = clients.get(id);
    if (!c) return [{ path: ['introspection_clients', i], message: `client "${id}" does not exist`, code: 'unknown_client', params: { client: id } }];
    return c.token_endpoint_auth_method === 'none' ? [{ path: ['introspection_clients', i], message: `client "${id}" is public: only a confidential client can authenticate to introspect`, code: 'public_client_introspection', params: { client: id } }] : [];
  });
  if (problems.length > 0) return { error: 'invalid', problems };
  if (before) {
    const kept = new Set(customScopesOf(rs));
    const dropped = new Set(customScopesOf(before).filter((s) => !kept.has(s)).map((s) => splitCustomScope(s)!.name));
    const users = await clientsUsing(ctx, rs.identifier, (name) => dropped.has(name));
    if (users.length > 0) return { error: 'conflict', path: ['scopes'], message: `scopes still allowed to ${users.join(', ')}`, code: 'in_use', params: { by: users.join(', ') } };
  }
  await saveResourceServer(ctx.db, rs, ctx.now());
  return undefined;
}

/** Deletes one no client is allowed a scope of (409 otherwise). */
export async function deleteResourceServer(ctx: PoolContext, identifier: string): Promise<AdminRefusal | undefined> {
  const users = await clientsUsing(ctx, identifier, () => true);
  if (users.length > 0) return { error: 'conflict', path: ['identifier'], message: `its scopes are allowed to ${users.join(', ')}`, code: 'in_use', params: { by: users.join(', ') } };
  await removeResourceServers(ctx.db, [identifier]);
  return undefined;
}
