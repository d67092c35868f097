import { describe, expect, it } from 'vitest';
import { builtInTheme, themeCss } from './css';
import { themeSchema } from './schema';

describe('themes', () => {
  it('renders light and dark palettes as custom properties', () => {
    const css = themeCss(builtInTheme);
    expect(css).toContain(`--foyer-brand:${builtInTheme.light.brand};`);
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)\{:root\{[^}]*--foyer-brand:#8ab4f8;/);
    expect(css).not.toMatch(/[<>]/);
  });
  it('refuses values that could break out of the stylesheet', () => {
    const evil = { ...builtInTheme, light: { ...builtInTheme.light, brand: 'red;}</style><script>' } };
    expect(themeSchema.safeParse(evil).success).toBe(false);
  });
});
