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

/** Who published a definition when no one is named: the pool config (FOYER_CONFIG, `config apply`). */
export const CONFIG_PUBLISHER = 'config';

/**
 * Publishes a definition: the one every screen uses, and a new numbered version in its history
 * (none when it equals the latest, so re-applying the same config adds nothing). Returns the version.
 */
export async function saveTheme(db: Kysely<Database>, t: ThemeInput, now: number, by = CONFIG_PUBLISHER, rolledBackFrom?: number): Promise<number> {
  const definition = JSON.stringify(t);
  await db
    .insertInto('themes')
    .values({ id: t.id, definition, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ definition, updated_at: now }))
    .execute();
  const latest = await db.selectFrom('theme_versions').select(['version', 'definition']).where('theme_id', '=', t.id).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (latest && latest.definition === definition && rolledBackFrom === undefined) return latest.version;
  const version = (latest?.version ?? 0) + 1;
  await db
    .insertInto('theme_versions')
    .values({ theme_id: t.id, version, definition, published_by: by, published_at: now, rolled_back_from: rolledBackFrom ?? null })
    .execute();
  return version;
}

/** Removes published themes and their drafts; their history stays (a theme made again numbers on). */
export async function removeThemes(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('themes').where('id', 'in', ids).execute();
  await db.deleteFrom('theme_drafts').where('theme_id', 'in', ids).execute();
}

export interface ThemeDraft {
  theme: ThemeInput;
  updatedBy: string;
  updatedAt: number;
}

export async function findDraft(db: Kysely<Database>, id: string): Promise<ThemeDraft | undefined> {
  const row = await db.selectFrom('theme_drafts').selectAll().where('theme_id', '=', id).executeTakeFirst();
  const parsed = row && themeInput.safeParse(parseJson(row.definition));
  return row && parsed?.success ? { theme: parsed.data, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) } : undefined;
}

/** Every draft, of a published theme or of one never published (an import), by id. */
export async function listDrafts(db: Kysely<Database>): Promise<ThemeDraft[]> {
  const rows = await db.selectFrom('theme_drafts').selectAll().orderBy('theme_id').execute();
  return rows.flatMap((row) => {
    const parsed = themeInput.safeParse(parseJson(row.definition));
    return parsed.success ? [{ theme: parsed.data, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) }] : [];
  });
}

export async function saveDraft(db: Kysely<Database>, t: ThemeInput, by: string, now: number): Promise<void> {
  const values = { definition: JSON.stringify(t), updated_by: by, updated_at: now };
  await db
    .insertInto('theme_drafts')
    .values({ theme_id: t.id, ...values })
    .onConflict((oc) => oc.column('theme_id').doUpdateSet(values))
    .execute();
}

export async function removeDraft(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('theme_drafts').where('theme_id', '=', id).execute();
}

export interface ThemeVersion {
  version: number;
  publishedBy: string;
  publishedAt: number;
  /** The version this one republished (a roll back). */
  rolledBackFrom: number | null;
}

/** A theme's published versions, newest first. */
export async function themeVersions(db: Kysely<Database>, id: string): Promise<ThemeVersion[]> {
  const rows = await db.selectFrom('theme_versions').select(['version', 'published_by', 'published_at', 'rolled_back_from']).where('theme_id', '=', id).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, publishedBy: r.published_by, publishedAt: Number(r.published_at), rolledBackFrom: r.rolled_back_from }));
}

export async function themeVersion(db: Kysely<Database>, id: string, version: number): Promise<ThemeInput | undefined> {
  const row = await db.selectFrom('theme_versions').select('definition').where('theme_id', '=', id).where('version', '=', version).executeTakeFirst();
  const parsed = row && themeInput.safeParse(parseJson(row.definition));
  return parsed?.success ? parsed.data : undefined;
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
