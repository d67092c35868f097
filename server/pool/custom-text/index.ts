import type { Kysely } from 'kysely';
import type en from '../../../messages/en.json';
import type { Database } from '../../db/schema';
import { catalogueLocale, catalogues } from '../../mail/templates';
import { readPreviewToken } from '../themes/preview-token';
import { findPreview, type PendingText } from './preview';
import { customTextVersion, storedCustomText, type CustomTexts } from './store';
import { requiredSlots } from './validate';

export { overrideProblems, englishMessages, MAX_PER_LOCALE, MAX_TEXT_LENGTH, OVERRIDE_CODES, type OverrideProblem } from './validate';
export { storedCustomText, writeCustomText, type CustomTexts } from './store';
export { MAX_PREVIEW_TEXTS, type PendingText } from './preview';

/** A catalogue as next-intl and the mail translators take it. */
export type Messages = typeof en;

/** How long a checked version is trusted: a change made on another instance shows within this. */
const FRESH_MS = 1000;

export interface CustomText {
  /** The locale's catalogue with its overrides merged in (the catalogue itself without any). `on`: a transaction's connection. */
  messages(locale: string, on?: Kysely<Database>): Promise<Messages>;
  /** Every stored override, by locale (`on`: a transaction's connection). */
  all(on?: Kysely<Database>): Promise<CustomTexts>;
  /** After a write by this instance: the next read checks the version at once. */
  invalidate(): void;
  /** The shipped catalogue of a locale (no overrides), by dotted key. */
  catalogue(locale: string): ReadonlyMap<string, string>;
  /** What an override of `key` must keep: `{placeholder}`s and `<tag>`s (none for an unknown key). */
  slots(key: string): string[];
  /** The unsaved overrides a preview token carries (the console's editor), if it is valid and carries some. */
  pending(token: string): Promise<PendingText | undefined>;
  /**
   * A preview screen's catalogue: `messages(locale)` with the token's unsaved overrides on top
   * when they are for this locale; undefined when the token carries none.
   */
  previewMessages(locale: string, token: string): Promise<Messages | undefined>;
}

interface Snapshot {
  version: string;
  texts: CustomTexts;
  merged: Map<string, Messages>;
}

/** `base` with each dotted key of `overrides` replaced (copied along the changed paths only). */
export function withOverrides<T extends object>(base: T, overrides: Record<string, string>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, text] of Object.entries(overrides)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      node = node[part] = { ...(child && typeof child === 'object' ? child : {}) } as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = text;
  }
  return out as T;
}

/** Every dotted key of a catalogue and its message, in the catalogue's order. */
export function flatMessages(node: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof node === 'string') out.set(prefix, node);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) flatMessages(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/**
 * Overrides at request time, for every page and every mail: the version row is read at most once
 * a second (not once per request), and the overrides again only when it changed. `secret` reads
 * preview tokens (the theme editor's, server/pool/themes/preview-token.ts).
 */
export function createCustomText(db: Kysely<Database>, opts: { secret?: string; now?: () => number } = {}): CustomText {
  const now = opts.now ?? Date.now;
  const flat = new Map<string, ReadonlyMap<string, string>>();
  let snapshot: Snapshot | undefined;
  let checkedAt = -Infinity;
  let checking: Promise<Snapshot> | undefined;

  async function check(on: Kysely<Database>): Promise<Snapshot> {
    const version = await customTextVersion(on);
    if (snapshot?.version !== version) snapshot = { version, texts: await storedCustomText(on), merged: new Map() };
    checkedAt = Date.now();
    return snapshot;
  }

  async function current(on: Kysely<Database> = db): Promise<Snapshot> {
    if (snapshot && Date.now() - checkedAt < FRESH_MS) return snapshot;
    // A transaction checks on its own connection, never waiting on a shared check: that one needs a
    // pooled connection, and transactions holding every connection while they wait would deadlock
    // the pool (1,000 concurrent sign-ups hung so, each rendering its mail inside its transaction).
    if (on !== db) return check(on);
    checking ??= check(db).finally(() => (checking = undefined));
    return checking;
  }

  async function messages(locale: string, on?: Kysely<Database>): Promise<Messages> {
    const lang = catalogueLocale(locale);
    const s = await current(on);
    let merged = s.merged.get(lang);
    if (!merged) s.merged.set(lang, (merged = withOverrides(catalogues[lang] as Messages, s.texts[lang] ?? {})));
    return merged;
  }

  async function pending(token: string): Promise<PendingText | undefined> {
    const grant = opts.secret === undefined ? undefined : readPreviewToken(opts.secret, token, now());
    return grant?.text === undefined ? undefined : findPreview(db, grant.text, now());
  }

  return {
    messages,
    async all(on) {
      return (await current(on)).texts;
    },
    invalidate() {
      checkedAt = -Infinity;
    },
    catalogue(locale) {
      const lang = catalogueLocale(locale);
      let m = flat.get(lang);
      if (!m) flat.set(lang, (m = flatMessages(catalogues[lang])));
      return m;
    },
    slots: requiredSlots,
    pending,
    async previewMessages(locale, token) {
      const found = await pending(token);
      if (!found || found.locale !== locale) return undefined;
      return withOverrides(await messages(locale), found.texts);
    },
  };
}
