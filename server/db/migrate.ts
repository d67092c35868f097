import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect';
import * as m001 from './migrations/001_initial';
import * as m002 from './migrations/002_mfa';
import * as m003 from './migrations/003_recovery_codes';
import * as m004 from './migrations/004_preferred_mfa';
import * as m005 from './migrations/005_remembered_devices';
import * as m007 from './migrations/007_account';
import * as m010 from './migrations/010_saml';
import * as m008 from './migrations/008_webauthn';
import * as m009 from './migrations/009_federation';
import * as m011 from './migrations/011_messages';
import * as m012 from './migrations/012_signing_key_rotation';
import * as m013 from './migrations/013_lockout_decoy_codes';
import * as m014 from './migrations/014_revoke_events_created';
import * as m015 from './migrations/015_themes';
import * as m017 from './migrations/017_admin_audit';
import * as m016 from './migrations/016_resource_servers';
import * as m018 from './migrations/018_sign_up';
import * as m019 from './migrations/019_theme_drafts';
import * as m020 from './migrations/020_custom_text';
import * as m023 from './migrations/023_custom_text_previews';

/** Migrations live in code so the Next bundle, tsx and Vitest all see the same list. */
export async function migrate(db: Db): Promise<void> {
  const list: Record<string, Migration> = {
    '001_initial': { up: (k) => m001.up(k, db.dialect) },
    '002_mfa': { up: (k) => m002.up(k) },
    '003_recovery_codes': { up: (k) => m003.up(k) },
    '004_preferred_mfa': { up: (k) => m004.up(k) },
    '005_remembered_devices': { up: (k) => m005.up(k) },
    '007_account': { up: (k) => m007.up(k) },
    '010_saml': { up: (k) => m010.up(k) },
    '008_webauthn': { up: (k) => m008.up(k) },
    '009_federation': { up: (k) => m009.up(k) },
    '011_messages': { up: (k) => m011.up(k, db.dialect) },
    '012_signing_key_rotation': { up: (k) => m012.up(k) },
    '013_lockout_decoy_codes': { up: (k) => m013.up(k) },
    '014_revoke_events_created': { up: (k) => m014.up(k) },
    '015_themes': { up: (k) => m015.up(k, db.dialect) },
    '017_admin_audit': { up: (k) => m017.up(k, db.dialect) },
    '016_resource_servers': { up: (k) => m016.up(k) },
    '018_sign_up': { up: (k) => m018.up(k) },
    '019_theme_drafts': { up: (k) => m019.up(k) },
    '020_custom_text': { up: (k) => m020.up(k) },
    '023_custom_text_previews': { up: (k) => m023.up(k) },
  };
  const provider: MigrationProvider = { getMigrations: async () => list };
  const { error, results } = await new Migrator({
    db: db.kysely,
    provider,
    // Its bookkeeping tables go in our schema too, so several Foyer schemas can share one database.
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
    // Features land from parallel branches; each migration stands alone, so their order may vary.
    allowUnorderedMigrations: true,
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? error}`);
  }
}
