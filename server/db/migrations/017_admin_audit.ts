import type { Kysely } from 'kysely';

/**
 * Every write through the admin API: who (a client's id or a user's sub), what, on which
 * resource, the record before and after (never a secret or a password hash), and the request id
 * that ties it to the logs. Read newest first, filtered by resource or actor.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const table =
    dialect === 'postgres'
      ? db.schema.createTable('audit').addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable('audit').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await table
    .addColumn('actor_type', 'text', (c) => c.notNull()) // client | user
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('before', 'text') // JSON
    .addColumn('after', 'text') // JSON
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_created').on('audit').column('created_at').execute();
  await db.schema.createIndex('audit_resource').on('audit').columns(['resource_type', 'resource_id', 'id']).execute();
}
