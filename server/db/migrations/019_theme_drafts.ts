import type { Kysely } from 'kysely';

/**
 * A theme's draft lives apart from the published definition (`themes`), so editing changes
 * nothing anyone sees; every published definition is kept as a numbered version with who and
 * when, so a publish can be rolled back (as a new version).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('theme_drafts')
    .addColumn('theme_id', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull()) // JSON, themes/schema.ts themeInput
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('theme_versions')
    .addColumn('theme_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('rolled_back_from', 'integer') // the version republished, for a roll back
    .addPrimaryKeyConstraint('theme_versions_pk', ['theme_id', 'version'])
    .execute();
}
