import { builtInTheme } from './css';
import highContrast from './high-contrast.json';
import midnight from './midnight.json';
import minimal from './minimal.json';
import split from './split.json';
import { themeInput, type ResolvedTheme, type ThemeInput } from './schema';

/** The themes shipped with Foyer besides the default; an operator's theme may `extends` any. */
export const builtInThemes: Record<string, ThemeInput> = Object.fromEntries(
  [midnight, highContrast, split, minimal].map((t) => {
    const parsed = themeInput.parse(t);
    return [parsed.id, parsed];
  }),
);

/**
 * A theme over its parent, the one merge of every `extends` chain (built-in and stored): palettes
 * merge colour by colour, links locale by locale and images name by name; custom CSS accumulates
 * (the parent's first), so extending a theme adds to its stylesheet; every other field the theme
 * sets replaces the parent's.
 */
export function resolveOver(parent: ResolvedTheme, theme: ThemeInput): ResolvedTheme {
  const { colors, links, images, css, ...rest } = theme;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...parent,
    ...defined,
    colors: { light: { ...parent.colors.light, ...colors?.light }, dark: { ...parent.colors.dark, ...colors?.dark } },
    links: { ...parent.links, ...links },
    images: { ...parent.images, ...images },
    css: [parent.css, css ?? ''].filter((s) => s.trim() !== '').join('\n'),
  };
}

/** Every built-in theme resolved over the default, the default first. */
export function resolvedBuiltIns(): ResolvedTheme[] {
  return [builtInTheme, ...Object.values(builtInThemes).map((t) => resolveOver(builtInTheme, t))];
}
