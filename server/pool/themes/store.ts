import type { Kysely } from 'kysely';
import { themeInput, type ThemeInput } from '../../../themes/schema';
import type { Database } from '../../db/schema';
import { log } from '../../log';
import type { AssetMime, CheckedAsset } from './assets';
import { bumpVersion, readVersion } from '../version-row';

/** The settings row every theme change rewrites: instances compare it to know their cache is stale. */
const VERSION_ROW = 'themes_version';

export const themesVersion = (db: Kysely<Database>) => readVersion(db, VERSION_ROW);
export const bumpThemesVersion = (db: Kysely<Database>, now: number) => bumpVersion(db, VERSION_ROW, now);

export async function storedThemes(db: Kysely<Database>): Promise<Map<string, ThemeInput>> {
  const rows = await db.selectFrom('themes').select(['id', 'definition']).orderBy('created_at').orderBy('id').execute();
  const themes = new Map<string, ThemeInput>();
  for (const r of rows) {
    // A row edited by hand into something that is no theme: left out (clients naming it get the
    // default, with a warning), so one bad row never takes every screen down.
    const parsed = themeInput.safeParse(parseJson(r.definition));
    if (parsed.success) themes.set(r.id, parsed.data);
    else log.error({ theme: r.id, problem: parsed.error.issues[0]?.message }, 'stored theme is not valid: ignored');
  }
  return themes;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function saveAssets(db: Kysely<Database>, assets: CheckedAsset[], now: number): Promise<void> {
  for (const a of assets) {
    await db
      .insertInto('theme_assets')
      .values({ id: a.sha256, mime: a.mime, bytes: a.bytes, size: a.bytes.length, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export async function saveTheme(db: Kysely<Database>, t: ThemeInput, now: number): Promise<void> {
  await db
    .insertInto('themes')
    .values({ id: t.id, definition: JSON.stringify(t), created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ definition: JSON.stringify(t), updated_at: now }))
    .execute();
}

export async function removeThemes(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('themes').where('id', 'in', ids).execute();
}

export async function assetMime(db: Kysely<Database>, sha256: string): Promise<AssetMime | undefined> {
  const row = await db.selectFrom('theme_assets').select('mime').where('id', '=', sha256).executeTakeFirst();
  return row?.mime as AssetMime | undefined;
}

export async function findAsset(db: Kysely<Database>, sha256: string): Promise<{ mime: AssetMime; bytes: Buffer } | undefined> {
  const row = await db.selectFrom('theme_assets').select(['mime', 'bytes']).where('id', '=', sha256).executeTakeFirst();
  return row ? { mime: row.mime as AssetMime, bytes: Buffer.from(row.bytes) } : undefined;
}

export async function assetMimes(db: Kysely<Database>): Promise<Map<string, AssetMime>> {
  const rows = await db.selectFrom('theme_assets').select(['id', 'mime']).execute();
  return new Map(rows.map((r) => [r.id, r.mime as AssetMime]));
}
