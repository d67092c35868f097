import type { Kysely } from 'kysely';

/**
 * Custom text: an operator's ICU message for one catalogue key in one locale. A change bumps the
 * `custom_text_version` settings row, which every instance compares to keep its cache fresh.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('custom_text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull()) // dotted, a key of messages/en.json
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_text_pk', ['locale', 'key'])
    .execute();
}
