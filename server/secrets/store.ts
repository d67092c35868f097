import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { vault as processVault } from './process-vault';
import type { Vault } from './vault';

const context = (name: string) => `secrets:${name}`;

/**
 * Named secrets shared by every instance through the `secrets` table, sealed under the deployment
 * secret (see vault.ts). Made once: instances racing at first start each offer a value under one
 * name and all adopt the one stored first.
 */
export function secretStore(db: Kysely<Database>, vault: Vault = processVault()) {
  const read = async (name: string) => {
    const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    return vault.isSealed(row.value) ? vault.unseal(row.value, context(name)) : row.value;
  };
  return {
    get: read,
    async ensure(name: string, make: () => string | Promise<string> = () => randomBytes(32).toString('base64url')): Promise<string> {
      const found = await read(name);
      if (found !== undefined) return found;
      await db
        .insertInto('secrets')
        .values({ name, value: vault.seal(await make(), context(name)), created_at: Date.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const stored = await read(name);
      if (stored === undefined) throw new Error(`secret ${name} could not be stored`);
      return stored;
    },
  };
}
export type SecretStore = ReturnType<typeof secretStore>;

/**
 * Seals what is still plaintext (databases from before sealing) or sealed under a previous
 * deployment secret. Each row is rewritten only if unchanged since read, so instances starting
 * together do it once.
 */
export async function resealSecrets(db: Kysely<Database>, vault: Vault): Promise<number> {
  let count = 0;
  for (const row of await db.selectFrom('secrets').select(['name', 'value']).execute()) {
    if (vault.isCurrent(row.value)) continue;
    const plain = vault.isSealed(row.value) ? vault.unseal(row.value, context(row.name)) : row.value;
    const done = await db
      .updateTable('secrets')
      .set({ value: vault.seal(plain, context(row.name)) })
      .where('name', '=', row.name)
      .where('value', '=', row.value)
      .executeTakeFirst();
    count += Number(done.numUpdatedRows);
  }
  return count;
}

/**
 * Throws (naming FOYER_SECRET) unless `vault` opens what is sealed in this database: a tool must
 * not seal anything under a secret the servers do not have.
 */
export async function checkVaultOpens(db: Kysely<Database>, vault: Vault): Promise<void> {
  const row = await db.selectFrom('secrets').select(['name', 'value']).limit(1).executeTakeFirst();
  if (row && vault.isSealed(row.value)) vault.unseal(row.value, context(row.name));
}
