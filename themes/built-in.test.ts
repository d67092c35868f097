import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAsset, dataUrlBytes } from '../server/pool/themes/assets';
import { builtInThemes, resolvedBuiltIns } from './built-in';
import { contrastRatio } from './contrast';
import { resolvedTheme, themeInput, type Palette, type ResolvedTheme } from './schema';

const here = path.resolve('themes');

/** The palettes a theme shows: both when it follows the browser, else the forced one. */
const shown = (t: ResolvedTheme): [string, Palette][] => (t.mode === 'auto' ? Object.entries(t.colors) : [[t.mode, t.colors[t.mode]]]);

const pairs: [keyof Palette, keyof Palette][] = [
  ['text', 'background'],
  ['text', 'surface'],
  ['muted', 'surface'],
  ['brandText', 'brand'],
  ['link', 'background'],
  ['link', 'surface'],
  ['danger', 'surface'],
  ['success', 'surface'],
  ['text', 'inputBackground'],
];

describe('contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#1f5fbf', '#1f5fbf')).toBe(1);
  });
});

describe('built-in themes', () => {
  it('ship the default and at least four more: dark-first, high-contrast, split, minimal', () => {
    expect(Object.keys(builtInThemes)).toEqual(expect.arrayContaining(['midnight', 'high-contrast', 'split', 'minimal']));
    expect(builtInThemes.midnight.mode).toBe('dark');
    expect(builtInThemes.split.layout).toBe('split');
  });

  // default.json is the root, complete already: it is checked as a resolved theme below.
  for (const file of ['midnight', 'high-contrast', 'split', 'minimal'])
    it(`${file}.json is a valid theme input`, () => {
      const parsed = themeInput.safeParse(JSON.parse(readFileSync(path.join(here, `${file}.json`), 'utf8')));
      expect(parsed.error).toBeUndefined();
    });

  for (const theme of resolvedBuiltIns()) {
    it(`${theme.id} resolves over the default into a complete theme`, () => {
      expect(resolvedTheme.safeParse(theme).error).toBeUndefined();
    });

    const min = theme.id === 'high-contrast' ? 7 : 4.5;
    it(`${theme.id} keeps its colour pairs at ${min}:1 or more`, () => {
      const low: string[] = [];
      for (const [mode, p] of shown(theme)) {
        for (const [fg, bg] of pairs) if (contrastRatio(p[fg], p[bg]) < min) low.push(`${mode} ${fg}/${bg} ${contrastRatio(p[fg], p[bg]).toFixed(2)}`);
        // The banner and footer sit on the page's background, gradient ends included.
        const ends = theme.background.type === 'gradient' ? [theme.background.from, theme.background.to] : [];
        for (const bg of ends) for (const fg of ['text', 'muted', 'link'] as const) if (contrastRatio(p[fg], bg) < min) low.push(`${mode} ${fg}/${bg}`);
        // Focus rings and input borders are non-text: 3:1 (WCAG 1.4.11).
        for (const [fg, bg] of [['focus', 'background'], ['focus', 'surface'], ['inputBorder', 'inputBackground']] as const)
          if (contrastRatio(p[fg], p[bg]) < 3) low.push(`${mode} ${fg}/${bg}`);
      }
      expect(low).toEqual([]);
    });
  }

  it('ships the split layout image inline, as an image the asset checks take unchanged', () => {
    const ref = builtInThemes.split.sideImage!;
    expect(ref).toMatch(/^data:image\/svg\+xml;base64,/);
    const checked = checkAsset(dataUrlBytes(ref), 'image');
    expect(checked.mime).toBe('image/svg+xml');
    expect(checked.bytes.toString('utf8')).not.toMatch(/<script|on\w+=|href="http|<foreignObject/i);
  });
});

it('names each theme file after its id (the screenshots script lists them by file name)', () => {
  for (const [id, theme] of Object.entries(builtInThemes)) expect(readFileSync(path.join(here, `${id}.json`), 'utf8')).toContain(`"id": "${theme.id}"`);
});
