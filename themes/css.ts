import defaultTheme from './default.json';
import { resolvedTheme, type BuiltInFont, type Palette, type ResolvedTheme } from './schema';

/** The built-in default: the root every theme's `extends` chain ends at. */
export const builtInTheme: ResolvedTheme = resolvedTheme.parse(defaultTheme);

function vars(p: Palette): string {
  return Object.entries(p)
    .map(([k, v]) => `--foyer-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v};`)
    .join('');
}

const fonts: Record<BuiltInFont, string> = {
  'noto-sans': "'Noto Sans Variable','Noto Sans Arabic Variable',system-ui,sans-serif",
  inter: "'Inter Variable','Noto Sans Arabic Variable',system-ui,sans-serif",
  'ibm-plex-sans': "'IBM Plex Sans','Noto Sans Arabic Variable',system-ui,sans-serif",
  system: 'system-ui,sans-serif',
};

/** The theme as CSS: light by default, dark when the browser prefers it. Values are validated hex. */
export function themeCss(theme: ResolvedTheme): string {
  const family = 'family' in theme.font ? fonts[theme.font.family] : `'${theme.font.name}',system-ui,sans-serif`;
  const base = `--foyer-radius:${theme.radius}px;--foyer-font:${family};`;
  return `:root{${base}${vars(theme.colors.light)}color-scheme:light dark;}@media (prefers-color-scheme: dark){:root{${vars(theme.colors.dark)}}}`;
}
