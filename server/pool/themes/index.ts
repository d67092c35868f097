import type { Kysely } from 'kysely';
import type { ResolvedTheme, ThemeInput } from '../../../themes/schema';
import type { Database } from '../../db/schema';
import { log } from '../../log';
import type { AssetMime } from './assets';
import { assetRefs, cssAssets, prepareThemes, type PreparedTheme } from './prepare';
import { builtInThemes, DEFAULT_THEME_ID, resolveTheme } from './resolve';
import { assetMime, assetMimes, bumpThemesVersion, findAsset, saveAssets, saveTheme, storedThemes, themesVersion } from './store';
import { themeStylesheet } from './stylesheet';

export const STYLESHEET_PATH_PREFIX = '/themes/';
/** Stylesheets kept by hash after their theme changed, for pages rendered just before. */
const KEPT_STYLESHEETS = 200;

export interface AppliedTheme {
  theme: ResolvedTheme;
  /** The stylesheet's content-hashed path (`/themes/<hash>.css`). */
  stylesheet: string;
  /** The URL of each `asset:<sha256>` the theme names (logo, favicon, images, font). */
  assets: Record<string, string>;
}

export interface Themes {
  /** The theme of a client's screens: its own, else the pool's, else the built-in default. */
  forClient(clientId: string | null): Promise<AppliedTheme>;
  /** The pool's theme (`themeId`, from settings the caller read), read through `db` (a transaction's). */
  forPool(themeId: string | undefined, db: Kysely<Database>): Promise<AppliedTheme>;
  /** A stylesheet by the hash in its path; undefined when no current or recent theme has it. */
  stylesheet(hash: string): Promise<string | undefined>;
  asset(sha256: string): Promise<{ mime: AssetMime; bytes: Buffer } | undefined>;
  /** Checks and stores themes (with their assets); returns the contrast warnings it accepted. */
  save(inputs: ThemeInput[], opts?: { readFile?: (relative: string) => Buffer }): Promise<{ warnings: string[] }>;
}

export interface ThemeDeps {
  db: Kysely<Database>;
  /** Which theme a client names, if any. */
  clientTheme(clientId: string): Promise<string | undefined>;
  /** Which theme the pool names, if any. */
  poolTheme(): Promise<string | undefined>;
  now?: () => number;
}

interface Snapshot {
  version: string;
  themes: Map<string, ThemeInput>;
  mimes: Map<string, AssetMime>;
  resolved: Map<string, AppliedTheme>;
}

/** Checks themes against the database (stored themes and assets) for `save` and the pool config. */
export async function prepareForDb(db: Kysely<Database>, inputs: ThemeInput[], readFile?: (relative: string) => Buffer): Promise<PreparedTheme[]> {
  return prepareThemes(inputs, { stored: await storedThemes(db), storedAsset: (sha) => assetMime(db, sha), readFile });
}

/** Writes prepared themes and marks every instance's cache stale. */
export async function writeThemes(db: Kysely<Database>, prepared: PreparedTheme[], now: number): Promise<void> {
  for (const p of prepared) {
    await saveAssets(db, p.assets, now);
    await saveTheme(db, p.definition, now);
    for (const w of p.warnings) log.warn({ theme: p.definition.id }, w);
  }
  await bumpThemesVersion(db, now);
}

/**
 * Themes at request time. Freshness across instances: every call reads one settings row (the
 * version every theme write changes); while it is the same, resolved themes come from memory.
 */
export function createThemes(deps: ThemeDeps): Themes {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  let snapshot: Promise<Snapshot> | undefined;
  const byHash = new Map<string, string>();

  const load = async (version: string, on: Kysely<Database>): Promise<Snapshot> => ({ version, themes: await storedThemes(on), mimes: await assetMimes(on), resolved: new Map() });

  /** `on`: the connection to read through (the pool's, or a transaction's). */
  async function current(on: Kysely<Database> = db): Promise<Snapshot> {
    const version = await themesVersion(on);
    const s = snapshot && (await snapshot.catch(() => undefined));
    if (s && s.version === version) return s;
    snapshot = load(version, on);
    return snapshot;
  }

  function apply(s: Snapshot, id: string): AppliedTheme {
    const hit = s.resolved.get(id);
    if (hit) return hit;
    let out: AppliedTheme;
    try {
      const theme = resolveTheme(id, s.themes);
      const { css, hash } = themeStylesheet(theme, cssAssets(s.mimes, theme.images));
      byHash.delete(hash);
      byHash.set(hash, css);
      while (byHash.size > KEPT_STYLESHEETS) byHash.delete(byHash.keys().next().value!);
      const urls = cssAssets(s.mimes);
      const assets = Object.fromEntries(
        assetRefs(theme).flatMap(({ ref }) => {
          const url = urls.url(ref.slice('asset:'.length));
          return url ? [[ref, url]] : [];
        }),
      );
      out = { theme, stylesheet: `${STYLESHEET_PATH_PREFIX}${hash}.css`, assets };
    } catch (e) {
      // A theme removed under a client that still names it: the screens stay usable.
      if (id === DEFAULT_THEME_ID) throw e;
      log.warn({ theme: id, err: e }, 'theme cannot be applied: the built-in default is used');
      out = apply(s, DEFAULT_THEME_ID);
    }
    s.resolved.set(id, out);
    return out;
  }

  return {
    async forClient(clientId) {
      const s = await current();
      const id = (clientId ? await deps.clientTheme(clientId) : undefined) ?? (await deps.poolTheme()) ?? DEFAULT_THEME_ID;
      return apply(s, id);
    },
    async forPool(themeId, on) {
      return apply(await current(on), themeId ?? DEFAULT_THEME_ID);
    },
    async stylesheet(hash) {
      const known = byHash.get(hash);
      if (known !== undefined) return known;
      // Rendered by another instance: every theme of the current version is a candidate.
      const s = await current();
      for (const id of [...Object.keys(builtInThemes), ...s.themes.keys()]) {
        if (apply(s, id).stylesheet === `${STYLESHEET_PATH_PREFIX}${hash}.css`) return byHash.get(hash);
      }
      return undefined;
    },
    asset: (sha256) => findAsset(db, sha256),
    async save(inputs, opts = {}) {
      const prepared = await prepareForDb(db, inputs, opts.readFile);
      await db.transaction().execute((tx) => writeThemes(tx, prepared, now()));
      return { warnings: prepared.flatMap((p) => p.warnings) };
    },
  };
}
