import type { Kysely } from 'kysely';

/**
 * Resource servers (APIs with custom scopes, as Cognito has them): one row per identifier, its
 * definition as the pool config writes it. The built-in `foyer` (the admin API) is not stored.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resource_servers')
    .addColumn('identifier', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull()) // JSON, server/config/resource-servers.ts
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
