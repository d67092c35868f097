import type { PoolContext } from '../context';
import { MAX_PER_LOCALE, MAX_PREVIEW_TEXTS, overrideProblems, storedCustomText, writeCustomText } from '../custom-text';
import { storePreview } from '../custom-text/preview';
import { DEFAULT_THEME_ID } from '../themes/resolve';
import { mintPreviewToken } from '../themes/preview-token';
import { locksRows } from './lock';
import type { AdminRefusal } from './users';

/** A locale's overrides (its rows locked inside a write on PostgreSQL, for If-Match). */
export async function localeTexts(ctx: PoolContext, locale: string): Promise<Record<string, string>> {
  if (locksRows(ctx)) await ctx.db.selectFrom('custom_text').select('key').where('locale', '=', locale).forUpdate().execute();
  return (await storedCustomText(ctx.db, locale))[locale] ?? {};
}

/** Each refused override, with its path (`[key]`) under the locale. */
function refusal(locale: string, texts: Record<string, string>): AdminRefusal | undefined {
  if (Object.keys(texts).length > MAX_PER_LOCALE) return { error: 'invalid', problems: [{ path: [], message: `at most ${MAX_PER_LOCALE} overrides per locale`, code: 'too_many_overrides', params: { max: String(MAX_PER_LOCALE) } }] };
  const problems = Object.entries(texts).flatMap(([key, text]) => overrideProblems(locale, key, text).map((p) => ({ path: [key], message: p.message, code: p.code, params: p.params })));
  return problems.length > 0 ? { error: 'invalid', problems } : undefined;
}

/** Sets one override, checked against the English message; every instance sees it within a second. */
export async function putText(ctx: PoolContext, locale: string, key: string, text: string): Promise<AdminRefusal | undefined> {
  const refused = refusal(locale, { [key]: text });
  if (refused) return refused;
  await writeCustomText(ctx.db, { save: [{ locale, key, text }] }, ctx.now());
  return undefined;
}

/** Replaces a locale's overrides with `texts` (all checked first: none written if one is refused). */
export async function replaceLocale(ctx: PoolContext, locale: string, texts: Record<string, string>): Promise<AdminRefusal | undefined> {
  const refused = refusal(locale, texts);
  if (refused) return refused;
  await writeCustomText(ctx.db, { clearLocale: locale, save: Object.entries(texts).map(([key, text]) => ({ locale, key, text })) }, ctx.now());
  return undefined;
}

export async function deleteText(ctx: PoolContext, locale: string, key: string): Promise<void> {
  await writeCustomText(ctx.db, { remove: [{ locale, key }] }, ctx.now());
}

/**
 * Overrides to see before saving them: checked as a save would be, stored for a while, and named
 * by a preview token of a published theme (`theme`, else the pool's; the caller checks it exists),
 * whose screens then show them.
 */
export async function previewTexts(ctx: PoolContext, locale: string, texts: Record<string, string>, theme?: string): Promise<AdminRefusal | { token: string; expiresAt: number }> {
  const count = Object.keys(texts).length;
  if (count === 0 || count > MAX_PREVIEW_TEXTS) return { error: 'invalid', problems: [{ path: [], message: `a preview shows 1 to ${MAX_PREVIEW_TEXTS} overrides`, code: 'preview_count', params: { max: String(MAX_PREVIEW_TEXTS) } }] };
  const refused = refusal(locale, texts);
  if (refused) return refused;
  const shown = theme ?? (await ctx.settings()).theme ?? DEFAULT_THEME_ID;
  const { id, expiresAt } = await storePreview(ctx.db, { locale, texts }, ctx.now());
  return { token: mintPreviewToken(ctx.secret, { theme: shown, draft: false, expiresAt, text: id }), expiresAt };
}
