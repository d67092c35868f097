import { builtInFonts, paletteNames, type PaletteName, type ThemeInput } from '@/themes/schema';

/**
 * The theme editor's field form, as data: the name of every field, how a posted form becomes the
 * draft the admin API checks, and which field an API refusal (a JSON Pointer into the theme) is
 * about. No React and no server here, so it is unit-tested on its own.
 */

export const schemes = ['light', 'dark'] as const;
export type Scheme = (typeof schemes)[number];

/** A palette colour's text field; `-pick` is its colour picker, `-shown` the value the picker started at. */
export const colourField = (scheme: Scheme, name: PaletteName) => `c-${scheme}-${name}`;

/** The upload fields, with what each must hold. */
export const uploadFields = {
  logoLight: 'image',
  logoDark: 'image',
  favicon: 'image',
  fontFile: 'font',
  bgImage: 'image',
  sideImage: 'image',
  newImage: 'image',
} as const;
export type UploadField = keyof typeof uploadFields;

export const linkKinds = ['terms', 'privacy', 'help'] as const;
const HEX = /^#[0-9a-fA-F]{6}$/;

/** A problem the form finds before the API sees the draft (the API's own checks follow). */
export interface LocalProblem {
  field: string;
  code: 'linkLine' | 'imageName';
}

const text = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * A colour from its text field and its picker: the picker when it was moved (its value differs
 * from the one it started at, so without JavaScript a moved picker still counts), else the text;
 * empty is inherited.
 */
export function colour(data: FormData, name: string): string | undefined {
  const picked = text(data, `${name}-pick`).toLowerCase();
  if (picked && picked !== text(data, `${name}-shown`).toLowerCase()) return picked;
  return text(data, name) || undefined;
}

/** `locale url` per line (`default` for every other locale) → the theme's per-locale links. */
export function parseLinks(source: string): Record<string, string> | 'bad' | undefined {
  const out: Record<string, string> = {};
  for (const line of source.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\S+)\s+(\S+)$/.exec(line);
    if (!m) return 'bad';
    out[m[1]] = m[2];
  }
  return Object.keys(out).length ? out : undefined;
}

export const formatLinks = (links: Record<string, string> | undefined) =>
  Object.entries(links ?? {})
    .map(([l, u]) => `${l} ${u}`)
    .join('\n');

const pickOf = <T extends string>(v: string, allowed: readonly T[]): T | undefined => (allowed.includes(v as T) ? (v as T) : undefined);

/** Drops the keys whose value is undefined (a field left empty inherits). */
function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = <T extends object>(o: T) => (Object.keys(o).length ? o : undefined);

function numberOr(v: string): number | string | undefined {
  if (v === '') return undefined;
  const n = Number(v);
  // Not a number: passed on as text, for the API's schema to refuse on its field.
  return Number.isFinite(n) ? n : v;
}

/**
 * The draft a posted field form describes, over `base` (the draft the page showed: what the form
 * does not hold, such as uploads not replaced, is kept). `uploads`: the new files, each a data:
 * URL, by field.
 */
export function themeFromForm(base: ThemeInput, data: FormData, uploads: Partial<Record<UploadField, string>>): { theme: ThemeInput; problems: LocalProblem[] } {
  const problems: LocalProblem[] = [];
  const palettes = Object.fromEntries(
    schemes.map((s) => [s, defined(Object.fromEntries(paletteNames.map((n) => [n, colour(data, colourField(s, n))])))]),
  ) as Record<Scheme, Partial<Record<PaletteName, string>>>;

  const fontChoice = text(data, 'font');
  const fontUpload = uploads.fontFile ?? (base.font && 'upload' in base.font ? base.font.upload : undefined);
  const font =
    fontChoice === 'upload' || (fontChoice === '' && uploads.fontFile)
      ? { upload: fontUpload ?? '', name: text(data, 'fontName') }
      : pickOf(fontChoice, builtInFonts)
        ? { family: fontChoice as (typeof builtInFonts)[number] }
        : undefined;

  const bgType = text(data, 'bg');
  const oldBgImage = base.background?.type === 'image' ? base.background.image : undefined;
  const background =
    bgType === 'color'
      ? { type: 'color' as const }
      : bgType === 'gradient'
        ? { type: 'gradient' as const, from: colour(data, 'bgFrom') ?? text(data, 'bgFrom-pick'), to: colour(data, 'bgTo') ?? text(data, 'bgTo-pick'), angle: numberOr(text(data, 'bgAngle')) ?? 180 }
        : bgType === 'image' || (bgType === '' && uploads.bgImage)
          ? { type: 'image' as const, image: uploads.bgImage ?? oldBgImage ?? '' }
          : undefined;

  const removed = (name: string) => data.get(name) === 'on';
  const logoLight = removed('logoRemove') ? undefined : (uploads.logoLight ?? base.logo?.light);
  const logoDark = removed('logoRemove') || removed('logoDarkRemove') ? undefined : (uploads.logoDark ?? base.logo?.dark);
  const logo = logoLight ? defined({ light: logoLight, dark: logoDark, alt: text(data, 'logoAlt'), height: numberOr(text(data, 'logoHeight')) ?? 40 }) : undefined;

  const links: Record<string, Record<string, string>> = {};
  for (const kind of linkKinds) {
    const parsed = parseLinks(text(data, `links-${kind}`));
    if (parsed === 'bad') problems.push({ field: `links-${kind}`, code: 'linkLine' });
    else if (parsed) links[kind] = parsed;
  }

  const images: Record<string, string> = {};
  for (const [name, ref] of Object.entries(base.images ?? {})) if (!removed(`imageRemove-${name}`)) images[name] = ref;
  const newName = text(data, 'newImageName');
  if (uploads.newImage) {
    if (newName) images[newName] = uploads.newImage;
    else problems.push({ field: 'newImageName', code: 'imageName' });
  }

  const poweredBy = text(data, 'poweredBy');
  const theme = defined({
    id: base.id,
    name: text(data, 'name'),
    extends: text(data, 'extends') || undefined,
    mode: pickOf(text(data, 'mode'), ['auto', 'light', 'dark'] as const),
    colors: Object.keys(palettes.light).length || Object.keys(palettes.dark).length ? defined({ light: nonEmpty(palettes.light), dark: nonEmpty(palettes.dark) }) : undefined,
    font,
    radius: numberOr(text(data, 'radius')),
    density: pickOf(text(data, 'density'), ['compact', 'comfortable'] as const),
    layout: pickOf(text(data, 'layout'), ['card', 'split', 'full'] as const),
    background,
    sideImage: removed('sideImageRemove') ? undefined : (uploads.sideImage ?? base.sideImage),
    logo,
    favicon: removed('faviconRemove') ? undefined : (uploads.favicon ?? base.favicon),
    links: Object.keys(links).length ? links : undefined,
    showPoweredBy: poweredBy === 'yes' ? true : poweredBy === 'no' ? false : undefined,
    images: Object.keys(images).length ? images : undefined,
    css: text(data, 'css') ? String(data.get('css')) : undefined,
    allowLowContrast: removed('allowLowContrast') ? true : undefined,
  }) as ThemeInput;
  return { theme, problems };
}

/** The field an API refusal names (a JSON Pointer into the theme); `contrast` for the palette as a whole. */
export function fieldOfPointer(pointer: string): string | undefined {
  const p = pointer.split('/').slice(1);
  const [head, a, b] = p;
  switch (head) {
    case 'name':
    case 'extends':
    case 'mode':
    case 'radius':
    case 'density':
    case 'layout':
    case 'sideImage':
    case 'favicon':
    case 'css':
    case 'allowLowContrast':
      return head;
    case 'showPoweredBy':
      return 'poweredBy';
    case 'colors':
      return (a === 'light' || a === 'dark') && paletteNames.includes(b as PaletteName) ? colourField(a, b as PaletteName) : 'contrast';
    case 'font':
      return a === 'upload' ? 'fontFile' : a === 'name' ? 'fontName' : 'font';
    case 'background':
      return a === 'from' ? 'bgFrom' : a === 'to' ? 'bgTo' : a === 'angle' ? 'bgAngle' : a === 'image' ? 'bgImage' : 'bg';
    case 'logo':
      return a === 'dark' ? 'logoDark' : a === 'alt' ? 'logoAlt' : a === 'height' ? 'logoHeight' : 'logoLight';
    case 'links':
      return linkKinds.includes(a as (typeof linkKinds)[number]) ? `links-${a}` : 'links-terms';
    case 'images':
      return 'newImage';
    default:
      return undefined;
  }
}

export const isHex = (s: string) => HEX.test(s);
