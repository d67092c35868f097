import { poolSettingsSchema, type PoolSettings } from '../../config/seed';
import type { PoolContext } from '../context';
import { writeSettings } from '../settings';
import { storedThemes } from '../themes/store';
import { builtInThemes } from '../themes/resolve';
import { locksRows } from './lock';
import type { AdminRefusal } from './users';

/** The pool's policies as the config's `pool` section (defaults filled in, as `config export` writes them). */
export async function readPoolSettings(ctx: PoolContext): Promise<PoolSettings> {
  const q = ctx.db.selectFrom('settings').select('value').where('name', '=', 'pool');
  const row = await (locksRows(ctx) ? q.forUpdate() : q).executeTakeFirst();
  return poolSettingsSchema.parse(row ? JSON.parse(row.value) : {});
}

/** Replaces the pool's policies; the theme it names must exist. Every instance reads them within a second. */
export async function writePoolSettings(ctx: PoolContext, s: PoolSettings): Promise<AdminRefusal | undefined> {
  if (s.theme !== undefined && !(s.theme in builtInThemes) && !(await storedThemes(ctx.db)).has(s.theme)) {
    return { error: 'invalid', problems: [{ path: ['theme'], message: `theme "${s.theme}" does not exist (not stored, not built in)`, code: 'unknown_theme', params: { theme: s.theme } }] };
  }
  await writeSettings(ctx.db, s, ctx.now());
  return undefined;
}
