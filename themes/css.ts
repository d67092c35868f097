import { assetUrl } from './assets';
import defaultTheme from './default.json';
import { resolvedTheme, type BuiltInFont, type Palette, type ResolvedTheme } from './schema';

/** The built-in default: the root every theme's `extends` chain ends at. */
export const builtInTheme: ResolvedTheme = resolvedTheme.parse(defaultTheme);

function vars(p: Palette): string {
  return Object.entries(p)
    .map(([k, v]) => `--foyer-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v};`)
    .join('');
}

// Every script comes from Noto after any family (app/globals.css `--foyer-scripts`, which follows
// the page's language), so every language reads in every theme.
const scripts = 'var(--foyer-scripts),system-ui,sans-serif';
const fonts: Record<BuiltInFont, string> = {
  'noto-sans': `'Noto Sans Variable',${scripts}`,
  inter: `'Inter Variable',${scripts}`,
  'ibm-plex-sans': `'IBM Plex Sans Variable',${scripts}`,
  system: 'system-ui,sans-serif',
};

/** Tailwind's spacing unit, which every padding, margin and gap multiplies. */
const spacing: Record<ResolvedTheme['density'], string> = { comfortable: '0.25rem', compact: '0.2rem' };

/** A URL inside `url("…")`: asset URLs are hex paths or base64 `data:` URLs, quoted all the same. */
const cssUrl = (url: string) => `url("${url.replace(/["\\\n]/g, '')}")`;

function backgroundCss(theme: ResolvedTheme): string {
  const b = theme.background;
  if (b.type === 'gradient') return `background:linear-gradient(${b.angle}deg,${b.from},${b.to});`;
  const url = b.type === 'image' ? assetUrl(b.image) : null;
  return url ? `background:var(--foyer-background) ${cssUrl(url)} center/cover no-repeat;` : 'background:var(--foyer-background);';
}

function fontCss(theme: ResolvedTheme): { family: string; faces: string } {
  if ('family' in theme.font) return { family: fonts[theme.font.family], faces: '' };
  const url = assetUrl(theme.font.upload);
  return {
    family: `'${theme.font.name}',${scripts}`,
    faces: url ? `@font-face{font-family:'${theme.font.name}';src:${cssUrl(url)} format('woff2');font-display:swap;}` : '',
  };
}

/**
 * The theme as CSS: palettes as custom properties (light, dark, or each by `prefers-color-scheme`
 * when `mode` is `auto`), radius, font, density and the page background. Every value is validated
 * by the schema (hex colours, numbers, enums, asset references), so none can leave its declaration.
 */
export function themeCss(theme: ResolvedTheme): string {
  const font = fontCss(theme);
  const base = `--foyer-radius:${theme.radius}px;--foyer-font:${font.family};`;
  const { light, dark } = theme.colors;
  const palettes =
    theme.mode === 'auto'
      ? `:root{${base}${vars(light)}color-scheme:light dark;}@media (prefers-color-scheme: dark){:root{${vars(dark)}}}`
      : `:root{${base}${vars(theme.mode === 'dark' ? dark : light)}color-scheme:${theme.mode};}`;
  const logo = theme.logo ? `.logo-customizable{height:${theme.logo.height}px;width:auto;}` : '';
  return `${font.faces}${palettes}.foyer-root{--spacing:${spacing[theme.density]};}.background-customizable{${backgroundCss(theme)}}${logo}`;
}
