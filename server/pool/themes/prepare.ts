import type { FieldCode, FieldParams } from '../../config/field-codes';
import type { ResolvedTheme, ThemeInput } from '../../../themes/schema';
import { assetPath, AssetError, checkAsset, dataUrlBytes, type AssetKind, type AssetMime, type AssetProblem, type CheckedAsset } from './assets';
import { contrastProblems, describeContrast, shownRatio } from './contrast';
import { CustomCssError, describeCssProblem, sanitiseCustomCss, type CssAssets, type CssProblem } from './custom-css';
import { resolveTheme, ThemeChainError } from './resolve';

/**
 * A theme that cannot be stored; `path` is inside the theme (e.g. `logo.light`, `css`). `details`:
 * its problems one by one, where there are several (custom CSS: one per line at fault).
 */
/** One problem of a theme: English words, and a code the console words. */
export type ThemeProblem = { message: string; code: FieldCode; params: FieldParams };

/** An asset's problem as the admin API's field code (the console words it). */
const ASSET_CODES: Record<AssetProblem, FieldCode> = {
  unknown_type: 'asset_unknown_type',
  not_font: 'asset_not_font',
  font_not_image: 'asset_font_not_image',
  too_large: 'asset_too_large',
  bad_svg: 'asset_bad_svg',
  unreadable: 'asset_unreadable',
  too_many_pixels: 'asset_too_many_pixels',
};
const stringValues = (o: Record<string, number>): FieldParams => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));

/** A CSS problem's params: codes and CSS only, for the console's words (the rule's English names say `none`). */
const cssParams = (p: CssProblem): FieldParams => ({ line: String(p.line), rule: p.rule.startsWith('"') ? p.rule : 'none', reason: p.code, name: p.name ?? '' });

export class ThemeError extends Error {
  readonly details: ThemeProblem[];
  constructor(
    readonly path: (string | number)[],
    message: string,
    code: FieldCode,
    params: FieldParams = {},
    details?: ThemeProblem[],
  ) {
    super(message);
    this.details = details ?? [{ message, code, params }];
    this.name = 'ThemeError';
  }
}

export interface PreparedTheme {
  /** As stored: every asset an `asset:<sha256>` reference. */
  definition: ThemeInput;
  /** Assets it brings that are not stored yet (or may not be). */
  assets: CheckedAsset[];
  /** Kept despite them (`allowLowContrast`): logged and returned. */
  warnings: string[];
}

export interface PrepareContext {
  /** Themes already stored (those being prepared replace theirs). */
  stored: ReadonlyMap<string, ThemeInput>;
  /** The type of a stored asset, undefined if there is none. */
  storedAsset(sha256: string): Promise<AssetMime | undefined>;
  /** Reads a path relative to the config file; absent where there is no file (the admin API). */
  readFile?: (relative: string) => Buffer;
}

type AssetField = { path: (string | number)[]; kind: AssetKind; get: (t: ThemeInput | ResolvedTheme) => string | null | undefined; set: (t: ThemeInput, ref: string) => ThemeInput };

/** Every place a theme names an image or font. */
const assetFields: AssetField[] = [
  { path: ['logo', 'light'], kind: 'image', get: (t) => t.logo?.light, set: (t, r) => ({ ...t, logo: { ...t.logo!, light: r } }) },
  { path: ['logo', 'dark'], kind: 'image', get: (t) => t.logo?.dark, set: (t, r) => ({ ...t, logo: { ...t.logo!, dark: r } }) },
  { path: ['favicon'], kind: 'image', get: (t) => t.favicon, set: (t, r) => ({ ...t, favicon: r }) },
  { path: ['sideImage'], kind: 'image', get: (t) => t.sideImage, set: (t, r) => ({ ...t, sideImage: r }) },
  { path: ['background', 'image'], kind: 'image', get: (t) => (t.background?.type === 'image' ? t.background.image : undefined), set: (t, r) => ({ ...t, background: { type: 'image', image: r } }) },
  { path: ['font', 'upload'], kind: 'font', get: (t) => (t.font && 'upload' in t.font ? t.font.upload : undefined), set: (t, r) => ({ ...t, font: { ...(t.font as { upload: string; name: string }), upload: r } }) },
];

export const STORED_ASSET = /^asset:([0-9a-f]{64})$/;

/** Every `asset:<sha256>` a stored theme names (its fields and CSS images; its CSS is checked by the sanitiser). */
export function assetRefs(t: ThemeInput | ResolvedTheme): { path: (string | number)[]; kind: AssetKind; ref: string }[] {
  const fields = assetFields.flatMap((f) => {
    const ref = f.get(t);
    return ref == null ? [] : [{ path: f.path, kind: f.kind, ref }];
  });
  return [...fields, ...Object.entries(t.images ?? {}).map(([name, ref]) => ({ path: ['images', name], kind: 'image' as const, ref }))];
}

/** Maps every asset of a theme, fields and CSS images (export turns references into data: URLs with it). */
export async function mapAssets(t: ThemeInput, fn: (ref: string, kind: AssetKind, path: (string | number)[]) => Promise<string>): Promise<ThemeInput> {
  let out = t;
  for (const f of assetFields) {
    const ref = f.get(out);
    if (ref != null) out = f.set(out, await fn(ref, f.kind, f.path));
  }
  if (out.images) {
    const images: Record<string, string> = {};
    for (const [name, ref] of Object.entries(out.images)) images[name] = await fn(ref, 'image', ['images', name]);
    out = { ...out, images };
  }
  return out;
}

/**
 * Checks themes for storage, as a set (they may extend one another): assets read, checked and
 * replaced by their hashes; `extends` chains resolved; custom CSS parsed against the allowlists;
 * contrast guarded. Throws a ThemeError naming the theme's index and field.
 */
export async function prepareThemes(inputs: ThemeInput[], ctx: PrepareContext): Promise<PreparedTheme[]> {
  const fresh = new Map<string, CheckedAsset>();
  const mimes = new Map<string, AssetMime>();
  const prepared: PreparedTheme[] = [];
  for (const [i, input] of inputs.entries()) {
    const assets: CheckedAsset[] = [];
    const definition = await mapAssets(input, async (ref, kind, path) => {
      const stored = STORED_ASSET.exec(ref);
      if (stored) {
        const mime = mimes.get(stored[1]) ?? (await ctx.storedAsset(stored[1]));
        if (!mime) throw new ThemeError([i, ...path], `${ref} is not a stored asset`, 'asset_not_stored', { ref });
        if ((mime === 'font/woff2') !== (kind === 'font')) throw new ThemeError([i, ...path], `${ref} is a ${mime}, not a ${kind}`, 'asset_wrong_kind', { ref, kind });
        mimes.set(stored[1], mime);
        return ref;
      }
      let bytes: Buffer;
      if (ref.startsWith('data:')) bytes = dataUrlBytes(ref);
      else if (!ctx.readFile) throw new ThemeError([i, ...path], 'a file path needs a config file to be relative to: give a data: URL', 'asset_needs_file');
      else {
        try {
          bytes = ctx.readFile(ref);
        } catch (e) {
          throw new ThemeError([i, ...path], `cannot read "${ref}": ${(e as Error).message}`, 'asset_unreadable', { ref });
        }
      }
      try {
        const asset = checkAsset(bytes, kind);
        fresh.set(asset.sha256, asset);
        mimes.set(asset.sha256, asset.mime);
        assets.push(asset);
        return `asset:${asset.sha256}`;
      } catch (e) {
        const short = `${ref.slice(0, 40)}${ref.length > 40 ? '…' : ''}`;
        if (e instanceof AssetError) throw new ThemeError([i, ...path], `"${short}" ${e.message}`, ASSET_CODES[e.code], { ref: short, ...stringValues(e.params) });
        throw e;
      }
    });
    prepared.push({ definition, assets, warnings: [] });
  }

  const themes = new Map(ctx.stored);
  for (const p of prepared) themes.set(p.definition.id, p.definition);
  for (const [i, p] of prepared.entries()) {
    const t = p.definition;
    let resolved;
    try {
      resolved = resolveTheme(t.id, themes);
    } catch (e) {
      if (e instanceof ThemeChainError) throw new ThemeError([i, 'extends'], e.message, 'theme_chain', { reason: e.message });
      throw e;
    }
    const found = contrastProblems(resolved);
    const low = found.map(describeContrast);
    if (low.length > 0 && !resolved.allowLowContrast) {
      // One problem a pair, its colours by palette name: the console words them in the admin's language.
      const keep = ' (set allowLowContrast: true to keep it anyway)';
      const pairs = found.map((c, j) => ({ message: low[j] + keep, code: 'low_contrast' as const, params: { mode: c.mode, fg: c.fg, bg: c.bg, ratio: shownRatio(c.ratio), min: String(c.min) } }));
      throw new ThemeError([i, 'colors'], low.join('; ') + keep, 'low_contrast', {}, pairs);
    }
    p.warnings.push(...low.map((l) => `theme "${t.id}": ${l}`));
    if (t.css) {
      for (const m of cssAssetRefs(t.css)) if (!mimes.has(m)) {
        const mime = await ctx.storedAsset(m);
        if (mime) mimes.set(m, mime);
      }
      try {
        sanitiseCustomCss(t.css, cssAssets(mimes, resolved.images));
      } catch (e) {
        if (e instanceof CustomCssError) throw new ThemeError([i, 'css'], e.message, 'css_line', {}, e.problems.map((p) => ({ message: describeCssProblem(p), code: 'css_line', params: cssParams(p) })));
        throw e;
      }
    }
  }
  return prepared;
}

/** The URLs of stored assets, and a theme's named CSS images (`asset:<sha256>` each), for the CSS sanitiser. */
export function cssAssets(mimes: ReadonlyMap<string, AssetMime>, images: Readonly<Record<string, string>> = {}): CssAssets {
  return {
    url: (sha) => {
      const mime = mimes.get(sha);
      return mime ? assetPath(sha, mime) : undefined;
    },
    isFont: (sha) => mimes.get(sha) === 'font/woff2',
    image: (name) => (Object.hasOwn(images, name) ? STORED_ASSET.exec(images[name])?.[1] : undefined),
  };
}

/** The hashes a stylesheet may name (`asset:` followed by 64 hex digits), to look their types up first. */
export function cssAssetRefs(css: string): string[] {
  const out: string[] = [];
  for (let i = css.indexOf('asset:'); i !== -1; i = css.indexOf('asset:', i + 6)) {
    const sha = css.slice(i + 6, i + 70);
    if (/^[0-9a-f]{64}$/.test(sha)) out.push(sha);
  }
  return out;
}
