import { randomBytes } from 'node:crypto';
import { COGNITO } from '../../config/identity-providers';
import { customScopesOf, splitCustomScope } from '../../config/resource-servers';
import { scopeWords, type ClientInput, type ClientSeed } from '../../config/seed';
import { INTERNAL_CLIENT_IDS } from '../account/client';
import { clientProviders, findClient, saveClient, type AppClient } from '../clients';
import type { PoolContext } from '../context';
import { listResourceServers } from '../resource-servers';
import { builtInThemes } from '../themes/resolve';
import { storedThemes } from '../themes/store';
import { locksRows } from './lock';
import { pageOf, type Page } from './page';
import type { AdminRefusal, RefusalProblem } from './users';

/**
 * The apps that live in Foyer itself (the account pages, the admin console): their records follow
 * the deployment (see ensureAccountClient), so no admin edits or deletes them, and the listing and
 * `config export` leave them out.
 */
export const BUILT_IN_CLIENTS: ReadonlySet<string> = new Set(INTERNAL_CLIENT_IDS);

/** A client as the admin API shows it: the config's entry, without its secret (only a hash is stored). */
export type ClientRecord = Omit<ClientSeed, 'client_secret'>;

export function clientRecordOf(stored: AppClient): ClientRecord {
  const { client_secret: _hash, ...rest } = stored;
  return { ...rest, supported_identity_providers: clientProviders(stored), require_mfa: stored.require_mfa ?? false };
}

/** 256 bits, base64url: what the client authenticates with; shown once, stored as a keyed hash. */
const newSecret = () => randomBytes(32).toString('base64url');
const newClientId = () => randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 22);
const isConfidential = (c: Pick<ClientSeed, 'token_endpoint_auth_method'>) => c.token_endpoint_auth_method !== 'none';

export async function getClient(ctx: PoolContext, clientId: string): Promise<AppClient | undefined> {
  if (locksRows(ctx)) await ctx.db.selectFrom('clients').select('client_id').where('client_id', '=', clientId).forUpdate().execute();
  return findClient(ctx.db, clientId);
}

/** By client_id, built-in clients left out; `after`: the client_id the previous page ended at. */
export async function listClients(ctx: PoolContext, o: { after?: string; limit: number }): Promise<Page<ClientRecord>> {
  let q = ctx.db.selectFrom('clients').select(['client_id', 'metadata']).where('client_id', 'not in', [...BUILT_IN_CLIENTS]);
  if (o.after !== undefined) q = q.where('client_id', '>', o.after);
  const rows = await q.orderBy('client_id').limit(o.limit + 1).execute();
  return pageOf(rows, o.limit, (r) => r.client_id, (r) => clientRecordOf(JSON.parse(r.metadata) as AppClient));
}

/** What the client names must exist: its providers, its resource servers' scopes, its theme. */
async function referenceProblems(ctx: PoolContext, c: ClientInput): Promise<AdminRefusal | undefined> {
  const problems: RefusalProblem[] = [];
  const providers = new Set((await ctx.db.selectFrom('identity_providers').select('name').execute()).map((p) => p.name));
  c.supported_identity_providers.forEach((name, i) => {
    if (name !== COGNITO && !providers.has(name)) problems.push({ path: ['supported_identity_providers', i], message: `"${name}" is neither COGNITO nor a stored identity provider`, code: 'unknown_provider', params: { provider: name } });
  });
  const servers = await listResourceServers(ctx.db);
  const known = new Set(servers.flatMap(customScopesOf));
  for (const scope of scopeWords(c.scope)) {
    const split = splitCustomScope(scope);
    if (split && !known.has(scope)) problems.push({ path: ['scope'], message: `unknown scope "${scope}": no resource server "${split.identifier}" with a scope "${split.name}"`, code: 'unknown_scope', params: { scope } });
  }
  // The theme's row held (shared) until this write commits: a delete of it waits for us, and we
  // wait for a delete already under way, then see the theme gone (PostgreSQL; SQLite has one writer).
  if (c.theme !== undefined && locksRows(ctx)) await ctx.db.selectFrom('themes').select('id').where('id', '=', c.theme).forShare().execute();
  if (c.theme !== undefined && !(c.theme in builtInThemes) && !(await storedThemes(ctx.db)).has(c.theme)) {
    problems.push({ path: ['theme'], message: `theme "${c.theme}" does not exist (not stored, not built in)`, code: 'unknown_theme', params: { theme: c.theme } });
  }
  return problems.length > 0 ? { error: 'invalid', problems } : undefined;
}

/** Creates a client; a confidential one gets a new secret, answered here and never again. */
export async function createClient(ctx: PoolContext, input: ClientInput): Promise<{ client: AppClient; secret?: string } | AdminRefusal> {
  const clientId = input.client_id ?? newClientId();
  if (BUILT_IN_CLIENTS.has(clientId) || (await getClient(ctx, clientId))) return { error: 'conflict', path: ['client_id'], message: `client "${clientId}" already exists`, code: 'client_id_taken', params: { client_id: clientId } };
  const refusal = await referenceProblems(ctx, input);
  if (refusal) return refusal;
  const secret = isConfidential(input) ? newSecret() : undefined;
  await saveClient(ctx.db, { ...input, client_id: clientId, ...(secret ? { client_secret: secret } : {}) }, ctx.now());
  return { client: (await findClient(ctx.db, clientId))!, secret };
}

/** Replaces a client's settings; its secret stays (rotate it on its own). */
export async function replaceClient(ctx: PoolContext, before: AppClient, input: ClientInput): Promise<AdminRefusal | undefined> {
  if (isConfidential(before) !== isConfidential(input)) {
    return {
      error: 'invalid',
      problems: [
        {
          path: ['token_endpoint_auth_method'],
          message: `a ${isConfidential(before) ? 'confidential client stays confidential' : 'public client stays public'}: create another client instead`,
          code: isConfidential(before) ? 'confidential_stays' : 'public_stays',
          params: {},
        },
      ],
    };
  }
  const refusal = await referenceProblems(ctx, input);
  if (refusal) return refusal;
  await saveClient(ctx.db, { ...input, client_id: before.client_id, ...(before.client_secret ? { client_secret: before.client_secret } : {}) }, ctx.now());
  return undefined;
}

/** A new secret for a confidential client: the old one stops working at once (no grace period). */
export async function rotateClientSecret(ctx: PoolContext, client: AppClient): Promise<string | AdminRefusal> {
  if (!isConfidential(client)) return { error: 'conflict', path: ['token_endpoint_auth_method'], message: 'a public client has no secret', code: 'public_client_no_secret', params: {} };
  const secret = newSecret();
  await saveClient(ctx.db, { ...client, client_secret: secret }, ctx.now());
  return secret;
}

/** Deletes a client no resource server or SAML provider names (409 otherwise). */
export async function deleteClient(ctx: PoolContext, clientId: string): Promise<AdminRefusal | undefined> {
  const users: string[] = [];
  for (const rs of await listResourceServers(ctx.db)) if (rs.introspection_clients?.includes(clientId)) users.push(`resource server "${rs.identifier}" (introspection_clients)`);
  for (const row of await ctx.db.selectFrom('identity_providers').select(['name', 'config']).where('type', '=', 'saml').execute()) {
    const config = JSON.parse(row.config) as { idp_initiated_login?: { client_id?: string } };
    if (config.idp_initiated_login?.client_id === clientId) users.push(`identity provider "${row.name}" (idp_initiated_login)`);
  }
  if (users.length > 0) return { error: 'conflict', path: ['client_id'], message: `client "${clientId}" is named by ${users.join(', ')}`, code: 'in_use', params: { by: users.join(', ') } };
  await ctx.db.deleteFrom('clients').where('client_id', '=', clientId).execute();
  return undefined;
}
