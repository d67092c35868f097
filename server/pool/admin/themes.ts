import type { ThemeInput } from '../../../themes/schema';
import type { PoolContext } from '../context';
import { prepareForDb, writeThemes } from '../themes';
import { ThemeError } from '../themes/prepare';
import { mintPreviewToken, PREVIEW_TOKEN_TTL_MS } from '../themes/preview-token';
import { bumpThemesVersion, findDraft, listDrafts, removeDraft, removeThemes, saveAssets, saveDraft, storedThemes, themeVersion, themeVersions, type ThemeDraft } from '../themes/store';
import { locksRows } from './lock';
import { readPoolSettings } from './settings';
import type { AdminRefusal, RefusalProblem } from './users';

/** The stored themes, as `themes` of the pool config (assets as `asset:<sha256>`). */
export async function listThemes(ctx: PoolContext): Promise<ThemeInput[]> {
  return [...(await storedThemes(ctx.db)).values()];
}

/** One stored theme (its row locked inside a write on PostgreSQL). */
export async function getTheme(ctx: PoolContext, id: string): Promise<ThemeInput | undefined> {
  if (locksRows(ctx)) await ctx.db.selectFrom('themes').select('id').where('id', '=', id).forUpdate().execute();
  return (await storedThemes(ctx.db)).get(id);
}

/**
 * Stores a theme (its images and fonts as data: URLs or stored `asset:` references), checked as
 * the pool config's are: contrast, custom CSS, the `extends` chain. Instances see it at once.
 */
export async function saveTheme(ctx: PoolContext, theme: ThemeInput, by: string): Promise<ThemeInput | AdminRefusal> {
  const published = await publishChecked(ctx, theme, by);
  return 'error' in published ? published : published.theme;
}

/** A theme checked and published as a new version (`rolledBackFrom`: the version it republishes). */
async function publishChecked(ctx: PoolContext, theme: ThemeInput, by: string, rolledBackFrom?: number): Promise<PublishedTheme | AdminRefusal> {
  const prepared = await checked(ctx, theme);
  if ('error' in prepared) return prepared;
  const [version] = await writeThemes(ctx.db, [prepared], ctx.now(), by, rolledBackFrom);
  return { theme: prepared.definition, version };
}

async function checked(ctx: PoolContext, theme: ThemeInput) {
  try {
    return (await prepareForDb(ctx.db, [theme]))[0];
  } catch (e) {
    // prepareThemes names the input's index first: the path inside this one theme follows; custom
    // CSS comes back one problem per line at fault.
    if (e instanceof ThemeError) return { error: 'invalid', problems: e.details.map((d) => ({ path: e.path.slice(1), ...d })) } satisfies AdminRefusal;
    throw e;
  }
}

export interface PublishedTheme {
  theme: ThemeInput;
  version: number;
}

/** The unpublished edit of a theme (which may not be published yet at all). */
export async function getDraft(ctx: PoolContext, id: string): Promise<ThemeDraft | undefined> {
  if (locksRows(ctx)) await ctx.db.selectFrom('theme_drafts').select('theme_id').where('theme_id', '=', id).forUpdate().execute();
  return findDraft(ctx.db, id);
}

/** Every draft: of published themes, and of themes never published yet (imports). */
export const listThemeDrafts = (ctx: PoolContext) => listDrafts(ctx.db);

/**
 * Keeps a draft, checked as a published theme is (so publishing it cannot fail on its own
 * content); its uploads are stored, being content-addressed. No screen changes.
 */
export async function saveThemeDraft(ctx: PoolContext, theme: ThemeInput, by: string): Promise<ThemeDraft | AdminRefusal> {
  const prepared = await checked(ctx, theme);
  if ('error' in prepared) return prepared;
  await saveAssets(ctx.db, prepared.assets, ctx.now());
  await saveDraft(ctx.db, prepared.definition, by, ctx.now());
  return { theme: prepared.definition, updatedBy: by, updatedAt: ctx.now() };
}

export async function discardDraft(ctx: PoolContext, id: string): Promise<void> {
  await removeDraft(ctx.db, id);
}

/** The draft becomes the published theme (a new version); every instance sees it at once. */
export async function publishDraft(ctx: PoolContext, id: string, by: string): Promise<PublishedTheme | AdminRefusal | undefined> {
  const draft = await getDraft(ctx, id);
  if (!draft) return undefined;
  const published = await publishChecked(ctx, draft.theme, by);
  if (!('error' in published)) await removeDraft(ctx.db, id);
  return published;
}

export const listVersions = (ctx: PoolContext, id: string) => themeVersions(ctx.db, id);
export const getVersion = (ctx: PoolContext, id: string, version: number) => themeVersion(ctx.db, id, version);

/** Republishes an older version as a new one (history only grows); undefined when there is no such version. */
export async function rollBack(ctx: PoolContext, id: string, version: number, by: string): Promise<PublishedTheme | AdminRefusal | undefined> {
  const old = await themeVersion(ctx.db, id, version);
  return old && publishChecked(ctx, old, by, version);
}

/**
 * What still names the theme, one coded reason each: the pool, app clients, other themes (their
 * `extends`). A production pool must never name a theme that is gone, so these refuse its deletion.
 */
export async function themeUsers(ctx: PoolContext, id: string): Promise<RefusalProblem[]> {
  const users: RefusalProblem[] = [];
  if ((await readPoolSettings(ctx)).theme === id) users.push({ path: [], message: 'the pool', code: 'used_by_pool', params: {} });
  const clients = await ctx.db.selectFrom('clients').select(['client_id', 'metadata']).orderBy('client_id').execute();
  for (const c of clients) if ((JSON.parse(c.metadata) as { theme?: string }).theme === id) users.push({ path: [], message: `client ${c.client_id}`, code: 'used_by_client', params: { client: c.client_id } });
  for (const t of await listThemes(ctx)) if (t.extends === id) users.push({ path: [], message: `theme ${t.id}`, code: 'extended_by_theme', params: { theme: t.id } });
  return users;
}

export async function deleteTheme(ctx: PoolContext, id: string): Promise<AdminRefusal | undefined> {
  const users = await themeUsers(ctx, id);
  if (users.length > 0) return { error: 'conflict', message: `the theme is in use by ${users.map((u) => u.message).join(', ')}`, problems: users };
  await removeThemes(ctx.db, [id]);
  await bumpThemesVersion(ctx.db, ctx.now());
  return undefined;
}

/** A short-lived token for the preview screens of a theme (its draft, or the published one). */
export function previewToken(ctx: PoolContext, id: string, draft: boolean): { token: string; expiresAt: number } {
  const expiresAt = ctx.now() + PREVIEW_TOKEN_TTL_MS;
  return { token: mintPreviewToken(ctx.secret, { theme: id, draft, expiresAt }), expiresAt };
}
