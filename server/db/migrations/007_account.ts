import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The account pages are a relying party of our own; this is their server-side session.
  await db.schema
    .createTable('account_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // HMAC of the cookie's token
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('id_token', 'text', (c) => c.notNull()) // the logout hint
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('amr', 'text', (c) => c.notNull())
    .addColumn('reveal', 'text') // sealed secrets shown once (new recovery codes)
    .addColumn('pending_email', 'text') // a new address waiting for its code
    .addColumn('pending_phone', 'text') // a new number waiting for its code
    .addColumn('pending_totp', 'text') // a sealed authenticator secret waiting for its first code
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_sessions_user').on('account_sessions').column('user_id').execute();
  // Lets a user's provider sessions and grants be listed and revoked.
  await db.schema.alterTable('oidc_artifacts').addColumn('account_id', 'text').execute();
  await db.schema.createIndex('oidc_artifacts_account').on('oidc_artifacts').columns(['account_id', 'model']).execute();
  await db.schema.alterTable('remembered_devices').addColumn('label', 'text').execute();
}
