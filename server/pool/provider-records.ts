import type { Kysely } from 'kysely';
import type { IdentityProviderConfig as IdentityProvider } from '../config/identity-providers';
import type { Database } from '../db/schema';
import { sealerFor, vault as processVault, type Vault } from '../secrets';

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
