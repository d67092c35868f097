import type { Kysely } from 'kysely';
import type en from '../../../messages/en.json';
import type { Database } from '../../db/schema';
import { catalogueLocale, catalogues } from '../../mail/templates';
import { customTextVersion, storedCustomText, type CustomTexts } from './store';

export { overrideProblems, englishMessages, MAX_PER_LOCALE, MAX_TEXT_LENGTH, type OverrideProblem } from './validate';
export { storedCustomText, writeCustomText, type CustomTexts } from './store';

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

/**
 * Overrides at request time, for every page and every mail: the version row is read at most once
 * a second (not once per request), and the overrides again only when it changed.
 */
export function createCustomText(db: Kysely<Database>): CustomText {
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

  return {
    async messages(locale, on) {
      const lang = catalogueLocale(locale);
      const s = await current(on);
      let merged = s.merged.get(lang);
      if (!merged) s.merged.set(lang, (merged = withOverrides(catalogues[lang] as Messages, s.texts[lang] ?? {})));
      return merged;
    },
    async all(on) {
      return (await current(on)).texts;
    },
    invalidate() {
      checkedAt = -Infinity;
    },
  };
}
