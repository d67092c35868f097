import { describe, expect, it } from 'vitest';
import { assetUrl } from './assets';
import { builtInTheme, themeCss } from './css';
import { resolvedTheme, themeInput, type ResolvedTheme } from './schema';

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

describe('themeCss from the theme', () => {
  const theme = (over: Partial<ResolvedTheme>): ResolvedTheme => resolvedTheme.parse({ ...builtInTheme, ...over });

  it('follows prefers-color-scheme in auto mode and forces a palette otherwise', () => {
    expect(themeCss(builtInTheme)).toContain('color-scheme:light dark;');
    const dark = themeCss(theme({ mode: 'dark' }));
    expect(dark).not.toContain('prefers-color-scheme');
    expect(dark).toContain(`--foyer-background:${builtInTheme.colors.dark.background};`);
    expect(dark).not.toContain(`--foyer-background:${builtInTheme.colors.light.background};`);
    expect(dark).toContain('color-scheme:dark;');
    const light = themeCss(theme({ mode: 'light' }));
    expect(light).not.toContain('prefers-color-scheme');
    expect(light).toContain(`--foyer-background:${builtInTheme.colors.light.background};`);
    expect(light).not.toContain(`--foyer-background:${builtInTheme.colors.dark.background};`);
  });

  it('sets density, radius, the font family and the logo height', () => {
    expect(themeCss(theme({ density: 'compact' }))).toContain('.foyer-root{--spacing:0.2rem;}');
    expect(themeCss(theme({ density: 'comfortable' }))).toContain('.foyer-root{--spacing:0.25rem;}');
    expect(themeCss(theme({ radius: 0 }))).toContain('--foyer-radius:0px;');
    expect(themeCss(theme({ font: { family: 'inter' } }))).toContain("--foyer-font:'Inter Variable',var(--foyer-scripts),system-ui");
    expect(themeCss(theme({ font: { family: 'ibm-plex-sans' } }))).toContain("--foyer-font:'IBM Plex Sans Variable'");
    expect(themeCss(theme({ logo: { light: 'asset:' + 'a'.repeat(64), alt: 'Acme', height: 48 } }))).toContain('.logo-customizable{height:48px;width:auto;}');
  });

  it('declares an uploaded font with @font-face and no other', () => {
    const css = themeCss(theme({ font: { upload: 'asset:' + 'b'.repeat(64), name: 'Acme Sans' } }));
    expect(css).toContain(`@font-face{font-family:'Acme Sans';src:url("/assets/t/${'b'.repeat(64)}") format('woff2');font-display:swap;}`);
    expect(css).toContain("--foyer-font:'Acme Sans',");
    expect(themeCss(builtInTheme)).not.toContain('@font-face');
  });

  it('paints the page background as a colour, a gradient or an image', () => {
    expect(themeCss(builtInTheme)).toContain('.background-customizable{background:var(--foyer-background);}');
    expect(themeCss(theme({ background: { type: 'gradient', from: '#000000', to: '#123456', angle: 45 } }))).toContain(
      '.background-customizable{background:linear-gradient(45deg,#000000,#123456);}',
    );
    expect(themeCss(theme({ background: { type: 'image', image: 'asset:' + 'c'.repeat(64) } }))).toContain(`url("/assets/t/${'c'.repeat(64)}") center/cover no-repeat`);
  });
});

describe('assetUrl', () => {
  it('serves stored assets, keeps data: URLs and has no URL for a path not yet stored', () => {
    expect(assetUrl('asset:' + 'd'.repeat(64))).toBe(`/assets/t/${'d'.repeat(64)}`);
    expect(assetUrl('data:image/png;base64,AA\nAA')).toBe('data:image/png;base64,AAAA');
    expect(assetUrl('brand/logo.png')).toBeNull();
  });
});
