import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import type { Db } from './connect';
import { migrate } from './migrate';

const tables = [
  'users', 'groups', 'user_groups', 'codes', 'oidc_artifacts', 'clients', 'signing_keys',
  'secrets', 'settings', 'outbox', 'messages', 'rate_limits', 'lockouts', 'decoy_codes', 'sign_in_flows', 'events',
  'saml_requests', 'saml_replay', 'account_sessions',
  'identity_providers', 'user_identities', 'federation_requests', 'federation_pending_links', 'federated_sessions', 'federated_logouts',
  'audit',
];

async function tableNames(db: Db): Promise<string[]> {
  const query =
    db.dialect === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table'`;
  const { rows } = await query.execute(db.kysely);
  return rows.map((r) => r.name).sort();
}

describeEachDb('migrations', (open) => {
  it('create every table of the schema', async () => {
    const db = await open();
    const names = await tableNames(db);
    for (const t of tables) expect(names).toContain(t);
  });

  it('are idempotent: running them again changes nothing and keeps the data', async () => {
    const db = await open(); // already migrated once
    const before = await tableNames(db);
    await db.kysely.insertInto('secrets').values({ name: 'kept', value: 'v', created_at: 1 }).execute();

    await migrate(db);
    await migrate(db);

    expect(await tableNames(db)).toEqual(before);
    const applied = await db.kysely
      .selectFrom('kysely_migration' as never)
      .select(sql<string>`name`.as('name'))
      .execute();
    expect(applied.map((r) => r.name).sort()).toEqual(['001_initial', '002_mfa', '003_recovery_codes', '004_preferred_mfa', '005_remembered_devices', '007_account', '008_webauthn', '009_federation', '010_saml', '011_messages', '012_signing_key_rotation', '013_lockout_decoy_codes', '014_revoke_events_created', '015_themes', '016_resource_servers', '017_admin_audit', '018_sign_up', '019_theme_drafts', '020_custom_text', '023_custom_text_previews']);
    const kept = await db.kysely.selectFrom('secrets').selectAll().execute();
    expect(kept).toEqual([{ name: 'kept', value: 'v', created_at: 1 }]);
  });

  it('store epoch milliseconds exactly and read them back as numbers', async () => {
    const db = await open();
    const t = Date.UTC(2099, 11, 31, 23, 59, 59, 999);
    await db.kysely.insertInto('settings').values({ name: 'x', value: '{}', updated_at: t }).execute();
    const row = await db.kysely.selectFrom('settings').select('updated_at').executeTakeFirstOrThrow();
    expect(row.updated_at).toBe(t);
  });
});
