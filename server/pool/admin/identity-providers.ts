import type { z } from 'zod';
import { issueCode } from '../../config/field-codes';
import { checkProviderReferences, identityProviderSchema, type IdentityProviderConfig } from '../../config/identity-providers';
import { REDACTED } from '../../config/redacted';
import { syncInternalClientProviders } from '../account/client';
import { clientProviders, type AppClient } from '../clients';
import type { PoolContext } from '../context';
import { openProviderConfig, saveProvider } from '../provider-records';
import { locksRows } from './lock';
import { readPoolSettings } from './settings';
import type { AdminRefusal, RefusalProblem } from './users';
import { BUILT_IN_CLIENTS } from './clients';

/** Fields sealed in the stored record: shown as the export's placeholder, which keeps them when written back. */
const SECRETS = ['client_secret', 'private_key'] as const;

/** A provider as the admin API and `config export` show it: secrets replaced by the placeholder. */
export function providerRecordOf(p: IdentityProviderConfig): IdentityProviderConfig {
  const out: Record<string, unknown> = { ...p };
  for (const f of SECRETS) if (typeof out[f] === 'string') out[f] = REDACTED;
  return out as IdentityProviderConfig;
}

async function stored(ctx: PoolContext): Promise<IdentityProviderConfig[]> {
  const rows = await ctx.db.selectFrom('identity_providers').select(['name', 'config']).orderBy('created_at').orderBy('name').execute();
  return rows.flatMap((r) => {
    const parsed = identityProviderSchema.safeParse(openProviderConfig(r.name, r.config));
    return parsed.success ? [parsed.data] : [];
  });
}

/** The providers, secrets opened (never answered as they are: see providerRecordOf). */
export const listProviders = (ctx: PoolContext) => stored(ctx);

export async function getProvider(ctx: PoolContext, name: string): Promise<IdentityProviderConfig | undefined> {
  if (locksRows(ctx)) await ctx.db.selectFrom('identity_providers').select('name').where('name', '=', name).forUpdate().execute();
  return (await stored(ctx)).find((p) => p.name === name);
}

/**
 * Creates or replaces a provider. The placeholder keeps a stored secret; names, identifiers and
 * mapped attributes are checked against the rest of the pool as `config apply` checks a file. The
 * account pages offer it at once; every instance's provider cache sees it within seconds.
 */
export async function putProvider(ctx: PoolContext, wanted: IdentityProviderConfig, before: IdentityProviderConfig | undefined): Promise<IdentityProviderConfig | AdminRefusal> {
  const resolved: Record<string, unknown> = { ...wanted };
  const problems: RefusalProblem[] = [];
  for (const f of SECRETS) {
    if (resolved[f] !== REDACTED) continue;
    const kept = (before as Record<string, unknown> | undefined)?.[f];
    if (typeof kept === 'string') resolved[f] = kept;
    else problems.push({ path: [f], message: 'is the placeholder, and there is no stored secret to keep: give the secret', code: 'secret_placeholder', params: {} });
  }
  const others = (await stored(ctx)).filter((p) => p.name !== wanted.name);
  const clients = (await ctx.db.selectFrom('clients').select('metadata').execute())
    .map((r) => JSON.parse(r.metadata) as AppClient)
    .filter((c) => !BUILT_IN_CLIENTS.has(c.client_id))
    .map((c) => ({ client_id: c.client_id, supported_identity_providers: clientProviders(c) }));
  const custom = new Set((await readPoolSettings(ctx)).custom_attributes.map((a) => a.name));
  const at = others.length;
  const collect = { addIssue: (i: { path?: PropertyKey[]; message?: string; params?: Record<string, unknown> }) => {
    const [section, index, ...path] = i.path ?? [];
    if (section === 'identity_providers' && index === at) problems.push({ path: path as (string | number)[], message: i.message ?? 'invalid', ...issueCode({ code: 'custom', path: [], message: '', params: i.params }, undefined) });
  } } as unknown as z.RefinementCtx;
  checkProviderReferences([...others, resolved as IdentityProviderConfig], clients, custom, collect);
  if (problems.length > 0) return { error: 'invalid', problems };
  await saveProvider(ctx.db, resolved as IdentityProviderConfig, ctx.now());
  if (!before) await syncInternalClientProviders(ctx.db, ctx.now());
  return (await getProvider(ctx, wanted.name))!;
}

/** Deletes a provider no app client offers and no user is linked to (409 otherwise). */
export async function deleteProvider(ctx: PoolContext, name: string): Promise<AdminRefusal | undefined> {
  const clients = (await ctx.db.selectFrom('clients').select('metadata').orderBy('client_id').execute())
    .map((r) => JSON.parse(r.metadata) as AppClient)
    .filter((c) => !BUILT_IN_CLIENTS.has(c.client_id) && clientProviders(c).includes(name))
    .map((c) => `client "${c.client_id}"`);
  const linked = await ctx.db.selectFrom('user_identities').select((eb) => eb.fn.countAll<string>().as('n')).where('provider_name', '=', name).executeTakeFirstOrThrow();
  const users = Number(linked.n) > 0 ? [`${Number(linked.n)} linked user(s) (unlink them first)`] : [];
  if (clients.length + users.length > 0) return { error: 'conflict', path: ['name'], message: `provider "${name}" is used by ${[...clients, ...users].join(', ')}`, code: 'in_use', params: { by: [...clients, ...users].join(', ') } };
  await ctx.db.deleteFrom('identity_providers').where('name', '=', name).execute();
  await syncInternalClientProviders(ctx.db, ctx.now());
  return undefined;
}
