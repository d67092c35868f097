import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

/** As long as a theme preview token: time to try a wording, then it is gone. */
export const TEXT_PREVIEW_TTL_MS = 30 * 60 * 1000;
/** Keys one preview may carry: a screen's worth of messages. */
export const MAX_PREVIEW_TEXTS = 50;
/** Shape of a preview's id (also checked where a token names one). */
export const PREVIEW_ID = /^[A-Za-z0-9_-]{22}$/;

export interface PendingText {
  locale: string;
  texts: Record<string, string>;
}

/**
 * Stores overrides to preview (already checked by the caller) and returns the row's id, random
 * so it cannot be guessed; expired rows are removed on the way.
 */
export async function storePreview(db: Kysely<Database>, pending: PendingText, now: number): Promise<{ id: string; expiresAt: number }> {
  await db.deleteFrom('custom_text_previews').where('expires_at', '<=', now).execute();
  const id = randomBytes(16).toString('base64url');
  const expiresAt = now + TEXT_PREVIEW_TTL_MS;
  await db.insertInto('custom_text_previews').values({ id, locale: pending.locale, texts: JSON.stringify(pending.texts), expires_at: expiresAt }).execute();
  return { id, expiresAt };
}

/** A stored preview that has not expired. */
export async function findPreview(db: Kysely<Database>, id: string, now: number): Promise<PendingText | undefined> {
  if (!PREVIEW_ID.test(id)) return undefined;
  const row = await db.selectFrom('custom_text_previews').select(['locale', 'texts']).where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  if (!row) return undefined;
  const texts = JSON.parse(row.texts) as unknown;
  if (!texts || typeof texts !== 'object' || Array.isArray(texts)) return undefined;
  return { locale: row.locale, texts: Object.fromEntries(Object.entries(texts).filter((e): e is [string, string] => typeof e[1] === 'string')) };
}
