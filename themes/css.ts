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
 * The frame of the pages Foyer renders outside Next.js (server/http/post-page.ts), which have no
 * Tailwind stylesheet: the same look from the theme's variables, under a class only those pages
 * carry. Before the custom CSS and no more specific than its scoped rules, so those win.
 */
export const STANDALONE_CLASS = 'foyer-standalone';
const standaloneCss = [
  `.${STANDALONE_CLASS}{margin:0;min-height:100vh;box-sizing:border-box;padding:2rem 1rem;display:flex;flex-direction:column;align-items:center;color:var(--foyer-text);font-family:var(--foyer-font);line-height:1.5;}`,
  `.${STANDALONE_CLASS} .banner-customizable,.${STANDALONE_CLASS} .foyer-card{width:100%;max-width:28rem;box-sizing:border-box;}`,
  `.${STANDALONE_CLASS} .banner-customizable{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;margin-bottom:1.5rem;}`,
  `.${STANDALONE_CLASS} .foyer-app-name{margin:0;font-weight:600;}`,
  `.${STANDALONE_CLASS} .foyer-card{background:var(--foyer-surface);border:1px solid var(--foyer-border);border-radius:var(--foyer-radius);padding:2rem;}`,
  `.${STANDALONE_CLASS}.foyer-layout-full .foyer-card{border:0;border-radius:0;max-width:none;}`,
  `.${STANDALONE_CLASS} .foyer-title{margin:0 0 .25rem;font-size:1.5rem;font-weight:600;}`,
  `.${STANDALONE_CLASS} .textDescription-customizable{margin:0 0 1.5rem;color:var(--foyer-muted);}`,
  `.${STANDALONE_CLASS} .submitButton-customizable{width:100%;padding:.625rem 1rem;border:0;border-radius:var(--foyer-radius);background:var(--foyer-brand);color:var(--foyer-brand-text);font:inherit;font-weight:600;cursor:pointer;}`,
  `.${STANDALONE_CLASS} .submitButton-customizable:focus-visible{outline:2px solid var(--foyer-focus);outline-offset:2px;}`,
].join('');

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
  return `${font.faces}${palettes}.foyer-root{--spacing:${spacing[theme.density]};}.background-customizable{${backgroundCss(theme)}}${logo}${standaloneCss}`;
}
