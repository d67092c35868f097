import { describe, expect, it } from 'vitest';
import { builtInTheme, themeCss } from './css';
import { themeInput } from './schema';

describe('themes', () => {
  it('renders light and dark palettes as custom properties', () => {
    const css = themeCss(builtInTheme);
    expect(css).toContain(`--foyer-brand:${builtInTheme.colors.light.brand};`);
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)\{:root\{[^}]*--foyer-brand:#8ab4f8;/);
    expect(css).not.toMatch(/[<>]/);
  });
  it('refuses values that could break out of the stylesheet', () => {
    const evil = { id: 'evil', name: 'Evil', colors: { light: { brand: 'red;}</style><script>' } } };
    expect(themeInput.safeParse(evil).success).toBe(false);
  });
  it('takes a partial theme that extends another, and refuses unknown fields and unsafe asset paths', () => {
    expect(themeInput.safeParse({ id: 'acme', name: 'Acme', extends: 'default', colors: { light: { brand: '#123456' } } }).success).toBe(true);
    expect(themeInput.safeParse({ id: 'acme', name: 'Acme', colour: {} }).success).toBe(false);
    for (const path of ['../etc/passwd', '/etc/passwd', 'https://evil.example/logo.png', 'javascript:alert(1)'])
      expect(themeInput.safeParse({ id: 'acme', name: 'Acme', favicon: path }).success, path).toBe(false);
    expect(themeInput.safeParse({ id: 'acme', name: 'Acme', favicon: 'brand/icon.png' }).success).toBe(true);
  });
});
