import type { Kysely } from 'kysely';

/**
 * SAML service-provider state: the requests we sent (so a response's InResponseTo can be matched
 * once), and the IDs of messages already accepted (so none is accepted twice).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saml_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'authn' | 'logout'
    .addColumn('relay_state', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saml_requests_expiry').on('saml_requests').column('expires_at').execute();
  await db.schema
    .createTable('saml_replay')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('saml_replay_pk', ['provider', 'message_id'])
    .execute();
  await db.schema.createIndex('saml_replay_expiry').on('saml_replay').column('expires_at').execute();
}
