import type { Kysely } from 'kysely';
import { COGNITO, identityProviderSchema, type IdentityProviderConfig, type ProviderType } from '../config/identity-providers';
import type { Database } from '../db/schema';
import { clientProviders, type AppClient } from '../pool/clients';
import { sealerFor, vault as processVault, type Vault } from '../secrets';

export type IdentityProvider = IdentityProviderConfig;

const brands: Partial<Record<ProviderType, string>> = {
  google: 'Google',
  apple: 'Apple',
  facebook: 'Facebook',
  amazon: 'Amazon',
  microsoft: 'Microsoft',
};

/** What the button says after "Continue with". */
export function displayName(p: IdentityProvider): string {
  return p.display_name ?? brands[p.type] ?? p.name;
}

/**
 * A provider's secrets (OAuth client secret, Apple's private key) are sealed in its stored record
 * under the deployment secret, each bound to its provider and field; the rest stays readable.
 */
const SEALED_FIELDS = ['client_secret', 'private_key'];
const fieldSealer = (name: string, field: string, v?: Vault) => sealerFor(`identity_providers:${name}:${field}`, v);

function mapSecrets(name: string, record: Record<string, unknown>, fn: (value: string, field: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, SEALED_FIELDS.includes(k) && typeof v === 'string' ? fn(v, k) : v]));
}

export function sealProviderConfig(p: IdentityProvider, v?: Vault): string {
  return JSON.stringify(mapSecrets(p.name, p, (value, field) => fieldSealer(p.name, field, v).seal(value)));
}

/** A stored record with its secrets opened (one stored in clear by an older version is read as it is). */
export function openProviderConfig(name: string, config: string, v: Vault = processVault()): Record<string, unknown> {
  return mapSecrets(name, JSON.parse(config) as Record<string, unknown>, (value, field) => (v.isSealed(value) ? fieldSealer(name, field, v).unseal(value) : value));
}

/**
 * At start: seals the secrets still in clear (older databases) or sealed under a previous
 * deployment secret; each row only if unchanged since read.
 */
export async function resealProviderSecrets(db: Kysely<Database>, v: Vault = processVault()): Promise<number> {
  let count = 0;
  for (const row of await db.selectFrom('identity_providers').select(['name', 'config']).execute()) {
    const record = JSON.parse(row.config) as Record<string, unknown>;
    if (SEALED_FIELDS.every((f) => typeof record[f] !== 'string' || v.isCurrent(record[f] as string))) continue;
    const config = sealProviderConfig(openProviderConfig(row.name, row.config, v) as IdentityProvider, v);
    const done = await db.updateTable('identity_providers').set({ config }).where('name', '=', row.name).where('config', '=', row.config).executeTakeFirst();
    count += Number(done.numUpdatedRows);
  }
  return count;
}

/** Saves one provider (seed now, admin console later); the record is validated again on read. */
export async function saveProvider(db: Kysely<Database>, p: IdentityProvider, now: number): Promise<void> {
  const values = { type: p.type, config: sealProviderConfig(p), updated_at: now };
  await db
    .insertInto('identity_providers')
    .values({ name: p.name, created_at: now, ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}

const CACHE_MS = 2_000;

/** The providers live in the database; a short cache keeps them off every page's path. */
export function providerReader(db: Kysely<Database>) {
  let cached: { at: number; value: Promise<IdentityProvider[]> } | undefined;
  const load = async () => {
    const rows = await db.selectFrom('identity_providers').select(['name', 'config']).orderBy('created_at').orderBy('name').execute();
    const out: IdentityProvider[] = [];
    for (const row of rows) {
      const parsed = identityProviderSchema.safeParse(openProviderConfig(row.name, row.config));
      // A record edited into an invalid shape is left out (and said), never half-used.
      if (parsed.success) out.push(parsed.data);
      else console.error(`identity provider "${row.name}" is invalid and is ignored: ${parsed.error.issues[0]?.message}`);
    }
    return out;
  };
  const list = () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      cached = { at: Date.now(), value: load() };
      cached.value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
  return {
    list,
    get: async (name: string) => (await list()).find((p) => p.name === name),
    forget: () => void (cached = undefined),
  };
}
export type ProviderReader = ReturnType<typeof providerReader>;

/** The sign-in options of one app client: whether the password form shows, and which buttons. */
export function optionsFor(all: IdentityProvider[], client: Pick<AppClient, 'supported_identity_providers'>) {
  const allowed = clientProviders(client);
  return {
    cognito: allowed.includes(COGNITO),
    providers: allowed.flatMap((name) => all.filter((p) => p.name === name)),
  };
}

/** Cognito's `idp_identifier`: a provider's identifier, compared without case. */
export function providerForIdentifier(providers: IdentityProvider[], identifier: string): IdentityProvider | undefined {
  const wanted = identifier.trim().toLowerCase();
  return providers.find((p) => p.idp_identifiers.some((id) => id.toLowerCase() === wanted));
}

/** Domain search: the provider whose identifiers include the domain of a typed e-mail address. */
export function providerForEmail(providers: IdentityProvider[], email: string): IdentityProvider | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return undefined;
  return providerForIdentifier(providers, email.slice(at + 1));
}
