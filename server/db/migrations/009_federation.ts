import type { Kysely } from 'kysely';

/** Outside identity providers, the identities linked to users, and federated sign-in state. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_providers')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull()) // JSON, as in the pool config
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_identities')
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider_type', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text')
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'bigint')
    .addPrimaryKeyConstraint('user_identities_pk', ['provider_name', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();

  // One row per redirect to a provider: found by the hash of `state`, used once.
  await db.schema
    .createTable('federation_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('browser', 'text', (c) => c.notNull()) // hash of the browser's binding cookie
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull()) // JSON: nonce, PKCE verifier, protocol extras
    .addColumn('response', 'text') // a form_post response, kept until the browser comes back by GET
    .addColumn('used_at', 'bigint') // set when the answer is taken: a state works once
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('federation_requests_uid').on('federation_requests').column('uid').execute();

  // An identity waiting for the user to prove they own the account with the same e-mail.
  await db.schema
    .createTable('federation_pending_links')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('claims', 'text', (c) => c.notNull())
    .addColumn('session', 'text') // what federated sign-out will need (e.g. the upstream ID token)
    .addColumn('proven', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  // Which provider a Foyer session came from, for federated sign-out; keyed by user and login time.
  await db.schema
    .createTable('federated_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('login_ts', 'bigint', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('federated_sessions_login').on('federated_sessions').columns(['user_id', 'login_ts']).execute();

  // Where to send the browser when it comes back from a provider's logout.
  await db.schema
    .createTable('federated_logouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
