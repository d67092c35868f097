import type { ThemeInput } from '../../../themes/schema';
import type { PoolContext } from '../context';
import { prepareForDb, writeThemes } from '../themes';
import { ThemeError } from '../themes/prepare';
import { bumpThemesVersion, removeThemes, storedThemes } from '../themes/store';
import { locksRows } from './lock';
import { readPoolSettings } from './settings';
import type { AdminRefusal } from './users';

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
export async function saveTheme(ctx: PoolContext, theme: ThemeInput): Promise<ThemeInput | AdminRefusal> {
  try {
    const prepared = await prepareForDb(ctx.db, [theme]);
    await writeThemes(ctx.db, prepared, ctx.now());
    return prepared[0].definition;
  } catch (e) {
    // prepareThemes names the input's index first: the path inside this one theme follows.
    if (e instanceof ThemeError) return { error: 'invalid', problems: [{ path: e.path.slice(1), message: e.message }] };
    throw e;
  }
}

/** What still names the theme: the pool, app clients, other themes (their `extends`). */
export async function themeUsers(ctx: PoolContext, id: string): Promise<string[]> {
  const users: string[] = [];
  if ((await readPoolSettings(ctx)).theme === id) users.push('the pool');
  const clients = await ctx.db.selectFrom('clients').select(['client_id', 'metadata']).execute();
  for (const c of clients) if ((JSON.parse(c.metadata) as { theme?: string }).theme === id) users.push(`client ${c.client_id}`);
  for (const t of await listThemes(ctx)) if (t.extends === id) users.push(`theme ${t.id}`);
  return users;
}

export async function deleteTheme(ctx: PoolContext, id: string): Promise<AdminRefusal | undefined> {
  const users = await themeUsers(ctx, id);
  if (users.length > 0) return { error: 'conflict', path: [], message: `the theme is in use by ${users.join(', ')}` };
  await removeThemes(ctx.db, [id]);
  await bumpThemesVersion(ctx.db, ctx.now());
  return undefined;
}
