import type { Kysely } from 'kysely';
import type { ResolvedTheme, ThemeInput } from '../../../themes/schema';
import type { Database } from '../../db/schema';
import { log } from '../../log';
import type { AssetMime } from './assets';
import { assetRefs, cssAssets, prepareThemes, type PreparedTheme } from './prepare';
import { builtInThemes, DEFAULT_THEME_ID, resolveTheme } from './resolve';
import { readPreviewToken } from './preview-token';
import { assetMime, assetMimes, bumpThemesVersion, findAsset, findDraft, saveAssets, saveTheme, storedThemes, themesVersion } from './store';
import { themeStylesheet } from './stylesheet';

export { uploadProblem, type AssetKind, type AssetProblem } from './assets';

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
  /**
   * The theme a preview token names (its draft, or its published definition when it has no
   * draft or the token asks for that); undefined for a bad or expired token or an unknown theme.
   * `scheme` shows one palette whatever the browser prefers (the editor's light / dark switch).
   */
  preview(token: string, scheme?: 'light' | 'dark'): Promise<AppliedTheme | undefined>;
  /** Checks and stores themes (with their assets); returns the contrast warnings it accepted. */
  save(inputs: ThemeInput[], opts?: { readFile?: (relative: string) => Buffer }): Promise<{ warnings: string[] }>;
}

export interface ThemeDeps {
  db: Kysely<Database>;
  /** Which theme a client names, if any. */
  clientTheme(clientId: string): Promise<string | undefined>;
  /** Which theme the pool names, if any. */
  poolTheme(): Promise<string | undefined>;
  /** Signs preview tokens (preview-token.ts). */
  secret: string;
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

/**
 * Publishes prepared themes (each a new version in its history, `by` its publisher) and marks
 * every instance's cache stale. Returns each theme's version number.
 */
export async function writeThemes(db: Kysely<Database>, prepared: PreparedTheme[], now: number, by?: string, rolledBackFrom?: number): Promise<number[]> {
  const versions: number[] = [];
  for (const p of prepared) {
    await saveAssets(db, p.assets, now);
    versions.push(await saveTheme(db, p.definition, now, by, rolledBackFrom));
    for (const w of p.warnings) log.warn({ theme: p.definition.id }, w);
  }
  await bumpThemesVersion(db, now);
  return versions;
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

  /** `themes`: the stored ones, or those with a draft in place of its theme (a preview). */
  function resolved(id: string, themes: ReadonlyMap<string, ThemeInput>, mimes: Snapshot['mimes']): AppliedTheme {
    const theme = resolveTheme(id, themes);
    const { css, hash } = themeStylesheet(theme, cssAssets(mimes, theme.images));
    byHash.delete(hash);
    byHash.set(hash, css);
    while (byHash.size > KEPT_STYLESHEETS) byHash.delete(byHash.keys().next().value!);
    const urls = cssAssets(mimes);
    const assets = Object.fromEntries(
      assetRefs(theme).flatMap(({ ref }) => {
        const url = urls.url(ref.slice('asset:'.length));
        return url ? [[ref, url]] : [];
      }),
    );
    return { theme, stylesheet: `${STYLESHEET_PATH_PREFIX}${hash}.css`, assets };
  }

  /**
   * A theme as previewed: its draft in place of its published definition (`draft`), its palette
   * forced (`mode`); undefined when there is no such draft. A draft's uploads were stored when
   * it was saved, so the asset types are read again.
   */
  async function previewed(id: string, o: { draft: boolean; mode?: 'light' | 'dark' }): Promise<AppliedTheme | undefined> {
    const s = await current();
    const themes = new Map(s.themes);
    if (o.draft) {
      const draft = await findDraft(db, id);
      if (!draft) return undefined;
      themes.set(id, draft.theme);
    }
    // A built-in theme (never stored) keeps its own mode: only stored themes are edited.
    const own = themes.get(id);
    if (o.mode && own) themes.set(id, { ...own, mode: o.mode });
    return resolved(id, themes, await assetMimes(db));
  }

  function apply(s: Snapshot, id: string): AppliedTheme {
    const hit = s.resolved.get(id);
    if (hit) return hit;
    let out: AppliedTheme;
    try {
      out = resolved(id, s.themes, s.mimes);
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
      // A preview rendered by another instance: drafts and forced palettes are candidates too.
      const drafts = new Set((await db.selectFrom('theme_drafts').select('theme_id').execute()).map((r) => r.theme_id));
      for (const id of new Set([...s.themes.keys(), ...drafts])) {
        for (const draft of drafts.has(id) ? [true, false] : [false]) {
          for (const mode of [undefined, 'light', 'dark'] as const) {
            const found = await previewed(id, { draft, mode }).catch(() => undefined);
            if (found?.stylesheet === `${STYLESHEET_PATH_PREFIX}${hash}.css`) return byHash.get(hash);
          }
        }
      }
      return undefined;
    },
    async preview(token, scheme) {
      const grant = readPreviewToken(deps.secret, token, now());
      if (!grant) return undefined;
      const s = await current();
      const known = s.themes.has(grant.theme) || grant.theme in builtInThemes;
      if (grant.draft) {
        try {
          const drafted = await previewed(grant.theme, { draft: true, mode: scheme });
          if (drafted) return drafted;
        } catch (e) {
          // A draft whose parent went away since it was saved: the published theme, if any, shows.
          log.warn({ theme: grant.theme, err: e }, 'theme draft cannot be previewed');
        }
      }
      if (!known) return undefined;
      return scheme ? previewed(grant.theme, { draft: false, mode: scheme }) : apply(s, grant.theme);
    },
    asset: (sha256) => findAsset(db, sha256),
    async save(inputs, opts = {}) {
      const prepared = await prepareForDb(db, inputs, opts.readFile);
      await db.transaction().execute((tx) => writeThemes(tx, prepared, now()));
      return { warnings: prepared.flatMap((p) => p.warnings) };
    },
  };
}
