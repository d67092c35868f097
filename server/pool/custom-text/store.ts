import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { bumpVersion, readVersion } from '../version-row';

/** Overrides by locale, then by dotted key. */
export type CustomTexts = Record<string, Record<string, string>>;

const VERSION_ROW = 'custom_text_version';

export const customTextVersion = (db: Kysely<Database>) => readVersion(db, VERSION_ROW);

export async function storedCustomText(db: Kysely<Database>, locale?: string): Promise<CustomTexts> {
  let q = db.selectFrom('custom_text').select(['locale', 'key', 'text']).orderBy('locale').orderBy('key');
  if (locale !== undefined) q = q.where('locale', '=', locale);
  const out: CustomTexts = {};
  for (const r of await q.execute()) (out[r.locale] ??= {})[r.key] = r.text;
  return out;
}

/** Writes overrides (and removes the named ones) and marks every instance's cache stale. */
export async function writeCustomText(
  db: Kysely<Database>,
  change: { save?: { locale: string; key: string; text: string }[]; remove?: { locale: string; key: string }[]; clearLocale?: string },
  now: number,
): Promise<void> {
  if (change.clearLocale !== undefined) await db.deleteFrom('custom_text').where('locale', '=', change.clearLocale).execute();
  for (const r of change.remove ?? []) await db.deleteFrom('custom_text').where('locale', '=', r.locale).where('key', '=', r.key).execute();
  for (const r of change.save ?? []) {
    await db
      .insertInto('custom_text')
      .values({ ...r, updated_at: now })
      .onConflict((oc) => oc.columns(['locale', 'key']).doUpdateSet({ text: r.text, updated_at: now }))
      .execute();
  }
  await bumpVersion(db, VERSION_ROW, now);
}
