import type { Kysely } from 'kysely';

/**
 * Themes are data: a theme's definition as an operator wrote it (assets as `asset:<sha256>`), and
 * its images and fonts content-addressed, so a URL names its bytes forever (immutable caching).
 * A change bumps the `themes_version` settings row, which every instance reads to stay fresh.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('themes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull()) // JSON, themes/schema.ts themeInput
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('theme_assets')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the bytes, hex
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
