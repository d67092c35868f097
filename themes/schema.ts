import { z } from 'zod';

/**
 * A theme is data: written in FOYER_CONFIG's `themes`, through the admin API or the console,
 * validated here, stored in the database and applied at request time. Two shapes:
 * - `themeInput`: what an operator writes. Everything but `id` and `name` may be left out and is
 *   taken from `extends` (another theme, or a built-in one), down to the built-in default.
 * - `ResolvedTheme`: a theme merged over its ancestors, every field present, what screens render.
 */

export const COLOUR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const color = z.string().regex(COLOUR_PATTERN, 'a colour is #rrggbb');

export const paletteNames = [
  'background',
  'surface',
  'text',
  'muted',
  'brand',
  'brandText',
  'border',
  'danger',
  'success',
  'focus',
  'link',
  'inputBackground',
  'inputBorder',
] as const;
export type PaletteName = (typeof paletteNames)[number];

const palette = z.strictObject(Object.fromEntries(paletteNames.map((n) => [n, color])) as Record<PaletteName, typeof color>);
export type Palette = z.infer<typeof palette>;

export const THEME_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const themeId = z.string().regex(THEME_ID_PATTERN, 'a theme id is lower-case letters, digits and dashes');

/**
 * An image or font: a `data:` URL, a path relative to the config file (read when the config is
 * applied), or `asset:<sha256>` once stored (what the database and `config export` hold).
 * Which of these is acceptable where, and the size, type and dimension limits, are checked when
 * the theme is stored (SVG sanitised then).
 */
export const assetRef = z
  .string()
  .min(1)
  .max(8_000_000)
  .refine((s) => /^data:[a-z0-9.+/-]+(;[a-z0-9=.-]+)*;base64,[A-Za-z0-9+/=\s]+$/i.test(s) || /^asset:[0-9a-f]{64}$/.test(s) || isRelativePath(s), {
    message: 'an image or font is a data: URL or a path relative to the config file',
    params: { code: 'asset_ref' }, // a code of server/config/field-codes.ts
  });

function isRelativePath(s: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith('/') && !s.startsWith('\\') && !s.split(/[\\/]/).includes('..') && !/[\0-\x1f]/.test(s);
}

/** A link shown in the footer, per locale (`default` for every other one); https only. */
export const LINK_LOCALE_PATTERN = /^(default|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/;
const localisedUrl = z.record(z.string().regex(LINK_LOCALE_PATTERN, 'a language tag such as en or ar, or default'), z.url({ protocol: /^https$/ }));

/**
 * Images custom CSS may use (a banner's background, say), by name: `url(image:<name>)` in `css`.
 * Same sources, checks and limits as the logo.
 */
export const IMAGE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const imageName = z.string().regex(IMAGE_NAME_PATTERN, 'an image name is lower-case letters, digits and dashes');
const images = z.record(imageName, assetRef).refine((r) => Object.keys(r).length <= 16, { message: 'at most 16 images', params: { code: 'too_many', max: '16' } });

export const builtInFonts = ['noto-sans', 'inter', 'ibm-plex-sans', 'system'] as const;
export type BuiltInFont = (typeof builtInFonts)[number];

/** The name custom CSS gives an uploaded font (1 to 64 characters). */
export const FONT_NAME_PATTERN = /^[A-Za-z0-9 _-]{1,64}$/;

const font = z.union([
  z.strictObject({ family: z.enum(builtInFonts) }),
  /** An uploaded woff2, with the name custom CSS may use in `font-family`. */
  z.strictObject({ upload: assetRef, name: z.string().regex(FONT_NAME_PATTERN, 'letters, digits, spaces and _- only') }),
]);

const background = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('color') }), // the palette's `background`
  z.strictObject({ type: z.literal('gradient'), from: color, to: color, angle: z.number().int().min(0).max(360) }),
  z.strictObject({ type: z.literal('image'), image: assetRef }),
]);

const logo = z.strictObject({
  light: assetRef,
  /** For dark mode; the light one when absent. */
  dark: assetRef.optional(),
  alt: z.string().min(1).max(120),
  /** CSS pixels. */
  height: z.number().int().min(16).max(120),
});

const fields = {
  id: themeId,
  name: z.string().min(1).max(64),
  /** Another theme's id, or a built-in one's (`default`, …). */
  extends: themeId.optional(),
  logo: logo.optional(),
  favicon: assetRef.optional(),
  colors: z.strictObject({ light: palette.partial(), dark: palette.partial() }).partial().optional(),
  mode: z.enum(['auto', 'light', 'dark']).optional(),
  font: font.optional(),
  radius: z.number().min(0).max(32).optional(),
  density: z.enum(['compact', 'comfortable']).optional(),
  layout: z.enum(['card', 'split', 'full']).optional(),
  background: background.optional(),
  /** The image beside the form in the `split` layout. */
  sideImage: assetRef.optional(),
  links: z.strictObject({ terms: localisedUrl, privacy: localisedUrl, help: localisedUrl }).partial().optional(),
  showPoweredBy: z.boolean().optional(),
  /** Images for the custom CSS, by name (an extending theme adds to its parent's). */
  images: images.optional(),
  /** Custom CSS on the documented hooks; checked and scoped when the theme is stored (64 KB at most). */
  css: z.string().max(65_536).optional(),
  /** Stores a theme whose colour pairs fall below WCAG 2.2 AA (with a warning) instead of refusing it. */
  allowLowContrast: z.boolean().optional(),
};

export const themeInput = z.strictObject(fields);
export type ThemeInput = z.infer<typeof themeInput>;

/** A theme with every field present (its ancestors merged in), as screens and mails use it. */
export const resolvedTheme = z.strictObject({
  ...fields,
  extends: themeId.optional(),
  logo: logo.nullable(),
  favicon: assetRef.nullable(),
  colors: z.strictObject({ light: palette, dark: palette }),
  mode: z.enum(['auto', 'light', 'dark']),
  font,
  radius: z.number().min(0).max(32),
  density: z.enum(['compact', 'comfortable']),
  layout: z.enum(['card', 'split', 'full']),
  background,
  sideImage: assetRef.nullable(),
  links: z.strictObject({ terms: localisedUrl, privacy: localisedUrl, help: localisedUrl }).partial(),
  showPoweredBy: z.boolean(),
  images,
  css: z.string().max(65_536),
  allowLowContrast: z.boolean(),
});
export type ResolvedTheme = z.infer<typeof resolvedTheme>;
