import { describe, expect, it } from 'vitest';
import { themeInput, type ThemeInput } from '@/themes/schema';
import { consoleTranslator } from '@/i18n/console';
import { builtInTheme } from '@/themes/css';
import { parentOf } from './inherited';
import { themeFormModel } from './model';
import { palettesOf } from './LiveContrast';
import { fieldOfPointer, parseLinks, themeFromForm } from './theme-form';

const form = (entries: Record<string, string>) => {
  const d = new FormData();
  for (const [k, v] of Object.entries(entries)) d.append(k, v);
  return d;
};

const BASE: ThemeInput = {
  id: 'acme',
  name: 'Acme',
  colors: { light: { brand: '#8a1538' } },
  logo: { light: 'asset:' + 'a'.repeat(64), alt: 'Acme', height: 40 },
  images: { banner: 'asset:' + 'b'.repeat(64) },
};

/** The form as the page draws it for BASE, every field at its shown value: what a browser posts untouched. */
function untouched(base: ThemeInput): Record<string, string> {
  const model = themeFormModel(consoleTranslator('en'), base, parentOf(base, new Map()), []);
  const out: Record<string, string> = {};
  for (const f of model.groups.flatMap((g) => g.fields)) {
    if (f.kind === 'color') {
      const shown = f.value || f.inherited;
      Object.assign(out, { [f.name]: f.value, [`${f.name}-pick`]: shown, [`${f.name}-shown`]: shown });
    } else if (f.kind === 'checkbox') {
      if (f.checked) out[f.name] = 'on';
    } else if (f.kind !== 'file') out[f.name] = f.value;
  }
  return out;
}

describe('the theme field form', () => {
  it('posted untouched, gives back the draft it showed (uploads kept, inherited fields left out)', () => {
    const { theme, problems } = themeFromForm(BASE, form(untouched(BASE)), {});
    expect(problems).toEqual([]);
    expect(theme).toEqual(BASE);
  });

  it('takes a moved colour picker over its text field, and a typed colour when the picker stayed', () => {
    const moved = { ...untouched(BASE), 'c-light-brand-pick': '#0b5d1e' };
    expect(themeFromForm(BASE, form(moved), {}).theme.colors?.light?.brand).toBe('#0b5d1e');
    const typed = { ...untouched(BASE), 'c-dark-text': '#eeeeee' };
    expect(themeFromForm(BASE, form(typed), {}).theme.colors?.dark).toEqual({ text: '#eeeeee' });
    const cleared = { ...untouched(BASE), 'c-light-brand': '' };
    expect(themeFromForm(BASE, form(cleared), {}).theme.colors).toBeUndefined();
  });

  it('puts uploads in place (a logo needs its alt text, which the API checks), and removes what is ticked', () => {
    const logo = 'data:application/octet-stream;base64,iVBORw0KGgo=';
    const { theme } = themeFromForm(BASE, form({ ...untouched(BASE), imageRemove: 'x', 'imageRemove-banner': 'on', faviconRemove: 'on' }), { logoDark: logo, favicon: logo });
    expect(theme.logo).toEqual({ ...BASE.logo, dark: logo });
    expect(theme.images).toBeUndefined();
    expect(theme.favicon).toBeUndefined();
    const removed = themeFromForm(BASE, form({ ...untouched(BASE), logoRemove: 'on' }), {});
    expect(removed.theme.logo).toBeUndefined();
  });

  it('reads every other field into what the theme schema accepts', () => {
    const posted = {
      ...untouched(BASE),
      name: 'Acme 2',
      extends: 'midnight',
      mode: 'dark',
      font: 'upload',
      fontName: 'Acme Sans',
      radius: '12',
      density: 'compact',
      layout: 'split',
      bg: 'gradient',
      'bgFrom-pick': '#112233',
      'bgFrom-shown': '#ffffff',
      bgTo: '#445566',
      bgAngle: '90',
      'links-terms': 'default https://acme.example/terms\nar https://acme.example/ar/terms',
      poweredBy: 'no',
      css: '.submitButton-customizable { color: red }',
      allowLowContrast: 'on',
      newImageName: 'hero',
    };
    const font = 'data:application/octet-stream;base64,d09GMg==';
    const side = 'data:application/octet-stream;base64,iVBORw0KGgo=';
    const { theme, problems } = themeFromForm(BASE, form(posted), { fontFile: font, sideImage: side, newImage: side });
    expect(problems).toEqual([]);
    expect(themeInput.safeParse(theme).success).toBe(true);
    expect(theme).toMatchObject({
      name: 'Acme 2',
      extends: 'midnight',
      mode: 'dark',
      font: { upload: font, name: 'Acme Sans' },
      radius: 12,
      density: 'compact',
      layout: 'split',
      background: { type: 'gradient', from: '#112233', to: '#445566', angle: 90 },
      sideImage: side,
      links: { terms: { default: 'https://acme.example/terms', ar: 'https://acme.example/ar/terms' } },
      showPoweredBy: false,
      images: { banner: BASE.images!.banner, hero: side },
      css: '.submitButton-customizable { color: red }',
      allowLowContrast: true,
    });
  });

  it('finds the form’s own problems: a link line without an address, an image without a name', () => {
    const { problems } = themeFromForm(BASE, form({ ...untouched(BASE), 'links-help': 'https://acme.example/help' }), { newImage: 'data:x;base64,AA==' });
    expect(problems).toEqual([
      { field: 'links-help', code: 'linkLine' },
      { field: 'newImageName', code: 'imageName' },
    ]);
    expect(parseLinks('  \n')).toBeUndefined();
  });

  it('maps the API’s JSON Pointers to the fields they name', () => {
    expect(fieldOfPointer('/colors/dark/brandText')).toBe('c-dark-brandText');
    expect(fieldOfPointer('/colors')).toBe('contrast');
    expect(fieldOfPointer('/logo/light')).toBe('logoLight');
    expect(fieldOfPointer('/logo/alt')).toBe('logoAlt');
    expect(fieldOfPointer('/font/upload')).toBe('fontFile');
    expect(fieldOfPointer('/background/image')).toBe('bgImage');
    expect(fieldOfPointer('/links/privacy/ar')).toBe('links-privacy');
    expect(fieldOfPointer('/showPoweredBy')).toBe('poweredBy');
    expect(fieldOfPointer('/css')).toBe('css');
    expect(fieldOfPointer('/nope')).toBeUndefined();
  });
});

describe('what a draft inherits, and its contrast', () => {
  it('resolves the parent chain through stored and built-in themes, stopping at a loop', () => {
    const stored = new Map<string, ThemeInput>([
      ['mid', { id: 'mid', name: 'Mid', extends: 'midnight', colors: { light: { link: '#123456' } } }],
      ['loop', { id: 'loop', name: 'Loop', extends: 'acme' }],
    ]);
    const parent = parentOf({ id: 'acme', extends: 'mid' }, stored);
    expect(parent.colors.light.link).toBe('#123456');
    expect(parentOf({ id: 'acme', extends: 'loop' }, stored).colors).toEqual(builtInTheme.colors);
    expect(parentOf({ id: 'acme', extends: 'gone' }, stored)).toBe(builtInTheme);
  });

  it('the live meter reads typed colours and falls back to the inherited ones', () => {
    const values: Record<string, string> = { 'c-light-brand': '#ffff00', 'c-light-brandText': 'nonsense' };
    const palettes = palettesOf((n) => values[n], builtInTheme.colors);
    expect(palettes.light.brand).toBe('#ffff00');
    expect(palettes.light.brandText).toBe(builtInTheme.colors.light.brandText);
  });
});
