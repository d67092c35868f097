import defaultTheme from './default.json';
import { themeSchema, type Theme } from './schema';

export const builtInTheme: Theme = themeSchema.parse(defaultTheme);

function vars(p: Theme['light']): string {
  return Object.entries(p)
    .map(([k, v]) => `--foyer-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v};`)
    .join('');
}

const fonts: Record<Theme['font'], string> = {
  'noto-sans': "'Noto Sans Variable','Noto Sans Arabic Variable',system-ui,sans-serif",
  system: 'system-ui,sans-serif',
};

/** The theme as CSS: light by default, dark when the browser prefers it. Values are validated hex. */
export function themeCss(theme: Theme): string {
  const base = `--foyer-radius:${theme.radius}px;--foyer-font:${fonts[theme.font]};`;
  return `:root{${base}${vars(theme.light)}color-scheme:light dark;}@media (prefers-color-scheme: dark){:root{${vars(theme.dark)}}}`;
}
