import type { Kysely } from 'kysely';

/**
 * Custom text not yet saved, shown on the preview screens only: the console's "Preview" stores
 * the pending overrides here for a while and a signed preview token names the row (its id is
 * random), so the screens' URLs stay short whatever the text's length, and any instance can
 * render them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('custom_text_previews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('texts', 'text', (c) => c.notNull()) // JSON: overrides by dotted key
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custom_text_previews_expires').on('custom_text_previews').column('expires_at').execute();
}
